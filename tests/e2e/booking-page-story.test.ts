/**
 * The booking page for a real week, in Chromium: a host in New York sets three weeks of Mon/Wed/Fri
 * office hours in one form; a visitor on a phone (375×800) in Kolkata finds a day in the month
 * calendar and books with the keyboard only, while another visitor's booking of the same time
 * disables her open form live (which says so and keeps what she typed); she books another time,
 * then releases it after confirming. Visitors read times their own way (en-US 12-hour, de 24-hour).
 * After every action something is focused (never the page body), and axe finds nothing.
 */
import type { Page } from 'playwright';
import { describe, expect, it } from 'vitest';
import { addDays, todayInZone, weekdayOf } from '../../src/domain/time.ts';
import { ids } from '../../views/ids.ts';
import { chromiumPath, expectNoAxeViolations, SKIP_REASON } from '../helpers/browser.ts';
import { STORY_TIMEOUT_MS, WAIT } from '../helpers/patience.ts';
import { useBrowserStory } from '../helpers/story.ts';

/** The Monday at least a week ahead in New York: every slot of the three weeks is in the future. */
function nextMonday(): string {
  let date = addDays(todayInZone('America/New_York', new Date()), 7);
  while (weekdayOf(date) !== 1) date = addDays(date, 1);
  return date;
}

/** What has focus: an element's description, or "body" when focus was dropped. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    return `${el.tagName.toLowerCase()}#${el.id} ${el.getAttribute('data-date') ?? ''}`.trim();
  });

/** Focus lands somewhere (htmx moves it when the swap settles, a moment after the content is in). */
async function expectFocusKept(page: Page, after: string) {
  await expect.poll(() => focused(page), { ...WAIT, message: `focus after ${after}` }).not.toBe('body');
}

describe.skipIf(!chromiumPath)(
  `the booking page for a real week in Chromium${chromiumPath ? '' : ` (${SKIP_REASON})`}`,
  { timeout: STORY_TIMEOUT_MS },
  () => {
    const story = useBrowserStory();

    it('lets a host set three weeks at once and a phone visitor find, book and release a time', async () => {
      // The host sets Mon/Wed/Fri 09:00–12:00 in 30-minute slots, for three weeks, in one form.
      const host = await story.open('America/New_York', '/');
      await host.getByLabel('Title (optional)').fill('Office hours');
      await host.getByRole('button', { name: 'Create a schedule' }).click();
      await host.waitForURL(/\/admin\/[a-z2-7]{32}$/);
      const shareUrl = await host.getByLabel('Scheduling page link').inputValue();
      const form = host.locator(`#${ids.availability}`);
      for (const day of ['Monday', 'Wednesday', 'Friday'])
        await form.getByRole('checkbox', { name: day, exact: true }).check();
      await form.getByLabel('Range 1: from').fill('09:00');
      await form.getByLabel('Range 1: to').fill('12:00');
      await form.getByLabel('Slot length').selectOption('30');
      const monday = nextMonday();
      await form.getByLabel('Starting on').fill(monday);
      await form.getByRole('button', { name: 'Preview' }).click();
      const outcome = host.locator(`#${ids.availabilityOutcome}`);
      await expect.poll(() => outcome.textContent(), WAIT).toContain('This creates 54 slots on 9 days');
      await expectFocusKept(host, 'the preview');
      await host.locator(`#${ids.availability}`).getByRole('button', { name: 'Create slots' }).click();
      await expect.poll(() => outcome.textContent(), WAIT).toContain('Created 54 slots on 9 days');
      await expectFocusKept(host, 'creating the slots');
      await expectNoAxeViolations(host, 'the dashboard after weekly availability');

      // A visitor on a phone in Kolkata: 09:00 in New York is 19:30 there, the same weekday.
      const phoneContext = await story.newContext('Asia/Kolkata', 'en-GB', {
        viewport: { width: 375, height: 800 },
        isMobile: true,
        hasTouch: true,
      });
      const phone = await story.newPage(phoneContext);
      await phone.goto(shareUrl);
      await expect.poll(() => phone.locator(`#${ids.liveStatus}`).textContent(), WAIT).toContain('Live');
      const next = phone.locator(`#${ids.nextAvailable}`);
      await expect.poll(() => next.textContent(), WAIT).toMatch(/^Next available: Mon \d+ \w{3}, 19:30$/);
      await expectNoAxeViolations(phone, 'the booking page on a phone');

      // Keyboard only: into the calendar on the chosen day, two days right (Tuesday has nothing, and
      // says so), Enter: Wednesday's times.
      const chosen = phone.locator('[data-calendar] [tabindex="0"]');
      expect(await chosen.getAttribute('data-date')).toBe(monday);
      await chosen.focus();
      await phone.keyboard.press('ArrowRight');
      expect(await focused(phone)).toContain(addDays(monday, 1));
      expect(await phone.evaluate(() => document.activeElement?.getAttribute('aria-disabled'))).toBe('true');
      await phone.keyboard.press('ArrowRight');
      const wednesday = addDays(monday, 2);
      expect(await focused(phone)).toContain(wednesday);
      await phone.keyboard.press('Enter');
      await expect
        .poll(() => phone.locator(`#${ids.dayTimesHeading}`).textContent(), WAIT)
        .toMatch(/^Wednesday \d+ \w+ \d{4}$/);
      await expect.poll(() => focused(phone), WAIT).toContain(wednesday); // the day stays focused
      expect(await phone.locator(`#${ids.slotList} li`).count()).toBe(6);
      await expect.poll(() => new URL(phone.url()).search, WAIT).toBe(`?day=${wednesday}`);

      // Tab to the first time, Enter: the form, its name field focused.
      for (let i = 0; i < 6 && !(await focused(phone)).startsWith('button#slot-'); i++)
        await phone.keyboard.press('Tab');
      expect(await focused(phone)).toMatch(/^button#slot-/);
      expect(await phone.evaluate(() => document.activeElement?.textContent)).toContain('19:30–20:00');
      await phone.keyboard.press('Enter');
      const name = phone.getByLabel('Your name');
      await expect.poll(() => name.evaluate((el) => el === document.activeElement), WAIT).toBe(true);
      await phone.keyboard.type('Priya');
      await phone.keyboard.press('Tab');
      await phone.keyboard.type('priya@example.com');

      // Someone else books that very time first: her form says so, live, and keeps what she typed.
      const other = await story.open('Europe/Berlin', `${new URL(shareUrl).pathname}?day=${wednesday}`);
      await expect.poll(() => other.locator(`#${ids.liveStatus}`).textContent(), WAIT).toContain('Live');
      await other.getByRole('button', { name: /^15:00–15:30 on .*Open$/ }).click();
      await other.getByLabel('Your name').fill('Jonas');
      await other.getByRole('button', { name: 'Book', exact: true }).click();
      // (The answer's card says "You are booked"; the push that follows for her other tabs, "Your booking".)
      await expect
        .poll(() => other.locator(`#${ids.myBooking}`).textContent(), WAIT)
        .toMatch(/You are booked|Your booking/);

      const notice = phone.locator('[data-taken-notice]');
      await expect.poll(() => notice.isVisible(), WAIT).toBe(true);
      expect(await notice.textContent()).toContain('Sorry, this time was just booked — choose another.');
      expect(await phone.locator(`#${ids.bookingPanel} button[type="submit"]`).isDisabled()).toBe(true);
      expect(await name.inputValue()).toBe('Priya');
      expect(await phone.getByLabel('Email (optional)').inputValue()).toBe('priya@example.com');
      await expectFocusKept(phone, 'the slot was taken under her form');
      const firstItem = phone.locator(`#${ids.slotList} li`).first();
      expect(await firstItem.getAttribute('data-state')).toBe('booked');

      // She picks the next time and books it with the keyboard.
      const secondTime = phone.getByRole('button', { name: /^20:00–20:30 on .*Open$/ });
      await secondTime.focus();
      await phone.keyboard.press('Enter');
      await expect.poll(() => name.evaluate((el) => el === document.activeElement), WAIT).toBe(true);
      await phone.keyboard.type('Priya');
      // The push for her other tabs re-sends the card to this one too: count it.
      await phone.evaluate(() => {
        const counted = window as unknown as { cardPushes: number };
        counted.cardPushes = 0;
        document.addEventListener('htmx:wsAfterMessage', (event) => {
          const message = (event as CustomEvent<{ message: unknown }>).detail.message;
          if (typeof message === 'string' && message.includes('id="my-booking"')) counted.cardPushes++;
        });
      });
      await phone.keyboard.press('Enter');
      const card = phone.locator(`#${ids.myBooking}`);
      await expect.poll(() => card.textContent(), WAIT).toMatch(/You are bookedWed .*20:00–20:30/);
      await expect.poll(() => focused(phone), WAIT).toBe('h2#my-booking-heading');
      // Once both the answer and the push have arrived, in either order, the card still says what the
      // answer said and still holds the manage link, which only the answer carries.
      await expect
        .poll(() => phone.evaluate(() => (window as unknown as { cardPushes: number }).cardPushes), WAIT)
        .toBeGreaterThan(0);
      expect(await phone.locator('#my-booking-heading').textContent()).toBe('You are booked');
      expect(await phone.getByLabel('Private link to release this booking from another device').inputValue()).toMatch(
        /\/b\/[a-z2-7]{32}$/,
      );
      await expectNoAxeViolations(phone, 'the booking page after booking');

      // Release, confirmed in place.
      const release = card.getByText('Release this time…');
      await release.focus();
      await phone.keyboard.press('Enter');
      const yes = card.getByRole('button', { name: 'Yes, release it' });
      await expect.poll(() => yes.isVisible(), WAIT).toBe(true);
      expect(await card.textContent()).toMatch(/Release Wed \d+ \w{3} \d{4}, 20:00–20:30\? Anyone can then book it\./);
      await yes.focus();
      await phone.keyboard.press('Enter');
      await expect.poll(() => phone.locator(`#${ids.bookingPanel}`).textContent(), WAIT).toContain('Booking released');
      await expect.poll(() => card.textContent(), WAIT).toBe('');
      await expectFocusKept(phone, 'releasing');

      // Dates and times the way each reader reads them.
      const chicago = await story.open('America/Chicago', `${new URL(shareUrl).pathname}?day=${wednesday}`, 'en-US');
      await expect.poll(() => chicago.locator(`#${ids.slotList} li`).count(), WAIT).toBe(6);
      expect(await chicago.locator(`#${ids.slotList} .slot-time`).first().textContent()).toMatch(
        /^8:00\s?–\s?8:30\sAM$/u,
      );
      expect(await chicago.locator(`#${ids.dayTimesHeading}`).textContent()).toMatch(/^Wednesday, \w+ \d+, \d{4}$/);
      const berlin = await story.open('Europe/Berlin', `${new URL(shareUrl).pathname}?day=${wednesday}`, 'de');
      await expect.poll(() => berlin.locator(`#${ids.slotList} li`).count(), WAIT).toBe(6);
      expect(await berlin.locator(`#${ids.slotList} .slot-time`).first().textContent()).toMatch(
        /^15:00\s?–\s?15:30(\sUhr)?$/u,
      );
      expect(await berlin.locator(`#${ids.dayTimesHeading}`).textContent()).toMatch(/^Mittwoch, \d+\. \w+ \d{4}$/u);
      await expectNoAxeViolations(berlin, 'the booking page in German');
    });
  },
);

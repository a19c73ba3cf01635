/**
 * The host and visitor stories in real headless Chromium: a host in New York creates a schedule
 * and adds slots; two visitors in Denver watch the same page; one books (with the keyboard), the
 * other sees the slot disable without reloading, then come back after the release.
 */
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { todayInZone } from '../../src/domain/time.ts';
import { ids } from '../../views/ids.ts';
import { chromiumPath, expectNoAxeViolations, SKIP_REASON } from '../helpers/browser.ts';
import { STORY_TIMEOUT_MS, WAIT } from '../helpers/patience.ts';
import { useBrowserStory } from '../helpers/story.ts';

/** A date three weeks ahead in New York, as the date input wants it. */
function futureDate(): string {
  const today = todayInZone('America/New_York', new Date());
  const date = new Date(`${today}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 21);
  return date.toISOString().slice(0, 10);
}

describe.skipIf(!chromiumPath)(
  `host and visitors in Chromium${chromiumPath ? '' : ` (${SKIP_REASON})`}`,
  { timeout: STORY_TIMEOUT_MS },
  () => {
    const story = useBrowserStory();
    const open = story.open;

    it('lets a host create a schedule and two visitors see each other’s bookings live', async () => {
      // The host, in New York.
      const host = await open('America/New_York', '/');
      await expect.poll(() => host.getByLabel('Time zone').inputValue(), WAIT).toBe('America/New_York');
      await expectNoAxeViolations(host, 'the home page');
      await host.getByLabel('Title (optional)').fill('Career coaching');
      await host.getByLabel('Your name (optional)').fill('Marissa');
      await host.getByRole('button', { name: 'Create a schedule' }).click();
      await host.waitForURL(/\/admin\/[a-z2-7]{32}$/);
      const shareUrl = await host.getByLabel('Scheduling page link').inputValue();
      expect(shareUrl).toMatch(new RegExp(`^${story.server.url}/s/[a-z2-7]{32}$`));
      await expect.poll(() => host.locator(`#${ids.liveStatus}`).textContent(), WAIT).toContain('Live');

      // Copy link puts the link on the clipboard.
      await host.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: story.server.url });
      await host.getByRole('button', { name: 'Copy link' }).click();
      expect(await host.evaluate(() => navigator.clipboard.readText())).toBe(shareUrl);

      const date = futureDate();
      await host.locator(`#${ids.addSlot}`).getByLabel('Date').fill(date);
      await host.locator(`#${ids.addSlot}`).getByLabel('Start time').fill('09:00');
      await host.locator(`#${ids.addSlot}`).getByLabel('End time').fill('10:30');
      await host.locator(`#${ids.addSlot}`).getByLabel('Split into').selectOption('30');
      await host.locator(`#${ids.addSlot}`).getByLabel('Notes').fill('We meet on Zoom');
      await host.getByRole('button', { name: 'Add slot' }).click();
      await expect
        .poll(() => host.locator(`#${ids.addSlot} [role=status]`).textContent(), WAIT)
        .toContain('Added 3 slots');
      expect(await host.locator(`#${ids.slotList} li`).count()).toBe(3);
      await expectNoAxeViolations(host, 'the dashboard');

      // Two visitors, in Denver: the times they read are in their zone from the first paint of the list.
      const ann = await open('America/Denver', shareUrl);
      const bo = await open('America/Denver', shareUrl);
      for (const page of [ann, bo]) {
        await expect
          .poll(() => page.locator(`#${ids.zoneLabel}`).textContent(), WAIT)
          .toContain('Times shown in America/Denver');
        await expect.poll(() => page.locator(`#${ids.liveStatus}`).textContent(), WAIT).toContain('Live');
      }
      const annSlot = ann.getByRole('button', { name: /^07:00–07:30 on .*Open$/ });
      const boSlot = bo.getByRole('button', { name: /^07:00–07:30 on .*Open$/ });
      await expect.poll(() => boSlot.isEnabled(), WAIT).toBe(true);
      expect(await bo.getByText('09:00–09:30').count()).toBe(0); // never the host's times
      await expectNoAxeViolations(bo, 'the scheduling page');

      // Ann books with the keyboard only.
      await annSlot.focus();
      await ann.keyboard.press('Enter');
      const nameField = ann.getByLabel('Your name');
      await expect.poll(() => nameField.evaluate((el) => el === document.activeElement), WAIT).toBe(true);
      await ann.keyboard.type('Ann');
      await ann.keyboard.press('Tab');
      await ann.keyboard.type('ann@example.com');
      const clicked = Date.now();
      await ann.keyboard.press('Enter');

      // Bo's button turns disabled, without a reload, and the change is announced.
      const boBooked = bo.locator(`#${ids.slotList} li`).first().locator('button');
      await expect.poll(() => boBooked.isDisabled(), WAIT).toBe(true);
      const latency = Date.now() - clicked;
      console.log(`booking in one browser → slot disabled in the other: ${latency} ms`);
      expect(await boBooked.textContent()).toContain('Booked');
      await expect.poll(() => bo.locator(`#${ids.announcer}`).textContent(), WAIT).toContain('was just booked');

      // Ann sees her booking with calendar links and the manage link; the host sees it live.
      await expect
        .poll(() => ann.locator(`#${ids.myBooking}`).textContent(), WAIT)
        .toMatch(/You are booked|Your booking/);
      const google = await ann.getByRole('link', { name: /Add to Google Calendar/ }).getAttribute('href');
      expect(google).toMatch(/dates=\d{8}T\d{6}Z%2F\d{8}T\d{6}Z/);
      expect(await ann.getByLabel('Private link to release this booking from another device').inputValue()).toMatch(
        /\/b\/[a-z2-7]{32}$/,
      );
      await expect
        .poll(() => host.locator(`#${ids.slotList}`).textContent(), WAIT)
        .toContain('Booked by Ann (ann@example.com)');
      await expect.poll(() => host.locator(`#${ids.bookingSummary}`).textContent(), WAIT).toBe('1 of 3 slots booked');
      await expectNoAxeViolations(ann, 'the scheduling page after booking');

      const [download] = await Promise.all([
        ann.waitForEvent('download'),
        ann.getByRole('link', { name: 'Download .ics' }).click(),
      ]);
      const ics = readFileSync((await download.path())!, 'utf8');
      const [event] = new ICAL.Component(ICAL.parse(ics)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
      expect(event!.startDate.toJSDate().getTime()).toBe(Date.parse(`${date}T${offsetFor(date)}`));

      // Ann releases, confirming in place; Bo sees the slot come back.
      await ann.getByText('Release this time…').click();
      await ann.getByRole('button', { name: 'Yes, release it' }).click();
      await expect.poll(() => boSlot.isEnabled(), WAIT).toBe(true);
      await expect.poll(() => bo.locator(`#${ids.announcer}`).textContent(), WAIT).toContain('is open again');
      await expect.poll(() => host.locator(`#${ids.bookingSummary}`).textContent(), WAIT).toBe('0 of 3 slots booked');

      // The host deletes an open slot; it vanishes from the visitors' pages.
      await host.getByRole('button', { name: /^Delete .*09:30–10:00$/ }).click();
      await expect.poll(() => bo.locator(`#${ids.slotList} li`).count(), WAIT).toBe(2);

      // A dropped connection says so, and heals by itself.
      story.t.live.hub.closeAll(1012, 'restart');
      await expect.poll(() => bo.locator(`#${ids.liveStatus}`).textContent(), WAIT).toContain('Reconnecting');
      await expect.poll(() => bo.locator(`#${ids.liveStatus}`).textContent(), WAIT).toContain('Live');
    });
  },
);

/** 09:00 in New York on a date, as an ISO time with its offset (EST or EDT). */
function offsetFor(date: string): string {
  const probe = new Date(`${date}T14:00:00Z`);
  const name = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', timeZoneName: 'short' })
    .formatToParts(probe)
    .find((p) => p.type === 'timeZoneName')?.value;
  return name === 'EDT' ? '09:00:00-04:00' : '09:00:00-05:00';
}

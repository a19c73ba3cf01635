/**
 * A host with five weeks of slots in real Chromium: this week and the next open, later weeks
 * collapsed behind their summary lines; the list filtered to bookings (the page's socket follows
 * the filter); a day's open slots deleted with the keyboard alone; a visitor booking in another
 * browser context updates the host's week summary live, and the host's focus, on the Delete button
 * of the slot being booked, lands on that slot's row. After every action focus is somewhere on the
 * page, never dropped to <body>.
 */
import type { Page } from 'playwright';
import { describe, expect, it } from 'vitest';
import { findScheduleByAdminKey } from '../../src/domain/schedules.ts';
import { addSlots, listSlotsForSchedule, type Slot } from '../../src/domain/slots.ts';
import { addDays, describeDate, resolveWallTime, todayInZone } from '../../src/domain/time.ts';
import { weekKeyOfDay, weekLabel } from '../../views/components/weeks.ts';
import { ids, slotId, weekSectionId, weekSummaryId } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { chromiumPath, expectNoAxeViolations, SKIP_REASON } from '../helpers/browser.ts';
import { adminKeyOf, post } from '../helpers/http.ts';
import { STORY_TIMEOUT_MS, WAIT } from '../helpers/patience.ts';
import { useBrowserStory } from '../helpers/story.ts';

const ZONE = 'America/New_York';

const at = (date: string, time: string): Date => {
  const resolved = resolveWallTime(date, time, ZONE);
  if (!resolved.ok) throw new Error(resolved.message);
  return resolved.instant;
};

/** What has focus: never the body after an action. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const active = document.activeElement;
    return !active || active === document.body ? 'body' : `${active.tagName.toLowerCase()}#${active.id}`;
  });

async function expectFocusOnPage(page: Page, step: string) {
  expect(await focused(page), `${step}: focus`).not.toBe('body');
}

describe.skipIf(!chromiumPath)(
  `the host's dashboard by weeks in Chromium${chromiumPath ? '' : ` (${SKIP_REASON})`}`,
  { timeout: STORY_TIMEOUT_MS },
  () => {
    const story = useBrowserStory({ config: { bookingRateLimit: 1000 } });

    it('opens this week and the next, filters, deletes a day by keyboard, and follows a booking live', async () => {
      // Five weeks of weekday mornings from tomorrow (and tonight, when there is still time for it).
      const now = new Date();
      const today = todayInZone(ZONE, now);
      const monday = weekKeyOfDay(today);
      const weeks = [0, 1, 2, 3, 4].map((w) => addDays(monday, 7 * w));
      const planned: { startsAt: Date; endsAt: Date; notes: string }[] = [];
      const tonight = at(today, '23:00');
      if (tonight.getTime() - now.getTime() > 3_600_000)
        planned.push({ startsAt: tonight, endsAt: at(today, '23:30'), notes: '' });
      for (let d = 1; d < 35; d++) {
        const date = addDays(today, d);
        if (date >= addDays(weeks[4]!, 7) || [6, 0].includes(new Date(`${date}T12:00:00Z`).getUTCDay())) continue;
        for (const [start, end] of [
          ['10:00', '10:30'],
          ['10:30', '11:00'],
          ['11:00', '11:30'],
          ['11:30', '12:00'],
        ] as const)
          planned.push({ startsAt: at(date, start), endsAt: at(date, end), notes: 'Video call' });
      }
      const { t, database, server } = story;
      const created = await post(t.app, paths.createSchedule(), { title: 'Mentoring', timeZone: ZONE });
      const adminKey = adminKeyOf(created.headers.get('location')!);
      const schedule = (await findScheduleByAdminKey(database.db, adminKey))!;
      const added = await addSlots(database.db, schedule.id, planned);
      if (!added.ok) throw new Error('fixture slots overlap');
      const slots = await listSlotsForSchedule(database.db, schedule.id);
      const slotAt = (date: string, time: string) =>
        slots.find((s) => s.startsAt.getTime() === at(date, time).getTime())!;
      const next = weeks[1]!;
      const [nextTue, nextWed, nextThu, nextFri] = [1, 2, 3, 4].map((d) => addDays(next, d)) as [
        string,
        string,
        string,
        string,
      ];

      // Visitors, each in a browser of their own, book the way the scheduling page does (a same-site
      // htmx POST; a visitor holds one booking per schedule).
      const book = async (slot: Slot, name: string) => {
        const visitor = await story.newContext(ZONE);
        const response = await visitor.request.post(`${server.url}${paths.claimSlot(schedule.publicId, slot.id)}`, {
          form: { name, email: '' },
          headers: { origin: server.origin, 'hx-request': 'true' },
        });
        expect(response.status(), `booking for ${name}`).toBe(200);
      };
      await book(slotAt(nextWed, '10:00'), 'Ann');
      await book(slotAt(addDays(weeks[2]!, 0), '10:00'), 'Bo');

      const host = await story.open(ZONE, paths.admin(adminKey));
      await expect.poll(() => host.locator(`#${ids.liveStatus}`).textContent(), WAIT).toContain('Live');

      // This week (when it has slots left) and the next are open; the three after are collapsed.
      const openWeeks = await host.evaluate(() =>
        [...document.querySelectorAll('details.week')].map((d) => [d.id, (d as HTMLDetailsElement).open]),
      );
      const shownWeeks = weeks.filter((w) =>
        slots.some((s) => s.startsAt >= at(w, '00:00') && s.startsAt < at(addDays(w, 7), '00:00')),
      );
      expect(openWeeks).toEqual(shownWeeks.map((w) => [weekSectionId(w), w === weeks[0] || w === next]));
      expect(openWeeks.filter(([, open]) => open).length).toBeGreaterThanOrEqual(1);
      const nextSummary = host.locator(`#${weekSummaryId(next)}`);
      expect(await nextSummary.textContent()).toBe(`${weekLabel(next, ZONE, now)}: 19 open, 1 booked`);
      expect(
        await host
          .locator(`#${weekSectionId(weeks[3]!)} .day`)
          .first()
          .isVisible(),
      ).toBe(false);
      await expectNoAxeViolations(host, 'the dashboard by weeks');

      // Filter to bookings: the list shows Ann's and Bo's rows only; the address says so.
      await host.getByRole('link', { name: 'Booked', exact: true }).click();
      await host.waitForURL(/\?show=booked$/, WAIT);
      const rowIds = () =>
        host.evaluate((listId) => [...document.querySelectorAll(`#${listId} li`)].map((li) => li.id), ids.slotList);
      await expect
        .poll(rowIds, WAIT)
        .toEqual([slotId(slotAt(nextWed, '10:00').id), slotId(slotAt(weeks[2]!, '10:00').id)]);
      await expectFocusOnPage(host, 'the filter');
      expect(await host.getByRole('link', { name: 'Booked', exact: true }).getAttribute('aria-current')).toBe('page');
      await expect
        .poll(
          () => host.evaluate((id) => document.getElementById(id)?.getAttribute('ws-connect'), ids.liveSocket),
          WAIT,
        )
        .toBe(paths.adminLive(adminKey, 'booked'));

      // A booking while filtered: the booked view gains that row in its day (not every row of it),
      // and the week's summary line changes.
      await book(slotAt(nextThu, '10:00'), 'Cy');
      await expect
        .poll(rowIds, WAIT)
        .toEqual([
          slotId(slotAt(nextWed, '10:00').id),
          slotId(slotAt(nextThu, '10:00').id),
          slotId(slotAt(weeks[2]!, '10:00').id),
        ]);
      await expect.poll(() => nextSummary.textContent(), WAIT).toBe(`${weekLabel(next, ZONE, now)}: 18 open, 2 booked`);
      await expectFocusOnPage(host, 'a booking pushed to the filtered list');

      // Back to upcoming, by keyboard.
      await host.getByRole('link', { name: 'Upcoming', exact: true }).focus();
      await host.keyboard.press('Enter');
      await host.waitForURL((url) => url.search === '', WAIT);
      await expect.poll(() => rowIds().then((r) => r.length), WAIT).toBe(slots.length);
      await expectFocusOnPage(host, 'back to upcoming');

      // Delete Tuesday's open slots with the keyboard alone: Tab to the button, Enter, then confirm.
      const tuesday = describeDate(nextTue).dayLabel;
      const target = `Delete the day's open slots…, ${tuesday}`;
      let found = false;
      for (let i = 0; i < 300 && !found; i++) {
        await host.keyboard.press('Tab');
        found = await host.evaluate(
          (name) => document.activeElement?.textContent?.replace(/\s+/g, ' ').trim() === name,
          target,
        );
      }
      expect(found, `Tab reaches "${target}"`).toBe(true);
      await host.keyboard.press('Enter');
      const day = host.locator(`#day-${nextTue}-section`);
      const yes = day.getByRole('button', { name: 'Yes, delete them' });
      await expect.poll(() => yes.isVisible(), WAIT).toBe(true);
      expect(await day.locator('details.confirm p').textContent()).toBe(
        `Delete the 4 open slots of ${tuesday}? Booked slots stay.`,
      );
      await host.keyboard.press('Tab');
      expect(await focused(host)).toBe('button#');
      expect(await host.evaluate(() => document.activeElement?.textContent)).toBe('Yes, delete them');
      await host.keyboard.press('Enter');
      const status = host.locator(`#${ids.listStatus}`);
      await expect.poll(() => status.textContent(), WAIT).toBe(`Deleted 4 open slots of ${tuesday}; none were booked.`);
      await expect.poll(() => focused(host), WAIT).toBe(`p#${ids.listStatus}`);
      await expect.poll(() => host.locator(`#day-${nextTue}-section`).count(), WAIT).toBe(0);
      await expect.poll(() => nextSummary.textContent(), WAIT).toBe(`${weekLabel(next, ZONE, now)}: 14 open, 2 booked`);
      // The dashboard's own push came after its answer: the message, and focus on it, stay.
      await expect.poll(() => focused(host), WAIT).toBe(`p#${ids.listStatus}`);
      expect(await status.textContent()).toContain('Deleted 4 open slots');

      // The host is on Friday 10:00's Delete button when a visitor books that slot: the button goes,
      // focus lands on the slot's row, and the week's summary line follows.
      const friday = slotAt(nextFri, '10:00');
      await host.locator(`#${slotId(friday.id)} button`).focus();
      await expectFocusOnPage(host, 'on a Delete button');
      await book(friday, 'Di');
      await expect.poll(() => host.locator(`#${slotId(friday.id)}`).textContent(), WAIT).toContain('Booked by Di');
      await expect.poll(() => focused(host), WAIT).toBe(`li#${slotId(friday.id)}`);
      await expect.poll(() => nextSummary.textContent(), WAIT).toBe(`${weekLabel(next, ZONE, now)}: 13 open, 3 booked`);

      // Adding a slot keeps the form as typed and says what was added; focus stays on the button,
      // and the slot's new week comes in open.
      const form = host.locator(`#${ids.addSlot}`);
      const later = addDays(weeks[4]!, 8);
      await form.getByLabel('Date').fill(later);
      await form.getByLabel('Start time').fill('15:00');
      await form.getByLabel('End time').fill('15:30');
      await form.getByRole('button', { name: 'Add slot' }).focus();
      await host.keyboard.press('Enter');
      await expect
        .poll(() => form.getByRole('status').textContent(), WAIT)
        .toBe(`Added ${describeDate(later).shortDay} ${later.slice(0, 4)}, 15:00–15:30.`);
      await expect.poll(() => focused(host), WAIT).toBe(`button#${ids.addSlotSubmit}`);
      expect([await form.getByLabel('Date').inputValue(), await form.getByLabel('Start time').inputValue()]).toEqual([
        later,
        '15:00',
      ]);
      expect(await form.getByLabel('End time').inputValue()).toBe('15:30');
      const laterWeek = weekSectionId(addDays(weeks[4]!, 7));
      await expect
        .poll(
          () => host.evaluate((id) => (document.getElementById(id) as HTMLDetailsElement | null)?.open, laterWeek),
          WAIT,
        )
        .toBe(true);
      await expectNoAxeViolations(host, 'the dashboard after live changes');
    });
  },
);

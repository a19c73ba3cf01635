/**
 * Live pushes send only what a change touches: to dashboards the days it touched (replaced, inserted
 * after their neighbour, or deleted); to visitors' booking views the calendar cells of the touched
 * dates in the month they show, and the day they show when it changed. In real Chromium, with htmx
 * applying them: after each of the host's changes, every open page (the host's own, whose answer and
 * push both arrive, and visitors in zones a day apart) has converged, that is it shows exactly what
 * a freshly loaded page shows for the same view (the dashboard; the visitor's month and day, in their
 * zone), with no id twice.
 */
import type { Page } from 'playwright';
import { describe, expect, it } from 'vitest';
import { addDays, todayInZone } from '../../src/domain/time.ts';
import { ids } from '../../views/ids.ts';
import { chromiumPath, expectNoAxeViolations, SKIP_REASON } from '../helpers/browser.ts';
import { STORY_TIMEOUT_MS, WAIT } from '../helpers/patience.ts';
import { useBrowserStory } from '../helpers/story.ts';

/** The list as a person reads it: each day's heading (h3 for visitors, h4 inside a host's weeks) and its times, in order. */
function listOf(page: Page): Promise<string[]> {
  return page.evaluate((listId) => {
    const list = document.getElementById(listId);
    if (!list) return ['(no list)'];
    const days = [...list.querySelectorAll('section.day')].map(
      (day) =>
        `${day.querySelector('h3, h4')?.textContent}: ${[...day.querySelectorAll('li .slot-time')].map((t) => t.textContent).join(', ')}`,
    );
    return days.length ? days : [list.textContent?.trim() ?? ''];
  }, ids.slotList);
}

/**
 * A visitor's booking view as a person reads it: the month, "Next available", every date of the
 * calendar with what it says (open times or none), the day shown and its times with their states.
 */
function bookingViewOf(page: Page): Promise<string[]> {
  return page.evaluate(
    ({ viewId, nextId, monthId }) => {
      const view = document.getElementById(viewId);
      if (!view) return ['(no booking view)'];
      const text = (el: Element | null) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
      return [
        text(document.getElementById(monthId)),
        text(document.getElementById(nextId)),
        ...[...view.querySelectorAll('[data-date]')].map(
          (d) =>
            `${text(d)}${d.tagName === 'A' ? ' (link)' : ''}${d.closest('[aria-selected="true"]') ? ' (chosen)' : ''}`,
        ),
        text(view.querySelector('.day-times h2')),
        ...[...view.querySelectorAll('.day-times li')].map((li) => text(li)),
      ];
    },
    { viewId: ids.bookingView, nextId: ids.nextAvailable, monthId: ids.monthHeading },
  );
}

/** The page a visitor's open view would be if loaded now: the scheduling page on its day (or month). */
function viewUrlOf(page: Page, path: string): Promise<string> {
  return page.evaluate(
    ({ viewId, path }) => {
      const live = document.getElementById(viewId)?.getAttribute('ws-connect') ?? '';
      const query = live.includes('?') ? live.slice(live.indexOf('?')) : '';
      return `${path}${query}`;
    },
    { viewId: ids.bookingView, path },
  );
}

/** Ids that appear more than once on the page. */
function duplicateIds(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const seen = new Set<string>();
    const twice = new Set<string>();
    for (const el of document.querySelectorAll('[id]')) (seen.has(el.id) ? twice : seen).add(el.id);
    return [...twice];
  });
}

describe.skipIf(!chromiumPath)(
  `day-by-day live pushes in Chromium${chromiumPath ? '' : ` (${SKIP_REASON})`}`,
  { timeout: STORY_TIMEOUT_MS },
  () => {
    // Holding the feed lets the host's own answer land before the push that follows it.
    let held: Promise<void> | null = null;
    let release = () => {};
    const story = useBrowserStory({ probe: { beforeRead: () => held ?? Promise.resolve() } });

    it('keeps every open page equal to a fresh one through inserts, additions and deletions of days', async () => {
      const host = await story.open('America/New_York', '/');
      await host.getByLabel('Title (optional)').fill('Drop-in hours');
      await host.getByRole('button', { name: 'Create a schedule' }).click();
      await host.waitForURL(/\/admin\/[a-z2-7]{32}$/);
      const shareUrl = await host.getByLabel('Scheduling page link').inputValue();
      await expect.poll(() => host.locator(`#${ids.liveStatus}`).textContent(), WAIT).toContain('Live');

      const base = addDays(todayInZone('America/New_York', new Date()), 10);
      const day = (n: number) => addDays(base, n);
      async function add(date: string, start: string, end: string) {
        const before = await host.locator(`#${ids.addSlot} [role=status]`).count();
        const form = host.locator(`#${ids.addSlot}`);
        await form.getByLabel('Date').fill(date);
        await form.getByLabel('Start time').fill(start);
        await form.getByLabel('End time').fill(end);
        await form.getByLabel('Split into').selectOption('0');
        await host.getByRole('button', { name: 'Add slot' }).click();
        await expect
          .poll(
            async () =>
              (await host.locator(`#${ids.addSlot} [role=status]`).count()) >= before &&
              (await host.locator(`#${ids.addSlot} [role=status]`).textContent())?.includes('Added'),
            WAIT,
          )
          .toBe(true);
      }
      // Two days to start from: day 0 and day 2, a morning and an evening (in Tokyo the evening is
      // the next day's morning, in Los Angeles the morning is the same day's small hours).
      await add(day(0), '09:00', '09:30');
      await add(day(0), '21:00', '21:30');
      await add(day(2), '09:00', '09:30');

      const tokyo = await story.open('Asia/Tokyo', shareUrl);
      const losAngeles = await story.open('America/Los_Angeles', shareUrl);
      const pages = [
        { page: host, zone: 'America/New_York', url: new URL(host.url()).pathname, read: listOf },
        { page: tokyo, zone: 'Asia/Tokyo', url: new URL(shareUrl).pathname, read: bookingViewOf },
        { page: losAngeles, zone: 'America/Los_Angeles', url: new URL(shareUrl).pathname, read: bookingViewOf },
      ];
      for (const { page } of pages)
        await expect.poll(() => page.locator(`#${ids.liveStatus}`).textContent(), WAIT).toContain('Live');

      async function expectAllLikeFresh(step: string) {
        for (const { page, zone, url, read } of pages) {
          const fresh = await story.open(zone, read === listOf ? url : await viewUrlOf(page, url));
          await expect.poll(() => read(fresh).then((l) => l.some((d) => d.includes('Loading'))), WAIT).toBe(false);
          await expect.poll(() => fresh.locator(`#${ids.liveStatus}`).textContent(), WAIT).toContain('Live');
          const expected = await read(fresh);
          await fresh.context().close();
          await expect.poll(() => read(page), { ...WAIT, message: `${step}: the page in ${zone}` }).toEqual(expected);
          expect(await duplicateIds(page), `${step}: ids twice in ${zone}`).toEqual([]);
        }
      }
      await expectAllLikeFresh('at the start');

      await add(day(1), '12:00', '12:30'); // a new day between two
      await expectAllLikeFresh('a day inserted between two');
      await add(day(-1), '10:00', '10:30'); // a new first day
      await expectAllLikeFresh('a new first day');
      await add(day(2), '07:00', '07:30'); // into an existing day, before its slot
      await expectAllLikeFresh('a slot added to a day');
      await add(day(5), '23:00', '23:30'); // a new last day (the next day in Tokyo)
      await expectAllLikeFresh('a new last day');

      // The host's answer (the new day, or its new week) first, then the push inserting the same: the
      // page replaces what it already has rather than showing it twice.
      held = new Promise((resolve) => (release = resolve));
      await add(day(3), '15:00', '15:30');
      held = null;
      release();
      await expectAllLikeFresh('the answer before the push');

      // Deleting the only slot of a day removes the day; with the keyboard, as a host might.
      const only = host.getByRole('button', { name: /^Delete .*12:00–12:30$/ });
      await only.focus();
      await host.keyboard.press('Enter');
      await expectAllLikeFresh('the only slot of a day deleted');
      await host.getByRole('button', { name: /^Delete .*07:00–07:30$/ }).click();
      await expectAllLikeFresh('one of two slots of a day deleted');

      await expectNoAxeViolations(tokyo, 'the scheduling page after live day changes');
      await expectNoAxeViolations(host, 'the dashboard after live day changes');
    });
  },
);

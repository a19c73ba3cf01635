/**
 * A page whose socket is refused for being over the per-address cap, in real Chromium: it says
 * "Reconnecting…" rather than going silently stale, waits longer between each try (app.js counts
 * the sockets closed right after opening), and becomes live with the full state once a place frees.
 * The waits are checked in the page: each gap between tries is at least the wait app.js chose.
 */
import type { BrowserContext, Page } from 'playwright';
import { describe, expect, it } from 'vitest';
import { findScheduleByAdminKey } from '../../src/domain/schedules.ts';
import { ids } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { chromiumPath, SKIP_REASON } from '../helpers/browser.ts';
import { STORY_TIMEOUT_MS, WAIT, WAIT_MS } from '../helpers/patience.ts';
import { makeSlots } from '../helpers/fixtures.ts';
import { adminKeyOf, post } from '../helpers/http.ts';
import { useBrowserStory } from '../helpers/story.ts';

describe.skipIf(!chromiumPath)(
  `live sockets over the per-address cap in Chromium${chromiumPath ? '' : ` (${SKIP_REASON})`}`,
  { timeout: STORY_TIMEOUT_MS },
  () => {
    const story = useBrowserStory({ config: { wsMaxSocketsPerAddress: 1 } });

    async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
      const context = await story.newContext();
      await context.addInitScript(() => {
        // The reconnect waits are random (0 to the cap); the middle of each range makes them exact.
        Math.random = () => 0.5;
        // When the page opened each socket, by the page's own clock.
        const opened: number[] = [];
        (window as unknown as { socketsOpenedAt: number[] }).socketsOpenedAt = opened;
        const Native = window.WebSocket;
        window.WebSocket = class extends Native {
          constructor(...args: ConstructorParameters<typeof WebSocket>) {
            opened.push(performance.now());
            super(...args);
          }
        };
      });
      return { context, page: await story.newPage(context) };
    }

    const statusOf = (page: Page) => page.locator(`#${ids.liveStatus}`).textContent();
    const socketsOpenedAt = (page: Page) =>
      page.evaluate(() => (window as unknown as { socketsOpenedAt: number[] }).socketsOpenedAt);

    it('says Reconnecting…, backs off between tries, and heals once a place is free', async () => {
      const created = await post(story.t.app, paths.createSchedule(), {
        title: 'Office hours',
        hostName: 'Mary',
        timeZone: 'America/New_York',
      });
      const schedule = (await findScheduleByAdminKey(story.database.db, adminKeyOf(created.headers.get('location')!)))!;
      await makeSlots(story.database.db, schedule.id, new Date('2030-03-12T14:00:00Z'), 3);

      const first = await newPage();
      await first.page.goto(paths.schedule(schedule.publicId));
      await expect.poll(() => statusOf(first.page), WAIT).toContain('Live');

      const second = await newPage();
      await second.page.goto(paths.schedule(schedule.publicId));
      await expect.poll(() => statusOf(second.page), WAIT).toContain('Reconnecting');
      // Refused sockets open and close at once; htmx-ext-ws alone would try again every 0.5 s here.
      // With the waits growing, the gaps between tries are at least 1 s, 2 s and 4 s. (A slow day
      // only lengthens a gap, so these lower bounds cannot fail for being slow.)
      await expect
        .poll(async () => (await socketsOpenedAt(second.page)).length, { timeout: 3 * WAIT_MS })
        .toBeGreaterThanOrEqual(4);
      const opened = await socketsOpenedAt(second.page);
      const gaps = opened.slice(1, 4).map((at, i) => Math.round(at - opened[i]!));
      const TIMER_SLACK_MS = 20;
      expect(gaps[0], `gaps between tries: ${gaps.join(', ')} ms`).toBeGreaterThanOrEqual(1000 - TIMER_SLACK_MS);
      expect(gaps[1], `gaps between tries: ${gaps.join(', ')} ms`).toBeGreaterThanOrEqual(2000 - TIMER_SLACK_MS);
      expect(gaps[2], `gaps between tries: ${gaps.join(', ')} ms`).toBeGreaterThanOrEqual(4000 - TIMER_SLACK_MS);
      expect(await statusOf(second.page)).toContain('Reconnecting');

      // The next try comes after 8 s.
      await first.context.close();
      await expect.poll(() => statusOf(second.page), { timeout: 3 * WAIT_MS }).toContain('Live');
      expect(await second.page.locator(`#${ids.slotList} li`).count()).toBe(3);
      expect(story.t.live.sockets.openFrom('127.0.0.1')).toBe(1);
    });
  },
);

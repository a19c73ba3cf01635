/**
 * A page whose socket is refused for being over the per-address cap, in real Chromium: it says
 * "Reconnecting…" rather than going silently stale, waits longer between each try (app.js counts
 * the sockets closed right after opening), and becomes live with the full state once a place frees.
 */
import type { BrowserContext, Page } from 'playwright';
import { describe, expect, it } from 'vitest';
import { findScheduleByAdminKey } from '../../src/domain/schedules.ts';
import { ids } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { chromiumPath, SKIP_REASON } from '../helpers/browser.ts';
import { makeSlots } from '../helpers/fixtures.ts';
import { adminKeyOf, post } from '../helpers/http.ts';
import { useBrowserStory } from '../helpers/story.ts';

describe.skipIf(!chromiumPath)(`live sockets over the per-address cap in Chromium${chromiumPath ? '' : ` (${SKIP_REASON})`}`, () => {
  const story = useBrowserStory({ config: { wsMaxSocketsPerAddress: 1 } });

  async function newPage(): Promise<{ context: BrowserContext; page: Page; sockets: number[] }> {
    const context = await story.newContext();
    // The reconnect waits are random (0 to the cap); the middle of each range makes them exact.
    await context.addInitScript(() => {
      Math.random = () => 0.5;
    });
    const page = await story.newPage(context);
    const sockets: number[] = [];
    page.on('websocket', () => sockets.push(performance.now()));
    return { context, page, sockets };
  }

  const statusOf = (page: Page) => page.locator(`#${ids.liveStatus}`).textContent();

  it('says Reconnecting…, backs off between tries, and heals once a place is free', async () => {
    const created = await post(story.t.app, paths.createSchedule(), { title: 'Office hours', hostName: 'Mary', timeZone: 'America/New_York' });
    const schedule = (await findScheduleByAdminKey(story.database.db, adminKeyOf(created.headers.get('location')!)))!;
    await makeSlots(story.database.db, schedule.id, new Date('2030-03-12T14:00:00Z'), 3);

    const first = await newPage();
    await first.page.goto(paths.schedule(schedule.publicId));
    await expect.poll(() => statusOf(first.page), { timeout: 5000 }).toContain('Live');

    const second = await newPage();
    await second.page.goto(paths.schedule(schedule.publicId));
    await expect.poll(() => statusOf(second.page), { timeout: 5000 }).toContain('Reconnecting');
    const watchedFrom = second.sockets[0]!;
    await new Promise((r) => setTimeout(r, 4500));
    // Refused sockets open and close at once; htmx-ext-ws alone would try every 0.5 s here (9 tries).
    // With the waits growing (1 s, 2 s, 4 s…) it is 3.
    const tries = second.sockets.filter((at) => at - watchedFrom < 4500).length;
    expect(tries).toBeGreaterThanOrEqual(2);
    expect(tries).toBeLessThanOrEqual(4);
    expect(await statusOf(second.page)).toContain('Reconnecting');

    await first.context.close();
    await expect.poll(() => statusOf(second.page), { timeout: 15_000 }).toContain('Live');
    expect(await second.page.locator(`#${ids.slotList} li`).count()).toBe(3);
    expect(story.t.live.sockets.openFrom('127.0.0.1')).toBe(1);
  }, 40_000);
});

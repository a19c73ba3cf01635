/**
 * A restart as the people on the pages see it, in headless Chromium: a host's dashboard and a
 * visitor's scheduling page are open when the app process gets SIGTERM; both say "Reconnecting…";
 * the app comes back on the same port and data; both pages say "Live" again, by themselves, and
 * show bookings made after the restart without a reload: one made before they had reconnected
 * (it arrives with the full state sent on connect) and one made after (a live push).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ids } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { chromiumPath, launchBrowser, newPersonContext, SKIP_REASON } from '../helpers/browser.ts';
import { APP_START_MS, SETUP_TIMEOUT_MS, STORY_TIMEOUT_MS, WAIT } from '../helpers/patience.ts';
import { type AppProcess, startAppProcess } from '../helpers/process.ts';
import {
  addDayOfSlots,
  claimAsNewVisitor,
  createRemoteSchedule,
  daysAhead,
  type RemoteSchedule,
  slotIdsOf,
} from '../helpers/remote.ts';

/**
 * The pages reconnect on their own, backing off (up to 1 s, 2 s, 4 s… at random) while the app is
 * down: on a slow day that is the app's restart plus a wait of up to twice as long again.
 */
const RECONNECT_MS = 2 * APP_START_MS;

describe.skipIf(!chromiumPath)(
  `pages through a server restart in Chromium${chromiumPath ? '' : ` (${SKIP_REASON})`}`,
  { timeout: STORY_TIMEOUT_MS },
  () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ipt-restart-'));
    let app: AppProcess;
    let browser: Browser;

    beforeAll(async () => {
      app = await startAppProcess({ DATA_DIR: dataDir });
      browser = await launchBrowser();
    }, SETUP_TIMEOUT_MS);
    afterAll(async () => {
      await browser?.close();
      await app?.stop('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    });

    async function open(path: string): Promise<Page> {
      const context = await newPersonContext(browser, { timezoneId: 'UTC', baseURL: app.url });
      const page = await context.newPage();
      page.on('pageerror', (error) => {
        throw error;
      });
      await page.goto(path);
      await expect.poll(() => page.locator(`#${ids.liveStatus}`).textContent(), WAIT).toContain('Live');
      return page;
    }

    const statusOf = (page: Page) => page.locator(`#${ids.liveStatus}`).textContent();
    const slotButton = (page: Page, slotId: string) => page.locator(`#slot-${slotId} button`).first();

    it('says “Reconnecting…”, comes back by itself and shows bookings made after the restart', async () => {
      const schedule: RemoteSchedule = await createRemoteSchedule(app, 'Restart story');
      await addDayOfSlots(app, schedule, daysAhead(12));
      const [first, second] = await slotIdsOf(app, schedule);
      const host = await open(paths.admin(schedule.adminKey));
      const visitor = await open(paths.schedule(schedule.publicId));
      await expect.poll(() => slotButton(visitor, first!).isEnabled(), WAIT).toBe(true);

      const { port } = new URL(app.url);
      expect(await app.stop('SIGTERM')).toBe(0);
      for (const page of [host, visitor]) await expect.poll(() => statusOf(page), WAIT).toContain('Reconnecting');

      app = await startAppProcess({ DATA_DIR: dataDir }, { port: Number(port) });
      // Booked at once, most likely before the pages have reconnected (they back off).
      expect((await claimAsNewVisitor(app, schedule, first!, 'Booked while reconnecting')).status).toBe(200);
      console.log(
        `restart story: status of the pages when the first booking after the restart was made: ${await statusOf(host)} / ${await statusOf(visitor)}`,
      );
      for (const page of [host, visitor])
        await expect.poll(() => statusOf(page), { timeout: RECONNECT_MS }).toContain('Live');
      await expect
        .poll(() => host.locator(`#${ids.slotList}`).textContent(), WAIT)
        .toContain('Booked by Booked while reconnecting');
      await expect.poll(() => slotButton(visitor, first!).isDisabled(), WAIT).toBe(true);

      // Once live again, a booking arrives as a push.
      expect((await claimAsNewVisitor(app, schedule, second!, 'Booked after reconnecting')).status).toBe(200);
      await expect
        .poll(() => host.locator(`#${ids.slotList}`).textContent(), WAIT)
        .toContain('Booked by Booked after reconnecting');
      await expect.poll(() => slotButton(visitor, second!).isDisabled(), WAIT).toBe(true);
      await expect.poll(() => host.locator(`#${ids.bookingSummary}`).textContent(), WAIT).toBe('2 of 95 slots booked');
    });
  },
);

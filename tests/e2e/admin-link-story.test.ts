/**
 * The host replaces the dashboard link in real headless Chromium: the tab that did it lands on the
 * new link (which says so), another tab still open on the old link is told at once that it no
 * longer works and stays closed, and a visitor's page carries on live.
 */
import type { BrowserContext, Page } from 'playwright';
import { describe, expect, it } from 'vitest';
import { ids } from '../../views/ids.ts';
import { chromiumPath, expectNoAxeViolations, SKIP_REASON } from '../helpers/browser.ts';
import { STORY_TIMEOUT_MS, WAIT } from '../helpers/patience.ts';
import { useBrowserStory } from '../helpers/story.ts';

describe.skipIf(!chromiumPath)(
  `replacing the dashboard link in Chromium${chromiumPath ? '' : ` (${SKIP_REASON})`}`,
  { timeout: STORY_TIMEOUT_MS },
  () => {
    const story = useBrowserStory();
    const newContext = () => story.newContext();

    async function open(context: BrowserContext, url: string): Promise<Page> {
      const page = await story.newPage(context);
      await page.goto(url);
      return page;
    }

    it('moves this tab to the new link, tells the old tab at once, and leaves visitors live', async () => {
      const hostContext = await newContext();
      const host = await open(hostContext, '/');
      await host.getByLabel('Title (optional)').fill('Office hours');
      await host.getByRole('button', { name: 'Create a schedule' }).click();
      await host.waitForURL(/\/admin\/[a-z2-7]{32}$/);
      const oldUrl = host.url();
      const shareUrl = await host.getByLabel('Scheduling page link').inputValue();

      // The same dashboard open in a second tab (or on another device), and a visitor's page.
      const oldTab = await open(hostContext, oldUrl);
      const visitor = await open(await newContext(), shareUrl);
      for (const page of [host, oldTab, visitor]) {
        await expect.poll(() => page.locator(`#${ids.liveStatus}`).textContent(), WAIT).toContain('Live');
      }

      const section = host.locator(`#${ids.dashboardLink}`);
      expect(await section.textContent()).toContain('The current link stops working at once');
      await section.getByRole('button', { name: 'Replace the dashboard link' }).click();
      await host.waitForURL((url) => /\/admin\/[a-z2-7]{32}$/.test(url.pathname) && url.toString() !== oldUrl, WAIT);
      await expect
        .poll(() => host.getByRole('status').filter({ hasText: 'Your dashboard has a new link' }).count(), WAIT)
        .toBe(1);
      expect(await host.textContent('main')).toContain('Bookmark this page now');
      await expect.poll(() => host.locator(`#${ids.liveStatus}`).textContent(), WAIT).toContain('Live');
      await expectNoAxeViolations(host, 'the dashboard on its new link');

      // The old tab is told, without a reload, and does not try to reconnect.
      await expect
        .poll(() => oldTab.getByRole('alert').textContent(), WAIT)
        .toContain('This dashboard link was replaced');
      expect(await oldTab.textContent('main')).toContain('It no longer works');
      expect(await oldTab.locator(`#${ids.slotList}`).count()).toBe(0);
      await expect.poll(() => oldTab.locator(`#${ids.liveStatus}`).textContent(), WAIT).toBe('Not live');
      await oldTab.waitForTimeout(1500); // htmx-ext-ws would have retried within this after 1006/1012
      expect(await oldTab.locator(`#${ids.liveStatus}`).textContent()).toBe('Not live');
      await expectNoAxeViolations(oldTab, 'a dashboard tab on the replaced link');

      // Reloading the old link finds nothing; the visitor's page is still live.
      const reloaded = await oldTab.reload();
      expect(reloaded?.status()).toBe(404);
      expect(await visitor.locator(`#${ids.liveStatus}`).textContent()).toContain('Live');
    });
  },
);

/**
 * The rooms grid at a set moment, in real headless Chromium with the sample rooms (New York, open
 * Mon–Fri 09–17 and so on): the server's clock and each browser's clock are set to Tuesday 16 March
 * 2027, 21:15 in New York, which is already Wednesday 01:15 in London. Marissa (New York) opens Rooms
 * and lands on her own Tuesday, its hours past and the rooms closed for the evening; Lee (London)
 * lands on his Wednesday with Aspen's 09:00 New York opening in his 13:00 column; on a phone, a tap
 * opens a cell's panel. Axe is clean on each grid, past hours included.
 */
import type { Page } from 'playwright';
import { describe, expect, it } from 'vitest';
import { loadSeeds } from '../../src/domain/seed.ts';
import { ids } from '../../views/ids.ts';
import { createClock } from '../helpers/app.ts';
import { chromiumPath, expectNoAxeViolations, SKIP_REASON } from '../helpers/browser.ts';
import { STORY_TIMEOUT_MS, WAIT } from '../helpers/patience.ts';
import { useBrowserStory } from '../helpers/story.ts';

/** Tuesday 16 March 2027, 21:15 in New York (EDT, UTC−4); 01:15 on Wednesday in London (GMT). */
const NOW = new Date('2027-03-17T01:15:00Z');

describe.skipIf(!chromiumPath)(
  `the rooms grid at a set moment in Chromium${chromiumPath ? '' : ` (${SKIP_REASON})`}`,
  { timeout: STORY_TIMEOUT_MS },
  () => {
    const story = useBrowserStory({ seed: loadSeeds, clock: createClock(NOW) });

    async function logIn(username: string, password: string, timezoneId: string, phone = false): Promise<Page> {
      const context = await story.newContext(
        timezoneId,
        'en-GB',
        phone ? { viewport: { width: 375, height: 800 }, isMobile: true, hasTouch: true } : {},
      );
      const page = await story.newPage(context);
      await page.clock.setFixedTime(NOW);
      await page.goto(`/login?next=${encodeURIComponent('/rooms')}`);
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL((url) => url.pathname === '/rooms');
      await expect.poll(() => page.locator(`#${ids.liveStatus}`).textContent(), WAIT).toContain('Live');
      return page;
    }

    const cell = (page: Page, room: string, time: string) =>
      page
        .locator('tr', { has: page.getByRole('link', { name: room, exact: true }) })
        .locator('button[data-cell]', { has: page.locator('.cell-time', { hasText: new RegExp(`^${time}$`) }) });

    it('opens on each reader’s own date and hours, with the evening closed in New York', async () => {
      const marissa = await logIn('marissa', 'coffee-time-1', 'America/New_York');
      expect(await marissa.locator('.page-lede').textContent()).toMatch(/^Tuesday 16 March 2027 \(today\)\./);
      // Aspen (Mon–Fri 09–17 New York): its day is past; after 17:00 it is closed.
      expect(await cell(marissa, 'Aspen', '10:00').getAttribute('aria-label')).toBe(
        'Aspen, Tue 16 Mar, 10:00–11:00, past',
      );
      expect(await cell(marissa, 'Aspen', '18:00').getAttribute('aria-label')).toMatch(/, (closed|past)$/);
      expect(await cell(marissa, 'Aspen', '18:00').getAttribute('aria-label')).not.toMatch(/, open$/);
      await expectNoAxeViolations(marissa, 'the grid in New York at 21:15, past hours included');

      const lee = await logIn('lee', 'quiet-room-4', 'Europe/London');
      expect(await lee.locator('.page-lede').textContent()).toMatch(/^Wednesday 17 March 2027 \(today\)\./);
      // New York's 09:00 is 13:00 in London until the clocks change there: Lee's 13:00 column, open,
      // with the room's own clock beside it.
      const aspen = cell(lee, 'Aspen', '13:00');
      expect(await aspen.getAttribute('aria-label')).toBe('Aspen, Wed 17 Mar, 13:00–14:00, open');
      expect(await aspen.textContent()).toContain('09:00 room time');
      expect(await cell(lee, 'Aspen', '12:00').getAttribute('aria-label')).toMatch(/, closed$/);
      await expectNoAxeViolations(lee, 'the grid in London at 01:15');

      // On a phone in London, a tap on that hour opens its panel.
      const phone = await logIn('lee', 'quiet-room-4', 'Europe/London', true);
      await cell(phone, 'Aspen', '13:00').tap();
      await expect.poll(() => phone.locator(`#${ids.cellPanel}`).textContent(), WAIT).toMatch(/Book for myself/);
      expect(await cell(phone, 'Aspen', '13:00').getAttribute('aria-current')).toBe('true');
      await expectNoAxeViolations(phone, 'the grid on a phone with a panel open');
    });
  },
);

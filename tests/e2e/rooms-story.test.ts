/**
 * The rooms story in real headless Chromium, with the sample users: Marissa (New York) adds a room,
 * sets its hours and invites Tan (Denver); Tan's pop-up appears without a reload and he accepts
 * with the keyboard; Marissa's pop-up brings the answer; Lee (London), watching the grid, sees the
 * cell go pending, then booked. Then the grid by keyboard alone, read in two zones at once, at
 * 1280 px and on a phone.
 */
import type { Page } from 'playwright';
import { describe, expect, it } from 'vitest';
import { loadSeeds } from '../../src/domain/seed.ts';
import { addDays, todayInZone } from '../../src/domain/time.ts';
import { ids } from '../../views/ids.ts';
import { chromiumPath, expectNoAxeViolations, SKIP_REASON } from '../helpers/browser.ts';
import { STORY_TIMEOUT_MS, WAIT } from '../helpers/patience.ts';
import { useBrowserStory } from '../helpers/story.ts';

describe.skipIf(!chromiumPath)(
  `rooms and invites in Chromium${chromiumPath ? '' : ` (${SKIP_REASON})`}`,
  { timeout: STORY_TIMEOUT_MS },
  () => {
    const story = useBrowserStory({ seed: loadSeeds });

    async function logIn(
      username: string,
      password: string,
      timezoneId: string,
      then: string,
      viewport = { width: 1280, height: 800 },
    ): Promise<Page> {
      const page = await story.newPage(await story.newContext(timezoneId, undefined, { viewport }));
      await page.goto(`/login?next=${encodeURIComponent(then)}`);
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL((url) => url.pathname + url.search === then);
      await expect.poll(() => page.locator(`#${ids.liveStatus}`).textContent(), WAIT).toContain('Live');
      return page;
    }

    it('runs the whole invite round trip live', async () => {
      const date = addDays(todayInZone('America/New_York', new Date()), 7);

      // Tan waits on his inbox; Lee watches the grid of the date.
      const tan = await logIn('tan', 'lunch-plans-3', 'America/Denver', '/invites');
      const lee = await logIn('lee', 'quiet-room-4', 'Europe/London', `/rooms?date=${date}`);

      // Marissa logs in (the login page is checked with axe first), adds a room and sets its hours.
      const context = await story.newContext('America/New_York');
      const loginPage = await context.newPage();
      await loginPage.goto('/login');
      await expectNoAxeViolations(loginPage, 'the login page');
      await loginPage.close();
      const marissa = await logIn('marissa', 'coffee-time-1', 'America/New_York', '/rooms/new');
      await marissa.getByLabel('Name').fill('Fir');
      await marissa.getByLabel('Description (optional)').fill('Six seats, a whiteboard');
      await marissa.getByRole('button', { name: 'Add room' }).click();
      await marissa.waitForURL(/\/rooms\/[0-9a-f-]{36}$/);
      for (const day of ['Saturday', 'Sunday']) {
        await marissa.getByLabel(`Open on ${day}`).check();
        await marissa.getByLabel(`${day} opens at`).selectOption('9');
        await marissa.getByLabel(`${day} closes at`).selectOption('17');
      }
      await marissa.getByRole('button', { name: 'Save weekly hours' }).click();
      await expect.poll(() => marissa.getByText('Weekly hours saved.').count(), WAIT).toBe(1);

      // Lee's grid shows the new room without a reload, in London's hours: New York's 10:00 is
      // labelled with the room's own clock.
      const leeCell = lee
        .locator('tr', { has: lee.getByRole('link', { name: 'Fir', exact: true }) })
        .locator('button[data-cell]', { hasText: '10:00 room time' });
      await expect
        .poll(async () => (await leeCell.count()) > 0 && (await leeCell.getAttribute('aria-label')), WAIT)
        .toMatch(/, open$/);
      await expectNoAxeViolations(lee, 'the grid');

      // Marissa invites Tan into Fir at 10:00.
      await marissa.goto(`/rooms?date=${date}`);
      await marissa.getByRole('button', { name: /^Fir, .*, 10:00–11:00, open$/ }).click();
      await marissa.getByLabel('Invite', { exact: true }).selectOption({ label: 'Tan Nguyen (@tan)' });
      await marissa.getByLabel('Note (optional)').fill('Planning the spring workshop');
      await marissa.getByRole('button', { name: 'Review' }).click();
      await expect.poll(() => marissa.locator(`#${ids.cellPanel}`).textContent(), WAIT).toContain('For Tan Nguyen');
      const sent = Date.now();
      await marissa.getByRole('button', { name: 'Send invite' }).click();

      // Tan's pop-up opens by itself, focus inside, in his zone.
      const dialog = tan.locator('dialog[open]');
      await expect.poll(() => dialog.count(), WAIT).toBe(1);
      console.log(`invite sent → invitee's pop-up open in the other browser: ${Date.now() - sent} ms`);
      expect(await dialog.textContent()).toContain('Marissa Lopez (@marissa) invites you to a meeting');
      expect(await dialog.textContent()).toContain('08:00–09:00 (America/Denver)');
      expect(await dialog.textContent()).toContain('Planning the spring workshop');
      expect(await tan.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
      await expectNoAxeViolations(tan, 'the inbox with the invite pop-up open');

      // Lee sees the cell pending.
      await expect.poll(() => leeCell.getAttribute('aria-label'), WAIT).toMatch(/, pending$/);

      // Tan accepts with the keyboard (Accept has the focus), then closes the answer the same way.
      const accepted = Date.now();
      await tan.keyboard.press('Enter');
      await expect.poll(() => tan.locator('dialog[open]').textContent(), WAIT).toContain('You accepted');
      await tan.keyboard.press('Enter');
      await expect.poll(() => tan.locator('dialog[open]').count(), WAIT).toBe(0);

      // Marissa's pop-up brings the answer; Lee sees the cell booked.
      const answer = marissa.locator('dialog[open]');
      await expect
        .poll(async () => ((await answer.count()) ? answer.textContent() : ''), WAIT)
        .toContain('Tan Nguyen (@tan) accepted your invite');
      console.log(`accepted → inviter's pop-up open in the other browser: ${Date.now() - accepted} ms`);
      await expect.poll(() => leeCell.getAttribute('aria-label'), WAIT).toMatch(/, booked$/);
      expect(await leeCell.textContent()).toContain('Marissa Lopez & Tan Nguyen');
      // Escape dismisses an answer for good (as OK does): it does not come back on the next page.
      await marissa.keyboard.press('Escape');
      await expect.poll(() => marissa.locator('dialog[open]').count(), WAIT).toBe(0);
      await expect
        .poll(async () => {
          await marissa.reload();
          return marissa.locator('dialog[data-popup="notice"]').count();
        }, WAIT)
        .toBe(0);

      // Her agenda (My meetings) lists the meeting with Tan, in New York time.
      await marissa.goto('/meetings');
      const agenda = marissa.locator(`#${ids.agendaList}`);
      await expect.poll(() => agenda.textContent(), WAIT).toContain('To Tan Nguyen (@tan)');
      expect(await agenda.textContent()).toContain('Fir, ');
      expect(await agenda.textContent()).toContain('10:00–11:00 (America/New_York)');
      expect(await agenda.textContent()).toContain('Accepted: meeting booked');
      await expectNoAxeViolations(marissa, 'My meetings');

      // She books Fir at 11:00 for herself: at once, no invitee; Lee's grid follows; her agenda lists it.
      await marissa.goto(`/rooms?date=${date}`);
      await marissa.getByRole('button', { name: /^Fir, .*, 11:00–12:00, open$/ }).click();
      await marissa.getByRole('button', { name: 'Book for myself' }).click();
      await expect
        .poll(() => marissa.locator(`#${ids.cellPanel}`).textContent(), WAIT)
        .toContain('Booked for yourself');
      const leeEleven = lee
        .locator('tr', { has: lee.getByRole('link', { name: 'Fir', exact: true }) })
        .locator('button[data-cell]', { hasText: '11:00 room time' });
      await expect.poll(() => leeEleven.getAttribute('aria-label'), WAIT).toMatch(/, booked$/);
      await marissa.goto('/meetings');
      await expect.poll(() => agenda.textContent(), WAIT).toContain('Booked for yourself');
      expect(await marissa.locator(`#${ids.agendaList} li.invite`).count()).toBe(2);

      // Tan's inbox shows the meeting with calendar links.
      await expect
        .poll(() => tan.locator(`#${ids.inboxResults}`).textContent(), WAIT)
        .toContain('Accepted: meeting booked');
      expect(await tan.getByRole('link', { name: /Add to Google Calendar/ }).count()).toBeGreaterThan(0);
      await expectNoAxeViolations(tan, 'the inbox');
    });

    it('books by keyboard alone; New York and Denver see the booking at their own hours; fits 1280 px and a phone', async () => {
      const date = addDays(todayInZone('America/New_York', new Date()), 8);
      const tan = await logIn('tan', 'lunch-plans-3', 'America/Denver', `/rooms?date=${date}`);
      const marissa = await logIn('marissa', 'coffee-time-1', 'America/New_York', `/rooms?date=${date}`);

      // A working day fits at 1280 px: every hour column is on screen, no cell's words are cut off.
      const fit = await marissa.evaluate(() => {
        const headers = [...document.querySelectorAll('.room-grid thead th')].slice(1);
        const cells = [...document.querySelectorAll<HTMLElement>('[data-cell]')];
        return {
          columns: headers.length,
          onScreen: headers.filter((th) => th.getBoundingClientRect().right <= window.innerWidth).length,
          clipped: cells.filter((c) => c.scrollWidth > c.clientWidth + 1 || c.scrollHeight > c.clientHeight + 1).length,
          pageScrolls: document.documentElement.scrollWidth > window.innerWidth,
        };
      });
      console.log(`1280 px: ${fit.onScreen} of ${fit.columns} hour columns on screen, ${fit.clipped} cells clipped`);
      expect(fit).toEqual({ columns: 13, onScreen: 13, clipped: 0, pageScrolls: false });

      // One tab stop into the grid: from the last control before it, Tab lands on a cell.
      await marissa.locator('.hour-nav a').last().focus();
      await marissa.keyboard.press('Tab');
      const focused = () =>
        marissa.evaluate(() => ({
          id: document.activeElement?.id ?? '',
          label: document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '',
          current: document.activeElement?.getAttribute('aria-current') ?? null,
        }));
      expect((await focused()).id).toMatch(/^cell-/);
      const tabStops = await marissa.locator('[data-grid] [tabindex="0"]').count();
      expect(tabStops).toBe(1);
      // Arrows to Cedar's row, Home to its name, then right to 15:00.
      for (let i = 0; i < 8 && !(await focused()).label.startsWith('Cedar,'); i++) {
        await marissa.keyboard.press(i < 4 ? 'ArrowDown' : 'ArrowUp');
      }
      await marissa.keyboard.press('Home');
      expect((await focused()).label).toBe('Cedar');
      for (let i = 0; i < 13 && !/ 15:00–16:00, /.test((await focused()).label); i++) {
        await marissa.keyboard.press('ArrowRight');
      }
      const chosen = await focused();
      expect(chosen.label).toMatch(/^Cedar, .*, 15:00–16:00, open$/);
      await marissa.keyboard.press('Enter');
      await expect.poll(() => marissa.locator(`#${ids.cellPanel} h2`).textContent(), WAIT).toContain('Cedar');
      expect(await marissa.locator(`#${chosen.id}`).getAttribute('aria-current')).toBe('true');
      await expectNoAxeViolations(marissa, 'the grid with a cell chosen');
      for (let i = 0; i < 8 && (await focused()).label !== 'Book for myself'; i++) await marissa.keyboard.press('Tab');
      await marissa.keyboard.press('Enter');

      // The answer is read out in the panel; focus is back on the cell, now booked, still marked.
      await expect
        .poll(() => marissa.locator(`#${ids.cellPanel}`).textContent(), WAIT)
        .toContain('Booked for yourself');
      await expect.poll(async () => (await focused()).id, WAIT).toBe(chosen.id);
      await expect.poll(async () => (await focused()).label, WAIT).toMatch(/, booked$/);
      expect((await focused()).current).toBe('true');

      // Tan, in Denver, sees the same booking live at his 13:00, with the room's clock.
      const tanCell = tan.locator(`#${chosen.id}`);
      await expect.poll(() => tanCell.getAttribute('aria-label'), WAIT).toMatch(/^Cedar, .*, 13:00–14:00, booked$/);
      expect(await tanCell.textContent()).toContain('15:00 room time');
      expect(await tanCell.textContent()).toContain('Marissa Lopez');
      await expectNoAxeViolations(tan, 'the grid in Denver');

      // Highlighting the hours both are free: "Free for both" fits its cells, none cut off.
      await marissa.goto(`/rooms?date=${date}&with=tan`);
      const highlighted = await marissa.evaluate(() => {
        const free = [...document.querySelectorAll<HTMLElement>('button.cell--free')];
        return {
          free: free.length > 0,
          clipped: free.filter((c) => c.scrollWidth > c.clientWidth + 1 || c.scrollHeight > c.clientHeight + 1).length,
          wordsInside: free.every((c) => {
            const word = c.querySelector('.cell-state')!.getBoundingClientRect();
            const box = c.getBoundingClientRect();
            return word.left >= box.left && word.right <= box.right;
          }),
        };
      });
      expect(highlighted).toEqual({ free: true, clipped: 0, wordsInside: true });
      await expectNoAxeViolations(marissa, 'the grid with free hours highlighted');

      // Today's grid, past hours included, is axe clean too.
      await tan.goto('/rooms');
      await expectNoAxeViolations(tan, 'today’s grid');

      // A phone: each room a list of its hours, nothing wider than the screen, still axe clean.
      const phone = await logIn('lee', 'quiet-room-4', 'Europe/London', `/rooms?date=${date}`, {
        width: 375,
        height: 800,
      });
      const narrow = await phone.evaluate(() => ({
        pageScrolls: document.documentElement.scrollWidth > window.innerWidth,
        timesShown: [...document.querySelectorAll<HTMLElement>('.cell-time')].every((t) => t.offsetWidth > 0),
      }));
      expect(narrow).toEqual({ pageScrolls: false, timesShown: true });
      await expectNoAxeViolations(phone, 'the grid on a phone');
    });
  },
);

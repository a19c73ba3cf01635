/**
 * Headless Chromium for the stories. It comes from the system (Debian's chromium package), never
 * from a download: CHROMIUM_PATH, else /usr/bin/chromium. Without one, browser tests are skipped
 * with a loud message, except under CI=true, where a missing browser fails the run.
 */
import { existsSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright';
import { expect } from 'vitest';
import { WAIT_MS } from './patience.ts';

export const chromiumPath: string | null = (() => {
  const candidate = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  return existsSync(candidate) ? candidate : null;
})();

export const SKIP_REASON = 'skipped: no Chromium (install it with `apt-get install -y chromium`, or set CHROMIUM_PATH)';

if (!chromiumPath) {
  if (process.env.CI === 'true') {
    throw new Error(
      `Browser tests need Chromium under CI=true: ${process.env.CHROMIUM_PATH || '/usr/bin/chromium'} does not exist.`,
    );
  }
  console.warn(`\n!!! Browser tests ${SKIP_REASON}. !!!\n`);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath!,
    headless: true,
    // Sandbox off: CI runs as root. The rest keeps Chromium off the (closed) network.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A person: a browser context in their time zone (British English unless said: the app's own way of
 * writing dates, so a story asserts the times it reads without a locale of its own). Its
 * actions and navigations wait three times a poll's bound before failing, so a poll in the test,
 * not a click stuck behind a slow page, is what reports a state that never comes.
 */
export async function newPersonContext(
  browser: Browser,
  options: BrowserContextOptions & { timezoneId: string },
): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'en-GB', ...options });
  context.setDefaultTimeout(3 * WAIT_MS);
  return context;
}

/** Runs axe-core on the page and fails with the list of violations, if any. */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
  expect(summary, `axe violations on ${label}`).toEqual([]);
}

/**
 * The stage every Chromium story shares: a PGlite database, the app on a real server with the real
 * clock (or a set one), one browser, and browser contexts (one per person, each in its own time zone) that are
 * closed with the rest after the describe block.
 */
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright';
import { afterAll, beforeAll } from 'vitest';
import type { Config } from '../../src/config.ts';
import type { Database } from '../../src/db/client.ts';
import type { FeedProbe } from '../../src/realtime/fan-out.ts';
import { createTestApp, type TestApp, type TestClock } from './app.ts';
import { launchBrowser, newPersonContext } from './browser.ts';
import { openTestDatabase, type TestDatabase } from './databases.ts';
import { SETUP_TIMEOUT_MS } from './patience.ts';
import { startServer, type TestServer } from './server.ts';

export interface Story {
  readonly database: TestDatabase;
  readonly t: TestApp;
  readonly server: TestServer;
  readonly browser: Browser;
  /** A new person: a browser context in `timezoneId` (New York unless said), on the server. */
  newContext(timezoneId?: string, locale?: string, extra?: BrowserContextOptions): Promise<BrowserContext>;
  /** A page in `context` whose script errors fail the test. */
  newPage(context: BrowserContext): Promise<Page>;
  /** A new person's page at `url`. */
  /** A page in a new context: its time zone, and (British English unless said) its language. */
  open(timezoneId: string, url: string, locale?: string): Promise<Page>;
}

const REAL_CLOCK = { now: () => new Date(), set: () => {}, advance: () => {} };

/** Sets the stage up in beforeAll and tears it down in afterAll; read it inside tests. */
export function useBrowserStory(
  options: {
    seed?: (db: Database) => Promise<unknown>;
    config?: Partial<Config>;
    probe?: FeedProbe;
    /** The server's clock (the real one unless set: set it for a story at a given moment). */
    clock?: TestClock;
  } = {},
): Story {
  let database: TestDatabase | undefined;
  let t: TestApp | undefined;
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    await options.seed?.(database.db);
    t = createTestApp(database.db, {
      clock: options.clock ?? REAL_CLOCK,
      config: options.config,
      probe: options.probe,
    });
    server = await startServer(t.app, { config: t.config });
    browser = await launchBrowser();
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.live.close();
    await server?.close();
    await database?.destroy();
  }, SETUP_TIMEOUT_MS);

  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the story is not set up yet: use it inside tests and hooks');
    return value;
  };
  const story: Story = {
    get database() {
      return ready(database);
    },
    get t() {
      return ready(t);
    },
    get server() {
      return ready(server);
    },
    get browser() {
      return ready(browser);
    },
    async newContext(timezoneId = 'America/New_York', locale?: string, extra?: BrowserContextOptions) {
      const context = await newPersonContext(story.browser, {
        ...extra,
        timezoneId,
        baseURL: story.server.url,
        ...(locale ? { locale } : {}),
      });
      contexts.push(context);
      return context;
    },
    async newPage(context) {
      const page = await context.newPage();
      page.on('pageerror', (error) => {
        throw error;
      });
      return page;
    },
    async open(timezoneId, url, locale) {
      const page = await story.newPage(await story.newContext(timezoneId, locale));
      await page.goto(url);
      return page;
    },
  };
  return story;
}

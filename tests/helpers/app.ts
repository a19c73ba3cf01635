/** An app wired for tests: a controllable clock, an in-process bus, real assets and views. */
import { createApp } from '../../src/app.ts';
import { loadAssets } from '../../src/assets.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import type { Database } from '../../src/db/client.ts';
import { type Bus, createInProcessBus } from '../../src/realtime/bus.ts';
import type { FeedProbe } from '../../src/realtime/fan-out.ts';
import { createLive } from '../../src/realtime/live.ts';

/** Tests run at a fixed moment unless they move the clock. */
export const TEST_NOW = new Date('2026-11-21T12:00:00Z');

export interface TestClock {
  now(): Date;
  set(date: Date): void;
  advance(ms: number): void;
}

export function createClock(start: Date = TEST_NOW): TestClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set: (date) => {
      current = date.getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

/** Rooms' hours in tests are New York's, whatever zone the machine runs in. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  // Tests create many schedules from one address; the limit has tests of its own that lower it.
  return {
    ...loadConfig({ SITE_TIME_ZONE: 'America/New_York' }),
    logRequests: false,
    scheduleCreationRateLimit: 100_000,
    ...overrides,
  };
}

const assets = loadAssets();

/** `bus`: share one between several test apps to stand for instances of one deployment. */
export function createTestApp(
  db: Database,
  options: { clock?: TestClock; config?: Partial<Config>; bus?: Bus; probe?: FeedProbe } = {},
) {
  const clock = options.clock ?? createClock();
  const config = testConfig(options.config);
  const bus = options.bus ?? createInProcessBus();
  const errors: unknown[] = [];
  const live = createLive({
    db,
    bus,
    now: clock.now,
    siteZone: config.siteTimeZone,
    limits: config,
    onError: (e) => errors.push(e),
    probe: options.probe,
  });
  const logs: string[] = [];
  const app = createApp({ config, db, live, assets, now: clock.now, log: (line) => logs.push(line) });
  return { app, live, bus, clock, config, logs, errors, assets };
}

export type TestApp = ReturnType<typeof createTestApp>;

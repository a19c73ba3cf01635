/**
 * Work that happens because time passes, a little after every minute: pending invites whose hour
 * has started expire (one conditional UPDATE on a partial index of pending invites, so with
 * several instances each invite expires and is announced once), and open grids are re-sent so
 * started hours show as past. Rooms keep their own zones, so blocks start on any quarter hour of
 * UTC (zones are whole quarter hours apart), not only on the site's hour: expiry runs every
 * minute, grids are re-sent only when a quarter hour has begun since they last were (each
 * instance re-sends only its own sockets: idempotent), and the clean-up of expired sessions and
 * attempt counters stays hourly.
 */
import type { Database } from '../db/client.ts';
import { deleteStaleAttemptLimits } from '../auth/attempt-limits.ts';
import { deleteExpiredSessions } from '../auth/session.ts';
import { expireDueInvites } from '../domain/invites.ts';
import type { Live } from './live.ts';
import { publishInviteChanges } from './publish.ts';

const MINUTE_MS = 60_000;
const QUARTER_HOUR_MS = 15 * MINUTE_MS;
const HOUR_MS = 60 * MINUTE_MS;

export interface Hourly {
  /** Runs the periodic work now (also used by tests): expiry always, the rest when due. */
  runNow(): Promise<void>;
  stop(): void;
}

/** Starts the periodic work (named for the hourly work it began as; it now runs every minute). */
export function startHourly(deps: {
  db: Database;
  live: Live;
  now: () => Date;
  siteZone: string;
  onError: (error: unknown) => void;
  firstRunAfterMs?: number;
}): Hourly {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  // The quarter hour whose grids were last re-sent and the hour last cleaned (none yet: both run first time).
  let gridsQuarter = Number.NaN;
  let cleanedHour = Number.NaN;

  async function runNow(): Promise<void> {
    const now = deps.now();
    const expired = await expireDueInvites(deps.db, now);
    if (expired.length) await publishInviteChanges(deps.live, expired);
    const hour = Math.floor(now.getTime() / HOUR_MS);
    if (hour !== cleanedHour) {
      await deleteExpiredSessions(deps.db, now);
      await deleteStaleAttemptLimits(deps.db, now);
      cleanedHour = hour;
    }
    const quarter = Math.floor(now.getTime() / QUARTER_HOUR_MS);
    if (quarter !== gridsQuarter) {
      await deps.live.accounts.refreshGrids();
      gridsQuarter = quarter;
    }
  }

  function scheduleNext(): void {
    if (stopped) return;
    const now = deps.now().getTime();
    // A second after the minute, so a block starting on it has certainly started on every clock involved.
    const delay = MINUTE_MS - (now % MINUTE_MS) + 1000;
    timer = setTimeout(() => {
      runNow().catch(deps.onError).finally(scheduleNext);
    }, delay);
    timer.unref();
  }

  // Invites that expired while no instance was running are expired soon after start.
  const first = setTimeout(() => runNow().catch(deps.onError).finally(scheduleNext), deps.firstRunAfterMs ?? 0);
  first.unref();
  return {
    runNow,
    stop() {
      stopped = true;
      clearTimeout(first);
      if (timer) clearTimeout(timer);
    },
  };
}

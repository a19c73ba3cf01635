/**
 * Work that happens because time passes, at every site-zone hour boundary: pending invites whose
 * hour has started expire (one conditional UPDATE, so with several instances each invite expires
 * and is announced once), and every open grid is re-sent so started hours show as past (each
 * instance re-sends only its own sockets: idempotent).
 */
import type { Database } from '../db/client.ts';
import { deleteStaleAttemptLimits } from '../auth/attempt-limits.ts';
import { deleteExpiredSessions } from '../auth/session.ts';
import { expireDueInvites } from '../domain/invites.ts';
import { nextHourBoundary } from '../domain/time.ts';
import type { Live } from './live.ts';
import { publishInviteChanges } from './publish.ts';

export interface Hourly {
  /** Runs the hourly work now (also used by tests). */
  runNow(): Promise<void>;
  stop(): void;
}

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

  async function runNow(): Promise<void> {
    const expired = await expireDueInvites(deps.db, deps.now());
    if (expired.length) await publishInviteChanges(deps.live, expired, deps.siteZone);
    await deleteExpiredSessions(deps.db, deps.now());
    await deleteStaleAttemptLimits(deps.db, deps.now());
    await deps.live.accounts.refreshGrids();
  }

  function scheduleNext(): void {
    if (stopped) return;
    const now = deps.now();
    // A little after the boundary, so the hour has certainly started on every clock involved.
    const delay = nextHourBoundary(now, deps.siteZone).getTime() - now.getTime() + 1000;
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

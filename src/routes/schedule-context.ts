/** Loads the schedule a public scheduling link names; unknown links get the humane 404. */
import type { Context, MiddlewareHandler } from 'hono';
import type { AppDeps } from '../app.ts';
import type { AppEnv } from '../app-env.ts';
import { findScheduleByPublicId, type Schedule } from '../domain/schedules.ts';
import type { VisitorView } from '../../views/schedule.tsx';
import { listSlotsForSchedule } from '../domain/slots.ts';
import { notFoundContent } from '../../views/errors.tsx';
import { sendError } from './respond.tsx';

export type ScheduleEnv = { Variables: AppEnv['Variables'] & { schedule: Schedule } };

export function loadScheduleByPublicId(deps: Pick<AppDeps, 'db' | 'assets'>): MiddlewareHandler<ScheduleEnv> {
  return async (c, next) => {
    const schedule = await findScheduleByPublicId(deps.db, c.req.param('publicId') ?? '');
    if (!schedule) return sendError(c, deps.assets.urls, notFoundContent);
    c.set('schedule', schedule);
    await next();
  };
}

/** Everything the scheduling page shows one visitor, read fresh. */
export async function loadVisitorView(
  deps: Pick<AppDeps, 'db' | 'now'>,
  c: Context<ScheduleEnv>,
  visitorHash: string | null,
  options: { zoneFallback?: boolean } = {},
): Promise<VisitorView> {
  const schedule = c.get('schedule');
  const zone = c.get('viewerZone') ?? (options.zoneFallback ? schedule.timeZone : null);
  return {
    schedule,
    slots: await listSlotsForSchedule(deps.db, schedule.id),
    zone,
    visitorHash,
    now: deps.now(),
    origin: c.get('origin'),
  };
}

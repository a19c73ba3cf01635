/** Loads the schedule a public scheduling link names; unknown links get the humane 404. */
import type { Context } from 'hono';
import type { AppDeps } from '../app-env.ts';
import { findScheduleByPublicId } from '../domain/schedules.ts';
import type { VisitorView } from '../../views/schedule.tsx';
import { readVisitorPage, type ViewRequest } from '../domain/slot-calendar.ts';
import { notFoundContent } from '../../views/errors.tsx';
import { type ScheduleEnv, scheduleFactory } from './factory.ts';
import { sendError } from './respond.tsx';

export function loadScheduleByPublicId(deps: Pick<AppDeps, 'db'>) {
  return scheduleFactory.createMiddleware(async (c, next) => {
    const schedule = await findScheduleByPublicId(deps.db, c.req.param('publicId') ?? '');
    if (!schedule) return sendError(c, notFoundContent);
    c.set('schedule', schedule);
    await next();
  });
}

/** Everything the scheduling page shows one visitor, read fresh: the view asked for, their booking. */
export async function loadVisitorView(
  deps: Pick<AppDeps, 'db' | 'now'>,
  c: Context<ScheduleEnv>,
  visitorHash: string | null,
  options: { zoneFallback?: boolean; request?: ViewRequest } = {},
): Promise<VisitorView> {
  const schedule = c.get('schedule');
  const zone = c.get('viewerZone') ?? (options.zoneFallback ? schedule.timeZone : null);
  const now = deps.now();
  const request = options.request ?? { month: c.req.query('month'), day: c.req.query('day') };
  const { view: booking, mine } = await readVisitorPage(
    deps.db,
    schedule.id,
    request,
    zone ?? schedule.timeZone,
    now,
    visitorHash,
  );
  return {
    schedule,
    zone,
    locale: c.get('locale'),
    visitorHash,
    now,
    origin: c.get('origin'),
    mine,
    booking,
    request,
  };
}

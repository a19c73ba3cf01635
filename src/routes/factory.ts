/**
 * The routers' environments and Hono's factories typed with them, in one place: routers, middleware
 * and handlers made here see the variables their router sets, with no casts.
 */
import { createFactory } from 'hono/factory';
import type { AppEnv } from '../app-env.ts';
import type { Schedule } from '../domain/schedules.ts';

/** Routes under a public scheduling link: the schedule the link names is loaded. */
export type ScheduleEnv = { Variables: AppEnv['Variables'] & { schedule: Schedule } };

/** Routes under a dashboard link: the schedule, and the admin key that opened it. */
export type AdminEnv = { Variables: ScheduleEnv['Variables'] & { adminKey: string } };

export const appFactory = createFactory<AppEnv>();
export const scheduleFactory = createFactory<ScheduleEnv>();
export const adminFactory = createFactory<AdminEnv>();

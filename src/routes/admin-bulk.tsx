/**
 * Deleting the open slots of a day or of a week from the dashboard (days and weeks in the
 * schedule's zone, weeks from Monday). One conditional DELETE per action: booked slots are never
 * touched, whatever is booked at the same moment. The answer says how many went and how many
 * booked ones stayed, with the parts of the list that changed; every open page hears of it live.
 */
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from '../app-env.ts';
import { deleteOpenSlotsBetween } from '../domain/slot-deletes.ts';
import { countBookings } from '../domain/slots.ts';
import { describeDate, parseDate } from '../domain/time.ts';
import { scheduleEvents, scheduleTopic } from '../realtime/topics.ts';
import { BookingSummary } from '../../views/admin.tsx';
import { type ListStatus, ListStatusLine } from '../../views/admin-slot-controls.tsx';
import { datesSpan, weekKeyOfDay, weekLabel } from '../../views/components/weeks.ts';
import { dashboardPage, HostListChange, loadHostView, showOf } from './admin-answers.tsx';
import type { AdminEnv } from './factory.ts';
import { formValidator } from './form-validator.ts';
import { sendEither } from './respond.tsx';

const DateForm = z.object({
  date: z
    .string({ error: 'Choose a date.' })
    .optional()
    .default('')
    .transform((value, ctx) => {
      const date = parseDate(value.trim());
      if (!date) {
        ctx.addIssue({ code: 'custom', message: 'That is not a date, so no slots were deleted.' });
        return z.NEVER;
      }
      return date;
    }),
});

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function addBulkDeleteRoutes(app: Hono<AdminEnv>, deps: AppDeps): void {
  const { db, live } = deps;

  /** The message alone for htmx (with the list's changes), the dashboard around it otherwise. */
  async function answer(c: Context<AdminEnv>, status: 200 | 422, message: ListStatus, deleted: { startsAt: Date }[]) {
    const view = await loadHostView(deps, c.get('schedule'), c.get('adminKey'), showOf(c), c.get('locale'));
    return sendEither(c, status, {
      page: () => dashboardPage(c, view, { listStatus: message }),
      fragment: () => (
        <>
          <ListStatusLine status={message} />
          {deleted.length > 0 ? (
            <HostListChange view={view} deleted={deleted.map((d) => ({ startsAt: d.startsAt, phase: 'open' }))} />
          ) : null}
          <BookingSummary counts={countBookings(view.slots)} oob />
        </>
      ),
    });
  }

  const refuse = formValidator(DateForm, (c: Context<AdminEnv>, refusal) =>
    answer(c, 422, { text: refusal.errors.date ?? 'Choose a date.', tone: 'error' }, []),
  );

  for (const span of ['day', 'week'] as const) {
    app.post(`/:adminKey/${span}s/delete-open`, refuse, async (c) => {
      const schedule = c.get('schedule');
      const { date } = c.req.valid('form');
      const now = deps.now();
      const first = span === 'week' ? weekKeyOfDay(date) : date;
      const range = datesSpan(first, span === 'week' ? 7 : 1, schedule.timeZone);
      const result = await deleteOpenSlotsBetween(db, {
        scheduleId: schedule.id,
        from: new Date(range.from),
        to: new Date(range.to),
        now,
      });
      if (result.deleted.length > 0)
        await live.publish(scheduleTopic(schedule.id), scheduleEvents.slotsDeleted(result.deleted));
      const what =
        span === 'week'
          ? `the ${weekLabel(first, schedule.timeZone, now, c.get('locale')).replace(/^Week/, 'week')}`
          : describeDate(date, c.get('locale')).dayLabel;
      const kept = result.keptBooked === 0 ? 'none were booked' : `kept ${result.keptBooked} booked`;
      const text =
        result.deleted.length > 0
          ? `Deleted ${plural(result.deleted.length, 'open slot', 'open slots')} of ${what}; ${kept}.`
          : `${what.charAt(0).toUpperCase()}${what.slice(1)} had no open slots to delete; ${kept}.`;
      return answer(c, 200, { text, tone: 'info' }, result.deleted);
    });
  }
}

/**
 * The room forms beyond the details (RoomForm in rooms.ts): a new room with its weekly hours, the
 * weekly hours alone, and a single hour on a date. Parsed with zod, each refusal keyed by field.
 */
import { z } from 'zod';
import { parseHour, readWeeklyHoursForm, type WeeklyHours } from './availability.ts';
import { RoomForm } from './rooms.ts';
import { parseDate } from './time.ts';

/** Weekly hours from the form's fields (open1, from1, to1, … per weekday), or one issue per refused day. */
function checkWeeklyHours(fields: Record<string, unknown>, ctx: z.RefinementCtx): WeeklyHours | null {
  const weekly = readWeeklyHoursForm(fields);
  if (weekly.ok) return weekly.weekly;
  for (const [field, message] of Object.entries(weekly.errors))
    ctx.addIssue({ code: 'custom', path: [field], message });
  return null;
}

export const WeeklyHoursForm = z
  .record(z.string(), z.unknown())
  .transform((fields, ctx) => checkWeeklyHours(fields, ctx) ?? z.NEVER);

export const NewRoomForm = z
  .looseObject(RoomForm.shape)
  // A refinement runs even when the details are refused (a transform would not), so a person sees
  // every message at once.
  .superRefine((form, ctx) => {
    checkWeeklyHours(form, ctx);
  })
  .transform((form, ctx) => {
    const weekly = checkWeeklyHours(form, ctx);
    return weekly
      ? { details: { name: form.name, description: form.description, timeZone: form.timeZone }, weekly }
      : z.NEVER;
  });

/** One hour on one date (set open or closed, or removed); a missing hour belongs to the whole form. */
export const HourOverrideForm = z.record(z.string(), z.unknown()).transform((form, ctx) => {
  const date = typeof form.date === 'string' ? parseDate(form.date) : null;
  const hour = parseHour(form.hour, 23);
  if (!date) ctx.addIssue({ code: 'custom', path: ['date'], message: 'Enter a date.' });
  if (hour === null) ctx.addIssue({ code: 'custom', path: ['form'], message: 'Choose an hour.' });
  if (!date || hour === null) return z.NEVER;
  return { date, hour, isOpen: form.open === '1' };
});

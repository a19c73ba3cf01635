/**
 * The rules for adding slots: a host types a date, a start and an end in the schedule's zone,
 * optionally split into equal parts; this turns that into instants or says, per field, what is wrong.
 * Pure: no database, `now` passed in.
 */
import { z } from 'zod';
import { type FieldErrors, fieldErrors, textField } from './forms.ts';
import { describeRange, minutesOfDay, parseDate, parseTime, resolveWallTime, timeOfMinutes } from './time.ts';

export const SPLIT_CHOICES = [0, 15, 30, 45, 60] as const;
export const NOTES_MAX = 1000;

export const SlotForm = z.object({
  date: z.string({ error: 'Enter a date.' }).optional().default(''),
  start: z.string({ error: 'Enter a start time.' }).optional().default(''),
  end: z.string({ error: 'Enter an end time.' }).optional().default(''),
  notes: textField('Notes', NOTES_MAX),
  split: z.string({ error: 'Choose how to split the time.' }).optional().default('0'),
});
export type SlotFormInput = z.output<typeof SlotForm>;

export interface PlannedSlot {
  startsAt: Date;
  endsAt: Date;
  notes: string;
}

export type SlotPlan = { ok: true; slots: PlannedSlot[] } | { ok: false; errors: FieldErrors };

/**
 * Turns the add-slot form into slots, all or nothing. Refuses: malformed dates and times, an end not
 * after the start (slots never run past midnight), wall times the zone skips or repeats that day,
 * a start in the past, a split that does not divide the time evenly.
 */
export function planSlots(input: SlotFormInput, zone: string, now: Date): SlotPlan {
  const errors: FieldErrors = {};
  const date = parseDate(input.date.trim());
  const start = parseTime(input.start.trim());
  const end = parseTime(input.end.trim());
  const split = Number(input.split || '0');

  if (!date) errors.date = input.date.trim() ? 'Enter a real date, like 2027-03-16.' : 'Enter a date.';
  if (!start) errors.start = input.start.trim() ? 'Enter a start time like 09:00.' : 'Enter a start time.';
  if (!end) errors.end = input.end.trim() ? 'Enter an end time like 09:30.' : 'Enter an end time.';
  if (!(SPLIT_CHOICES as readonly number[]).includes(split)) {
    errors.split = 'Choose no split, or 15, 30, 45 or 60 minutes.';
  }
  if (!date || !start || !end || errors.split) return { ok: false, errors };

  const startMinutes = minutesOfDay(start);
  const endMinutes = minutesOfDay(end);
  if (endMinutes <= startMinutes) {
    errors.end = 'The end time must be after the start time, on the same day.';
    return { ok: false, errors };
  }
  const length = endMinutes - startMinutes;
  if (split > 0 && length % split !== 0) {
    const whole = Math.floor(length / split);
    errors.split =
      whole === 0
        ? `${start}–${end} is shorter than one ${split}-minute slot.`
        : `${start}–${end} does not divide into ${split}-minute slots: the last would be ${length % split} minutes. ` +
          `End at ${timeOfMinutes(startMinutes + whole * split)} or ${timeOfMinutes(startMinutes + (whole + 1) * split)}, or choose another split.`;
    return { ok: false, errors };
  }

  const step = split > 0 ? split : length;
  const boundaries: string[] = [];
  for (let m = startMinutes; m <= endMinutes; m += step) boundaries.push(timeOfMinutes(m));

  const instants: Date[] = [];
  for (const [index, time] of boundaries.entries()) {
    const resolved = resolveWallTime(date, time, zone);
    if (!resolved.ok) {
      const field = index === 0 ? 'start' : index === boundaries.length - 1 ? 'end' : 'split';
      errors[field] = resolved.message;
      return { ok: false, errors };
    }
    instants.push(resolved.instant);
  }

  if (instants[0]!.getTime() <= now.getTime()) {
    errors.start = `${describeRange(instants[0]!, instants[0]!, zone).shortDay} at ${start} has already passed in ${zone}.`;
    return { ok: false, errors };
  }

  const slots: PlannedSlot[] = [];
  for (let i = 0; i + 1 < instants.length; i++) {
    slots.push({ startsAt: instants[i]!, endsAt: instants[i + 1]!, notes: input.notes });
  }
  return { ok: true, slots };
}

/** Parses the raw add-slot form and plans it, with every field's message at once. */
export function planSlotsFromForm(raw: unknown, zone: string, now: Date): SlotPlan {
  const parsed = SlotForm.safeParse(raw ?? {});
  if (!parsed.success) return { ok: false, errors: explainRefusedSlotForm(raw, fieldErrors(parsed.error), zone, now) };
  return planSlots(parsed.data, zone, now);
}

/**
 * The messages for an add-slot form SlotForm refused: its own, and the times' too, so a person
 * fixes everything in one go.
 */
export function explainRefusedSlotForm(raw: unknown, refused: FieldErrors, zone: string, now: Date): FieldErrors {
  const errors: FieldErrors = { ...refused };
  const rest = SlotForm.omit({ notes: true }).safeParse(raw ?? {});
  if (rest.success) {
    const plan = planSlots({ ...rest.data, notes: '' }, zone, now);
    if (!plan.ok) Object.assign(errors, plan.errors, refused);
  }
  return errors;
}

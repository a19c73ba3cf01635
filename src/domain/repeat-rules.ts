/**
 * Weekly availability: a host picks weekdays, one or more time ranges, a slot length and a gap,
 * from a start date for some weeks (or until a date); this turns that into the slots it makes, in
 * the schedule's zone, and lists every time it had to leave out and why. Times the clocks skip or
 * repeat that day are left out and listed, never shifted. Pure: no database, `now` passed in.
 */
import { z } from 'zod';
import { type FieldErrors, fieldErrors, textField } from './forms.ts';
import { NOTES_MAX, type PlannedSlot } from './slot-rules.ts';
import {
  addDays,
  minutesOfDay,
  parseDate,
  parseTime,
  resolveWallTime,
  timeOfMinutes,
  todayInZone,
  weekdayOf,
} from './time.ts';

/** Weeks one form may cover. */
export const REPEAT_WEEKS_MAX = 12;
/** Time ranges one form offers (one is required). */
export const REPEAT_RANGES = 3;
export const SLOT_LENGTHS = [15, 20, 30, 45, 60, 90, 120] as const;
export const GAP_CHOICES = [0, 5, 10, 15, 30, 60] as const;

const text = z.string().optional().default('');
// Checkboxes arrive as one value or several; a form put back after a refusal has them comma-joined.
const list = z
  .union([z.string().max(100), z.array(z.string().max(100)).max(7)], { error: 'Choose weekdays from the list.' })
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).filter(Boolean));

export const RepeatForm = z.object({
  days: list,
  from1: text,
  to1: text,
  from2: text,
  to2: text,
  from3: text,
  to3: text,
  length: text,
  gap: text,
  startDate: text,
  ends: text,
  weeks: text,
  until: text,
  notes: textField('Notes', NOTES_MAX),
  /** Which button: "preview" (the default) or "create". */
  intent: text,
});
export type RepeatFormInput = z.output<typeof RepeatForm>;

/**
 * A time left out before the database is asked, and why: the clocks skip (`gap`) or repeat
 * (`overlap`) its start or end that day, the slot would span a clock change and so not last its
 * length (`lasts` minutes instead), or it has already started.
 */
export type SkippedTime = { date: string; time: string; end: string } & (
  | { reason: 'gap' | 'overlap'; at: string }
  | { reason: 'spans-change'; lasts: number }
  | { reason: 'past' }
);

export interface RepeatPlan {
  /** The slots to make, in start order; none overlaps another. */
  slots: PlannedSlot[];
  /** Times left out before the database is asked (clock changes, the past), in order. */
  skipped: SkippedTime[];
  /** The dates the form covers (first and last, inclusive). */
  from: string;
  to: string;
}

export type RepeatResult = { ok: true; plan: RepeatPlan } | { ok: false; errors: FieldErrors };

interface Range {
  from: number;
  to: number;
}

/** Reads the form: every field's message at once, or the rules it describes. */
function readForm(input: RepeatFormInput, now: Date, zone: string) {
  const errors: FieldErrors = {};
  const days = new Set<number>();
  for (const day of input.days) {
    if (!/^[1-7]$/.test(day)) errors.days = 'Choose weekdays from the list.';
    else days.add(Number(day));
  }
  if (days.size === 0 && !errors.days) errors.days = 'Choose at least one weekday.';

  const ranges: Range[] = [];
  for (let i = 1; i <= REPEAT_RANGES; i++) {
    const fromText = input[`from${i}` as 'from1'].trim();
    const toText = input[`to${i}` as 'to1'].trim();
    if (!fromText && !toText) continue;
    const from = parseTime(fromText);
    const to = parseTime(toText);
    if (!from || !to) {
      errors[`range${i}`] = `Enter both times of this range, like 09:00 and 12:00.`;
      continue;
    }
    if (minutesOfDay(to) <= minutesOfDay(from)) {
      errors[`range${i}`] = `${from}–${to}: the end must be after the start, on the same day.`;
      continue;
    }
    ranges.push({ from: minutesOfDay(from), to: minutesOfDay(to) });
  }
  if (ranges.length === 0 && !Object.keys(errors).some((k) => k.startsWith('range'))) {
    errors.range1 = 'Enter at least one time range, like 09:00 to 12:00.';
  }

  const length = Number(input.length);
  if (!(SLOT_LENGTHS as readonly number[]).includes(length)) errors.length = 'Choose a slot length from the list.';
  const gap = input.gap.trim() === '' ? 0 : Number(input.gap);
  if (!(GAP_CHOICES as readonly number[]).includes(gap)) errors.gap = 'Choose a gap from the list.';

  const sorted = [...ranges].sort((a, b) => a.from - b.from);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.from < sorted[i - 1]!.to) {
      errors.range1 = `${describe(sorted[i - 1]!)} and ${describe(sorted[i]!)} overlap: make them separate.`;
    }
  }
  if (!errors.length) {
    for (const range of sorted) {
      if (range.to - range.from < length && !errors.range1) {
        errors.range1 = `${describe(range)} is shorter than one ${length}-minute slot.`;
      }
    }
  }

  const start = parseDate(input.startDate.trim());
  if (!start) errors.startDate = input.startDate.trim() ? 'Enter a real date, like 2027-03-16.' : 'Enter a start date.';
  let last: string | null = null;
  if (start) {
    const latest = addDays(start, REPEAT_WEEKS_MAX * 7 - 1);
    if (input.ends === 'until') {
      const until = parseDate(input.until.trim());
      if (!until) errors.until = input.until.trim() ? 'Enter a real date, like 2027-03-16.' : 'Enter the last date.';
      else if (until < start) errors.until = 'The last date must be on or after the start date.';
      else if (until > latest) errors.until = `At most ${REPEAT_WEEKS_MAX} weeks: end on ${latest} or earlier.`;
      else last = until;
    } else {
      const weeks = Number(input.weeks);
      if (!Number.isInteger(weeks) || weeks < 1 || weeks > REPEAT_WEEKS_MAX) {
        errors.weeks = `Choose from 1 to ${REPEAT_WEEKS_MAX} weeks.`;
      } else last = addDays(start, weeks * 7 - 1);
    }
    if (last && last < todayInZone(zone, now)) {
      errors.startDate = 'Those dates have all passed: choose a start date from today on.';
    }
  }
  if (Object.keys(errors).length > 0 || !start || !last) return { ok: false as const, errors };
  return { ok: true as const, days, ranges: sorted, length, gap, start, last };
}

const describe = (range: Range) => `${timeOfMinutes(range.from)}–${timeOfMinutes(range.to)}`;

/**
 * The slots a weekly-availability form describes, in `zone`: on each chosen weekday from the start
 * date to the last, each range filled from its start with slots of `length` minutes and `gap`
 * minutes between them (a slot never runs past its range). A slot whose start or end the clocks
 * skip or repeat that day is left out and listed, as is one that has already started.
 */
export function planRepeating(input: RepeatFormInput, zone: string, now: Date): RepeatResult {
  const form = readForm(input, now, zone);
  if (!form.ok) return { ok: false, errors: form.errors };
  const { days, ranges, length, gap, start, last } = form;
  const slots: PlannedSlot[] = [];
  const skipped: SkippedTime[] = [];
  for (let date = start; date <= last; date = addDays(date, 1)) {
    if (!days.has(weekdayOf(date))) continue;
    // One slot's end is often the next one's start: each wall time of the day is resolved once.
    const resolved = new Map<number, ReturnType<typeof resolveWallTime>>();
    const at = (minutes: number) => {
      let result = resolved.get(minutes);
      if (!result) {
        result = resolveWallTime(date, timeOfMinutes(minutes), zone);
        resolved.set(minutes, result);
      }
      return result;
    };
    for (const range of ranges) {
      for (let m = range.from; m + length <= range.to; m += length + gap) {
        const time = timeOfMinutes(m);
        const startsAt = at(m);
        const endsAt = at(m + length);
        const end = timeOfMinutes(m + length);
        if (!startsAt.ok || !endsAt.ok) {
          const refused = !startsAt.ok ? startsAt : (endsAt as Extract<typeof endsAt, { ok: false }>);
          skipped.push({ date, time, end, reason: refused.kind, at: startsAt.ok ? end : time });
          continue;
        }
        const lasts = (endsAt.instant.getTime() - startsAt.instant.getTime()) / 60_000;
        if (lasts !== length) {
          skipped.push({ date, time, end, reason: 'spans-change', lasts });
          continue;
        }
        if (startsAt.instant.getTime() <= now.getTime()) {
          skipped.push({ date, time, end, reason: 'past' });
          continue;
        }
        slots.push({ startsAt: startsAt.instant, endsAt: endsAt.instant, notes: input.notes });
      }
    }
  }
  return { ok: true, plan: { slots, skipped, from: start, to: last } };
}

/** Parses the raw form and plans it, with every field's message at once. */
export function planRepeatingFromForm(raw: unknown, zone: string, now: Date): RepeatResult {
  const parsed = RepeatForm.safeParse(raw ?? {});
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error);
    const rest = RepeatForm.omit({ notes: true, days: true }).safeParse(raw ?? {});
    if (rest.success) {
      const plan = planRepeating({ ...rest.data, days: ['1'], notes: '' }, zone, now);
      if (!plan.ok) return { ok: false, errors: { ...plan.errors, ...errors } };
    }
    return { ok: false, errors };
  }
  return planRepeating(parsed.data, zone, now);
}

/**
 * The host's weekly availability form: weekdays, time ranges, slot length and gap, from a date for
 * some weeks; "Preview" lists what would be made and what is left out and why, "Create" makes it
 * and says the same. Refusals and answers keep every field.
 */
import {
  GAP_CHOICES,
  REPEAT_RANGES,
  REPEAT_WEEKS_MAX,
  type RepeatPlan,
  SLOT_LENGTHS,
  type SkippedTime,
} from '../src/domain/repeat-rules.ts';
import type { BatchOutcome } from '../src/domain/slot-batches.ts';
import { NOTES_MAX } from '../src/domain/slot-rules.ts';
import { WEEKDAYS } from '../src/domain/availability.ts';
import type { Locale } from '../src/domain/locale.ts';
import { describeDate, describeRange, zoneLabel } from '../src/domain/time.ts';
import { FormError, InputField, SelectField, TextAreaField } from './components/field.tsx';
import type { FormState } from './components/form-state.ts';
import { fieldErrorId, fieldId, ids } from './ids.ts';
import { paths } from './paths.ts';

/** What the form answered: a preview, or what was made. */
export interface AvailabilityOutcome {
  mode: 'preview' | 'created';
  plan: RepeatPlan;
  batch: BatchOutcome;
}

export interface AvailabilityState extends FormState {
  outcome?: AvailabilityOutcome;
}

/** Skipped times listed one by one, at most this many; the rest are counted. */
const LISTED_SKIPS = 20;

const LENGTH_OPTIONS = SLOT_LENGTHS.map((m) => ({ value: String(m), label: `${m} minutes` }));
const GAP_OPTIONS = GAP_CHOICES.map((m) => ({ value: String(m), label: m === 0 ? 'No gap' : `${m} minutes` }));
const WEEK_OPTIONS = Array.from({ length: REPEAT_WEEKS_MAX }, (_, i) => ({
  value: String(i + 1),
  label: i === 0 ? '1 week' : `${i + 1} weeks`,
}));

export function AvailabilitySection(props: {
  adminKey: string;
  zone: string;
  locale: Locale;
  now: Date;
  state: AvailabilityState;
  oob?: boolean;
}) {
  const { state, zone } = props;
  const values = state.values ?? {};
  const errors = state.errors ?? {};
  const action = paths.adminAvailability(props.adminKey);
  const chosenDays = new Set((values.days ?? '').split(','));
  const ends = values.ends === 'until' ? 'until' : 'weeks';
  return (
    <section
      id={ids.availability}
      class="card"
      aria-labelledby="availability-heading"
      hx-swap-oob={props.oob ? 'true' : undefined}
    >
      <h2 id="availability-heading">Add weekly availability</h2>
      <p class="field-hint">
        Makes slots on the weekdays you choose, week after week, in {zoneLabel(zone)}. Preview first to see what it
        makes; times you already have are left out.
      </p>
      <FormError message={errors.form} />
      <form
        method="post"
        action={action}
        hx-post={action}
        hx-target={`#${ids.availability}`}
        hx-swap="outerHTML"
        hx-disabled-elt="find button"
        class="availability-form"
      >
        <fieldset
          class={errors.days ? 'field weekday-choice field--error' : 'field weekday-choice'}
          aria-describedby={errors.days ? fieldErrorId('availability', 'days') : undefined}
        >
          <legend>Weekdays</legend>
          {WEEKDAYS.map(({ day, long, short }) => (
            <label>
              <input type="checkbox" name="days" value={String(day)} checked={chosenDays.has(String(day))} />{' '}
              <span aria-hidden="true">{short}</span>
              <span class="visually-hidden">{long}</span>
            </label>
          ))}
          {errors.days ? (
            <p class="field-error" id={fieldErrorId('availability', 'days')}>
              {errors.days}
            </p>
          ) : null}
        </fieldset>
        <fieldset class="field">
          <legend>Times of day</legend>
          {Array.from({ length: REPEAT_RANGES }, (_, i) => i + 1).map((n) => (
            <TimeRange n={n} from={values[`from${n}`]} to={values[`to${n}`]} error={errors[`range${n}`]} />
          ))}
        </fieldset>
        <div class="grid-form">
          <SelectField
            form="availability"
            name="length"
            label="Slot length"
            options={LENGTH_OPTIONS}
            value={values.length ?? '30'}
            error={errors.length}
          />
          <SelectField
            form="availability"
            name="gap"
            label="Gap between slots"
            options={GAP_OPTIONS}
            value={values.gap ?? '0'}
            error={errors.gap}
          />
          <InputField
            form="availability"
            name="startDate"
            label="Starting on"
            type="date"
            value={values.startDate}
            error={errors.startDate}
            required
          />
          <fieldset class="field">
            <legend>Repeat</legend>
            <label>
              <input type="radio" name="ends" value="weeks" checked={ends === 'weeks'} /> for{' '}
              <select name="weeks" aria-label="Number of weeks" id={fieldId('availability', 'weeks')}>
                {WEEK_OPTIONS.map((o) => (
                  <option value={o.value} selected={o.value === (values.weeks ?? '3')}>
                    {o.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <input type="radio" name="ends" value="until" checked={ends === 'until'} /> until{' '}
              <input
                type="date"
                name="until"
                id={fieldId('availability', 'until')}
                aria-label="Until (the last day)"
                value={values.until ?? ''}
                aria-invalid={errors.until ? 'true' : undefined}
                aria-describedby={errors.until ? fieldErrorId('availability', 'until') : undefined}
              />
            </label>
            {errors.weeks || errors.until ? (
              <p class="field-error" id={fieldErrorId('availability', errors.until ? 'until' : 'weeks')}>
                {errors.until ?? errors.weeks}
              </p>
            ) : null}
          </fieldset>
        </div>
        <TextAreaField
          form="availability"
          name="notes"
          label="Notes"
          hint="Shown to visitors on every slot, for example where you meet."
          value={values.notes}
          error={errors.notes}
          maxlength={NOTES_MAX}
        />
        <div class="actions">
          <button type="submit" class="button button--quiet" name="intent" value="preview">
            Preview
          </button>
          <button type="submit" class="button" name="intent" value="create">
            Create slots
          </button>
          <span class="htmx-indicator" aria-hidden="true">
            Working…
          </span>
        </div>
      </form>
      {state.outcome ? <Outcome outcome={state.outcome} zone={zone} locale={props.locale} /> : null}
    </section>
  );
}

function TimeRange(props: {
  n: number;
  from?: string | undefined;
  to?: string | undefined;
  error?: string | undefined;
}) {
  const { n } = props;
  const errorId = fieldErrorId('availability', `range${n}`);
  const label = n === 1 ? 'Range 1' : `Range ${n} (optional)`;
  // The first range starts filled in (09:00–12:00), the others empty.
  const ends = [
    { name: `from${n}`, value: props.from ?? (n === 1 ? '09:00' : ''), text: <>{label}: from</> },
    {
      name: `to${n}`,
      value: props.to ?? (n === 1 ? '12:00' : ''),
      text: (
        <>
          <span class="visually-hidden">{label}: </span>to
        </>
      ),
    },
  ];
  return (
    <div class={props.error ? 'time-range field--error' : 'time-range'}>
      {ends.map((end) => (
        <>
          <label for={fieldId('availability', end.name)}>{end.text}</label>
          <input
            type="time"
            id={fieldId('availability', end.name)}
            name={end.name}
            value={end.value}
            aria-invalid={props.error ? 'true' : undefined}
            aria-describedby={props.error ? errorId : undefined}
          />
        </>
      ))}
      {props.error ? (
        <p class="field-error" id={errorId}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "on 9 days": the days the made slots fall on, in the host's zone. */
function byDay(made: BatchOutcome['made'], zone: string, locale: Locale) {
  const days = new Map<string, { label: string; times: string[] }>();
  for (const slot of made) {
    const label = describeRange(slot.startsAt, slot.endsAt, zone, locale);
    const day = days.get(label.dayKey) ?? { label: label.shortDay, times: [] };
    day.times.push(label.startTime);
    days.set(label.dayKey, day);
  }
  return [...days.values()];
}

/** Why a time was left out, in a sentence. */
export function describeSkip(skip: SkippedTime, zone: string, locale: Locale = 'en-GB'): string {
  const on = `${skip.time} on ${describeDate(skip.date, locale).shortDay}`;
  switch (skip.reason) {
    case 'gap':
      return skip.at === skip.time
        ? `${on} does not exist in ${zone} (the clocks skip it)`
        : `${on}: its end, ${skip.at}, does not exist in ${zone} (the clocks skip it)`;
    case 'overlap':
      return skip.at === skip.time
        ? `${on} happens twice in ${zone} (the clocks go back)`
        : `${on}: its end, ${skip.at}, happens twice in ${zone} (the clocks go back)`;
    case 'spans-change':
      return `${on} spans a clock change in ${zone}: it would last ${skip.lasts} minutes`;
    case 'past':
      return `${on} has already started`;
  }
}

function Outcome(props: { outcome: AvailabilityOutcome; zone: string; locale: Locale }) {
  const { outcome, zone, locale } = props;
  const { made, taken, noRoom, limit } = outcome.batch;
  const days = byDay(made, zone, locale);
  const created = outcome.mode === 'created';
  const headline =
    made.length === 0
      ? created
        ? 'Nothing was created.'
        : 'This would create nothing.'
      : `${created ? 'Created' : 'This creates'} ${plural(made.length, 'slot')} on ${plural(days.length, 'day')}` +
        ` (${days[0]!.label} to ${days[days.length - 1]!.label}).`;
  const reasons = [
    ...outcome.plan.skipped.map((s) => describeSkip(s, zone, locale)),
    ...taken.map((t) => {
      const planned = describeRange(t.planned.startsAt, t.planned.endsAt, zone, locale);
      const other = describeRange(t.existing.startsAt, t.existing.endsAt, zone, locale);
      return `${planned.startTime} on ${planned.shortDay} overlaps a slot you have (${other.timeRange})`;
    }),
  ];
  const skippedCount = reasons.length + noRoom.length;
  return (
    <div
      id={ids.availabilityOutcome}
      class={created && made.length > 0 ? 'outcome outcome--done' : 'outcome'}
      role="status"
      tabindex={-1}
      autofocus
    >
      <p class="outcome-headline">
        <strong>{headline}</strong>
        {skippedCount > 0 ? ` ${plural(skippedCount, 'time')} ${created ? 'were' : 'would be'} left out.` : null}
        {created || made.length === 0 ? null : ' Nothing is created until you choose “Create slots”.'}
      </p>
      {noRoom.length > 0 ? (
        <p>
          {plural(noRoom.length, 'slot')} {created ? 'did' : 'would'} not fit: a schedule holds at most {limit} slots.
          Delete slots you no longer need, or make fewer.
        </p>
      ) : null}
      {reasons.length > 0 ? (
        <>
          <p>Left out:</p>
          <ul class="skipped">
            {reasons.slice(0, LISTED_SKIPS).map((r) => (
              <li>{r}</li>
            ))}
            {reasons.length > LISTED_SKIPS ? <li>and {reasons.length - LISTED_SKIPS} more.</li> : null}
          </ul>
        </>
      ) : null}
      {days.length > 0 ? (
        <details class="made-days" open={!created && days.length <= 14}>
          <summary>
            {created ? 'The slots created' : 'The slots it creates'}, day by day ({plural(days.length, 'day')})
          </summary>
          <ul>
            {days.map((d) => (
              <li>
                <strong>{d.label}:</strong> {d.times.join(', ')}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

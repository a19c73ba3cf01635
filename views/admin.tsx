/**
 * The host's dashboard and its fragments: the share link, the add-slot form, the slot list with
 * bookings (live), the booking summary and the settings.
 */
import type { FormState } from './components/form-state.ts';
import { type Schedule, scheduleHeading } from '../src/domain/schedules.ts';
import { NOTES_MAX } from '../src/domain/slot-rules.ts';
import { countBookings, type Slot, slotStateFor } from '../src/domain/slots.ts';
import { describeRange, zoneLabel } from '../src/domain/time.ts';
import { DashboardLinkSection, LinkReplacedNotice } from './admin-link.tsx';
import { FormError, InputField, SelectField, TextAreaField } from './components/field.tsx';
import { type DayGroup, groupByDay } from './components/days.ts';
import { ZoneField } from './components/zone-field.tsx';
import { dayHeadingId, daySectionId, ids, slotButtonId, slotId } from './ids.ts';
import { Layout } from './layout.tsx';
import { paths } from './paths.ts';

export interface HostView {
  schedule: Schedule;
  adminKey: string;
  slots: readonly Slot[];
  now: Date;
}

export function AdminPage(props: {
  view: HostView;
  shareUrl: string;
  addSlot?: FormState;
  settings?: FormState;
  listStatus?: ListStatus;
  /** The dashboard was just moved to this link (shown once). */
  replaced?: boolean;
}) {
  const { view } = props;
  return (
    <Layout title={`Dashboard · ${scheduleHeading(view.schedule)}`} live={paths.adminLive(view.adminKey)}>
      <AdminHead schedule={view.schedule} />
      {props.replaced ? <LinkReplacedNotice /> : null}
      <section class="card share" aria-labelledby="share-heading">
        <h2 id="share-heading">Share your scheduling page</h2>
        <div class="field">
          <label for={ids.shareLink}>Scheduling page link</label>
          <p class="field-hint" id="share-link-hint">
            Send this link to the people who should book a time. They see every time in their own time zone.
          </p>
          <div class="copy-row">
            <input id={ids.shareLink} type="text" readonly value={props.shareUrl} aria-describedby="share-link-hint" />
            <button type="button" class="button" data-copy={ids.shareLink}>
              Copy link
            </button>
          </div>
        </div>
        <p class="notice">
          <strong>Bookmark this dashboard.</strong> Its link is the only key to it: there is no account and no password,
          and anyone who has the link can change this schedule. Keep it private.
        </p>
      </section>
      <AddSlotSection view={view} state={props.addSlot ?? {}} />
      <section class="times" aria-labelledby={ids.slotListHeading}>
        <div class="section-head">
          <h2 id={ids.slotListHeading}>Your slots</h2>
          <BookingSummary counts={countBookings(view.slots)} />
        </div>
        <HostSlotList view={view} status={props.listStatus} />
        <p>
          <a class="button button--quiet" href={paths.adminCalendar(view.adminKey)} download="bookings.ics">
            Download all bookings (.ics)
          </a>
        </p>
      </section>
      <SettingsSection view={view} state={props.settings ?? {}} />
      <DashboardLinkSection adminKey={view.adminKey} />
    </Layout>
  );
}

export function AdminHead(props: { schedule: Schedule; oob?: boolean }) {
  const { schedule } = props;
  return (
    <header id={ids.scheduleHead} class="page-head" hx-swap-oob={props.oob ? 'true' : undefined}>
      <p class="eyebrow">Your dashboard</p>
      <h1>{schedule.title || 'Your schedule'}</h1>
      <p class="page-lede">
        {schedule.hostName ? `Hosted by ${schedule.hostName}. ` : ''}You add times in{' '}
        <strong>{zoneLabel(schedule.timeZone)}</strong>.
      </p>
    </header>
  );
}

export function BookingSummary(props: { counts: { total: number; booked: number }; oob?: boolean }) {
  const { total, booked } = props.counts;
  return (
    <p id={ids.bookingSummary} class="summary" hx-swap-oob={props.oob ? 'true' : undefined}>
      {total === 0 ? 'No slots yet' : `${booked} of ${total} ${total === 1 ? 'slot' : 'slots'} booked`}
    </p>
  );
}

const SPLIT_OPTIONS = [
  { value: '0', label: 'Keep as one slot' },
  { value: '15', label: '15-minute slots' },
  { value: '30', label: '30-minute slots' },
  { value: '45', label: '45-minute slots' },
  { value: '60', label: '60-minute slots' },
];

export function AddSlotSection(props: { view: HostView; state: FormState; oob?: boolean }) {
  const { view, state } = props;
  const { values = {}, errors = {} } = state;
  const action = paths.adminSlots(view.adminKey);
  return (
    <section
      id={ids.addSlot}
      class="card"
      aria-labelledby="add-slot-heading"
      hx-swap-oob={props.oob ? 'true' : undefined}
    >
      <h2 id="add-slot-heading">Add a slot</h2>
      <p class="field-hint">Times are in {zoneLabel(view.schedule.timeZone)}. A slot cannot run past midnight.</p>
      {state.status ? (
        <p class="form-status" role="status">
          {state.status}
        </p>
      ) : null}
      <FormError message={errors.form} />
      <form
        method="post"
        action={action}
        hx-post={action}
        hx-target={`#${ids.addSlot}`}
        hx-swap="outerHTML"
        hx-disabled-elt="find button"
        class="grid-form"
      >
        <InputField form="slot" name="date" label="Date" type="date" value={values.date} error={errors.date} required />
        <InputField
          form="slot"
          name="start"
          label="Start time"
          type="time"
          value={values.start}
          error={errors.start}
          required
        />
        <InputField
          form="slot"
          name="end"
          label="End time"
          type="time"
          value={values.end}
          error={errors.end}
          required
        />
        <SelectField
          form="slot"
          name="split"
          label="Split into"
          options={SPLIT_OPTIONS}
          value={values.split ?? '0'}
          error={errors.split}
        />
        <TextAreaField
          form="slot"
          name="notes"
          label="Notes"
          hint="Shown to visitors, for example where you meet."
          value={values.notes}
          error={errors.notes}
          maxlength={NOTES_MAX}
        />
        <div class="actions">
          <button type="submit" class="button">
            Add slot
          </button>
          <span class="htmx-indicator" aria-hidden="true">
            Adding…
          </span>
        </div>
      </form>
    </section>
  );
}

/** Every slot, by day in the schedule's zone, with who booked it. */
/** A message above the list after a delete, focused so keyboard users land somewhere sensible. */
export interface ListStatus {
  text: string;
  tone: 'info' | 'error';
}

export function HostSlotList(props: { view: HostView; oob?: boolean; status?: ListStatus | undefined }) {
  const { view } = props;
  const days = groupByDay(view.slots, view.schedule.timeZone);
  return (
    <div id={ids.slotList} class="slot-list" hx-swap-oob={props.oob ? 'true' : undefined}>
      {props.status ? (
        <p
          class={`list-status list-status--${props.status.tone}`}
          role={props.status.tone === 'error' ? 'alert' : 'status'}
          tabindex={-1}
          autofocus
        >
          {props.status.text}
        </p>
      ) : null}
      {days.length === 0 ? (
        <p class="empty">No slots yet. Add one above; it appears on your scheduling page at once.</p>
      ) : (
        <div id={ids.slotDays}>
          {days.map((day) => (
            <HostDay day={day} adminKey={view.adminKey} zone={view.schedule.timeZone} now={view.now} />
          ))}
        </div>
      )}
    </div>
  );
}

/** One day of the host's list; pushed on its own it replaces (or is inserted as) that day. */
export function HostDay(props: { day: DayGroup; adminKey: string; zone: string; now: Date; oob?: string }) {
  const { day } = props;
  return (
    <section
      id={daySectionId(day.dayKey)}
      class="day"
      aria-labelledby={dayHeadingId(day.dayKey)}
      hx-swap-oob={props.oob}
    >
      <h3 id={dayHeadingId(day.dayKey)}>{day.dayLabel}</h3>
      <ul class="slots slots--host" role="list">
        {day.items.map(({ slot }) => (
          <HostSlotItem adminKey={props.adminKey} slot={slot} zone={props.zone} now={props.now} />
        ))}
      </ul>
    </section>
  );
}

export function HostSlotItem(props: { adminKey: string; slot: Slot; zone: string; now: Date; oob?: boolean }) {
  const { slot, adminKey } = props;
  const state = slotStateFor(slot, null, props.now);
  const label = describeRange(slot.startsAt, slot.endsAt, props.zone);
  const booking = slot.booking;
  const action = paths.adminDeleteSlot(adminKey, slot.id);
  return (
    <li
      id={slotId(slot.id)}
      class={`slot host-slot slot--${booking ? 'booked' : state}`}
      hx-swap-oob={props.oob ? 'true' : undefined}
    >
      <span class="slot-time" id={slotButtonId(slot.id)}>
        {label.timeRange}
      </span>
      <span class="slot-state">
        {booking ? (
          <>
            Booked by <strong>{booking.name}</strong>
            {booking.email ? (
              <>
                {' '}
                (<a href={`mailto:${booking.email}`}>{booking.email}</a>)
              </>
            ) : null}
          </>
        ) : state === 'past' ? (
          'Past, not booked'
        ) : state === 'started' ? (
          'Started, not booked'
        ) : (
          'Open'
        )}
      </span>
      {booking ? null : (
        <form
          method="post"
          action={action}
          hx-post={action}
          hx-target={`#${ids.slotList}`}
          hx-swap="outerHTML"
          hx-disabled-elt="find button"
          class="slot-action"
        >
          <button type="submit" class="button button--small button--danger">
            Delete<span class="visually-hidden"> {label.full}</span>
          </button>
        </form>
      )}
      {slot.notes ? <p class="slot-notes">{slot.notes}</p> : null}
    </li>
  );
}

export function SettingsSection(props: { view: HostView; state: FormState }) {
  const { view, state } = props;
  const { errors = {} } = state;
  const values = state.values ?? {
    title: view.schedule.title,
    hostName: view.schedule.hostName,
    timeZone: view.schedule.timeZone,
  };
  const action = paths.adminSettings(view.adminKey);
  return (
    <section id={ids.settings} class="card" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Schedule settings</h2>
      {state.status ? (
        <p class="form-status" role="status">
          {state.status}
        </p>
      ) : null}
      <form
        method="post"
        action={action}
        hx-post={action}
        hx-target={`#${ids.settings}`}
        hx-swap="outerHTML"
        hx-disabled-elt="find button"
      >
        <InputField
          form="settings"
          name="title"
          label="Title"
          value={values.title}
          error={errors.title}
          maxlength={120}
        />
        <InputField
          form="settings"
          name="hostName"
          label="Your name"
          value={values.hostName}
          error={errors.hostName}
          maxlength={80}
          autocomplete="name"
        />
        <ZoneField
          form="settings"
          value={values.timeZone}
          error={errors.timeZone}
          hint="Changing it keeps every slot at the same moment; only how times read on this dashboard changes."
        />
        <div class="actions">
          <button type="submit" class="button">
            Save settings
          </button>
        </div>
      </form>
    </section>
  );
}

/**
 * The host's dashboard and its fragments: the share link, the slot list with bookings (live), the
 * booking summary; its two forms (adding slots, settings) are in admin-forms.tsx.
 */
import type { FormState } from './components/form-state.ts';
import { type Schedule, scheduleHeading } from '../src/domain/schedules.ts';
import { countBookings, type Slot, slotStateFor } from '../src/domain/slots.ts';
import { describeRange, zoneLabel } from '../src/domain/time.ts';
import { DashboardLinkSection, LinkReplacedNotice } from './admin-link.tsx';
import { type DayGroup, groupByDay } from './components/days.ts';
import { dayHeadingId, daySectionId, ids, slotButtonId, slotId } from './ids.ts';
import { AddSlotSection, SettingsSection } from './admin-forms.tsx';
import { AvailabilitySection, type AvailabilityState } from './availability-form.tsx';
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
  availability?: AvailabilityState;
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
      <AvailabilitySection
        adminKey={view.adminKey}
        zone={view.schedule.timeZone}
        now={view.now}
        state={props.availability ?? {}}
      />
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

/**
 * The visitor's side panel and "Your booking": the booking form (book or move), the answers to it,
 * and the visitor's own booking with its calendar links and Release button.
 */
import { bookingEvent } from '../src/domain/calendar.ts';
import { CalendarLinks } from './components/calendar-links.tsx';
import { ReleaseConfirm } from './components/release-confirm.tsx';
import type { FieldErrors } from '../src/domain/forms.ts';
import type { Locale } from '../src/domain/locale.ts';
import type { Schedule } from '../src/domain/schedules.ts';
import type { Slot } from '../src/domain/slots.ts';
import { describeRange } from '../src/domain/time.ts';
import { FormError, InputField } from './components/field.tsx';
import { ids, slotId } from './ids.ts';
import { paths } from './paths.ts';

export interface BookingFormProps {
  schedule: Schedule;
  slot: Slot;
  zone: string;
  locale: Locale;
  /** The visitor's current booking: the form then offers to move it here. */
  current: Slot | null;
  values?: Record<string, string>;
  errors?: FieldErrors;
}

/**
 * The one booking form: "Book", or, for a visitor who holds another time, the move confirmed in place
 * ("Move your booking? From … to …" with "Yes, move it" / "Keep it") with the name prefilled.
 */
export function BookingForm(props: BookingFormProps) {
  const { schedule, slot, zone, locale, current, errors = {} } = props;
  const label = describeRange(slot.startsAt, slot.endsAt, zone, locale);
  const moving = current !== null && current.id !== slot.id;
  const values =
    props.values ??
    (moving && current?.booking ? { name: current.booking.name, email: current.booking.email ?? '' } : {});
  const action = moving ? paths.moveBooking(schedule.publicId, slot.id) : paths.claimSlot(schedule.publicId, slot.id);
  return (
    <section class="panel" aria-labelledby="booking-form-heading">
      <h2 id="booking-form-heading">{moving ? 'Move your booking?' : `Book ${label.full}`}</h2>
      {moving && current ? (
        <p>
          From <strong>{describeRange(current.startsAt, current.endsAt, zone, locale).full}</strong> to{' '}
          <strong>{label.full}</strong>. Moving frees your time for others; if this one is taken first, you keep the one
          you have.
        </p>
      ) : null}
      {slot.notes ? <p class="slot-notes">{slot.notes}</p> : null}
      <FormError message={errors.form} />
      <form
        method="post"
        action={action}
        hx-post={action}
        hx-target={`#${ids.bookingPanel}`}
        hx-swap="innerHTML"
        hx-disabled-elt="find button"
        data-booking-slot={slot.id}
        data-slot-item={slotId(slot.id)}
      >
        <p class="form-error" role="alert" data-taken-notice hidden>
          Sorry, this time was just booked — choose another.
        </p>
        <InputField
          form="booking"
          name="name"
          label="Your name"
          value={values.name}
          error={errors.name}
          required
          maxlength={100}
          autocomplete="name"
          autofocus
        />
        <InputField
          form="booking"
          name="email"
          label="Email (optional)"
          type="email"
          value={values.email}
          error={errors.email}
          maxlength={254}
          autocomplete="email"
          hint="Only the host sees it."
        />
        <div class="actions">
          <button type="submit" class="button">
            {moving ? 'Yes, move it' : 'Book'}
          </button>
          <span class="htmx-indicator" aria-hidden="true">
            {moving ? 'Moving…' : 'Booking…'}
          </span>
          <a class="button button--quiet" href={paths.schedule(schedule.publicId)}>
            {moving ? 'Keep it' : 'Choose another time'}
          </a>
        </div>
      </form>
    </section>
  );
}

/** A refusal or notice in the panel, read out at once. */
export function PanelMessage(props: { title: string; message: string; tone?: 'error' | 'info' | 'success' }) {
  return (
    <section class={`panel panel--${props.tone ?? 'info'}`} role={props.tone === 'error' ? 'alert' : 'status'}>
      <h2 tabindex={-1} autofocus>
        {props.title}
      </h2>
      <p>{props.message}</p>
    </section>
  );
}

/**
 * The visitor's booking, one card: the time, who it is for, calendar links, the private manage link
 * (in the answer to the booking only: it is shown once, and public/app.js keeps it in the card when a
 * push re-sends the card), and Release, confirmed in place. Empty when they hold nothing, so a push
 * can fill it.
 */
export function MyBooking(props: {
  schedule: Schedule;
  slot: Slot | null;
  zone: string;
  locale: Locale;
  origin: string;
  /** In the answer to a booking or a move: the heading says so and takes focus. */
  just?: 'booked' | 'moved';
  /** In the answer to a booking: the private manage link, shown once. */
  manageUrl?: string | null;
  oob?: boolean;
}) {
  const { schedule, slot, zone, locale, origin } = props;
  const oob = props.oob ? 'true' : undefined;
  if (!slot?.booking) return <div id={ids.myBooking} hx-swap-oob={oob}></div>;
  const label = describeRange(slot.startsAt, slot.endsAt, zone, locale);
  const event = bookingEvent(schedule, slot, {
    audience: 'visitor',
    schedulingUrl: `${origin}${paths.schedule(schedule.publicId)}`,
    host: new URL(origin).host,
  });
  const heading =
    props.just === 'booked' ? 'You are booked' : props.just === 'moved' ? 'Booking moved' : 'Your booking';
  return (
    <section
      id={ids.myBooking}
      class="card card--mine"
      aria-labelledby="my-booking-heading"
      data-booking={slot.booking.id}
      data-booking-version={`${slot.id}:${slot.booking.sequence}`}
      hx-swap-oob={oob}
    >
      <h2 id="my-booking-heading" tabindex={-1} autofocus={props.just ? true : undefined} data-keep-text>
        {heading}
      </h2>
      <p class="my-booking-when">
        <strong>{label.full}</strong>
        {schedule.hostName ? ` with ${schedule.hostName}` : ''}
      </p>
      <p>
        Booked for {slot.booking.name}
        {slot.booking.email ? ` (${slot.booking.email})` : ''}
      </p>
      <CalendarLinks event={event} icsUrl={paths.myCalendar(schedule.publicId)} fileName="booking.ics" />
      <div class="manage-once" data-keep-slot>
        {props.manageUrl ? <ManageLink url={props.manageUrl} /> : null}
      </div>
      <ReleaseConfirm
        action={paths.release(schedule.publicId)}
        question={`Release ${label.full}? Anyone can then book it.`}
        htmxTarget={`#${ids.bookingPanel}`}
      />
    </section>
  );
}

/** The private link to the booking, with a copy button: shown once, in the answer to the booking. */
function ManageLink(props: { url: string }) {
  return (
    <div class="field">
      <label for="manage-link">Private link to release this booking from another device</label>
      <p class="field-hint" id="manage-link-hint">
        Copy it now: it is shown only once, and anyone who has it can release your booking.
      </p>
      <div class="copy-row">
        <input id="manage-link" type="text" readonly value={props.url} aria-describedby="manage-link-hint" />
        <button type="button" class="button button--quiet" data-copy="manage-link">
          Copy link
        </button>
      </div>
    </div>
  );
}

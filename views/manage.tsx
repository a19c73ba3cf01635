/** The private manage page a booking's link opens: see it, add it to a calendar, release it. */
import type { Child } from 'hono/jsx';
import { bookingEvent } from '../src/domain/calendar.ts';
import { CalendarLinks } from './components/calendar-links.tsx';
import { ReleaseConfirm } from './components/release-confirm.tsx';
import type { Locale } from '../src/domain/locale.ts';
import { type Schedule, scheduleHeading } from '../src/domain/schedules.ts';
import type { Slot } from '../src/domain/slots.ts';
import { describeRange, zoneLabel } from '../src/domain/time.ts';
import { Layout } from './layout.tsx';
import { ids } from './ids.ts';
import { paths } from './paths.ts';

export interface ManageView {
  schedule: Schedule;
  slot: Slot;
  manageKey: string;
  zone: string;
  locale: Locale;
  origin: string;
  now: Date;
}

/**
 * The page; before the browser has told us its zone (a new device), the card loads once the script
 * has stored it, and readers without JavaScript see the host's zone.
 */
export function ManagePage(props: { view: ManageView; message?: Child; zoneKnown: boolean }) {
  const { view } = props;
  return (
    <Layout title="Your booking">
      <header class="page-head">
        <p class="eyebrow">Your booking</p>
        <h1>{scheduleHeading(view.schedule)}</h1>
      </header>
      {props.message}
      {props.zoneKnown ? (
        <ManageCard view={view} />
      ) : (
        <>
          <div id={ids.manageCard} hx-get={paths.manage(view.manageKey)} hx-trigger="load" hx-swap="outerHTML">
            <p class="loading">Loading your booking in your time zone…</p>
          </div>
          <noscript>
            <ManageCard view={view} still />
          </noscript>
        </>
      )}
      <p>
        <a href={paths.schedule(view.schedule.publicId)}>Open the scheduling page</a>
      </p>
    </Layout>
  );
}

/** The booking as the manage link shows it, in `zone`: calendar links, and Release confirmed in place. */
export function ManageCard(props: { view: ManageView; still?: boolean }) {
  const { schedule, slot, manageKey, zone, locale, origin, now } = props.view;
  const label = describeRange(slot.startsAt, slot.endsAt, zone, locale);
  const schedulingUrl = `${origin}${paths.schedule(schedule.publicId)}`;
  const event = bookingEvent(schedule, slot, { audience: 'visitor', schedulingUrl, host: new URL(origin).host });
  const started = slot.startsAt.getTime() <= now.getTime();
  return (
    <section id={props.still ? undefined : ids.manageCard} class="card card--mine" aria-labelledby="manage-heading">
      <h2 id="manage-heading">{label.full}</h2>
      <p>Times shown in {zoneLabel(zone, now)}.</p>
      <p>
        Booked for {slot.booking?.name}
        {slot.booking?.email ? ` (${slot.booking.email})` : ''}.
      </p>
      {slot.notes ? <p class="slot-notes">{slot.notes}</p> : null}
      <CalendarLinks event={event} icsUrl={paths.manageCalendar(manageKey)} fileName="booking.ics" />
      {started ? (
        <p>This time has started, so it can no longer be released.</p>
      ) : (
        <ReleaseConfirm
          action={paths.manageRelease(manageKey)}
          question={`Release ${label.full}? Anyone can then book it, and this link stops working.`}
        />
      )}
    </section>
  );
}

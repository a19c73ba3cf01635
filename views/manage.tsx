/** The private manage page a booking's link opens: see it, add it to a calendar, release it. */
import type { Child } from 'hono/jsx';
import { bookingEvent } from '../src/domain/calendar.ts';
import { CalendarLinks } from './components/calendar-links.tsx';
import { type Schedule, scheduleHeading } from '../src/domain/schedules.ts';
import type { Slot } from '../src/domain/slots.ts';
import { describeRange, zoneLabel } from '../src/domain/time.ts';
import { Layout } from './layout.tsx';
import { paths } from './paths.ts';

export interface ManageView {
  schedule: Schedule;
  slot: Slot;
  manageKey: string;
  zone: string;
  origin: string;
  now: Date;
}

export function ManagePage(props: { view: ManageView; message?: Child }) {
  const { schedule, slot, manageKey, zone, origin, now } = props.view;
  const label = describeRange(slot.startsAt, slot.endsAt, zone);
  const schedulingUrl = `${origin}${paths.schedule(schedule.publicId)}`;
  const event = bookingEvent(schedule, slot, { audience: 'visitor', schedulingUrl, host: new URL(origin).host });
  const started = slot.startsAt.getTime() <= now.getTime();
  return (
    <Layout title="Your booking">
      <header class="page-head">
        <p class="eyebrow">Your booking</p>
        <h1>{scheduleHeading(schedule)}</h1>
      </header>
      {props.message}
      <section class="card card--mine" aria-labelledby="manage-heading">
        <h2 id="manage-heading">{label.full}</h2>
        <p>Times shown in {zoneLabel(zone)}.</p>
        <p>
          Booked for {slot.booking?.name}
          {slot.booking?.email ? ` (${slot.booking.email})` : ''}.
        </p>
        {slot.notes ? <p class="slot-notes">{slot.notes}</p> : null}
        <CalendarLinks event={event} icsUrl={paths.manageCalendar(manageKey)} fileName="booking.ics" />
        {started ? (
          <p>This time has started, so it can no longer be released.</p>
        ) : (
          <form method="post" action={paths.manageRelease(manageKey)}>
            <button type="submit" class="button button--quiet">
              Release this time
            </button>
          </form>
        )}
      </section>
      <p>
        <a href={paths.schedule(schedule.publicId)}>Open the scheduling page</a>
      </p>
    </Layout>
  );
}

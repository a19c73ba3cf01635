/**
 * The public scheduling page and its lasting parts: the heading, the zone bar, the visitor's own
 * booking and the booking view (views/booking-calendar.tsx); and one slot as a visitor sees it. The
 * same partials render the page, the htmx answers and the live pushes.
 */
import type { Child } from 'hono/jsx';
import type { Locale } from '../src/domain/locale.ts';
import type { Schedule } from '../src/domain/schedules.ts';
import { scheduleHeading } from '../src/domain/schedules.ts';
import type { BookingView } from '../src/domain/slot-calendar.ts';
import type { Slot } from '../src/domain/slots.ts';
import { zoneLabel } from '../src/domain/time.ts';
import { BookingViewArea } from './booking-calendar.tsx';
import { MyBooking } from './booking-panel.tsx';
import { ZoneField } from './components/zone-field.tsx';
import { ids } from './ids.ts';
import { Layout, LiveStatus } from './layout.tsx';
import { paths } from './paths.ts';

/** What one visitor sees: their zone (null until the browser has told us), their booking, a view. */
export interface VisitorView {
  schedule: Schedule;
  /** The zone times are shown in; null on a first visit before the script has stored it. */
  zone: string | null;
  locale: Locale;
  visitorHash: string | null;
  now: Date;
  /** The site's origin, for links that leave the page (calendar links). */
  origin: string;
  /** The visitor's current booking, if any. */
  mine: Slot | null;
  /** The month and day shown, in `zone` (or, before the zone is known, in the host's). */
  booking: BookingView;
  /** The month or day the request asked for (the first view loads it once the zone is known). */
  request: { month?: string | undefined; day?: string | undefined };
}

/** `card`: the visitor's card as an answer renders it (just booked, with the manage link). */
export function SchedulePage(props: { view: VisitorView; panel?: Child; card?: Child }) {
  const { view } = props;
  const { schedule } = view;
  const zone = view.zone ?? schedule.timeZone;
  return (
    <Layout title={scheduleHeading(schedule)}>
      <LiveStatus state="connecting" />
      <ScheduleHead schedule={schedule} />
      <ZoneBar schedule={schedule} zone={view.zone} now={view.now} />
      {props.card ?? (
        <MyBooking schedule={schedule} slot={view.mine} zone={zone} locale={view.locale} origin={view.origin} />
      )}
      {view.zone ? (
        <VisitorBookingView view={view} panel={props.panel} />
      ) : (
        <>
          <PendingBookingView publicId={schedule.publicId} request={view.request} />
          <noscript>
            <VisitorBookingView view={view} panel={props.panel} still />
          </noscript>
        </>
      )}
    </Layout>
  );
}

/** The booking view (month, day, panel) of a visitor's view: in the page, or alone as htmx's answer. */
export function VisitorBookingView(props: { view: VisitorView; panel?: Child; still?: boolean }) {
  const { view } = props;
  return (
    <BookingViewArea
      publicId={view.schedule.publicId}
      view={view.booking}
      locale={view.locale}
      visitorHash={view.visitorHash}
      now={view.now}
      panel={props.panel}
      still={props.still}
    />
  );
}

export function ScheduleHead(props: { schedule: Schedule; oob?: boolean }) {
  const { schedule } = props;
  return (
    <header id={ids.scheduleHead} class="page-head" hx-swap-oob={props.oob ? 'true' : undefined}>
      <h1>{scheduleHeading(schedule)}</h1>
      {schedule.title && schedule.hostName ? <p class="page-lede">with {schedule.hostName}</p> : null}
      <p class="page-lede">Choose a time that suits you. Times disappear for everyone the moment someone books them.</p>
    </header>
  );
}

/** "Times shown in America/Denver (Mountain Time)" and the control to change it. */
export function ZoneBar(props: { schedule: Schedule; zone: string | null; now: Date }) {
  const { schedule } = props;
  return (
    <section class="zone-bar" aria-label="Time zone">
      <ZoneLabel zone={props.zone} hostZone={schedule.timeZone} now={props.now} />
      {props.zone ? null : (
        <noscript>
          <p class="zone-label">
            Times shown in <strong>{zoneLabel(schedule.timeZone, props.now)}</strong>, the host's time zone.
          </p>
        </noscript>
      )}
      <details class="zone-change">
        <summary>Change time zone</summary>
        <form method="post" action={paths.chooseZone()} class="inline-form">
          <input type="hidden" name="return" value={paths.schedule(schedule.publicId)} />
          <ZoneField form="zone" name="zone" label="Show times in" value={props.zone ?? schedule.timeZone} />
          <div class="actions">
            <button type="submit" class="button">
              Show times in this zone
            </button>
            <button type="submit" name="zone" value="auto" class="button button--quiet">
              Use my device's time zone
            </button>
          </div>
        </form>
      </details>
    </section>
  );
}

export function ZoneLabel(props: { zone: string | null; hostZone: string; now: Date; oob?: boolean }) {
  return (
    <p id={ids.zoneLabel} class="zone-label" hx-swap-oob={props.oob ? 'true' : undefined}>
      {props.zone ? (
        <>
          Times shown in <strong>{zoneLabel(props.zone, props.now)}</strong>
          {props.zone === props.hostZone ? ", the host's time zone too." : '.'}
        </>
      ) : null}
    </p>
  );
}

/** First visit: the booking view loads once the script has stored the browser's zone. */
function PendingBookingView(props: { publicId: string; request: VisitorView['request'] }) {
  return (
    <div
      id={ids.bookingViewPending}
      class="booking-view"
      hx-get={paths.scheduleView(props.publicId, props.request)}
      hx-trigger="load"
      hx-swap="outerHTML"
    >
      <p class="loading">Loading times in your time zone…</p>
    </div>
  );
}

/**
 * The public scheduling page and the fragments it is updated with: the slot list (as a whole and
 * slot by slot), the zone label and the heading. The same partials render the page, the htmx
 * answers and the live pushes.
 */
import type { Child } from 'hono/jsx';
import type { Schedule } from '../src/domain/schedules.ts';
import { scheduleHeading } from '../src/domain/schedules.ts';
import { type Slot, slotStateFor, type SlotState } from '../src/domain/slots.ts';
import { describeRange, startOfToday, zoneLabel } from '../src/domain/time.ts';
import { ZoneField } from './components/zone-field.tsx';
import { type DayGroup, groupByDay } from './components/days.ts';
import { dayHeadingId, daySectionId, ids, slotButtonId, slotId } from './ids.ts';
import { Layout } from './layout.tsx';
import { paths } from './paths.ts';
import { MyBooking, PanelIntro } from './booking-panel.tsx';

/** What one visitor sees: their zone (null until the browser has told us), their booking. */
export interface VisitorView {
  schedule: Schedule;
  slots: readonly Slot[];
  /** The zone times are shown in; null on a first visit before the script has stored it. */
  zone: string | null;
  visitorHash: string | null;
  now: Date;
  /** The site's origin, for links that leave the page (calendar links). */
  origin: string;
}

/** The visitor's current pick among the slots, if any. */
export function findMine(view: Pick<VisitorView, 'slots' | 'visitorHash' | 'now'>): Slot | null {
  if (!view.visitorHash) return null;
  return view.slots.find((s) => slotStateFor(s, view.visitorHash, view.now) === 'mine') ?? null;
}

export function SchedulePage(props: { view: VisitorView; panel?: Child }) {
  const { view } = props;
  const { schedule } = view;
  const zone = view.zone ?? schedule.timeZone;
  return (
    <Layout title={scheduleHeading(schedule)} live={paths.scheduleLive(schedule.publicId)}>
      <ScheduleHead schedule={schedule} />
      <ZoneBar schedule={schedule} zone={view.zone} />
      <MyBooking schedule={schedule} slot={findMine(view)} zone={zone} origin={view.origin} />
      <div id={ids.bookingPanel} class="booking-panel">
        {props.panel ?? <PanelIntro hasSlots={view.slots.some((s) => slotStateFor(s, null, view.now) === 'open')} />}
      </div>
      <section class="times" aria-labelledby={ids.slotListHeading}>
        <h2 id={ids.slotListHeading}>Times</h2>
        {view.zone ? (
          <VisitorSlotList view={view} />
        ) : (
          <>
            <PendingSlotList publicId={schedule.publicId} />
            <noscript>
              <VisitorSlotList view={{ ...view, zone: schedule.timeZone }} asFallback />
            </noscript>
          </>
        )}
      </section>
    </Layout>
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
export function ZoneBar(props: { schedule: Schedule; zone: string | null }) {
  const { schedule } = props;
  return (
    <section class="zone-bar" aria-label="Time zone">
      <ZoneLabel zone={props.zone} hostZone={schedule.timeZone} />
      {props.zone ? null : (
        <noscript>
          <p class="zone-label">
            Times shown in <strong>{zoneLabel(schedule.timeZone)}</strong>, the host's time zone.
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

export function ZoneLabel(props: { zone: string | null; hostZone: string; oob?: boolean }) {
  return (
    <p id={ids.zoneLabel} class="zone-label" hx-swap-oob={props.oob ? 'true' : undefined}>
      {props.zone ? (
        <>
          Times shown in <strong>{zoneLabel(props.zone)}</strong>
          {props.zone === props.hostZone ? ", the host's time zone too." : '.'}
        </>
      ) : null}
    </p>
  );
}

/** First visit: the list loads once the script has stored the browser's zone. */
function PendingSlotList(props: { publicId: string }) {
  return (
    <div
      id={ids.slotList}
      class="slot-list"
      hx-get={paths.scheduleSlots(props.publicId)}
      hx-trigger="load"
      hx-swap="outerHTML"
    >
      <p class="loading">Loading times in your time zone…</p>
    </div>
  );
}

/**
 * The slots a visitor sees: those of today and later days, in their zone (today's earlier ones
 * shown as past). A whole day at a time, so a live push can replace, add or remove a day without
 * guessing what an open page still shows.
 */
export function visibleToVisitors(slots: readonly Slot[], zone: string, now: Date): Slot[] {
  const from = startOfToday(zone, now).getTime();
  return slots.filter((s) => s.startsAt.getTime() >= from);
}

/** The slots a visitor sees, by day in their zone. */
export function VisitorSlotList(props: { view: VisitorView; oob?: boolean; asFallback?: boolean }) {
  const { view } = props;
  const zone = view.zone ?? view.schedule.timeZone;
  const days = groupByDay(visibleToVisitors(view.slots, zone, view.now), zone);
  const choose = paths.chooseSlot(view.schedule.publicId);
  return (
    <div
      id={props.asFallback ? undefined : ids.slotList}
      class="slot-list"
      hx-swap-oob={props.oob ? 'true' : undefined}
    >
      {days.length === 0 ? (
        <p class="empty">No times yet. This page updates by itself when the host adds some.</p>
      ) : (
        // One GET form for every slot: the chosen slot's button submits its own id. htmx puts the
        // booking form in the panel; without JavaScript the same URL is the page with the form.
        <form
          id={props.asFallback ? undefined : ids.slotDays}
          method="get"
          action={choose}
          hx-get={choose}
          hx-target={`#${ids.bookingPanel}`}
          hx-swap={`innerHTML show:#${ids.bookingPanel}:top`}
        >
          {days.map((day) => (
            <VisitorDay
              day={day}
              zone={zone}
              visitorHash={view.visitorHash}
              now={view.now}
              withIds={!props.asFallback}
            />
          ))}
        </form>
      )}
    </div>
  );
}

/** One day of the visitor's list; pushed on its own it replaces (or is inserted as) that day. */
export function VisitorDay(props: {
  day: DayGroup;
  zone: string;
  visitorHash: string | null;
  now: Date;
  withIds?: boolean;
  oob?: string;
}) {
  const { day } = props;
  const withIds = props.withIds ?? true;
  return (
    <section
      id={withIds ? daySectionId(day.dayKey) : undefined}
      class="day"
      aria-labelledby={dayHeadingId(day.dayKey)}
      hx-swap-oob={props.oob}
    >
      <h3 id={dayHeadingId(day.dayKey)}>{day.dayLabel}</h3>
      <ul class="slots" role="list">
        {day.items.map(({ slot }) => (
          <VisitorSlotItem slot={slot} zone={props.zone} state={slotStateFor(slot, props.visitorHash, props.now)} />
        ))}
      </ul>
    </section>
  );
}

const STATE_TEXT: Record<SlotState, string> = {
  open: 'Open',
  booked: 'Booked',
  mine: 'Your booking',
  started: 'Started',
  past: 'Past',
};

/**
 * One slot as a visitor sees it: a button while open (it submits the list's form with its id),
 * disabled with its state otherwise. Pushed on its own, it replaces its namesake inside that form.
 */
export function VisitorSlotItem(props: { slot: Slot; zone: string; state: SlotState; oob?: boolean }) {
  const { slot, state } = props;
  const label = describeRange(slot.startsAt, slot.endsAt, props.zone);
  return (
    <li id={slotId(slot.id)} class={`slot slot--${state}`} hx-swap-oob={props.oob ? 'true' : undefined}>
      <button
        type="submit"
        id={slotButtonId(slot.id)}
        class="slot-button"
        name="slot"
        value={slot.id}
        disabled={state !== 'open'}
      >
        <span class="slot-time">{label.timeRange}</span>
        <span class="visually-hidden"> on {label.shortDay}</span>
        <span class="slot-state">
          <span class="visually-hidden">, </span>
          {STATE_TEXT[state]}
        </span>
      </button>
      {slot.notes ? <p class="slot-notes">{slot.notes}</p> : null}
    </li>
  );
}

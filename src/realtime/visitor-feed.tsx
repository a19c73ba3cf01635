/**
 * Live updates for visitors' booking views. Each socket shows one view (zone, locale, month, day),
 * carried in its URL; a change reaches only the views it concerns:
 *  - a date's calendar cell, to views whose month holds a date the change touched (in their zone);
 *  - the day's times, to views showing that day: the changed slots alone after bookings, the whole
 *    day after slots were added or deleted there; with one announcement for the day, batched;
 *  - "Next available", to every view, only when it changed.
 * One render per distinct view (and per booker the change concerns); reads follow the change: the
 * touched days' counts per zone, the re-sent days' slots.
 */
import type { Child } from 'hono/jsx';
import type { Database } from '../db/client.ts';
import type { Schedule } from '../domain/schedules.ts';
import {
  type BookingView,
  dayOfInstant,
  findNextOpenSlot,
  listSlotsOfDay,
  readBookingView,
  readDayCounts,
} from '../domain/slot-calendar.ts';
import { type Slot, slotStateFor } from '../domain/slots.ts';
import { addDays, describeDate, describeRange } from '../domain/time.ts';
import {
  CalendarCell,
  DayTimes,
  MonthCalendar,
  NextAvailable,
  VisitorSlotItem,
} from '../../views/booking-calendar.tsx';
import { MyBooking } from '../../views/booking-panel.tsx';
import { Announcement, LiveStatus } from '../../views/layout.tsx';
import { ScheduleHead, ZoneLabel } from '../../views/schedule.tsx';
import { type FanOutOptions, fanOut } from './fan-out.ts';
import type { Subscriber } from './hub.ts';
import { mineKeyOf, type VisitorViewer, visitorViewKey } from './schedule-viewer.ts';

/** A visitor's view as read for a full state. */
export type VisitorState = { schedule: Schedule; view: BookingView; now: Date };

/** Reads what a socket's view shows (and fixes the view's month and day if it had none yet). */
export async function readVisitorState(
  db: Database,
  schedule: Schedule,
  viewer: VisitorViewer,
  now: Date,
): Promise<VisitorState> {
  const view = await readBookingView(
    db,
    schedule.id,
    { month: viewer.month ?? undefined, day: viewer.day ?? undefined },
    viewer.zone,
    now,
  );
  return { schedule, view, now };
}

/** A view's state as someone with no booking sees it: shared by every socket of that view. */
export function VisitorSharedState(props: { state: VisitorState; viewer: VisitorViewer }) {
  const { state, viewer } = props;
  const { schedule, view } = state;
  return (
    <>
      <ScheduleHead schedule={schedule} oob />
      <ZoneLabel zone={viewer.zone} hostZone={schedule.timeZone} now={state.now} oob />
      <NextAvailable publicId={schedule.publicId} next={view.next} zone={view.zone} locale={viewer.locale} oob />
      <MonthCalendar publicId={schedule.publicId} view={view} locale={viewer.locale} oob />
      <DayTimes
        publicId={schedule.publicId}
        day={view.day}
        slots={view.daySlots}
        zone={view.zone}
        locale={viewer.locale}
        visitorHash={null}
        now={state.now}
        oob
      />
      <LiveStatus state="live" oob />
    </>
  );
}

/** The part for one visitor: their booking card and, when their slot is on the day shown, that slot as theirs. */
export function VisitorOwnState(props: { state: VisitorState; viewer: VisitorViewer; mine: Slot | null }) {
  const { state, viewer, mine } = props;
  return (
    <>
      <MyBooking
        schedule={state.schedule}
        slot={mine}
        zone={viewer.zone}
        locale={viewer.locale}
        origin={viewer.origin}
        oob
      />
      {mine && dayOfInstant(mine.startsAt, viewer.zone) === state.view.day ? (
        <VisitorSlotItem slot={mine} zone={viewer.zone} locale={viewer.locale} state="mine" oob />
      ) : null}
    </>
  );
}

export interface VisitorChange {
  /** Slots whose booking changed, as they are now. */
  booked: readonly Slot[];
  /** Start instants of slots added or deleted: their days are re-sent whole. */
  reshaped: readonly number[];
  /** Slots deleted: a booker holding one loses their booking card. */
  deleted: ReadonlySet<string>;
}

export interface VisitorPushDeps {
  db: Database;
  now: () => Date;
  fanOpts: (kind: string) => FanOutOptions;
  /** "Next available" as last sent to this topic's pages (epoch ms, null for none; undefined: unknown). */
  lastNext: number | null | undefined;
}

/** What one zone makes of a change: the days it touched there, and the days reshaped. */
interface ZoneChange {
  touched: Set<string>;
  reshaped: Set<string>;
}

/**
 * Sends a change to the visitors' views it concerns; returns "Next available" as now sent (epoch
 * ms or null) for the feed to remember.
 */
export async function pushToVisitors(
  deps: VisitorPushDeps,
  schedule: Schedule,
  visitors: readonly Subscriber<VisitorViewer>[],
  change: VisitorChange,
): Promise<number | null> {
  const { db } = deps;
  const now = deps.now();
  const next = await findNextOpenSlot(db, schedule.id, now);
  const nextAt = next ? next.startsAt.getTime() : null;
  const nextChanged = nextAt !== deps.lastNext;
  const instants = [...change.booked.map((s) => s.startsAt.getTime()), ...change.reshaped];

  const zones = new Map<string, ZoneChange>();
  const zoneChange = (zone: string): ZoneChange => {
    let z = zones.get(zone);
    if (!z) {
      z = {
        touched: new Set(instants.map((t) => dayOfInstant(new Date(t), zone))),
        reshaped: new Set(change.reshaped.map((t) => dayOfInstant(new Date(t), zone))),
      };
      zones.set(zone, z);
    }
    return z;
  };
  // Counts of the touched days, per zone, read once (a span of consecutive dates) when some view needs them.
  const counts = new Map<string, Promise<Map<string, { open: number; total: number }>>>();
  const countsIn = (zone: string) => {
    let read = counts.get(zone);
    if (!read) {
      const days = [...zoneChange(zone).touched].sort();
      const dates: string[] = [];
      for (let d = days[0]!; d <= days[days.length - 1]!; d = addDays(d, 1)) dates.push(d);
      read = readDayCounts(db, schedule.id, dates, zone, now);
      counts.set(zone, read);
    }
    return read;
  };
  const dayLists = new Map<string, Promise<Slot[]>>();
  const dayList = (zone: string, day: string) => {
    const key = `${zone}|${day}`;
    let read = dayLists.get(key);
    if (!read) {
      read = listSlotsOfDay(db, schedule.id, day, zone);
      dayLists.set(key, read);
    }
    return read;
  };

  const bookedBy = new Set(change.booked.map((s) => s.booking?.visitorHash).filter((h): h is string => Boolean(h)));
  const changedIds = new Set([...change.booked.map((s) => s.id), ...change.deleted]);
  const mineIdOf = (v: VisitorViewer) => v.mineKey?.split(':')[0] || null;
  /** The viewer's booking card after this change: a slot, null (gone), or undefined (unchanged). */
  const mineAfter = (v: VisitorViewer): Slot | null | undefined => {
    const theirs = v.visitorHash
      ? change.booked.find((s) => slotStateFor(s, v.visitorHash, now) === 'mine')
      : undefined;
    if (theirs) return mineKeyOf(theirs) === v.mineKey ? undefined : theirs;
    const previous = mineIdOf(v);
    return previous && changedIds.has(previous) ? null : undefined;
  };
  /** Whether the viewer needs a render of their own: the change concerns their booking. */
  const concerns = (v: VisitorViewer) => {
    if (v.visitorHash && bookedBy.has(v.visitorHash)) return true;
    const mineId = mineIdOf(v);
    if (!mineId) return false;
    if (changedIds.has(mineId)) return true;
    return v.day !== null && zoneChange(v.zone).reshaped.has(v.day);
  };
  const cards = new Map<VisitorViewer, Slot | null | undefined>();
  for (const { viewer } of visitors) if (concerns(viewer)) cards.set(viewer, mineAfter(viewer));

  const keyOf = (v: VisitorViewer) => {
    const view = visitorViewKey(v);
    if (!cards.has(v)) return view;
    const card = cards.get(v);
    return `${view}|${v.visitorHash}|${v.mineKey ?? ''}|${card === undefined ? '-' : mineKeyOf(card)}`;
  };

  await fanOut(
    visitors,
    keyOf,
    async (viewer) => {
      const own = cards.has(viewer);
      const visitorHash = own ? viewer.visitorHash : null;
      const { touched, reshaped } = zoneChange(viewer.zone);
      const parts: Child[] = [];
      const month = viewer.month;
      const cellDays = month ? [...touched].filter((d) => d.startsWith(month)) : [];
      if (cellDays.length > 0 && month) {
        const dayCounts = await countsIn(viewer.zone);
        const view = { month, day: viewer.day, today: dayOfInstant(now, viewer.zone), counts: dayCounts };
        for (const date of cellDays) {
          parts.push(<CalendarCell publicId={schedule.publicId} view={view} date={date} locale={viewer.locale} oob />);
        }
      }
      const day = viewer.day;
      if (day && touched.has(day)) {
        const label = describeDate(day, viewer.locale).shortDay;
        if (reshaped.has(day)) {
          parts.push(
            <DayTimes
              publicId={schedule.publicId}
              day={day}
              slots={await dayList(viewer.zone, day)}
              zone={viewer.zone}
              locale={viewer.locale}
              visitorHash={visitorHash}
              now={now}
              oob
            />,
          );
          parts.push(<Announcement text={`The host changed the times on ${label}.`} />);
        } else {
          const onDay = change.booked.filter((s) => dayOfInstant(s.startsAt, viewer.zone) === day);
          const taken: Slot[] = [];
          const freed: Slot[] = [];
          for (const slot of onDay) {
            const state = slotStateFor(slot, visitorHash, now);
            parts.push(<VisitorSlotItem slot={slot} zone={viewer.zone} locale={viewer.locale} state={state} oob />);
            if (state === 'mine') continue; // their own doing: their page said so
            // An open booking form for it says so itself (public/app.js), keeping what was typed.
            (slot.booking ? taken : freed).push(slot);
          }
          // One sentence for the day: the time itself when there is one, else how many.
          const what = (list: Slot[]) =>
            list.length === 1
              ? `${describeRange(list[0]!.startsAt, list[0]!.endsAt, viewer.zone, viewer.locale).timeRange} on ${label}`
              : `${list.length} times on ${label}`;
          const sentences = [
            taken.length ? `${what(taken)} ${taken.length === 1 ? 'was' : 'were'} just booked.` : '',
            freed.length ? `${what(freed)} ${freed.length === 1 ? 'is' : 'are'} open again.` : '',
          ].filter(Boolean);
          if (sentences.length) parts.push(<Announcement text={sentences.join(' ')} />);
        }
      }
      if (nextChanged) {
        parts.push(
          <NextAvailable publicId={schedule.publicId} next={next} zone={viewer.zone} locale={viewer.locale} oob />,
        );
      }
      const card = cards.get(viewer);
      if (card !== undefined) {
        parts.push(
          <MyBooking
            schedule={schedule}
            slot={card}
            zone={viewer.zone}
            locale={viewer.locale}
            origin={viewer.origin}
            oob
          />,
        );
      }
      return parts.length > 0 ? <>{parts}</> : null;
    },
    deps.fanOpts('visitor'),
  );
  for (const [viewer, card] of cards) if (card !== undefined) viewer.mineKey = mineKeyOf(card);
  return nextAt;
}

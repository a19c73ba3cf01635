/**
 * What the schedule feed sends, as JSX: the full state a socket gets when it opens (a part shared by
 * every viewer of one view, and a part for the booker alone), and the day-by-day changes of a
 * visitor's list (a host's week-by-week changes are views/admin-slots.tsx's HostChanges).
 * Pure: data in, fragments out.
 */
import type { Child } from 'hono/jsx';
import type { Schedule } from '../domain/schedules.ts';
import { countBookings, type Slot } from '../domain/slots.ts';
import type { SlotFilter } from '../domain/slot-filters.ts';
import { AdminHead, BookingSummary } from '../../views/admin.tsx';
import { HostSlotList } from '../../views/admin-slots.tsx';
import { MyBooking } from '../../views/booking-panel.tsx';
import type { DayGroup } from '../../views/components/days.ts';
import { daySectionId, ids } from '../../views/ids.ts';
import { LiveStatus } from '../../views/layout.tsx';
import { ScheduleHead, VisitorDay, VisitorSlotItem, VisitorSlotList, ZoneLabel } from '../../views/schedule.tsx';
import type { DayChange } from './day-changes.ts';

/** Everything about a schedule that a full render needs, read once per topic and shared. */
export interface ScheduleState {
  schedule: Schedule;
  slots: Slot[];
  now: Date;
}

/** A host's whole dashboard state (the same for every dashboard open on the current key with one filter). */
export function HostFullState(props: { state: ScheduleState; adminKey: string; show: SlotFilter }) {
  const { state } = props;
  return (
    <>
      <AdminHead schedule={state.schedule} oob />
      <BookingSummary counts={countBookings(state.slots)} oob />
      <HostSlotList
        view={{
          schedule: state.schedule,
          adminKey: props.adminKey,
          slots: state.slots,
          now: state.now,
          show: props.show,
        }}
        oob
      />
      <LiveStatus state="live" oob />
    </>
  );
}

/** A visitor's page in one zone, as someone with no booking sees it: shared by every visitor there. */
export function VisitorSharedState(props: { state: ScheduleState; zone: string; origin: string }) {
  const { state } = props;
  return (
    <>
      <ScheduleHead schedule={state.schedule} oob />
      <ZoneLabel zone={props.zone} hostZone={state.schedule.timeZone} oob />
      <VisitorSlotList
        view={{
          schedule: state.schedule,
          slots: state.slots,
          zone: props.zone,
          visitorHash: null,
          now: state.now,
          origin: props.origin,
        }}
        oob
      />
      <LiveStatus state="live" oob />
    </>
  );
}

/** The part for one visitor: their booking panel and, if they hold a slot, that slot as theirs. */
export function VisitorOwnState(props: {
  schedule: Schedule;
  mine: Slot | null;
  slotShown: boolean;
  zone: string;
  origin: string;
}) {
  return (
    <>
      <MyBooking schedule={props.schedule} slot={props.mine} zone={props.zone} origin={props.origin} oob />
      {props.mine && props.slotShown ? <VisitorSlotItem slot={props.mine} zone={props.zone} state="mine" oob /> : null}
    </>
  );
}

/** Day changes as out-of-band swaps: a day replaced, inserted after its neighbour, or deleted. */
export function DayChanges(props: { changes: DayChange[]; renderDay: (day: DayGroup, oob?: string) => Child }) {
  return (
    <>
      {props.changes.map((change) => {
        if (change.op === 'replace') return props.renderDay(change.day, 'true');
        if (change.op === 'delete') return <section id={daySectionId(change.dayKey)} hx-swap-oob="delete" />;
        // Inserted content is the wrapper's children (htmx strips the wrapper for insertions).
        const where = change.after ? `afterend:#${daySectionId(change.after)}` : `afterbegin:#${ids.slotDays}`;
        return <div hx-swap-oob={where}>{props.renderDay(change.day)}</div>;
      })}
    </>
  );
}

export const visitorDay = (zone: string, now: Date) => (day: DayGroup, oob?: string) => (
  <VisitorDay day={day} zone={zone} visitorHash={null} now={now} oob={oob} />
);

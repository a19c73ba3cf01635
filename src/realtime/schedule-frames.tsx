/**
 * What the schedule feed sends, as JSX: the full state a socket gets when it opens (a part shared by
 * every viewer of one view, and a part for the booker alone), and the day-by-day changes of a list.
 * Pure: data in, fragments out.
 */
import type { Child } from 'hono/jsx';
import type { Schedule } from '../domain/schedules.ts';
import { countBookings, type Slot } from '../domain/slots.ts';
import { AdminHead, BookingSummary, HostDay, HostSlotList } from '../../views/admin.tsx';
import type { DayGroup } from '../../views/components/days.ts';
import { daySectionId, ids } from '../../views/ids.ts';
import { LiveStatus } from '../../views/layout.tsx';
import type { DayChange } from './day-changes.ts';

/** Everything about a schedule that a full render needs, read once per topic and shared. */
export interface ScheduleState {
  schedule: Schedule;
  slots: Slot[];
  now: Date;
}

/** A host's whole dashboard state (the same for every dashboard open on the current key). */
export function HostFullState(props: { state: ScheduleState; adminKey: string }) {
  const { state } = props;
  return (
    <>
      <AdminHead schedule={state.schedule} oob />
      <BookingSummary counts={countBookings(state.slots)} oob />
      <HostSlotList
        view={{ schedule: state.schedule, adminKey: props.adminKey, slots: state.slots, now: state.now }}
        oob
      />
      <LiveStatus state="live" oob />
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

export const hostDay = (adminKey: string, zone: string, now: Date) => (day: DayGroup, oob?: string) => (
  <HostDay day={day} adminKey={adminKey} zone={zone} now={now} oob={oob} />
);

/**
 * The full state a dashboard's socket gets when it opens (a host's week-by-week changes are
 * views/admin-slots.tsx's HostChanges; visitors' frames are in visitor-feed.tsx). Pure: data in,
 * fragments out.
 */
import type { Schedule } from '../domain/schedules.ts';
import { countBookings, type Slot } from '../domain/slots.ts';
import { AdminHead, BookingSummary } from '../../views/admin.tsx';
import { HostSlotList } from '../../views/admin-slots.tsx';
import { LiveStatus } from '../../views/layout.tsx';
import type { HostViewer } from './schedule-viewer.ts';

/** Everything about a schedule that a full render needs, read once per topic and shared. */
export interface ScheduleState {
  schedule: Schedule;
  slots: Slot[];
  now: Date;
}

/** A host's whole dashboard state (the same for every dashboard open on the current key with one filter). */
export function HostFullState(props: { state: ScheduleState; viewer: HostViewer }) {
  const { state, viewer } = props;
  return (
    <>
      <AdminHead schedule={state.schedule} oob />
      <BookingSummary counts={countBookings(state.slots)} oob />
      <HostSlotList
        view={{
          schedule: state.schedule,
          adminKey: viewer.adminKey,
          slots: state.slots,
          now: state.now,
          show: viewer.show,
          locale: viewer.locale,
        }}
        oob
      />
      <LiveStatus state="live" oob />
    </>
  );
}

/**
 * Pushing visitors' slot-list changes day by day: given what the pages hold (start instants) and
 * what the database holds now, each view is sent the days that changed in its zone (replaced,
 * inserted after the day before, or removed), or its whole list when it goes from empty to not or
 * back. Bookers whose slot was re-sent see it as theirs again; bookers whose slot was deleted lose
 * their panel. (Hosts' dashboards change week by week: schedule-hosts.tsx.)
 */
import type { Schedule } from '../domain/schedules.ts';
import { type Slot, slotStateFor } from '../domain/slots.ts';
import { startOfToday } from '../domain/time.ts';
import { MyBooking } from '../../views/booking-panel.tsx';
import { Announcement } from '../../views/layout.tsx';
import { renderHtml } from '../../views/render.ts';
import { VisitorSlotItem } from '../../views/schedule.tsx';
import { type DayChange, planDayChanges } from './day-changes.ts';
import { type FanOutOptions, fanOut } from './fan-out.ts';
import type { Subscriber } from './hub.ts';
import { DayChanges, type ScheduleState, VisitorSharedState, visitorDay } from './schedule-frames.tsx';
import { isVisitor, type ScheduleViewer } from './schedule-viewer.ts';
import { encodeMessage } from './socket.ts';

export interface DayPush {
  schedule: Schedule;
  /** Start instants the pages hold, ascending. */
  before: readonly number[];
  /** Start instants now, ascending. */
  after: readonly number[];
  /** The slots now in a span holding every changed day whole (or every slot). */
  spanSlots: readonly Slot[];
  /** Instants whose days are re-sent even if no slot came or went there. */
  hinted: readonly number[];
  /** Slots deleted: a booker holding one loses their "Your booking". */
  deleted: ReadonlySet<string>;
  /** Every slot, when a view's list is sent whole. */
  wholeState: () => Promise<ScheduleState>;
  now: Date;
}

/** Whether a visitor's list (in `zone`) shows the slot: it starts today or later there. */
export const isShown = (slot: Slot, zone: string, now: Date) =>
  slot.startsAt.getTime() >= startOfToday(zone, now).getTime();

export async function pushDayChanges(
  push: DayPush,
  subscribers: readonly Subscriber<ScheduleViewer>[],
  options: (kind: string) => FanOutOptions,
): Promise<void> {
  const { schedule, now } = push;
  const plan = (zone: string, visibleFrom: number) =>
    planDayChanges({
      before: push.before,
      after: push.after,
      spanSlots: push.spanSlots,
      hinted: push.hinted,
      zone,
      visibleFrom,
    });

  const visitors = subscribers.filter(isVisitor);
  // Planned per zone as the zone's first viewer is reached, so the fan-out's time slices cover it.
  const plans = new Map<string, DayChange[] | 'whole-list'>();
  let whole = null as ScheduleState | null;
  await fanOut(
    visitors,
    (v) => v.zone,
    async (viewer) => {
      const changes = plan(viewer.zone, startOfToday(viewer.zone, now).getTime());
      plans.set(viewer.zone, changes);
      if (changes === 'whole-list') whole ??= await push.wholeState();
      if (changes !== 'whole-list' && changes.length === 0) return null;
      return (
        <>
          {changes === 'whole-list' ? (
            <VisitorSharedState state={whole!} zone={viewer.zone} origin={viewer.origin} />
          ) : (
            <DayChanges changes={changes} renderDay={visitorDay(viewer.zone, now)} />
          )}
          <Announcement text="The host updated the times." />
        </>
      );
    },
    options('days'),
  );

  // Bookers: a slot of theirs that was just re-sent is shown as theirs again; one that was deleted
  // takes their "Your booking" with it.
  const resent = new Map<string, Set<string>>();
  for (const [zone, changes] of plans) {
    const ids = new Set<string>();
    if (changes === 'whole-list') for (const slot of whole!.slots) ids.add(slot.id);
    else
      for (const change of changes)
        if (change.op !== 'delete') for (const { slot } of change.day.items) ids.add(slot.id);
    resent.set(zone, ids);
  }
  const slotsById = new Map((whole?.slots ?? push.spanSlots).map((s) => [s.id, s]));
  for (const subscriber of visitors) {
    const { viewer } = subscriber;
    const mineId = viewer.mineKey?.split(':')[0];
    if (!mineId) continue;
    if (push.deleted.has(mineId)) {
      subscriber.send(
        encodeMessage(
          renderHtml(<MyBooking schedule={schedule} slot={null} zone={viewer.zone} origin={viewer.origin} oob />),
        ),
      );
      viewer.mineKey = '';
      continue;
    }
    const mine = resent.get(viewer.zone)?.has(mineId) ? slotsById.get(mineId) : undefined;
    if (mine && isShown(mine, viewer.zone, now) && slotStateFor(mine, viewer.visitorHash, now) === 'mine') {
      subscriber.send(encodeMessage(renderHtml(<VisitorSlotItem slot={mine} zone={viewer.zone} state="mine" oob />)));
    }
  }
}

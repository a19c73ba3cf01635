/**
 * Pushing slot-list changes day by day: given what the pages hold (start instants) and what the
 * database holds now, each view is sent the days that changed in its zone (replaced, inserted after
 * the day before, or removed), or its whole list when it goes from empty to not or back. Bookers
 * whose slot was re-sent see it as theirs again; bookers whose slot was deleted lose their panel.
 */
import type { Schedule } from '../domain/schedules.ts';
import type { Slot } from '../domain/slots.ts';
import { startOfToday } from '../domain/time.ts';
import { BookingSummary } from '../../views/admin.tsx';
import { type DayChange, planDayChanges } from './day-changes.ts';
import { type FanOutOptions, fanOut } from './fan-out.ts';
import type { Subscriber } from './hub.ts';
import { DayChanges, HostFullState, hostDay, type ScheduleState } from './schedule-frames.tsx';
import { isHost, type ScheduleViewer } from './schedule-viewer.ts';

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
  counts: () => Promise<{ total: number; booked: number }>;
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

  const hosts = subscribers.filter(isHost);
  if (hosts.length) {
    const changes = plan(schedule.timeZone, Number.NEGATIVE_INFINITY);
    const whole = changes === 'whole-list' ? await push.wholeState() : null;
    const counts = await push.counts();
    await fanOut(
      hosts,
      (v) => `host|${v.adminKey}`,
      (viewer) => (
        <>
          {whole ? (
            <HostFullState state={whole} adminKey={viewer.adminKey} />
          ) : (
            <DayChanges changes={changes as DayChange[]} renderDay={hostDay(viewer.adminKey, schedule.timeZone, now)} />
          )}
          <BookingSummary counts={counts} oob />
        </>
      ),
      options('days'),
    );
  }
}

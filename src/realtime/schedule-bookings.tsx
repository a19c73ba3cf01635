/**
 * Pushing booking changes to visitors: only the slots an event names are re-sent, rendered once per
 * view (zone, a booker the change concerns). A visitor's "Your booking" is re-sent when one of those
 * slots became theirs, or stopped being theirs. (Hosts get their rows with their week's summary
 * line: schedule-hosts.tsx.)
 */
import type { Schedule } from '../domain/schedules.ts';
import { type Slot, slotStateFor } from '../domain/slots.ts';
import { describeRange } from '../domain/time.ts';
import { MyBooking } from '../../views/booking-panel.tsx';
import { Announcement } from '../../views/layout.tsx';
import { VisitorSlotItem } from '../../views/schedule.tsx';
import { type FanOutOptions, fanOut } from './fan-out.ts';
import type { Subscriber } from './hub.ts';
import { isVisitor, mineKeyOf, type ScheduleViewer, type VisitorViewer } from './schedule-viewer.ts';

/** What the live region says of some booking changes, to a host or a visitor (their own are left out). */
export function announceBookings(
  schedule: Schedule,
  affected: readonly Slot[],
  viewer: ScheduleViewer,
  now: Date,
): string {
  const sentences: string[] = [];
  for (const slot of affected) {
    const zone = viewer.role === 'host' ? schedule.timeZone : viewer.zone;
    const when = describeRange(slot.startsAt, slot.endsAt, zone).full;
    if (viewer.role === 'visitor' && slotStateFor(slot, viewer.visitorHash, now) === 'mine') continue; // their own action: their page said so
    if (slot.booking)
      sentences.push(viewer.role === 'host' ? `${slot.booking.name} booked ${when}.` : `${when} was just booked.`);
    else sentences.push(`${when} is open again.`);
  }
  return sentences.join(' ');
}

/**
 * Bookings changed on some slots (`affected`, as read now): they are re-sent to visitors. A
 * visitor's "Your booking" is re-sent when one of those slots became theirs, or stopped being theirs.
 */
export async function pushBookings(
  deps: { now: Date; fanOpts: (kind: string) => FanOutOptions },
  schedule: Schedule,
  subscribers: Subscriber<ScheduleViewer>[],
  affected: readonly Slot[],
): Promise<void> {
  if (affected.length === 0) return;
  const { now } = deps;
  const visitors = subscribers.filter(isVisitor);

  const affectedIds = new Set(affected.map((s) => s.id));
  const bookers = new Set(affected.map((s) => s.booking?.visitorHash).filter((h): h is string => Boolean(h)));
  /** Whether this change concerns the viewer themself (most viewers: no, and they share a render). */
  const concerns = (viewer: VisitorViewer) =>
    (viewer.visitorHash !== null && bookers.has(viewer.visitorHash)) ||
    (viewer.mineKey !== undefined && affectedIds.has(viewer.mineKey.split(':')[0]!));
  /** The viewer's "Your booking" after this change: a slot, null (gone), or undefined (unchanged). */
  const mineAfter = (viewer: VisitorViewer): Slot | null | undefined => {
    const theirs = viewer.visitorHash
      ? affected.find((s) => slotStateFor(s, viewer.visitorHash, now) === 'mine')
      : undefined;
    if (theirs) return mineKeyOf(theirs) === viewer.mineKey ? undefined : theirs;
    const previous = viewer.mineKey?.split(':')[0];
    return previous && affectedIds.has(previous) ? null : undefined;
  };
  const changes = new Map<VisitorViewer, Slot | null | undefined>();
  for (const { viewer } of visitors) if (concerns(viewer)) changes.set(viewer, mineAfter(viewer));
  const keyOf = (viewer: VisitorViewer) => {
    if (!changes.has(viewer)) return viewer.zone;
    const mine = changes.get(viewer);
    const own = affected.filter((s) => slotStateFor(s, viewer.visitorHash, now) === 'mine').map((s) => s.id);
    return `${viewer.zone}|${own.join(',')}|${mine === undefined ? '-' : `changed:${mineKeyOf(mine)}`}`;
  };
  await fanOut(
    visitors,
    keyOf,
    (viewer) => {
      const mine = changes.get(viewer);
      return (
        <>
          {affected.map((slot) => (
            <VisitorSlotItem slot={slot} zone={viewer.zone} state={slotStateFor(slot, viewer.visitorHash, now)} oob />
          ))}
          {mine !== undefined ? (
            <MyBooking schedule={schedule} slot={mine} zone={viewer.zone} origin={viewer.origin} oob />
          ) : null}
          <Announcement text={announceBookings(schedule, affected, viewer, now)} />
        </>
      );
    },
    deps.fanOpts('booked'),
  );
  for (const [viewer, mine] of changes) if (mine !== undefined) viewer.mineKey = mineKeyOf(mine);
}

/**
 * Pushing booking changes: only the slots an event names are read and re-sent, rendered once per
 * view (zone, host, a booker the change concerns). A visitor's "Your booking" is re-sent when one of
 * those slots became theirs, or stopped being theirs.
 */
import type { Database } from '../db/client.ts';
import type { Schedule } from '../domain/schedules.ts';
import { countSlots, listSlotsByIds, type Slot, slotStateFor } from '../domain/slots.ts';
import { describeRange } from '../domain/time.ts';
import { BookingSummary, HostSlotItem } from '../../views/admin.tsx';
import { Announcement } from '../../views/layout.tsx';
import { type FanOutOptions, fanOut } from './fan-out.ts';
import type { Subscriber } from './hub.ts';
import { isHost, type ScheduleViewer } from './schedule-viewer.ts';

function announceBookings(schedule: Schedule, affected: readonly Slot[], viewer: ScheduleViewer, now: Date): string {
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
 * Bookings changed on some slots: only those are read and re-sent. A visitor's "Your booking"
 * is re-sent when one of those slots became theirs, or stopped being theirs.
 */
export async function pushBookings(
  deps: { db: Database; now: () => Date; fanOpts: (kind: string) => FanOutOptions },
  schedule: Schedule,
  subscribers: Subscriber<ScheduleViewer>[],
  slotIds: readonly string[],
): Promise<void> {
  const { db } = deps;
  const affected = await listSlotsByIds(db, schedule.id, slotIds);
  if (affected.length === 0) return;
  const now = deps.now();
  const hosts = subscribers.filter(isHost);

  if (hosts.length) {
    const counts = await countSlots(db, schedule.id);
    await fanOut(
      hosts,
      (v) => `host|${v.adminKey}`,
      (viewer) => (
        <>
          {affected.map((slot) => (
            <HostSlotItem adminKey={viewer.adminKey} slot={slot} zone={schedule.timeZone} now={now} oob />
          ))}
          <BookingSummary counts={counts} oob />
          <Announcement text={announceBookings(schedule, affected, viewer, now)} />
        </>
      ),
      deps.fanOpts('booked'),
    );
  }
}

/** Who a schedule socket belongs to, as the schedule feed renders for it. */
import type { SlotFilter } from '../domain/slot-filters.ts';
import type { Locale } from '../domain/locale.ts';
import type { Slot } from '../domain/slots.ts';
import type { Subscriber } from './hub.ts';

export type ScheduleViewer =
  | {
      role: 'host';
      scheduleId: string;
      adminKey: string;
      origin: string;
      /** Which slots the dashboard's list shows (from the socket's URL, `?show=`). */
      show: SlotFilter;
      /** How dates and times read to the host (the upgrade request's Accept-Language). */
      locale: Locale;
    }
  | {
      role: 'visitor';
      scheduleId: string;
      /** The zone from their `tz` cookie (the schedule's zone when unknown). */
      zone: string;
      locale: Locale;
      /** The month their booking view shows (`YYYY-MM`), null until the first state says. */
      month: string | null;
      /** The day it shows, if any (in `month`). */
      day: string | null;
      visitorHash: string | null;
      /** The site's origin, for absolute links (calendar links). */
      origin: string;
      /** The "Your booking" last sent to this socket (slot id and sequence), to re-send it only on change. */
      mineKey?: string;
    };

export type VisitorViewer = Extract<ScheduleViewer, { role: 'visitor' }>;
export type HostViewer = Extract<ScheduleViewer, { role: 'host' }>;

/** A booking as a socket was last shown it (slot and sequence): re-sent only when this changes. */
export const mineKeyOf = (slot: Slot | null | undefined): string =>
  slot?.booking ? `${slot.id}:${slot.booking.sequence}` : '';

/** The view a host's socket shares with others: the same key and the same filter get the same frames. */
export const hostViewKey = (viewer: HostViewer): string => `host|${viewer.adminKey}|${viewer.show}|${viewer.locale}`;

export const isHost = (s: Subscriber<ScheduleViewer>): s is Subscriber<HostViewer> => s.viewer.role === 'host';
/** The view a visitor's socket shows: every socket with the same key is sent the same frames. */
export const visitorViewKey = (v: VisitorViewer): string => `${v.zone}|${v.locale}|${v.month ?? '-'}|${v.day ?? '-'}`;

export const isVisitor = (s: Subscriber<ScheduleViewer>): s is Subscriber<VisitorViewer> => s.viewer.role === 'visitor';

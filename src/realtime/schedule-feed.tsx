/**
 * Live updates for schedules. On every socket open it sends the current state (a viewer who missed
 * events heals without a reload); on every bus event it reads once and renders out-of-band
 * fragments per group of viewers that see the same thing (zone, host or visitor, the booker
 * themself), so a thousand viewers in three zones cost three renders, not a thousand. A booking
 * event reads only the slots it names: the path from a claim to a thousand sockets stays short.
 */
import type { Child } from 'hono/jsx';
import type { Database } from '../db/client.ts';
import { adminKeyHashOf, findScheduleById, type Schedule } from '../domain/schedules.ts';
import { countBookings, countSlots, listSlotsByIds, listSlotsForSchedule, type Slot, slotStateFor } from '../domain/slots.ts';
import { describeRange } from '../domain/time.ts';
import { hashKey } from '../domain/tokens.ts';
import { DashboardLinkGone } from '../../views/admin-link.tsx';
import { AdminHead, BookingSummary, HostSlotItem, HostSlotList } from '../../views/admin.tsx';
import { MyBooking } from '../../views/booking-panel.tsx';
import { Announcement, LiveStatus } from '../../views/layout.tsx';
import { renderHtml } from '../../views/render.ts';
import { ScheduleHead, VisitorSlotItem, VisitorSlotList, ZoneLabel } from '../../views/schedule.tsx';
import type { LiveEvent } from './bus.ts';
import type { Hub, Subscriber } from './hub.ts';
import { encodeMessage, type LiveSocket } from './socket.ts';
import { scheduleIdOfTopic, scheduleTopic } from './topics.ts';
import { TopicQueue } from './topic-queue.ts';

export interface ScheduleViewer {
  role: 'host' | 'visitor';
  scheduleId: string;
  /** Host only: the dashboard's forms post to URLs that carry it. */
  adminKey?: string;
  /** Visitors: the zone from their `tz` cookie (the schedule's zone when unknown). */
  zone: string;
  visitorHash: string | null;
  /** The site's origin, for absolute links (calendar links). */
  origin: string;
  /** The "Your booking" last sent to this socket (slot id and sequence), to re-send it only on change. */
  mineKey?: string;
}

/** Everything about a schedule, for full renders. */
interface State {
  schedule: Schedule;
  slots: Slot[];
  /** Each visitor's current pick, by visitor hash. */
  mineByVisitor: Map<string, Slot>;
  now: Date;
}

export interface ScheduleFeed {
  /** Subscribes a socket and sends it the full current state; returns the unsubscribe function. */
  connect(socket: LiveSocket, viewer: ScheduleViewer): () => void;
  /** A bus event for some topic (others are ignored). */
  handle(topic: string, event: LiveEvent): Promise<void>;
  /** Sends full state to every socket (after events may have been lost). */
  resyncAll(): Promise<void>;
  /** Resolves when every queued push has been sent (tests, shutdown). */
  idle(): Promise<void>;
}

/**
 * How a dashboard whose link was replaced is closed: 1008 (policy violation). htmx-ext-ws
 * reconnects only after 1006, 1011, 1012 and 1013, so that tab stays closed.
 */
export const CLOSE_LINK_REPLACED = 1008;

const mineKeyOf = (slot: Slot | null | undefined) => (slot?.booking ? `${slot.id}:${slot.booking.sequence}` : '');

export function createScheduleFeed(deps: { db: Database; hub: Hub; now: () => Date; onError: (error: unknown) => void }): ScheduleFeed {
  const { db, hub } = deps;
  const queue = new TopicQueue(deps.onError);
  // Schedules change rarely (title, zone); every instance re-reads one on its schedule-changed event.
  const schedules = new Map<string, Schedule>();

  async function scheduleOf(scheduleId: string, fresh = false): Promise<Schedule | null> {
    const cached = fresh ? undefined : schedules.get(scheduleId);
    if (cached) return cached;
    const schedule = await findScheduleById(db, scheduleId);
    if (schedule) schedules.set(scheduleId, schedule);
    else schedules.delete(scheduleId);
    return schedule;
  }

  async function loadState(scheduleId: string, freshSchedule = false): Promise<State | null> {
    const schedule = await scheduleOf(scheduleId, freshSchedule);
    if (!schedule) return null;
    const slots = await listSlotsForSchedule(db, scheduleId);
    const now = deps.now();
    const mineByVisitor = new Map<string, Slot>();
    for (const slot of slots) {
      const hash = slot.booking?.visitorHash;
      if (hash && slotStateFor(slot, hash, now) === 'mine') mineByVisitor.set(hash, slot);
    }
    return { schedule, slots, mineByVisitor, now };
  }

  /**
   * The state last read for a topic, and the full-state messages rendered from it by group key:
   * a thousand viewers (re)connecting read the database once and render once per group. Any event
   * on the topic drops it; it also ages out, as slots start and end with time.
   */
  const snapshots = new Map<string, { state: State; messages: Map<string, Buffer>; expires: number }>();
  const SNAPSHOT_MS = 10_000;

  async function snapshotOf(topic: string, scheduleId: string) {
    const cached = snapshots.get(topic);
    if (cached && cached.expires > deps.now().getTime()) return cached;
    const state = await loadState(scheduleId);
    if (!state) {
      snapshots.delete(topic);
      return null;
    }
    const snapshot = { state, messages: new Map<string, Buffer>(), expires: deps.now().getTime() + SNAPSHOT_MS };
    snapshots.set(topic, snapshot);
    return snapshot;
  }

  const fullKeyOf = (state: State, v: ScheduleViewer) =>
    v.role === 'host' ? `host|${v.adminKey ?? ''}` : `visitor|${v.zone}|${mineKeyOf(mineIn(state, v))}`;

  const mineIn = (state: State, viewer: ScheduleViewer): Slot | null => (viewer.visitorHash ? (state.mineByVisitor.get(viewer.visitorHash) ?? null) : null);

  /** Renders once per group key and sends the same bytes to each subscriber of the group. */
  function fanOut(subscribers: Subscriber<ScheduleViewer>[], keyOf: (viewer: ScheduleViewer) => string, render: (viewer: ScheduleViewer) => Child | null): void {
    const rendered = new Map<string, Buffer | null>();
    for (const subscriber of subscribers) {
      const key = keyOf(subscriber.viewer);
      let message = rendered.get(key);
      if (message === undefined) {
        const node = render(subscriber.viewer);
        message = node === null ? null : encodeMessage(renderHtml(node));
        rendered.set(key, message);
      }
      if (message) subscriber.send(message);
    }
  }

  function fullState(state: State, viewer: ScheduleViewer): Child {
    if (viewer.role === 'host') {
      return (
        <>
          <AdminHead schedule={state.schedule} oob />
          <BookingSummary counts={countBookings(state.slots)} oob />
          <HostSlotList view={{ schedule: state.schedule, adminKey: viewer.adminKey ?? '', slots: state.slots, now: state.now }} oob />
          <LiveStatus state="live" oob />
        </>
      );
    }
    return (
      <>
        <ScheduleHead schedule={state.schedule} oob />
        <ZoneLabel zone={viewer.zone} hostZone={state.schedule.timeZone} oob />
        <MyBooking schedule={state.schedule} slot={mineIn(state, viewer)} zone={viewer.zone} origin={viewer.origin} oob />
        <VisitorSlotList view={{ schedule: state.schedule, slots: state.slots, zone: viewer.zone, visitorHash: viewer.visitorHash, now: state.now, origin: viewer.origin }} oob />
        <LiveStatus state="live" oob />
      </>
    );
  }

  /** Full state for some subscribers, one render per group that sees the same thing. */
  function pushFull(state: State, subscribers: Subscriber<ScheduleViewer>[], extra?: (viewer: ScheduleViewer) => Child): void {
    fanOut(subscribers, (v) => fullKeyOf(state, v), (viewer) => (
      <>
        {fullState(state, viewer)}
        {extra?.(viewer)}
      </>
    ));
    for (const { viewer } of subscribers) viewer.mineKey = mineKeyOf(mineIn(state, viewer));
  }

  /**
   * Dashboards of this instance opened with an admin key that is no longer the schedule's are told
   * so and closed; returns the subscribers left. One read of the current hash, whatever the count.
   */
  async function dropReplacedHosts(scheduleId: string, subscribers: Subscriber<ScheduleViewer>[]): Promise<Subscriber<ScheduleViewer>[]> {
    if (!subscribers.some((s) => s.viewer.role === 'host')) return subscribers;
    const current = await adminKeyHashOf(db, scheduleId);
    const isReplaced = (v: ScheduleViewer) => v.role === 'host' && hashKey(v.adminKey ?? '') !== current;
    const replaced = subscribers.filter((s) => isReplaced(s.viewer));
    if (replaced.length > 0) {
      const message = encodeMessage(renderHtml(<DashboardLinkGone />));
      for (const subscriber of replaced) {
        subscriber.send(message);
        subscriber.close(CLOSE_LINK_REPLACED, 'dashboard link replaced');
      }
    }
    return subscribers.filter((s) => !isReplaced(s.viewer));
  }

  function connect(socket: LiveSocket, viewer: ScheduleViewer): () => void {
    const topic = scheduleTopic(viewer.scheduleId);
    const subscriber: Subscriber<ScheduleViewer> = { viewer, send: (m) => socket.send(m), close: (c, r) => socket.close(c, r) };
    const unsubscribe = hub.subscribe(topic, subscriber);
    void queue.run(topic, async () => {
      // A dashboard opened just as its link was replaced: the key is checked again here, in the
      // topic's queue, so it is caught whether the replacement event ran before or after.
      if (viewer.role === 'host' && (await dropReplacedHosts(viewer.scheduleId, [subscriber])).length === 0) return;
      const snapshot = await snapshotOf(topic, viewer.scheduleId);
      if (!snapshot) {
        socket.close(1008, 'schedule not found');
        return;
      }
      const key = fullKeyOf(snapshot.state, viewer);
      let message = snapshot.messages.get(key);
      if (!message) {
        message = encodeMessage(renderHtml(fullState(snapshot.state, viewer)));
        snapshot.messages.set(key, message);
      }
      socket.send(message);
      viewer.mineKey = mineKeyOf(mineIn(snapshot.state, viewer));
    });
    return () => {
      unsubscribe();
      if (hub.subscribersOf(topic).length === 0) snapshots.delete(topic);
    };
  }

  function announceBookings(schedule: Schedule, affected: readonly Slot[], viewer: ScheduleViewer, now: Date): string {
    const sentences: string[] = [];
    for (const slot of affected) {
      const zone = viewer.role === 'host' ? schedule.timeZone : viewer.zone;
      const when = describeRange(slot.startsAt, slot.endsAt, zone).full;
      if (slotStateFor(slot, viewer.visitorHash, now) === 'mine') continue; // their own action: their page said so
      if (slot.booking) sentences.push(viewer.role === 'host' ? `${slot.booking.name} booked ${when}.` : `${when} was just booked.`);
      else sentences.push(`${when} is open again.`);
    }
    return sentences.join(' ');
  }

  /**
   * Bookings changed on some slots: only those are read and re-sent. A visitor's "Your booking"
   * is re-sent when one of those slots became theirs, or stopped being theirs.
   */
  async function pushBookings(scheduleId: string, subscribers: Subscriber<ScheduleViewer>[], slotIds: readonly string[]): Promise<void> {
    const schedule = await scheduleOf(scheduleId);
    if (!schedule) return;
    const affected = await listSlotsByIds(db, scheduleId, slotIds);
    const now = deps.now();
    const hosts = subscribers.filter((s) => s.viewer.role === 'host');
    const visitors = subscribers.filter((s) => s.viewer.role === 'visitor');

    if (hosts.length) {
      const counts = await countSlots(db, scheduleId);
      fanOut(hosts, () => 'host', (viewer) => (
        <>
          {affected.map((slot) => (
            <HostSlotItem adminKey={viewer.adminKey ?? ''} slot={slot} zone={schedule.timeZone} now={now} oob />
          ))}
          <BookingSummary counts={counts} oob />
          <Announcement text={announceBookings(schedule, affected, viewer, now)} />
        </>
      ));
    }

    const affectedIds = new Set(affected.map((s) => s.id));
    const bookers = new Set(affected.map((s) => s.booking?.visitorHash).filter((h): h is string => Boolean(h)));
    /** Whether this change concerns the viewer themself (most viewers: no, and they share a render). */
    const concerns = (viewer: ScheduleViewer) =>
      (viewer.visitorHash !== null && bookers.has(viewer.visitorHash)) || (viewer.mineKey !== undefined && affectedIds.has(viewer.mineKey.split(':')[0]!));
    /** The viewer's "Your booking" after this change: a slot, null (gone), or undefined (unchanged). */
    const mineAfter = (viewer: ScheduleViewer): Slot | null | undefined => {
      const theirs = viewer.visitorHash ? affected.find((s) => slotStateFor(s, viewer.visitorHash, now) === 'mine') : undefined;
      if (theirs) return mineKeyOf(theirs) === viewer.mineKey ? undefined : theirs;
      const previous = viewer.mineKey?.split(':')[0];
      return previous && affectedIds.has(previous) ? null : undefined;
    };
    const changes = new Map<ScheduleViewer, Slot | null | undefined>();
    for (const { viewer } of visitors) if (concerns(viewer)) changes.set(viewer, mineAfter(viewer));
    const keyOf = (viewer: ScheduleViewer) => {
      if (!changes.has(viewer)) return viewer.zone;
      const mine = changes.get(viewer);
      const own = affected.filter((s) => slotStateFor(s, viewer.visitorHash, now) === 'mine').map((s) => s.id);
      return `${viewer.zone}|${own.join(',')}|${mine === undefined ? '-' : `changed:${mineKeyOf(mine)}`}`;
    };
    fanOut(visitors, keyOf, (viewer) => {
      const mine = changes.get(viewer);
      return (
        <>
          {affected.map((slot) => (
            <VisitorSlotItem slot={slot} zone={viewer.zone} state={slotStateFor(slot, viewer.visitorHash, now)} oob />
          ))}
          {mine !== undefined ? <MyBooking schedule={schedule} slot={mine} zone={viewer.zone} origin={viewer.origin} oob /> : null}
          <Announcement text={announceBookings(schedule, affected, viewer, now)} />
        </>
      );
    });
    for (const [viewer, mine] of changes) if (mine !== undefined) viewer.mineKey = mineKeyOf(mine);
  }

  /** Slots were added or deleted, or the schedule changed: lists (and heads) are re-sent whole. */
  async function pushLists(scheduleId: string, subscribers: Subscriber<ScheduleViewer>[], announcement: string, freshSchedule: boolean): Promise<void> {
    const state = await loadState(scheduleId, freshSchedule);
    if (!state) return;
    pushFull(state, subscribers, (viewer) => (viewer.role === 'visitor' && announcement ? <Announcement text={announcement} /> : null));
  }

  async function handle(topic: string, event: LiveEvent): Promise<void> {
    const scheduleId = scheduleIdOfTopic(topic);
    if (!scheduleId) return;
    await queue.run(topic, async () => {
      const subscribers = hub.subscribersOf<ScheduleViewer>(topic);
      snapshots.delete(topic);
      if (event.type === 'schedule-changed') schedules.delete(scheduleId);
      if (subscribers.length === 0) return;
      switch (event.type) {
        case 'slots-booked':
          return pushBookings(scheduleId, subscribers, event.ids ?? []);
        case 'slots-changed':
          return pushLists(scheduleId, subscribers, 'The host updated the times.', false);
        case 'schedule-changed':
          return pushLists(scheduleId, subscribers, '', true);
        case 'admin-key-replaced':
          await dropReplacedHosts(scheduleId, subscribers);
          return;
        default:
          return;
      }
    });
  }

  async function resyncAll(): Promise<void> {
    const tasks: Promise<void>[] = [];
    for (const topic of hub.topics()) {
      const scheduleId = scheduleIdOfTopic(topic);
      if (!scheduleId) continue;
      tasks.push(
        queue.run(topic, async () => {
          snapshots.delete(topic);
          const state = await loadState(scheduleId, true);
          // A replacement may be among the events missed.
          if (state) pushFull(state, await dropReplacedHosts(scheduleId, hub.subscribersOf<ScheduleViewer>(topic)));
        }),
      );
    }
    await Promise.all(tasks);
  }

  return { connect, handle, resyncAll, idle: () => queue.idle() };
}

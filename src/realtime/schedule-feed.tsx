/**
 * Live updates for schedules. The cost of a push grows with what changed and the number of distinct
 * views (zone, host or visitor), never with the size of the list or the number of watchers:
 *  - events for a topic that arrive while its push is prepared are merged into the next push
 *    (one read, one render per view, one frame per socket);
 *  - a booking re-sends the slots it names; an added or deleted slot re-sends its day only (the day
 *    replaced, inserted next to its neighbour, or removed); a settings change re-sends the head;
 *  - a socket that opens gets the full state: a part shared by its view, rendered once and cached
 *    (bounded, least recently used out), and its booker's own part; views are rendered one at a
 *    time with the event loop yielded between them, and sends go out in chunks that yield too.
 */
import type { Child } from 'hono/jsx';
import type { Database } from '../db/client.ts';
import { adminKeyHashOf, findScheduleById, type Schedule } from '../domain/schedules.ts';
import { countSlots, listSlotsByIds, listSlotsForSchedule, listSlotsStartingBetween, type Slot, slotBounds, slotStateFor } from '../domain/slots.ts';
import { describeRange, startOfToday } from '../domain/time.ts';
import { hashKey } from '../domain/tokens.ts';
import { DashboardLinkGone } from '../../views/admin-link.tsx';
import { AdminHead, BookingSummary, HostSlotItem } from '../../views/admin.tsx';
import { MyBooking } from '../../views/booking-panel.tsx';
import { Announcement } from '../../views/layout.tsx';
import { renderHtml } from '../../views/render.ts';
import { ScheduleHead, VisitorSlotItem, ZoneLabel } from '../../views/schedule.tsx';
import type { LiveEvent } from './bus.ts';
import { planDayChanges } from './day-changes.ts';
import { type FeedProbe, fanOut, yieldToEventLoop } from './fan-out.ts';
import type { Hub, Subscriber } from './hub.ts';
import { LruCache } from './lru-cache.ts';
import { emptyBatch, mergeEvent, type ScheduleBatch } from './schedule-batch.ts';
import { DayChanges, HostFullState, hostDay, type ScheduleState, VisitorOwnState, VisitorSharedState, visitorDay } from './schedule-frames.tsx';
import { encodeMessage, type LiveSocket } from './socket.ts';
import { scheduleIdOfTopic, scheduleTopic } from './topics.ts';
import { TopicQueue } from './topic-queue.ts';

export type ScheduleViewer =
  | { role: 'host'; scheduleId: string; adminKey: string; origin: string }
  | {
      role: 'visitor';
      scheduleId: string;
      /** The zone from their `tz` cookie (the schedule's zone when unknown). */
      zone: string;
      visitorHash: string | null;
      /** The site's origin, for absolute links (calendar links). */
      origin: string;
      /** The "Your booking" last sent to this socket (slot id and sequence), to re-send it only on change. */
      mineKey?: string;
    };

type VisitorViewer = Extract<ScheduleViewer, { role: 'visitor' }>;
type HostViewer = Extract<ScheduleViewer, { role: 'host' }>;

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

/** Full states are re-read at least this often: slots start and end with time. */
const FULL_STATE_MS = 10_000;
/** Every zone's day holding an instant lies within this much of it (UTC±14, days of 25 hours). */
const DAY_MARGIN_MS = 26 * 3_600_000;

/** Whether a visitor's list (in `zone`) shows the slot: it starts today or later there. */
const isShown = (slot: Slot, zone: string, now: Date) => slot.startsAt.getTime() >= startOfToday(zone, now).getTime();

const mineKeyOf = (slot: Slot | null | undefined) => (slot?.booking ? `${slot.id}:${slot.booking.sequence}` : '');
const isHost = (s: Subscriber<ScheduleViewer>): s is Subscriber<HostViewer> => s.viewer.role === 'host';
const isVisitor = (s: Subscriber<ScheduleViewer>): s is Subscriber<VisitorViewer> => s.viewer.role === 'visitor';

export interface ScheduleFeedDeps {
  db: Database;
  hub: Hub;
  now: () => Date;
  onError: (error: unknown) => void;
  limits: { liveViewCacheEntries: number; liveSendChunk: number };
  probe?: FeedProbe | undefined;
}

export function createScheduleFeed(deps: ScheduleFeedDeps): ScheduleFeed {
  const { db, hub, probe } = deps;
  const queue = new TopicQueue(deps.onError);
  const fanOpts = (kind: string) => ({ chunk: deps.limits.liveSendChunk, kind, probe });
  // Schedules change rarely (title, zone); every instance re-reads one on its schedule-changed event.
  const schedules = new LruCache<Schedule>(deps.limits.liveViewCacheEntries);

  async function scheduleOf(scheduleId: string, fresh = false): Promise<Schedule | null> {
    const cached = fresh ? undefined : schedules.get(scheduleId);
    if (cached) return cached;
    const schedule = await findScheduleById(db, scheduleId);
    if (schedule) schedules.set(scheduleId, schedule);
    else schedules.delete(scheduleId);
    return schedule;
  }

  // Full states and the frames rendered from them, keyed by the topic's version: any change to a
  // topic gives it a new version, so nothing older is ever served; old entries age out of the LRU.
  let versions = 0;
  const topicVersions = new Map<string, number>();
  const versionOf = (topic: string) => {
    let v = topicVersions.get(topic);
    if (v === undefined) topicVersions.set(topic, (v = ++versions));
    return v;
  };
  const changed = (topic: string) => topicVersions.set(topic, ++versions);
  const states = new LruCache<{ state: ScheduleState; expires: number }>(deps.limits.liveViewCacheEntries);
  const frames = new LruCache<{ message: Buffer; expires: number }>(deps.limits.liveViewCacheEntries);

  async function stateOf(topic: string, scheduleId: string): Promise<ScheduleState | null> {
    const key = `${topic}#${versionOf(topic)}`;
    const cached = states.get(key);
    if (cached && cached.expires > deps.now().getTime()) return cached.state;
    const schedule = await scheduleOf(scheduleId);
    if (!schedule) return null;
    const state = { schedule, slots: await listSlotsForSchedule(db, scheduleId), now: deps.now() };
    states.set(key, { state, expires: state.now.getTime() + FULL_STATE_MS });
    return state;
  }

  /** A frame for a view of the topic's current version: from the cache, or rendered (then a yield). */
  async function frameOf(topic: string, view: string, render: () => Child): Promise<Buffer> {
    const key = `${topic}#${versionOf(topic)}|${view}`;
    const cached = frames.get(key);
    if (cached && cached.expires > deps.now().getTime()) return cached.message;
    const message = encodeMessage(renderHtml(render()));
    probe?.rendered?.(`full|${view}`);
    frames.set(key, { message, expires: deps.now().getTime() + FULL_STATE_MS });
    await yieldToEventLoop();
    return message;
  }

  const mineIn = (state: ScheduleState, viewer: VisitorViewer): Slot | null =>
    viewer.visitorHash ? (state.slots.find((s) => slotStateFor(s, viewer.visitorHash, state.now) === 'mine') ?? null) : null;

  /** Sends full state to some subscribers: one cached frame per view, plus each booker's own part. */
  async function pushFull(topic: string, state: ScheduleState, subscribers: readonly Subscriber<ScheduleViewer>[]): Promise<void> {
    let sent = 0;
    for (const subscriber of subscribers) {
      const { viewer } = subscriber;
      if (viewer.role === 'host') {
        subscriber.send(await frameOf(topic, `host|${viewer.adminKey}`, () => <HostFullState state={state} adminKey={viewer.adminKey} />));
      } else {
        subscriber.send(await frameOf(topic, `visitor|${viewer.zone}`, () => <VisitorSharedState state={state} zone={viewer.zone} origin={viewer.origin} />));
        const mine = mineIn(state, viewer);
        const own = () => (
          <VisitorOwnState schedule={state.schedule} mine={mine} slotShown={mine !== null && isShown(mine, viewer.zone, state.now)} zone={viewer.zone} origin={viewer.origin} />
        );
        subscriber.send(mine ? encodeMessage(renderHtml(own())) : await frameOf(topic, 'visitor-own|none', own));
        viewer.mineKey = mineKeyOf(mine);
      }
      if (++sent % deps.limits.liveSendChunk === 0) await yieldToEventLoop();
    }
  }

  /**
   * Dashboards of this instance opened with an admin key that is no longer the schedule's are told
   * so and closed; returns the subscribers left. One read of the current hash, whatever the count.
   */
  async function dropReplacedHosts(scheduleId: string, subscribers: Subscriber<ScheduleViewer>[]): Promise<Subscriber<ScheduleViewer>[]> {
    if (!subscribers.some(isHost)) return subscribers;
    const current = await adminKeyHashOf(db, scheduleId);
    const isReplaced = (v: ScheduleViewer) => v.role === 'host' && hashKey(v.adminKey) !== current;
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
      const state = await stateOf(topic, viewer.scheduleId);
      if (!state) {
        socket.close(1008, 'schedule not found');
        return;
      }
      await pushFull(topic, state, [subscriber]);
    });
    return () => {
      unsubscribe();
      if (hub.subscribersOf(topic).length === 0) topicVersions.delete(topic);
    };
  }

  function announceBookings(schedule: Schedule, affected: readonly Slot[], viewer: ScheduleViewer, now: Date): string {
    const sentences: string[] = [];
    for (const slot of affected) {
      const zone = viewer.role === 'host' ? schedule.timeZone : viewer.zone;
      const when = describeRange(slot.startsAt, slot.endsAt, zone).full;
      if (viewer.role === 'visitor' && slotStateFor(slot, viewer.visitorHash, now) === 'mine') continue; // their own action: their page said so
      if (slot.booking) sentences.push(viewer.role === 'host' ? `${slot.booking.name} booked ${when}.` : `${when} was just booked.`);
      else sentences.push(`${when} is open again.`);
    }
    return sentences.join(' ');
  }

  /**
   * Bookings changed on some slots: only those are read and re-sent. A visitor's "Your booking"
   * is re-sent when one of those slots became theirs, or stopped being theirs.
   */
  async function pushBookings(schedule: Schedule, subscribers: Subscriber<ScheduleViewer>[], slotIds: readonly string[]): Promise<void> {
    const affected = await listSlotsByIds(db, schedule.id, slotIds);
    if (affected.length === 0) return;
    const now = deps.now();
    const hosts = subscribers.filter(isHost);
    const visitors = subscribers.filter(isVisitor);

    if (hosts.length) {
      const counts = await countSlots(db, schedule.id);
      await fanOut(hosts, (v) => `host|${v.adminKey}`, (viewer) => (
        <>
          {affected.map((slot) => (
            <HostSlotItem adminKey={viewer.adminKey} slot={slot} zone={schedule.timeZone} now={now} oob />
          ))}
          <BookingSummary counts={counts} oob />
          <Announcement text={announceBookings(schedule, affected, viewer, now)} />
        </>
      ), fanOpts('booked'));
    }

    const affectedIds = new Set(affected.map((s) => s.id));
    const bookers = new Set(affected.map((s) => s.booking?.visitorHash).filter((h): h is string => Boolean(h)));
    /** Whether this change concerns the viewer themself (most viewers: no, and they share a render). */
    const concerns = (viewer: VisitorViewer) =>
      (viewer.visitorHash !== null && bookers.has(viewer.visitorHash)) || (viewer.mineKey !== undefined && affectedIds.has(viewer.mineKey.split(':')[0]!));
    /** The viewer's "Your booking" after this change: a slot, null (gone), or undefined (unchanged). */
    const mineAfter = (viewer: VisitorViewer): Slot | null | undefined => {
      const theirs = viewer.visitorHash ? affected.find((s) => slotStateFor(s, viewer.visitorHash, now) === 'mine') : undefined;
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
    await fanOut(visitors, keyOf, (viewer) => {
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
    }, fanOpts('booked'));
    for (const [viewer, mine] of changes) if (mine !== undefined) viewer.mineKey = mineKeyOf(mine);
  }

  /**
   * Slots were added or deleted: each view gets the days they fall on (in its zone), replaced,
   * inserted or removed; a list going from empty to not (or back) is sent whole.
   */
  async function pushDays(schedule: Schedule, subscribers: Subscriber<ScheduleViewer>[], batch: ScheduleBatch): Promise<void> {
    const addedSlots = await listSlotsByIds(db, schedule.id, [...batch.added]);
    const deletedStarts = [...batch.deleted.values()];
    const instants = [...addedSlots.map((s) => s.startsAt.getTime()), ...deletedStarts];
    if (instants.length === 0) return;
    const from = new Date(Math.min(...instants) - DAY_MARGIN_MS);
    const to = new Date(Math.max(...instants) + DAY_MARGIN_MS);
    const added = new Set(addedSlots.map((s) => s.id));
    const [spanSlots, bounds] = await Promise.all([listSlotsStartingBetween(db, schedule.id, from, to), slotBounds(db, schedule.id, [...added], from)]);
    const now = deps.now();
    const input = { spanSlots, added, deletedStarts, bounds };
    let whole: ScheduleState | null = null;
    const wholeState = async () => (whole ??= { schedule, slots: await listSlotsForSchedule(db, schedule.id), now });

    const hosts = subscribers.filter(isHost);
    if (hosts.length) {
      const plan = planDayChanges({ ...input, zone: schedule.timeZone, visibleFrom: -Infinity });
      const state = plan === 'whole-list' ? await wholeState() : null;
      const counts = await countSlots(db, schedule.id);
      await fanOut(hosts, (v) => `host|${v.adminKey}`, (viewer) => (
        <>
          {state ? (
            <HostFullState state={state} adminKey={viewer.adminKey} />
          ) : (
            <DayChanges changes={plan as Exclude<typeof plan, 'whole-list'>} renderDay={hostDay(viewer.adminKey, schedule.timeZone, now)} />
          )}
          <BookingSummary counts={counts} oob />
        </>
      ), fanOpts('days'));
    }

    const visitors = subscribers.filter(isVisitor);
    const plans = new Map<string, ReturnType<typeof planDayChanges>>();
    for (const { viewer } of visitors) {
      if (!plans.has(viewer.zone)) plans.set(viewer.zone, planDayChanges({ ...input, zone: viewer.zone, visibleFrom: startOfToday(viewer.zone, now).getTime() }));
    }
    if ([...plans.values()].includes('whole-list')) await wholeState();
    await fanOut(visitors, (v) => v.zone, (viewer) => {
      const plan = plans.get(viewer.zone)!;
      return (
        <>
          {plan === 'whole-list' ? (
            <VisitorSharedState state={whole!} zone={viewer.zone} origin={viewer.origin} />
          ) : (
            <DayChanges changes={plan} renderDay={visitorDay(viewer.zone, now)} />
          )}
          <Announcement text="The host updated the times." />
        </>
      );
    }, fanOpts('days'));

    // A booker whose own slot was in a day just re-sent sees it as theirs again.
    const resent = new Set<string>();
    for (const plan of plans.values()) {
      if (plan === 'whole-list') continue;
      for (const change of plan) if (change.op !== 'delete') for (const { slot } of change.day.items) resent.add(slot.id);
    }
    for (const subscriber of visitors) {
      const mineId = subscriber.viewer.mineKey?.split(':')[0];
      if (!mineId) continue;
      const wholeList = plans.get(subscriber.viewer.zone) === 'whole-list';
      const mine = wholeList || resent.has(mineId) ? (wholeList ? whole!.slots : spanSlots).find((s) => s.id === mineId) : undefined;
      if (mine && isShown(mine, subscriber.viewer.zone, now)) {
        subscriber.send(encodeMessage(renderHtml(<VisitorSlotItem slot={mine} zone={subscriber.viewer.zone} state="mine" oob />)));
      }
    }
  }

  /** Title, host name or zone changed: heads (and a host list whose days moved with the zone). */
  async function pushSchedule(topic: string, scheduleId: string, subscribers: Subscriber<ScheduleViewer>[]): Promise<Schedule | null> {
    const before = schedules.get(scheduleId);
    const schedule = await scheduleOf(scheduleId, true);
    if (!schedule) return null;
    const zoneMoved = before !== undefined && before.timeZone !== schedule.timeZone;
    const hosts = subscribers.filter(isHost);
    if (zoneMoved && hosts.length) {
      const state = await stateOf(topic, scheduleId);
      if (state) await pushFull(topic, state, hosts);
    } else {
      await fanOut(hosts, () => 'host', () => <AdminHead schedule={schedule} oob />, fanOpts('head'));
    }
    await fanOut(subscribers.filter(isVisitor), (v) => v.zone, (viewer) => (
      <>
        <ScheduleHead schedule={schedule} oob />
        <ZoneLabel zone={viewer.zone} hostZone={schedule.timeZone} oob />
      </>
    ), fanOpts('head'));
    return schedule;
  }

  /** One batch: what arrived for a topic since its last push, in one read and one push per view. */
  async function pushBatch(topic: string, scheduleId: string, batch: ScheduleBatch): Promise<void> {
    changed(topic);
    let subscribers = hub.subscribersOf<ScheduleViewer>(topic);
    if (subscribers.length === 0) {
      if (batch.schedule) schedules.delete(scheduleId);
      return;
    }
    if (batch.adminKeyReplaced) subscribers = await dropReplacedHosts(scheduleId, subscribers);
    const schedule = batch.schedule ? await pushSchedule(topic, scheduleId, subscribers) : await scheduleOf(scheduleId);
    if (!schedule) return;
    if (batch.lists) {
      const state = await stateOf(topic, scheduleId);
      if (state) await pushFull(topic, state, subscribers);
      return;
    }
    if (batch.added.size > 0 || batch.deleted.size > 0) await pushDays(schedule, subscribers, batch);
    if (batch.booked.size > 0) await pushBookings(schedule, subscribers, [...batch.booked]);
  }

  // Events wait here, merged, until their topic's queue gets to them: one batch per topic, and the
  // push that will carry it.
  const waiting = new Map<string, { batch: ScheduleBatch; pushed: Promise<void> }>();

  function handle(topic: string, event: LiveEvent): Promise<void> {
    const scheduleId = scheduleIdOfTopic(topic);
    if (!scheduleId) return Promise.resolve();
    const pending = waiting.get(topic);
    if (pending) {
      mergeEvent(pending.batch, event);
      return pending.pushed;
    }
    const batch = mergeEvent(emptyBatch(), event);
    const pushed = queue.run(topic, async () => {
      // Events that arrive until here join this batch (a test may hold this point open).
      await probe?.beforeRead?.(topic);
      waiting.delete(topic);
      await pushBatch(topic, scheduleId, batch);
    });
    waiting.set(topic, { batch, pushed });
    return pushed;
  }

  async function resyncAll(): Promise<void> {
    const tasks: Promise<void>[] = [];
    for (const topic of hub.topics()) {
      const scheduleId = scheduleIdOfTopic(topic);
      if (!scheduleId) continue;
      tasks.push(
        queue.run(topic, async () => {
          changed(topic);
          schedules.delete(scheduleId);
          // A replacement may be among the events missed.
          const subscribers = await dropReplacedHosts(scheduleId, hub.subscribersOf<ScheduleViewer>(topic));
          const state = await stateOf(topic, scheduleId);
          if (state) await pushFull(topic, state, subscribers);
        }),
      );
    }
    await Promise.all(tasks);
  }

  return { connect, handle, resyncAll, idle: () => queue.idle() };
}

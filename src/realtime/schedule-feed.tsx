/**
 * Live updates for schedules. The cost of a push grows with what changed and the number of distinct
 * views (zone, host or visitor), never with the size of the list or the number of watchers:
 *  - events for a topic that arrive while its push is prepared are merged into the next push
 *    (one read, one render per view, one frame per socket);
 *  - a visitor's page shows one view (zone, locale, month, day, carried in its socket's URL): it gets
 *    the calendar cells of the dates a change touched in its month, and its day's slots when they
 *    changed (visitor-feed.tsx); a settings change re-sends the head;
 *  - a host's dashboard shows weeks: it gets the summary lines of the weeks a change touches, and
 *    the days and rows that changed under its filter (schedule-hosts.tsx);
 *  - a socket that opens gets the full state: a part shared by its view, rendered once and cached
 *    (bounded, least recently used out), and its booker's own part; views are rendered one at a
 *    time with the event loop yielded between them, and sends go out in chunks that yield too.
 */
import type { Child } from 'hono/jsx';
import type { Database } from '../db/client.ts';
import { adminKeyHashOf, findScheduleById, type Schedule } from '../domain/schedules.ts';
import { listSlotsByIds, listSlotsForSchedule, slotStateFor } from '../domain/slots.ts';
import { hashKey } from '../domain/tokens.ts';
import { DashboardLinkGone } from '../../views/admin-link.tsx';
import { renderHtml } from '../../views/render.ts';
import { ScheduleHead, ZoneLabel } from '../../views/schedule.tsx';
import type { LiveEvent } from './bus.ts';
import { type FeedProbe, fanOut, yieldToEventLoop } from './fan-out.ts';
import type { Hub, Subscriber } from './hub.ts';
import { LruCache } from './lru-cache.ts';
import { emptyBatch, mergeEvent, type ScheduleBatch } from './schedule-batch.ts';
import { HostFullState, type ScheduleState } from './schedule-frames.tsx';
import { encodeMessage, type LiveSocket } from './socket.ts';
import { scheduleIdOfTopic, scheduleTopic } from './topics.ts';
import {
  pushToVisitors,
  readVisitorState,
  VisitorOwnState,
  VisitorSharedState,
  type VisitorState,
} from './visitor-feed.tsx';
import { createHostPushes, HostShown, shownStarts as startsShownBy } from './schedule-hosts.tsx';
import {
  hostViewKey,
  isHost,
  isVisitor,
  mineKeyOf,
  type ScheduleViewer,
  type VisitorViewer,
  visitorViewKey,
} from './schedule-viewer.ts';
import { TopicQueue } from './topic-queue.ts';

export type { ScheduleViewer } from './schedule-viewer.ts';

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

export interface ScheduleFeedDeps {
  db: Database;
  hub: Hub;
  now: () => Date;
  onError: (error: unknown) => void;
  limits: { liveViewCacheEntries: number; liveViewCacheBytes: number; liveSendChunk: number };
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
    if (v === undefined) {
      v = ++versions;
      topicVersions.set(topic, v);
    }
    return v;
  };
  const changed = (topic: string) => topicVersions.set(topic, ++versions);
  // Both count against one byte budget (a state by its slots, at a generous 1 KB each).
  const budget = deps.limits.liveViewCacheBytes / 2;
  const states = new LruCache<{ state: ScheduleState; expires: number }>(deps.limits.liveViewCacheEntries, {
    maxBytes: budget,
    sizeOf: (e) => 1024 * (e.state.slots.length + 1),
  });
  const frames = new LruCache<{ message: Buffer; expires: number }>(deps.limits.liveViewCacheEntries, {
    maxBytes: budget,
    sizeOf: (e) => e.message.length,
  });
  /** "Next available" as last sent to the visitors of each watched topic (epoch ms, or null for none). */
  const lastNext = new Map<string, number | null>();
  /** What the hosts' dashboards of each watched topic show, per filter. */
  const hostShown = new HostShown();
  const hostPushes = createHostPushes({ db, shown: hostShown, fanOpts });
  /** A topic nobody watches here any more: forget what was kept for it. */
  const forgetIfUnwatched = (topic: string) => {
    if (hub.count(topic) > 0) return;
    topicVersions.delete(topic);
    lastNext.delete(topic);
    hostShown.forget(topic);
  };

  async function stateOf(topic: string, scheduleId: string): Promise<ScheduleState | null> {
    const key = `${topic}#${versionOf(topic)}`;
    const cached = states.get(key);
    if (cached && cached.expires > deps.now().getTime()) return cached.state;
    if (cached) states.delete(key);
    const schedule = await scheduleOf(scheduleId);
    if (!schedule) return null;
    const state = { schedule, slots: await listSlotsForSchedule(db, scheduleId), now: deps.now() };
    states.set(key, { state, expires: state.now.getTime() + FULL_STATE_MS });
    return state;
  }

  const visitorStates = new LruCache<{ state: VisitorState; expires: number }>(deps.limits.liveViewCacheEntries, {
    maxBytes: budget,
    sizeOf: (e) => 1024 * (e.state.view.daySlots.length + e.state.view.counts.size + 1),
  });
  /** What a visitor's view shows, read once per version of the topic (and at least every FULL_STATE_MS). */
  async function visitorStateOf(topic: string, state: ScheduleState, viewer: VisitorViewer): Promise<VisitorState> {
    // A socket that named no view (no month in its URL) is given the default one: read it, and keep
    // that read as the view's state.
    const fresh = viewer.month === null ? await readVisitorState(db, state.schedule, viewer, deps.now()) : null;
    if (fresh) {
      viewer.month = fresh.view.month;
      viewer.day = fresh.view.day;
    }
    const key = `${topic}#${versionOf(topic)}|${visitorViewKey(viewer)}`;
    const cached = fresh ? undefined : visitorStates.get(key);
    if (cached && cached.expires > deps.now().getTime()) return cached.state;
    const read = fresh ?? (await readVisitorState(db, state.schedule, viewer, deps.now()));
    visitorStates.set(key, { state: read, expires: read.now.getTime() + FULL_STATE_MS });
    if (!lastNext.has(topic)) lastNext.set(topic, read.view.next?.startsAt.getTime() ?? null);
    return read;
  }

  /** A frame for a view of the topic's current version: from the cache, or rendered (then a yield). */
  async function frameOf(topic: string, view: string, render: () => Child): Promise<Buffer> {
    const key = `${topic}#${versionOf(topic)}|${view}`;
    const cached = frames.get(key);
    if (cached && cached.expires > deps.now().getTime()) return cached.message;
    if (cached) frames.delete(key);
    const message = encodeMessage(renderHtml(render()));
    probe?.rendered?.(`full|${view}`);
    frames.set(key, { message, expires: deps.now().getTime() + FULL_STATE_MS });
    await yieldToEventLoop();
    return message;
  }

  /**
   * Sends full state to some subscribers: one cached frame per view, plus each booker's own part.
   * With `everyone`, these are all the topic's pages, and what they hold is now exactly `state`.
   */
  async function pushFull(
    topic: string,
    state: ScheduleState,
    subscribers: readonly Subscriber<ScheduleViewer>[],
    everyone = true,
  ): Promise<void> {
    const hostFilters = subscribers.filter(isHost).map((s) => s.viewer.show);
    if (everyone) hostShown.setAll(topic, hostFilters, state);
    else for (const filter of hostFilters) hostShown.set(topic, filter, startsShownBy(state.slots, filter, state.now));
    let sent = 0;
    for (const subscriber of subscribers) {
      const { viewer } = subscriber;
      if (viewer.role === 'host') {
        subscriber.send(
          await frameOf(topic, hostViewKey(viewer), () => <HostFullState state={state} viewer={viewer} />),
        );
      } else {
        // Each view (zone, locale, month, day) is read and rendered once per version of the topic.
        const shared = await visitorStateOf(topic, state, viewer);
        subscriber.send(
          await frameOf(topic, `visitor|${visitorViewKey(viewer)}`, () => (
            <VisitorSharedState state={shared} viewer={viewer} />
          )),
        );
        // Their booking, from the topic's state (read once per version, whoever connects).
        const mine = viewer.visitorHash
          ? (state.slots.find((s) => slotStateFor(s, viewer.visitorHash, state.now) === 'mine') ?? null)
          : null;
        const own = () => <VisitorOwnState state={shared} viewer={viewer} mine={mine} />;
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
  async function dropReplacedHosts(
    scheduleId: string,
    subscribers: Subscriber<ScheduleViewer>[],
  ): Promise<Subscriber<ScheduleViewer>[]> {
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
    const subscriber: Subscriber<ScheduleViewer> = {
      viewer,
      send: (m) => socket.send(m),
      close: (c, r) => socket.close(c, r),
    };
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
      // Dashboards catch up first with what this read holds and they were not sent yet (a change whose
      // event is still on its way), so every dashboard holds the same list. (Visitors' views are
      // pushed what concerns them, whatever they were sent before.)
      const others = hub.subscribersOf<ScheduleViewer>(topic).filter((s) => s !== subscriber);
      await hostPushes.catchUp(topic, state, others.filter(isHost));
      await pushFull(topic, state, [subscriber], false);
      forgetIfUnwatched(topic);
    });
    return () => {
      unsubscribe();
      forgetIfUnwatched(topic);
    };
  }

  /** Title, host name or zone changed: heads (and a host list whose days moved with the zone). */
  async function pushSchedule(
    topic: string,
    scheduleId: string,
    subscribers: Subscriber<ScheduleViewer>[],
  ): Promise<Schedule | null> {
    const schedule = await scheduleOf(scheduleId, true);
    if (!schedule) return null;
    const hosts = subscribers.filter(isHost);
    if (hosts.length) {
      // Rare, and the days of the host's list may have moved with the zone: the whole dashboard.
      const state = await stateOf(topic, scheduleId);
      if (state) await pushFull(topic, state, hosts, false);
    }
    await fanOut(
      subscribers.filter(isVisitor),
      (v) => v.zone,
      (viewer) => (
        <>
          <ScheduleHead schedule={schedule} oob />
          <ZoneLabel zone={viewer.zone} hostZone={schedule.timeZone} now={deps.now()} oob />
        </>
      ),
      fanOpts('head'),
    );
    return schedule;
  }

  /** One batch: what arrived for a topic since its last push, in one read and one push per view. */
  async function pushBatch(topic: string, scheduleId: string, batch: ScheduleBatch): Promise<void> {
    changed(topic);
    let subscribers = hub.subscribersOf<ScheduleViewer>(topic);
    if (subscribers.length === 0) {
      if (batch.schedule) schedules.delete(scheduleId);
      forgetIfUnwatched(topic);
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
    const daysChanged = batch.added.size > 0 || batch.deleted.size > 0;
    if (!daysChanged && batch.booked.size === 0) return;
    const now = deps.now();
    const added = batch.added.size > 0 ? await listSlotsByIds(db, schedule.id, [...batch.added]) : [];
    const booked = batch.booked.size > 0 ? await listSlotsByIds(db, schedule.id, [...batch.booked]) : [];
    await hostPushes.afterBatch(topic, schedule, subscribers.filter(isHost), {
      added,
      booked,
      deleted: [...batch.deleted.values()],
      now,
    });
    const visitors = subscribers.filter(isVisitor);
    if (visitors.length === 0) {
      // No page here shows "Next available": what it reads is unknown until one connects.
      lastNext.delete(topic);
      return;
    }
    const next = await pushToVisitors(
      { db, now: () => now, fanOpts, lastNext: lastNext.get(topic) },
      schedule,
      visitors,
      {
        booked,
        reshaped: [...added.map((s) => s.startsAt.getTime()), ...batch.deleted.values()],
        deleted: new Set(batch.deleted.keys()),
      },
    );
    lastNext.set(topic, next);
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
      try {
        await pushBatch(topic, scheduleId, batch);
      } catch (error) {
        // A push that failed half-way leaves pages behind: they get everything again.
        deps.onError(error);
        lastNext.delete(topic);
        hostShown.forget(topic);
        await resyncTopic(topic, scheduleId);
      }
    });
    waiting.set(topic, { batch, pushed });
    return pushed;
  }

  /** Full state to every page of a topic (after events may have been lost, or a push failed). */
  async function resyncTopic(topic: string, scheduleId: string): Promise<void> {
    changed(topic);
    schedules.delete(scheduleId);
    // A replacement may be among the events missed.
    const subscribers = await dropReplacedHosts(scheduleId, hub.subscribersOf<ScheduleViewer>(topic));
    const state = await stateOf(topic, scheduleId);
    if (state) await pushFull(topic, state, subscribers);
  }

  async function resyncAll(): Promise<void> {
    const tasks: Promise<void>[] = [];
    for (const topic of hub.topics()) {
      const scheduleId = scheduleIdOfTopic(topic);
      if (scheduleId) tasks.push(queue.run(topic, () => resyncTopic(topic, scheduleId)));
    }
    await Promise.all(tasks);
  }

  return { connect, handle, resyncAll, idle: () => queue.idle() };
}

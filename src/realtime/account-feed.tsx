/**
 * Live updates for signed-in pages. Each page keeps one socket: the person's own topic (pop-ups,
 * pending count, inbox) and, on the rooms page, the grid of the date shown (account-grids.tsx). On
 * open it sends the current state; on events it reads once and renders per group of viewers who
 * see the same thing. It remembers the pop-ups each socket shows, so a push carries only what
 * changed: a new invite is one pop-up, whatever else is pending.
 */
import type { Locale } from '../domain/locale.ts';
import { listLiveSessionIds } from '../auth/session.ts';
import type { Database } from '../db/client.ts';
import { loadPopupState } from '../domain/notifications.ts';
import { findUserById } from '../domain/users.ts';
import { SessionEnded } from '../../views/account.tsx';
import { AgendaRefresh } from '../../views/agenda.tsx';
import { InboxRefresh } from '../../views/invites.tsx';
import { LiveStatus, PendingCount } from '../../views/layout.tsx';
import { PopupChanges, Popups, type ShownPopups, shownPopupsOf } from '../../views/popups.tsx';
import { renderHtml } from '../../views/render.ts';
import { RoomGrid } from '../../views/room-grid.tsx';
import { createAccountGrids, type FanOut, type GridViewer, gridUtcDates } from './account-grids.tsx';
import { type FeedProbe, fanOut as sharedFanOut } from './fan-out.ts';
import type { LiveEvent } from './bus.ts';
import type { LiveLimits } from './live.ts';
import type { Hub, Subscriber } from './hub.ts';
import { encodeMessage, type LiveSocket } from './socket.ts';
import { gridDateOfTopic, gridTopic, ROOMS_TOPIC, userIdOfTopic, userTopic } from './topics.ts';
import { TopicQueue } from './topic-queue.ts';

export interface AccountViewer {
  userId: string;
  /** The session the page was opened with: when it ends, the page is told and closed. */
  sessionId: string;
  /** The grid the page shows, if it is the rooms page: its date and hours, and how it reads them. */
  grid: GridViewer | null;
  /** The username chosen for "both free" highlighting on the grid. */
  withUsername: string | null;
  /** The inbox and the agenda refresh their lists when invites change. */
  page: 'inbox' | 'agenda' | 'other';
  /** How the page writes dates and times (its upgrade request's Accept-Language). */
  locale: Locale;
  origin: string;
}

export interface AccountFeed {
  connect(socket: LiveSocket, viewer: AccountViewer): () => void;
  handle(topic: string, event: LiveEvent): Promise<void>;
  /** Re-sends every open grid in full (an hour passed; states change by themselves). */
  refreshGrids(): Promise<void>;
  resyncAll(): Promise<void>;
  idle(): Promise<void>;
}

/** How a page whose session ended is closed: 1008, after which htmx-ext-ws does not reconnect. */
export const CLOSE_SESSION_ENDED = 1008;

export function createAccountFeed(deps: {
  db: Database;
  hub: Hub;
  now: () => Date;
  siteZone: string;
  limits: Pick<LiveLimits, 'maxPopupsShown' | 'liveSendChunk'>;
  probe?: FeedProbe | undefined;
  onError: (error: unknown) => void;
}): AccountFeed {
  const { db, hub } = deps;
  const queue = new TopicQueue(deps.onError);
  /** The pop-ups each socket shows, as the last message it was sent left them. */
  const shownPopups = new WeakMap<Subscriber<AccountViewer>, ShownPopups>();

  const loadPopups = (userId: string) => loadPopupState(db, userId, deps.now(), deps.limits.maxPopupsShown);

  /** Renders once per key, sends to every subscriber with that key, in chunks that yield. */
  const fanOut: FanOut = (subscribers, keyOf, render) =>
    sharedFanOut(
      subscribers,
      (_, s) => keyOf(s),
      (_, s) => render(s),
      { chunk: deps.limits.liveSendChunk, kind: 'account', probe: deps.probe },
    );

  const userOf = (id: string) => findUserById(db, id);
  const grids = createAccountGrids({ db, hub, now: deps.now, siteZone: deps.siteZone, fanOut });

  /**
   * This instance's pages of a person whose session no longer exists are told so and closed;
   * returns the subscribers left. One read of the person's sessions, whatever the count.
   */
  async function dropEndedSessions(
    userId: string,
    subscribers: Subscriber<AccountViewer>[],
  ): Promise<Subscriber<AccountViewer>[]> {
    if (subscribers.length === 0) return subscribers;
    const live = await listLiveSessionIds(db, userId, deps.now());
    const ended = subscribers.filter((s) => !live.has(s.viewer.sessionId));
    if (ended.length > 0) {
      const message = encodeMessage(renderHtml(<SessionEnded />));
      for (const subscriber of ended) {
        subscriber.send(message);
        subscriber.close(CLOSE_SESSION_ENDED, 'session ended');
      }
    }
    return subscribers.filter((s) => live.has(s.viewer.sessionId));
  }

  function connect(socket: LiveSocket, viewer: AccountViewer): () => void {
    const subscriber: Subscriber<AccountViewer> = {
      viewer,
      send: (m) => socket.send(m),
      close: (c, r) => socket.close(c, r),
    };
    const unsubscribes = [hub.subscribe(userTopic(viewer.userId), subscriber)];
    if (viewer.grid) {
      // Every UTC date its hours touch (a local day touches at most two).
      for (const date of gridUtcDates(viewer.grid)) unsubscribes.push(hub.subscribe(gridTopic(date), subscriber));
      unsubscribes.push(hub.subscribe(ROOMS_TOPIC, subscriber));
    }
    void queue.run(userTopic(viewer.userId), async () => {
      // A page whose session ended between the upgrade and now (checked in the person's queue, so
      // an ending handled before or after is caught either way).
      if ((await dropEndedSessions(viewer.userId, [subscriber])).length === 0) return;
      const user = await userOf(viewer.userId);
      if (!user) {
        socket.close(1008, 'account gone');
        return;
      }
      const popups = await loadPopups(user.id);
      const grid = await grids.opening(subscriber);
      socket.send(
        encodeMessage(
          renderHtml(
            <>
              <Popups
                viewer={{ id: user.id, timeZone: user.timeZone, locale: viewer.locale }}
                state={popups}
                origin={viewer.origin}
                oob
              />
              <PendingCount count={popups.pendingCount} oob />
              {grid ? <RoomGrid view={grid} oob /> : null}
              <LiveStatus state="live" oob />
            </>,
          ),
        ),
      );
      shownPopups.set(subscriber, shownPopupsOf(popups));
    });
    return () => {
      for (const unsubscribe of unsubscribes) unsubscribe();
    };
  }

  /**
   * A person's pop-ups and count, on every page of theirs: each socket is sent only the changes
   * from what it shows (one render per group showing the same), so a new invite is one pop-up.
   */
  async function pushUser(userId: string): Promise<void> {
    const subscribers = hub.subscribersOf<AccountViewer>(userTopic(userId));
    if (subscribers.length === 0) return;
    const user = await userOf(userId);
    if (!user) return;
    const state = await loadPopups(userId);
    const viewerIn = (locale: Locale) => ({ id: user.id, timeZone: user.timeZone, locale });
    const shownKey = (shown: ShownPopups | undefined) =>
      shown ? `${shown.invites.join(',')}/${shown.notices.join(',')}` : 'unknown';
    await fanOut(
      subscribers,
      (s) => `${s.viewer.page}|${s.viewer.locale}|${s.viewer.origin}|${shownKey(shownPopups.get(s))}`,
      async (s) => {
        const shown = shownPopups.get(s);
        const viewer = viewerIn(s.viewer.locale);
        return (
          <>
            {shown ? (
              <PopupChanges shown={shown} state={state} viewer={viewer} origin={s.viewer.origin} />
            ) : (
              <Popups viewer={viewer} state={state} origin={s.viewer.origin} oob />
            )}
            <PendingCount count={state.pendingCount} oob />
            {s.viewer.page === 'inbox' ? <InboxRefresh /> : null}
            {s.viewer.page === 'agenda' ? <AgendaRefresh /> : null}
          </>
        );
      },
    );
    const shown = shownPopupsOf(state);
    for (const subscriber of subscribers) shownPopups.set(subscriber, shown);
  }

  async function handle(topic: string, event: LiveEvent): Promise<void> {
    const userId = userIdOfTopic(topic);
    if (userId && event.type === 'sessions-ended') {
      return queue.run(
        topic,
        async () => void (await dropEndedSessions(userId, hub.subscribersOf<AccountViewer>(topic))),
      );
    }
    if (userId) return queue.run(topic, () => pushUser(userId));
    const date = gridDateOfTopic(topic);
    if (date && event.type === 'cells') return queue.run(topic, () => grids.pushCells(date, event.ids ?? []));
    if (topic === ROOMS_TOPIC && event.type === 'room')
      return queue.run(topic, () => grids.pushRoomRows(event.ids ?? []));
    if (topic === ROOMS_TOPIC)
      return queue.run(topic, () => grids.pushWhole(hub.subscribersOf<AccountViewer>(ROOMS_TOPIC)));
  }

  async function refreshGrids(): Promise<void> {
    await queue.run(ROOMS_TOPIC, () => grids.pushWhole(hub.subscribersOf<AccountViewer>(ROOMS_TOPIC)));
  }

  async function resyncAll(): Promise<void> {
    const tasks = hub
      .topics()
      .map(userIdOfTopic)
      .filter((id): id is string => id !== null)
      .map((id) =>
        queue.run(userTopic(id), async () => {
          // A logout or password change may be among the events missed.
          await dropEndedSessions(id, hub.subscribersOf<AccountViewer>(userTopic(id)));
          await pushUser(id);
        }),
      );
    await Promise.all([...tasks, refreshGrids()]);
  }

  return { connect, handle, refreshGrids, resyncAll, idle: () => queue.idle() };
}

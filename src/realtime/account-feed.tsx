/**
 * Live updates for signed-in pages. Each page keeps one socket: the person's own topic (pop-ups,
 * pending count, inbox) and, on the rooms page, the grid of the date shown. On open it sends the
 * current state; on events it reads once and renders per group of viewers who see the same thing.
 */
import type { Child } from 'hono/jsx';
import { listLiveSessionIds } from '../auth/session.ts';
import type { Database } from '../db/client.ts';
import { loadGrid } from '../domain/grid.ts';
import { loadPopupState } from '../domain/notifications.ts';
import { findUserById, findUserByUsername, type User } from '../domain/users.ts';
import { SessionEnded } from '../../views/account.tsx';
import { InboxRefresh } from '../../views/invites.tsx';
import { LiveStatus, PendingCount } from '../../views/layout.tsx';
import { Popups } from '../../views/popups.tsx';
import { renderHtml } from '../../views/render.ts';
import { CellButton, type GridView, RoomGrid } from '../../views/rooms.tsx';
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
  /** The date of the grid the page shows, if it is the rooms page. */
  gridDate: string | null;
  /** The username chosen for "both free" highlighting on the grid. */
  withUsername: string | null;
  /** The page is the inbox: it refreshes its results when invites change. */
  inbox: boolean;
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
  limits: Pick<LiveLimits, 'maxPopupsShown'>;
  onError: (error: unknown) => void;
}): AccountFeed {
  const { db, hub, siteZone } = deps;
  const queue = new TopicQueue(deps.onError);

  async function popupsFor(user: User, viewer: AccountViewer): Promise<Child> {
    const state = await loadPopupState(db, user.id, deps.now());
    return (
      <>
        <Popups viewer={{ id: user.id, timeZone: user.timeZone }} invites={state.invites} notices={state.notices} origin={viewer.origin} oob />
        <PendingCount count={state.invites.length} oob />
      </>
    );
  }

  async function gridViewFor(viewer: AccountViewer, user: User): Promise<GridView> {
    const withUser = viewer.withUsername ? await findUserByUsername(db, viewer.withUsername) : null;
    const grid = await loadGrid(db, {
      date: viewer.gridDate!,
      zone: siteZone,
      now: deps.now(),
      pair: withUser && withUser.id !== user.id ? { viewerId: user.id, withUserId: withUser.id } : null,
    });
    return { grid, viewerZone: user.timeZone, people: [], withUser };
  }

  /** Renders once per key, sends to every subscriber with that key. */
  async function fanOut(subscribers: Subscriber<AccountViewer>[], keyOf: (v: AccountViewer) => string, render: (v: AccountViewer) => Promise<Child | null>) {
    const rendered = new Map<string, Buffer | null>();
    for (const subscriber of subscribers) {
      const key = keyOf(subscriber.viewer);
      if (!rendered.has(key)) {
        const node = await render(subscriber.viewer);
        rendered.set(key, node === null ? null : encodeMessage(renderHtml(node)));
      }
      const message = rendered.get(key);
      if (message) subscriber.send(message);
    }
  }

  const userOf = (id: string) => findUserById(db, id);

  /**
   * This instance's pages of a person whose session no longer exists are told so and closed;
   * returns the subscribers left. One read of the person's sessions, whatever the count.
   */
  async function dropEndedSessions(userId: string, subscribers: Subscriber<AccountViewer>[]): Promise<Subscriber<AccountViewer>[]> {
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
    const subscriber: Subscriber<AccountViewer> = { viewer, send: (m) => socket.send(m), close: (c, r) => socket.close(c, r) };
    const unsubscribes = [hub.subscribe(userTopic(viewer.userId), subscriber)];
    if (viewer.gridDate) {
      unsubscribes.push(hub.subscribe(gridTopic(viewer.gridDate), subscriber), hub.subscribe(ROOMS_TOPIC, subscriber));
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
      const grid = viewer.gridDate ? <RoomGrid view={await gridViewFor(viewer, user)} oob /> : null;
      socket.send(
        encodeMessage(
          renderHtml(
            <>
              {await popupsFor(user, viewer)}
              {grid}
              <LiveStatus state="live" oob />
            </>,
          ),
        ),
      );
    });
    return () => {
      for (const unsubscribe of unsubscribes) unsubscribe();
    };
  }

  async function pushUser(userId: string): Promise<void> {
    const subscribers = hub.subscribersOf<AccountViewer>(userTopic(userId));
    if (subscribers.length === 0) return;
    const user = await userOf(userId);
    if (!user) return;
    await fanOut(subscribers, (v) => `${v.inbox}|${v.origin}`, async (viewer) => (
      <>
        {await popupsFor(user, viewer)}
        {viewer.inbox ? <InboxRefresh /> : null}
      </>
    ));
  }

  /** Whole grids for everyone on a topic, one render per (viewer zone, highlight pair). */
  async function pushWholeGrids(subscribers: Subscriber<AccountViewer>[]): Promise<void> {
    const people = new Map<string, User | null>();
    const person = async (id: string) => {
      if (!people.has(id)) people.set(id, await userOf(id));
      return people.get(id)!;
    };
    const keys = new Map<AccountViewer, string>();
    for (const { viewer } of subscribers) {
      const user = await person(viewer.userId);
      keys.set(viewer, `${viewer.gridDate}|${user?.timeZone}|${viewer.withUsername ? `${viewer.userId}+${viewer.withUsername}` : ''}`);
    }
    await fanOut(
      subscribers.filter((s) => s.viewer.gridDate),
      (v) => keys.get(v)!,
      async (viewer) => {
        const user = await person(viewer.userId);
        return user ? <RoomGrid view={await gridViewFor(viewer, user)} oob /> : null;
      },
    );
  }

  async function pushCells(date: string, cellKeys: readonly string[]): Promise<void> {
    const subscribers = hub.subscribersOf<AccountViewer>(gridTopic(date));
    // Highlighting depends on who is busy across the whole hour column: those get the whole grid.
    await pushWholeGrids(subscribers.filter((s) => s.viewer.withUsername));
    const plain = subscribers.filter((s) => !s.viewer.withUsername);
    if (plain.length === 0) return;
    const zones = new Map<string, string>();
    for (const s of plain) zones.set(s.viewer.userId, (await userOf(s.viewer.userId))?.timeZone ?? siteZone);
    const grid = await loadGrid(db, { date, zone: siteZone, now: deps.now() });
    const wanted = new Set(cellKeys);
    const cells = grid.rows.flatMap((row) => row.cells.filter((cell) => wanted.has(`${cell.room.id}@${cell.hour}`)));
    await fanOut(plain, (v) => zones.get(v.userId)!, async (viewer) => (
      <>
        {cells.map((cell) => (
          <CellButton cell={cell} siteZone={siteZone} date={date} viewerZone={zones.get(viewer.userId)!} oob />
        ))}
      </>
    ));
  }

  async function handle(topic: string, event: LiveEvent): Promise<void> {
    const userId = userIdOfTopic(topic);
    if (userId && event.type === 'sessions-ended') {
      return queue.run(topic, async () => void (await dropEndedSessions(userId, hub.subscribersOf<AccountViewer>(topic))));
    }
    if (userId) return queue.run(topic, () => pushUser(userId));
    const date = gridDateOfTopic(topic);
    if (date && event.type === 'cells') return queue.run(topic, () => pushCells(date, event.ids ?? []));
    if (topic === ROOMS_TOPIC) return queue.run(topic, () => pushWholeGrids(hub.subscribersOf<AccountViewer>(ROOMS_TOPIC)));
  }

  async function refreshGrids(): Promise<void> {
    await queue.run(ROOMS_TOPIC, () => pushWholeGrids(hub.subscribersOf<AccountViewer>(ROOMS_TOPIC)));
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

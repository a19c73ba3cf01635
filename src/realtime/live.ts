/** The live channel: one hub, the bus, and the feeds that turn bus events into pushes. */
import type { Database } from '../db/client.ts';
import type { Bus, LiveEvent } from './bus.ts';
import { type AccountFeed, createAccountFeed } from './account-feed.tsx';
import { Hub } from './hub.ts';
import type { FeedProbe } from './fan-out.ts';
import { createScheduleFeed, type ScheduleFeed } from './schedule-feed.tsx';
import type { Config } from '../config.ts';
import { LiveSockets, type SocketLimits } from './socket.ts';

/** The settings the live path reads: socket limits, pop-ups shown, the view cache and send chunks. */
export type LiveLimits = SocketLimits &
  Pick<Config, 'maxPopupsShown' | 'liveViewCacheEntries' | 'liveViewCacheBytes' | 'liveSendChunk'>;

export interface Live {
  hub: Hub;
  /** Opens every live route's sockets, within the limits per address and per socket. */
  sockets: LiveSockets;
  schedules: ScheduleFeed;
  accounts: AccountFeed;
  /**
   * Publish after the write has committed: every instance's feeds push to their sockets. Never
   * rejects: if the bus fails, this instance's sockets are pushed to directly.
   */
  publish(topic: string, event: LiveEvent): Promise<void>;
  /** Resolves once every push queued so far has been sent. */
  idle(): Promise<void>;
  /** Closes every socket with 1012 so pages reconnect to another (or the restarted) instance. */
  close(): Promise<void>;
}

export function createLive(deps: {
  db: Database;
  bus: Bus;
  now: () => Date;
  siteZone: string;
  limits: LiveLimits;
  onError: (error: unknown) => void;
  /** Seams for tests: counting renders, holding a feed before it reads. */
  probe?: FeedProbe;
}): Live {
  const hub = new Hub();
  const schedules = createScheduleFeed({
    db: deps.db,
    hub,
    now: deps.now,
    onError: deps.onError,
    limits: deps.limits,
    probe: deps.probe,
  });
  const accounts = createAccountFeed({
    db: deps.db,
    hub,
    now: deps.now,
    siteZone: deps.siteZone,
    limits: deps.limits,
    onError: deps.onError,
    probe: deps.probe,
  });
  const pending = new Set<Promise<void>>();
  const track = (p: Promise<void>) => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  const stopEvents = deps.bus.subscribe((topic, event) => {
    track(schedules.handle(topic, event));
    track(accounts.handle(topic, event));
  });
  const stopResync = deps.bus.onResync(() => {
    track(schedules.resyncAll());
    track(accounts.resyncAll());
  });
  return {
    hub,
    sockets: new LiveSockets(deps.limits),
    schedules,
    accounts,
    async publish(topic, event) {
      try {
        await deps.bus.publish(topic, event);
      } catch (error) {
        // The change has committed: its answer must not turn into an error. Lacking the bus (its
        // connection cut), this instance's viewers are told directly; other instances' viewers
        // get the full state when their listener reconnects.
        deps.onError(error);
        track(schedules.handle(topic, event));
        track(accounts.handle(topic, event));
      }
    },
    async idle() {
      while (pending.size > 0) await Promise.all(pending);
      await schedules.idle();
      await accounts.idle();
    },
    async close() {
      stopEvents();
      stopResync();
      hub.closeAll(1012, 'server restarting');
    },
  };
}

/** The Hono environment (what middleware puts on the context) and what the app is built from. */
import type { Assets } from './assets.ts';
import type { Session, SessionUser } from './auth/session.ts';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import type { Live } from './realtime/live.ts';
import type { Locale } from './domain/locale.ts';

/** What createApp is given: the app does no I/O of its own beyond these. */
export interface AppDeps {
  config: Config;
  db: Database;
  live: Live;
  assets: Assets;
  now: () => Date;
  log: (line: string) => void;
}

export type AppEnv = {
  Variables: {
    /** The site's origin for absolute links: PUBLIC_URL when set, else the request's own. */
    origin: string;
    /** The locale dates and times are written in, from Accept-Language. */
    locale: Locale;
    /** The viewer's zone from the `tz` cookie, mapped to a current IANA id; null when unknown. */
    viewerZone: string | null;
    /** The client's address (X-Forwarded-For only under TRUST_PROXY). */
    clientAddress: string;
    /** The signed-in person, or null. */
    user: SessionUser | null;
    session: Session | null;
  };
};

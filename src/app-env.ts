/** The Hono environment: what middleware puts on the context for handlers. */
import type { Session, SessionUser } from './auth/session.ts';

export type AppEnv = {
  Variables: {
    /** The site's origin for absolute links: PUBLIC_URL when set, else the request's own. */
    origin: string;
    /** The viewer's zone from the `tz` cookie, mapped to a current IANA id; null when unknown. */
    viewerZone: string | null;
    /** The client's address (X-Forwarded-For only under TRUST_PROXY). */
    clientAddress: string;
    /** The signed-in person, or null. */
    user: SessionUser | null;
    session: Session | null;
  };
};

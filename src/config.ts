/** The environment, parsed once into a typed object. Nothing else reads process.env. */
import { z } from 'zod';
import { canonicalZone, systemZone } from './domain/time.ts';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  DATA_DIR: z.string().min(1).default('./data'),
  PUBLIC_URL: z
    .string()
    .url()
    .optional()
    .or(z.literal('').transform(() => undefined))
    .transform((v) => (v ? v.replace(/\/+$/, '') : undefined)),
  TRUST_PROXY: flag,
  /** Bookings, moves and releases per client address per minute. */
  BOOKING_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
  /** Largest WebSocket frame a client may send; pages only ever send nothing or pings. */
  WS_MAX_PAYLOAD: z.coerce.number().int().min(128).default(4096),
  /** Seconds between pings to every live socket; one left unanswered until the next is reaped. */
  WS_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).default(30),
  /**
   * Bytes waiting to be written to one socket, counting the message about to be queued, beyond
   * which a push drops it (1013, the page retries). Sized so a full-size dashboard's full state
   * (MAX_SLOTS_PER_SCHEDULE slots at about 700 bytes each) fits with room to spare.
   */
  WS_MAX_BUFFERED_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(4 * 1024 * 1024),
  /** Live sockets open at once from one client address (a person with many tabs stays far below). */
  WS_MAX_SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).default(64),
  LOG_REQUESTS: flag,
  REGISTRATION: z.enum(['open', 'closed']).default('open'),
  /** Rooms' hours are in this zone; default: the server's. */
  SITE_TIME_ZONE: z.string().optional(),
  /** Load seeds/ on an empty embedded database at start. */
  SEED_DEMO: z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((v) => v !== 'false' && v !== '0'),
  /**
   * Failed logins for one account, from anywhere, before each further try must wait (1 s, doubling
   * with each failure, up to LOGIN_ACCOUNT_MAX_WAIT_SECONDS: a wait, never a lock-out, so the owner
   * always gets in); and failed logins for one account from one client address in
   * LOGIN_FAILURE_WINDOW_MINUTES, past which that address is refused (429) for it until the window ends.
   * Counted in the database before the password is verified, so it holds across instances and
   * under parallel attempts.
   */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).max(1e9).default(10),
  /** The longest wait an account's failures impose on the next try, in seconds. */
  LOGIN_ACCOUNT_MAX_WAIT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  /** Failed logins from one client address (any accounts) in the window, then 429 until it ends. */
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(1e9).default(50),
  /** The window of the two limits above; an account's failures are forgotten this long after its last wait. */
  LOGIN_FAILURE_WINDOW_MINUTES: z.coerce.number().int().min(1).max(10_080).default(15),
  /** New accounts per client address per hour (counted in the database, across instances). */
  REGISTRATION_RATE_LIMIT: z.coerce.number().int().min(1).max(1e9).default(20),
  /** Slots one schedule may hold (open, booked and past together). */
  MAX_SLOTS_PER_SCHEDULE: z.coerce.number().int().min(1).max(100_000).default(2000),
  /** Slots one "Add slot" may create (one range split into parts). */
  MAX_SLOTS_PER_ADD: z.coerce.number().int().min(1).max(10_000).default(200),
  /** Schedules created per client address per hour. */
  SCHEDULE_CREATION_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
  /** Rooms on the site (archived ones included). */
  MAX_ROOMS: z.coerce.number().int().min(1).max(100_000).default(500),
  /** Invitations one person may send per hour. */
  INVITE_RATE_LIMIT: z.coerce.number().int().min(1).default(60),
  /** Rows one Invites or My meetings page shows (a search or a filter finds the rest). */
  MAX_LIST_ROWS: z.coerce.number().int().min(1).max(10_000).default(200),
  /** Pending invitation pop-ups shown at once (the newest); the rest wait in Invites. */
  MAX_POPUPS_SHOWN: z.coerce.number().int().min(1).max(50).default(5),
  /** Full-state renders kept for sockets (re)connecting, per instance (least recently used go). */
  LIVE_VIEW_CACHE_ENTRIES: z.coerce.number().int().min(1).max(100_000).default(256),
  /** …and the megabytes they may take together. */
  LIVE_VIEW_CACHE_MB: z.coerce.number().int().min(1).max(100_000).default(64),
  /** Sockets written to before a push yields to the event loop (so HTTP answers are not queued behind it). */
  LIVE_SEND_CHUNK: z.coerce.number().int().min(1).max(100_000).default(1000),
  /** Live sessions one person may have; a login past it ends their oldest. */
  MAX_SESSIONS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(20),
  /** On SIGTERM, seconds to let requests in flight finish before exiting anyway. */
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  publicUrl: string | undefined;
  trustProxy: boolean;
  bookingRateLimit: number;
  wsMaxPayload: number;
  wsHeartbeatMs: number;
  wsMaxBufferedBytes: number;
  wsMaxSocketsPerAddress: number;
  logRequests: boolean;
  registration: 'open' | 'closed';
  siteTimeZone: string;
  seedDemo: boolean;
  loginMaxFailuresPerAccount: number;
  loginAccountMaxWaitMs: number;
  loginMaxFailuresPerAddress: number;
  loginFailureWindowMs: number;
  registrationRateLimit: number;
  shutdownGraceMs: number;
  maxSessionsPerUser: number;
  maxSlotsPerSchedule: number;
  maxSlotsPerAdd: number;
  scheduleCreationRateLimit: number;
  maxRooms: number;
  inviteRateLimit: number;
  maxPopupsShown: number;
  maxListRows: number;
  liveViewCacheEntries: number;
  liveViewCacheBytes: number;
  liveSendChunk: number;
};

/** Parses the environment; throws one readable error listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const siteTimeZone = e.SITE_TIME_ZONE ? canonicalZone(e.SITE_TIME_ZONE) : systemZone();
  if (!siteTimeZone)
    throw new Error(
      `Invalid environment:\n  SITE_TIME_ZONE: "${e.SITE_TIME_ZONE}" is not a time zone (use an IANA id such as America/New_York)`,
    );
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    publicUrl: e.PUBLIC_URL,
    trustProxy: e.TRUST_PROXY,
    bookingRateLimit: e.BOOKING_RATE_LIMIT,
    wsMaxPayload: e.WS_MAX_PAYLOAD,
    wsHeartbeatMs: e.WS_HEARTBEAT_SECONDS * 1000,
    wsMaxBufferedBytes: e.WS_MAX_BUFFERED_BYTES,
    wsMaxSocketsPerAddress: e.WS_MAX_SOCKETS_PER_ADDRESS,
    logRequests: e.LOG_REQUESTS,
    registration: e.REGISTRATION,
    siteTimeZone,
    seedDemo: e.SEED_DEMO,
    loginMaxFailuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    loginAccountMaxWaitMs: e.LOGIN_ACCOUNT_MAX_WAIT_SECONDS * 1000,
    loginMaxFailuresPerAddress: e.LOGIN_MAX_FAILURES_PER_ADDRESS,
    loginFailureWindowMs: e.LOGIN_FAILURE_WINDOW_MINUTES * 60_000,
    registrationRateLimit: e.REGISTRATION_RATE_LIMIT,
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
    maxSessionsPerUser: e.MAX_SESSIONS_PER_USER,
    maxSlotsPerSchedule: e.MAX_SLOTS_PER_SCHEDULE,
    maxSlotsPerAdd: e.MAX_SLOTS_PER_ADD,
    scheduleCreationRateLimit: e.SCHEDULE_CREATION_RATE_LIMIT,
    maxRooms: e.MAX_ROOMS,
    inviteRateLimit: e.INVITE_RATE_LIMIT,
    maxPopupsShown: e.MAX_POPUPS_SHOWN,
    maxListRows: e.MAX_LIST_ROWS,
    liveViewCacheEntries: e.LIVE_VIEW_CACHE_ENTRIES,
    liveViewCacheBytes: e.LIVE_VIEW_CACHE_MB * 1024 * 1024,
    liveSendChunk: e.LIVE_SEND_CHUNK,
  };
}

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
  DATABASE_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
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
  /** Bytes waiting to be written to one socket beyond which a push drops it (1013, the page retries). */
  WS_MAX_BUFFERED_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  /** Live sockets open at once from one client address (a person with many tabs stays far below). */
  WS_MAX_SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).default(64),
  LOG_REQUESTS: flag,
  REGISTRATION: z.enum(['open', 'closed']).default('open'),
  /** Rooms' hours are in this zone; default: the server's. */
  SITE_TIME_ZONE: z.string().optional(),
  /** Load seeds/ on an empty embedded database at start. */
  SEED_DEMO: z.enum(['true', 'false', '1', '0', '']).optional().transform((v) => v !== 'false' && v !== '0'),
  /** Failed logins allowed per account, and per client address, in LOGIN_FAILURE_WINDOW_MINUTES. */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(50),
  LOGIN_FAILURE_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  /** New accounts per client address per hour. */
  REGISTRATION_RATE_LIMIT: z.coerce.number().int().min(1).default(20),
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
  loginMaxFailuresPerAddress: number;
  loginFailureWindowMs: number;
  registrationRateLimit: number;
  shutdownGraceMs: number;
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
  if (!siteTimeZone) throw new Error(`Invalid environment:\n  SITE_TIME_ZONE: "${e.SITE_TIME_ZONE}" is not a time zone (use an IANA id such as America/New_York)`);
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
    loginMaxFailuresPerAddress: e.LOGIN_MAX_FAILURES_PER_ADDRESS,
    loginFailureWindowMs: e.LOGIN_FAILURE_WINDOW_MINUTES * 60_000,
    registrationRateLimit: e.REGISTRATION_RATE_LIMIT,
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
  };
}

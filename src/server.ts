/**
 * Process entry: read the configuration, open the database (embedded PGlite in DATA_DIR, or
 * PostgreSQL with DATABASE_URL), apply migrations, serve HTTP and WebSockets, stop cleanly.
 *
 * Start-up order is chosen for time to the first answer: the database starts opening first (PGlite
 * compiles its WebAssembly on background threads) while the app's modules load; work no request
 * needs to wait for (seeding a new embedded database, expiring invites) runs once listening.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig } from './config.ts';
import { type DatabaseHandle, openEmbeddedDatabase, openPostgresDatabase } from './db/client.ts';
import { redactSecrets } from './middleware/request-log.ts';
import { lockDataFolderForProcess } from './db/data-lock.ts';
import { fillNewDataFolder } from './db/template.ts';

const log = (line: string) => console.log(line);

/** Opens the database; `isNew` says an embedded data folder was created just now. */
async function openDatabase(
  config: ReturnType<typeof loadConfig>,
): Promise<{ database: DatabaseHandle; isNew: boolean }> {
  if (config.databaseUrl) return { database: await openPostgresDatabase(config.databaseUrl), isNew: false };
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  // A second server on the same folder stops here (exit 1, with a message) before anything is
  // written into it.
  lockDataFolderForProcess(dataDir);
  const isNew = !existsSync(resolve(dataDir, 'PG_VERSION'));
  // A new folder starts as a copy of the cached migrated template (built on this machine's first
  // start); without one, PGlite creates the database in place on open.
  if (isNew) await fillNewDataFolder(dataDir, log);
  return { database: await openEmbeddedDatabase({ dataDir }), isNew };
}

async function main(): Promise<void> {
  const started = performance.now();
  const config = loadConfig(process.env);
  if (!config.publicUrl && !config.trustProxy) {
    // Fine on a laptop; wrong behind a proxy, where it breaks live updates and weakens cookies.
    log(
      '*** Warning: neither PUBLIC_URL nor TRUST_PROXY is set, so links, cookies and the WebSocket origin check follow ' +
        "each request's own URL. Behind an HTTPS reverse proxy set PUBLIC_URL=https://<your host> (or TRUST_PROXY=true " +
        'if the proxy sends X-Forwarded-Proto and X-Forwarded-Host): otherwise every live page is refused its socket and ' +
        'cookies are not marked Secure. ***',
    );
  }
  const opening = openDatabase(config);
  // Awaited below, once the modules have loaded; until then a failure (a folder in use, a server
  // that refuses) must not count as unhandled, which would print a stack trace instead of the message.
  opening.catch(() => {});
  const [
    { serve },
    { createLiveSocketServer },
    { createApp },
    { loadAssets },
    { migrateDatabase },
    seed,
    bus,
    { startHourly },
    { createLive },
  ] = await Promise.all([
    import('@hono/node-server'),
    import('./realtime/socket-server.ts'),
    import('./app.ts'),
    import('./assets.ts'),
    import('./db/migrate.ts'),
    import('./domain/seed.ts'),
    import('./realtime/bus.ts'),
    import('./realtime/hourly.ts'),
    import('./realtime/live.ts'),
  ]);
  const { database, isNew } = await opening;
  await migrateDatabase(database);

  const now = () => new Date();
  const onError = (e: unknown) =>
    log(`live: ${redactSecrets(e instanceof Error ? (e.stack ?? e.message) : String(e))}`);
  // Several instances share PostgreSQL, so their events go through LISTEN/NOTIFY; embedded mode
  // is one process by nature.
  const events =
    database.kind === 'postgres'
      ? await (await import('./realtime/pg-bus.ts')).createPostgresBus(
          { pool: database.pool!, url: database.url! },
          { onError },
        )
      : bus.createInProcessBus();
  const live = createLive({
    db: database.db,
    bus: events,
    now,
    siteZone: config.siteTimeZone,
    limits: config,
    onError,
  });
  const app = createApp({ config, db: database.db, live, assets: loadAssets(), now, log });

  const sockets = createLiveSocketServer(config);
  const server = serve(
    { fetch: app.fetch, port: config.port, hostname: config.host, websocket: { server: sockets.wss } },
    (info) => {
      const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
      log(
        `Inter-Personal Time listening on http://${shown}:${info.port} ` +
          `(${database.kind === 'embedded' ? `embedded database in ${database.location}` : `PostgreSQL at ${database.location}`}, ` +
          `ready in ${Math.round(performance.now() - started)} ms)`,
      );
    },
  );

  sockets.attach(server);
  server.on('error', (error: NodeJS.ErrnoException) => {
    console.error(
      error.code === 'EADDRINUSE'
        ? `Port ${config.port} is already in use on ${config.host}: stop the other server or set PORT.`
        : error.message,
    );
    process.exit(1);
  });

  // Sample data goes into a new embedded database only: a folder someone has used is left alone.
  if (isNew && config.seedDemo && (await seed.hasNoUsers(database.db))) {
    const report = await seed.loadSeeds(database.db);
    log('');
    log('*** New embedded database: loaded the sample users and rooms from seeds/ (set SEED_DEMO=false to skip). ***');
    log(
      `*** Demo logins (change or remove them before real use): ${report.demoUsers.map((u) => `${u.username} / ${u.password}`).join(', ')} ***`,
    );
    log('');
  }
  // Invites that expired while nothing ran are expired a few seconds after start (nothing can
  // accept them meanwhile: acceptance checks the hour), so the first requests do not wait.
  const hourly = startHourly({
    db: database.db,
    live,
    now,
    siteZone: config.siteTimeZone,
    onError,
    firstRunAfterMs: 5000,
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: closing sockets (1012) and finishing requests in flight`);
    // Stop accepting, let requests in flight finish, tell pages to reconnect elsewhere.
    const closed = new Promise<void>((done) => server.close(() => done()));
    // A keep-alive connection goes idle once its last request is answered; close it then rather
    // than after its 5-second keep-alive timeout.
    setInterval(() => (server as import('node:http').Server).closeIdleConnections(), 50).unref();
    hourly.stop();
    sockets.stop();
    await live.close();
    const deadline = setTimeout(() => {
      log(
        `${signal}: requests still unfinished after ${config.shutdownGraceMs / 1000} s (SHUTDOWN_GRACE_SECONDS); exiting anyway`,
      );
      process.exit(0);
    }, config.shutdownGraceMs);
    deadline.unref();
    await closed;
    await events.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

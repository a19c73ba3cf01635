/**
 * createApp(deps): middleware order, route mounts, notFound and onError. No I/O of its own: the
 * database, the live channel, the clock and the assets come in as dependencies.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps, AppEnv } from './app-env.ts';
import { isDataException, pgErrorCode, unavailabilityCause } from './db/errors.ts';
import { refuseCrossSiteWrites } from './middleware/csrf.ts';
import { readableForm } from './middleware/form-body.ts';
import { requestContext } from './middleware/request-context.ts';
import { redactPath, redactSecrets, requestLog } from './middleware/request-log.ts';
import { loadSession } from './middleware/session.ts';
import { securityHeaders } from './middleware/security-headers.ts';
import { isAllowedOrigin } from './middleware/ws-origin.ts';
import { accountLiveRoutes } from './routes/account-live.ts';
import { adminRoutes } from './routes/admin.tsx';
import { assetRoutes } from './routes/assets.ts';
import { authRoutes } from './routes/auth.tsx';
import { healthRoutes } from './routes/health.ts';
import { homeRoutes } from './routes/home.tsx';
import { inviteRoutes } from './routes/invites.tsx';
import { meetingRoutes } from './routes/meetings.tsx';
import { manageRoutes } from './routes/manage.tsx';
import { renderPages } from './routes/page-renderer.tsx';
import { profileRoutes } from './routes/profile.tsx';
import { roomRoutes } from './routes/rooms.tsx';
import { sendError } from './routes/respond.tsx';
import { scheduleRoutes } from './routes/schedule.tsx';
import {
  badRequestContent,
  csrfContent,
  databaseUnavailableContent,
  notFoundContent,
  serverErrorContent,
  tooLargeContent,
} from '../views/errors.tsx';

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const { config, assets } = deps;
  const app = new Hono<AppEnv>();

  if (config.logRequests) app.use(requestLog(deps.log));
  // First, so every answer (the refusals of the checks below and onError's pages included) can
  // render a page with `c.render`.
  app.use(renderPages(assets.urls));
  app.use(securityHeaders());
  app.use(compress());
  // Origin (PUBLIC_URL, a trusted proxy's, or the request's), viewer zone, client address: the
  // checks below compare against this origin.
  app.use(requestContext(config));
  // Every state-changing request must come from our own pages. hono/csrf checks form posts
  // (Sec-Fetch-Site same-origin, or our Origin: a plain form POST from a no-referrer page sends
  // `Origin: null`); src/middleware/csrf.ts closes its two gaps: other body types, and a
  // cross-site Sec-Fetch-Site that also claims our Origin.
  app.use(
    csrf({
      origin: (origin, c) => isAllowedOrigin(origin, c.get('origin'), c.req.url),
      secFetchSite: 'same-origin',
    }),
  );
  app.use(refuseCrossSiteWrites());
  // Forms here are small; anything bigger is refused before it is read (413, humane page).
  app.use(bodyLimit({ maxSize: 64 * 1024 }));
  app.use(readableForm());

  app.route('/assets', assetRoutes(assets));
  app.route('/', healthRoutes(deps));
  // Sessions are read for everything but static files.
  app.use(loadSession(deps.db, deps.now));
  app.route('/', homeRoutes(deps));
  app.route('/', authRoutes(deps));
  app.route('/', profileRoutes(deps));
  app.route('/', inviteRoutes(deps));
  app.route('/', meetingRoutes(deps));
  app.route('/', accountLiveRoutes(deps));
  app.route('/rooms', roomRoutes(deps));
  app.route('/admin', adminRoutes(deps));
  app.route('/s', scheduleRoutes(deps));
  app.route('/b', manageRoutes(deps));

  app.notFound((c) => sendError(c, notFoundContent));
  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      if (error.status === 403) return sendError(c, csrfContent);
      if (error.status === 413) return sendError(c, tooLargeContent);
      return sendError(c, { ...badRequestContent, status: error.status });
    }
    // A value the database refused is the request's fault: say so, and log it (it got past the
    // checks that should have refused it with a message next to the field).
    if (isDataException(error)) {
      deps.log(
        `refused input the database could not take (SQLSTATE ${pgErrorCode(error)}) on ${c.req.method} ${c.req.routePath}`,
      );
      return sendError(c, badRequestContent);
    }
    const unavailable = unavailabilityCause(error);
    if (unavailable) {
      // The connection pool reconnects by itself; the person only needs to try again. (The driver's
      // own message: drizzle's would put the query's parameters, names and emails, in the log.)
      deps.log(`database unavailable: ${unavailable.code} ${redactSecrets(unavailable.message)}`);
      c.header('Retry-After', '5');
      return sendError(c, databaseUnavailableContent);
    }
    // Error messages can quote what caused them (drizzle adds a failed query's parameters): the
    // line is redacted like the request log, so no key reaches the log through a 500.
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    deps.log(`error: ${c.req.method} ${redactPath(c.req.path)}: ${redactSecrets(detail)}`);
    return sendError(c, serverErrorContent);
  });
  return app;
}

/**
 * Logging in and out, registering. Sessions follow Lucia's guide: a fresh session (and cookie) on
 * every login, the old one ended; wrong credentials get one generic message; failures are limited
 * per account and per address.
 */
import { Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import type { AppEnv } from '../app-env.ts';
import { deleteSessionCookie, setSessionCookie } from '../auth/cookies.ts';
import { createSession, generateSessionToken, invalidateSession, sessionIdOf } from '../auth/session.ts';
import { readSessionToken } from '../auth/cookies.ts';
import { authenticate, LoginForm, RegisterForm, registerUser } from '../domain/users.ts';
import { createRateLimiter } from '../middleware/rate-limit.ts';
import { safeNext } from '../middleware/session.ts';
import { accountEvents, userTopic } from '../realtime/topics.ts';
import { LoginPage, RegisterPage } from '../../views/account.tsx';
import { paths } from '../../views/paths.ts';
import { formValidator } from './form-validator.ts';
import { sendError, sendPage } from './respond.tsx';

const TOO_MANY = (seconds: number) => ({
  status: 429,
  title: 'Too many attempts',
  message: `There were too many failed logins for this account or from your network. Try again in ${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}.`,
});

export function authRoutes(deps: AppDeps) {
  const { db, assets, config } = deps;
  const app = new Hono<AppEnv>();
  const accountFailures = createRateLimiter({ limit: config.loginMaxFailuresPerAccount, windowMs: config.loginFailureWindowMs });
  const addressFailures = createRateLimiter({ limit: config.loginMaxFailuresPerAddress, windowMs: config.loginFailureWindowMs });
  const registrations = createRateLimiter({ limit: config.registrationRateLimit, windowMs: 60 * 60_000 });
  const registrationOpen = config.registration === 'open';

  /** Starts a fresh session for a person in this browser, ending the one it had. */
  async function startSession(c: Parameters<typeof setSessionCookie<AppEnv>>[0], userId: string) {
    const previous = readSessionToken(c);
    if (previous) await invalidateSession(db, sessionIdOf(previous));
    const token = generateSessionToken();
    const session = await createSession(db, token, userId, deps.now(), config.maxSessionsPerUser);
    setSessionCookie(c, token, session.expiresAt);
    // Pages open on the sessions that ended for it are told and closed.
    if (session.ended > 0) await deps.live.publish(userTopic(userId), accountEvents.sessionsEnded());
  }

  app.get(paths.login(), (c) => {
    const next = safeNext(c.req.query('next'));
    if (c.get('user')) return c.redirect(next, 303);
    return sendPage(c, <LoginPage assets={assets.urls} next={next} state={{}} registrationOpen={registrationOpen} />);
  });

  const unreadableLogin = formValidator(LoginForm, (c) =>
    sendPage(c, <LoginPage assets={assets.urls} next={safeNext(c.req.query('next'))} state={{ errors: { form: 'Enter your username and password.' } }} registrationOpen={registrationOpen} />, 422),
  );

  app.post(paths.login(), unreadableLogin, async (c) => {
    const { username, password } = c.req.valid('form');
    const next = safeNext(c.req.query('next'));
    const now = deps.now().getTime();
    const address = c.get('clientAddress');
    const wait = Math.max(accountFailures.wait(username, now), addressFailures.wait(address, now));
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      return sendError(c, assets.urls, TOO_MANY(wait));
    }
    const user = username && password ? await authenticate(db, username, password) : null;
    if (!user) {
      accountFailures.hit(username, now);
      addressFailures.hit(address, now);
      const state = { values: { username }, errors: { form: 'That username and password do not match an account.' } };
      return sendPage(c, <LoginPage assets={assets.urls} next={next} state={state} registrationOpen={registrationOpen} />, 401);
    }
    accountFailures.clear(username);
    await startSession(c, user.id);
    return c.redirect(next, 303);
  });

  app.post(paths.logout(), async (c) => {
    const session = c.get('session');
    if (session) {
      await invalidateSession(db, session.id);
      await deps.live.publish(userTopic(session.userId), accountEvents.sessionsEnded());
    }
    deleteSessionCookie(c);
    return c.redirect(paths.login(), 303);
  });

  app.get(paths.register(), (c) => {
    const zone = c.get('viewerZone');
    return sendPage(
      c,
      <RegisterPage assets={assets.urls} state={{ values: { timeZone: zone ?? 'UTC' } }} zonePending={!zone} registrationOpen={registrationOpen} />,
      registrationOpen ? 200 : 403,
    );
  });

  app.post(
    paths.register(),
    async (c, next) => {
      if (!registrationOpen) {
        return sendPage(c, <RegisterPage assets={assets.urls} state={{}} zonePending={false} registrationOpen={false} />, 403);
      }
      const wait = registrations.hit(c.get('clientAddress'), deps.now().getTime());
      if (wait > 0) {
        c.header('Retry-After', String(wait));
        return sendError(c, assets.urls, { status: 429, title: 'Too many new accounts', message: 'Too many accounts were created from your network. Try again later.' });
      }
      await next();
    },
    formValidator(RegisterForm, (c, state) => sendPage(c, <RegisterPage assets={assets.urls} state={state} zonePending={false} registrationOpen />, 422)),
    async (c) => {
      const input = c.req.valid('form');
      const result = await registerUser(db, input);
      if (!result.ok) {
        const state = { values: { displayName: input.displayName, username: input.username, timeZone: input.timeZone }, errors: { username: 'That username is taken. Choose another.' } };
        return sendPage(c, <RegisterPage assets={assets.urls} state={state} zonePending={false} registrationOpen />, 422);
      }
      await startSession(c, result.user.id);
      return c.redirect(paths.rooms(), 303);
    },
  );

  return app;
}

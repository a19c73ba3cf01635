/**
 * Logging in and out, registering. Sessions follow Lucia's guide: a fresh session (and cookie) on
 * every login, the old one ended; wrong credentials get one generic message. Login attempts are
 * counted in the database before the password is verified (per address, per account and address,
 * per account with an escalating wait: src/auth/login-limits.ts), and so are registrations.
 */
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../app-env.ts';
import { deleteSessionCookie, setSessionCookie } from '../auth/cookies.ts';
import { beginLoginAttempt, countRegistration, endLoginAttempt, type LoginRefusal } from '../auth/login-limits.ts';
import { createSession, generateSessionToken, invalidateSession, sessionIdOf } from '../auth/session.ts';
import { readSessionToken } from '../auth/cookies.ts';
import { authenticate, LoginForm, RegisterForm, registerUser } from '../domain/users.ts';
import { safeNext } from '../middleware/session.ts';
import { accountEvents, userTopic } from '../realtime/topics.ts';
import { LoginPage, RegisterPage } from '../../views/account.tsx';
import { paths } from '../../views/paths.ts';
import { formValidator } from './form-validator.ts';
import { sendError, sendPage } from './respond.tsx';
import { appFactory } from './factory.ts';

/** "in 1 second", "in 40 seconds", "in 15 minutes" */
function inWords(seconds: number): string {
  if (seconds < 60) return `in ${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `in ${minutes} minute${minutes === 1 ? '' : 's'}`;
}

const TOO_MANY_LOGINS: Record<LoginRefusal['reason'], string> = {
  account: 'There were too many failed logins for this account, so each new try has to wait a little longer.',
  'account-from-address': 'There were too many failed logins for this account from your network.',
  address: 'There were too many failed logins from your network.',
};

const tooManyLogins = (refusal: LoginRefusal) => ({
  status: 429,
  title: 'Too many attempts',
  message: `${TOO_MANY_LOGINS[refusal.reason]} Try again ${inWords(refusal.retryAfterSeconds)}.`,
});

export function authRoutes(deps: AppDeps) {
  const { db, config } = deps;
  const app = appFactory.createApp();
  const registrationOpen = config.registration === 'open';

  /** Starts a fresh session for a person in this browser, ending the one it had. */
  async function startSession(c: Context<AppEnv>, userId: string) {
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
    return sendPage(c, <LoginPage next={next} state={{}} registrationOpen={registrationOpen} />);
  });

  const unreadableLogin = formValidator(LoginForm, (c) =>
    sendPage(
      c,
      <LoginPage
        next={safeNext(c.req.query('next'))}
        state={{ errors: { form: 'Enter your username and password.' } }}
        registrationOpen={registrationOpen}
      />,
      422,
    ),
  );

  app.post(paths.login(), unreadableLogin, async (c) => {
    const { username, password } = c.req.valid('form');
    const next = safeNext(c.req.query('next'));
    const wrong = () => {
      const state = { values: { username }, errors: { form: 'That username and password do not match an account.' } };
      return sendPage(c, <LoginPage next={next} state={state} registrationOpen={registrationOpen} />, 401);
    };
    // An empty field is wrong without verifying anything, so there is nothing to count.
    if (!username || !password) return wrong();
    const gate = await beginLoginAttempt(db, { username, address: c.get('clientAddress') }, config, deps.now());
    if (!gate.ok) {
      c.header('Retry-After', String(gate.retryAfterSeconds));
      return sendError(c, tooManyLogins(gate));
    }
    const user = await authenticate(db, username, password);
    await endLoginAttempt(db, gate.attempt, user !== null);
    if (!user) return wrong();
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
      <RegisterPage
        state={{ values: { timeZone: zone ?? 'UTC' } }}
        zonePending={!zone}
        registrationOpen={registrationOpen}
      />,
      registrationOpen ? 200 : 403,
    );
  });

  app.post(
    paths.register(),
    async (c, next) => {
      if (!registrationOpen) {
        return sendPage(c, <RegisterPage state={{}} zonePending={false} registrationOpen={false} />, 403);
      }
      const counted = await countRegistration(db, c.get('clientAddress'), config.registrationRateLimit, deps.now());
      if (!counted.ok) {
        c.header('Retry-After', String(counted.retryAfterSeconds));
        return sendError(c, {
          status: 429,
          title: 'Too many new accounts',
          message: 'Too many accounts were created from your network. Try again later.',
        });
      }
      await next();
    },
    formValidator(RegisterForm, (c, state) =>
      sendPage(c, <RegisterPage state={state} zonePending={false} registrationOpen />, 422),
    ),
    async (c) => {
      const input = c.req.valid('form');
      const result = await registerUser(db, input);
      if (!result.ok) {
        const state = {
          values: { displayName: input.displayName, username: input.username, timeZone: input.timeZone },
          errors: { username: 'That username is taken. Choose another.' },
        };
        return sendPage(c, <RegisterPage state={state} zonePending={false} registrationOpen />, 422);
      }
      await startSession(c, result.user.id);
      return c.redirect(paths.meetings(), 303);
    },
  );

  return app;
}

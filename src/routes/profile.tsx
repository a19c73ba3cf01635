/** The profile: display name and time zone; password (which ends every other session). */
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../app-env.ts';
import { setSessionCookie } from '../auth/cookies.ts';
import { createSession, generateSessionToken, invalidateAllSessions } from '../auth/session.ts';
import { changePassword, PasswordForm, ProfileForm, updateProfile } from '../domain/users.ts';
import { requireUser } from '../middleware/session.ts';
import { accountEvents, userTopic } from '../realtime/topics.ts';
import { ProfilePage, ProfileSection } from '../../views/account.tsx';
import type { FormState } from '../../views/components/form-state.ts';
import { paths } from '../../views/paths.ts';
import { accountChrome, currentUser } from './account-context.tsx';
import { formValidator } from './form-validator.ts';
import { isHtmx, sendFragment, sendPage } from './respond.tsx';
import { appFactory } from './factory.ts';

export function profileRoutes(deps: AppDeps) {
  const { db } = deps;
  const app = appFactory.createApp();
  app.use(paths.profile(), requireUser());
  app.use(`${paths.profile()}/*`, requireUser());

  async function page(
    c: Context<AppEnv>,
    forms: { profile?: FormState; password?: FormState },
    status: 200 | 422 = 200,
  ) {
    const user = currentUser(c);
    const profile = forms.profile ?? { values: { displayName: user.displayName, timeZone: user.timeZone } };
    return sendPage(
      c,
      <ProfilePage
        account={await accountChrome(deps, c, 'profile')}
        live={paths.accountLive()}
        profile={profile}
        password={forms.password ?? {}}
      />,
      status,
    );
  }

  app.get(paths.profile(), (c) => page(c, {}));

  app.post(
    paths.profile(),
    formValidator(ProfileForm, (c: Context<AppEnv>, state) =>
      isHtmx(c) ? sendFragment(c, <ProfileSection state={state} />, 422) : page(c, { profile: state }, 422),
    ),
    async (c) => {
      const user = currentUser(c);
      const updated = await updateProfile(db, user.id, c.req.valid('form'));
      const state = { values: { displayName: updated.displayName, timeZone: updated.timeZone }, status: 'Saved.' };
      if (isHtmx(c)) return sendFragment(c, <ProfileSection state={state} />);
      c.set('user', { ...user, ...updated });
      return page(c, { profile: state });
    },
  );

  app.post(
    paths.profilePassword(),
    formValidator(PasswordForm, (c: Context<AppEnv>, state) => page(c, { password: state }, 422)),
    async (c) => {
      const user = currentUser(c);
      const { currentPassword, newPassword } = c.req.valid('form');
      const result = await changePassword(db, user.id, currentPassword, newPassword);
      if (result === 'wrong-current')
        return page(c, { password: { errors: { currentPassword: 'That is not your current password.' } } }, 422);
      // Every session ends, this one included; this browser gets a fresh one.
      await invalidateAllSessions(db, user.id);
      const token = generateSessionToken();
      const session = await createSession(db, token, user.id, deps.now());
      setSessionCookie(c, token, session.expiresAt);
      await deps.live.publish(userTopic(user.id), accountEvents.sessionsEnded());
      return page(c, { password: { status: 'Password changed. You are logged out everywhere else.' } });
    },
  );

  return app;
}

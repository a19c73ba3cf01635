/** What every signed-in page shows around its content: navigation, pending count, pop-ups. */
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../app-env.ts';
import type { SessionUser } from '../auth/session.ts';
import type { Locale } from '../domain/locale.ts';
import { loadPopupState } from '../domain/notifications.ts';
import type { AccountChrome } from '../../views/layout.tsx';
import { Popups } from '../../views/popups.tsx';

/** The signed-in person (routes behind requireUser only). */
export function currentUser<E extends AppEnv>(c: Context<E>): SessionUser {
  const user = c.get('user');
  if (!user) throw new Error('currentUser used on a route without requireUser');
  return user;
}

export async function accountChrome<E extends AppEnv>(
  deps: Pick<AppDeps, 'db' | 'now' | 'config'>,
  c: Context<E>,
  current?: AccountChrome['current'],
): Promise<AccountChrome> {
  const user = currentUser(c);
  const state = await loadPopupState(deps.db, user.id, deps.now(), deps.config.maxPopupsShown);
  return {
    user,
    pendingCount: state.pendingCount,
    current,
    popups: (
      <Popups
        viewer={{ id: user.id, timeZone: user.timeZone, locale: c.get('locale') }}
        state={state}
        origin={c.get('origin')}
      />
    ),
  };
}

/**
 * The zone and locale a signed-in page reads times in: the device's zone (the `tz` cookie
 * public/app.js keeps), else the zone in the person's profile; the locale from Accept-Language.
 */
export function readerOf<E extends AppEnv>(c: Context<E>): { zone: string; locale: Locale } {
  return { zone: c.get('viewerZone') ?? currentUser(c).timeZone, locale: c.get('locale') };
}

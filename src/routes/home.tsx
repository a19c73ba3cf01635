/** Home page, creating a schedule, the zone field fragment and choosing a zone. */
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { AppDeps, AppEnv } from '../app-env.ts';
import { formValidator } from './form-validator.ts';
import { createSchedule, ScheduleForm } from '../domain/schedules.ts';
import { canonicalZone } from '../domain/time.ts';
import { TZ_COOKIE, TZ_PINNED_COOKIE } from '../middleware/request-context.ts';
import { ZoneField } from '../../views/components/zone-field.tsx';
import { HomePage } from '../../views/home.tsx';
import { paths } from '../../views/paths.ts';
import { sendError, sendFragment, sendPage } from './respond.tsx';
import { createRateLimiter, rateLimit } from '../middleware/rate-limit.ts';
import { appFactory } from './factory.ts';

const YEAR = 365 * 24 * 60 * 60;

export function homeRoutes(deps: AppDeps) {
  const { db } = deps;
  const app = appFactory.createApp();

  app.get('/', (c) => {
    const zone = c.get('viewerZone');
    return sendPage(c, <HomePage form={{ values: { timeZone: zone ?? 'UTC' }, zonePending: !zone }} />);
  });

  // Counted before anything else is looked at, so refused and malformed attempts count too.
  const creations = createRateLimiter({ limit: deps.config.scheduleCreationRateLimit, windowMs: 60 * 60_000 });
  const limitCreations = rateLimit<AppEnv>(creations, deps.now, (c) =>
    sendError(c, {
      status: 429,
      title: 'Too many new schedules',
      message:
        'Too many schedules were created from your network in the last hour. Try again later, or use one you already have.',
    }),
  );

  app.post(
    paths.createSchedule(),
    limitCreations,
    formValidator(ScheduleForm, (c, form) => sendPage(c, <HomePage form={form} />, 422)),
    async (c) => {
      const { adminKey } = await createSchedule(db, c.req.valid('form'));
      return c.redirect(paths.admin(adminKey), 303);
    },
  );

  // The zone field again, once the browser's zone is in the cookie (first visit).
  app.get(paths.zoneField(), (c) => {
    const form = /^[a-z]{1,20}$/.test(c.req.query('form') ?? '') ? c.req.query('form')! : 'zone';
    const name = /^[a-zA-Z]{1,20}$/.test(c.req.query('name') ?? '') ? c.req.query('name')! : 'timeZone';
    return sendFragment(c, <ZoneField form={form} name={name} value={c.get('viewerZone') ?? 'UTC'} />);
  });

  const ChooseZoneForm = z.object({
    // "Use my device's time zone" is a submit button named zone: the browser sends the select's
    // zone and then the button's "auto", and the button is what the person chose.
    zone: z
      .union([z.string(), z.array(z.string()).min(1)])
      .optional()
      .default('auto')
      .transform((v) => (Array.isArray(v) ? v[v.length - 1]! : v)),
    return: z.string().optional().default('/'),
  });
  const unknownZone = (c: Context<AppEnv>) =>
    sendError(c, {
      status: 422,
      title: 'We do not know that time zone',
      message: 'Go back and choose a time zone from the list, such as America/Denver.',
    });

  // "Show times in this zone": pins the zone in the tz cookie (the script stops following the
  // device); "auto" unpins it.
  app.post(paths.chooseZone(), formValidator(ChooseZoneForm, unknownZone), (c) => {
    const { zone, return: back } = c.req.valid('form');
    const target = /^\/[A-Za-z0-9/_-]*$/.test(back) && !back.startsWith('//') ? back : '/';
    const secure = c.get('origin').startsWith('https:');
    if (zone === 'auto') {
      deleteCookie(c, TZ_PINNED_COOKIE, { path: '/' });
      deleteCookie(c, TZ_COOKIE, { path: '/' });
      return c.redirect(target, 303);
    }
    const canonical = canonicalZone(zone);
    if (!canonical) return unknownZone(c);
    // Readable by the page script (it must not overwrite a pinned choice), so not HttpOnly.
    setCookie(c, TZ_COOKIE, canonical, { path: '/', sameSite: 'Lax', secure, maxAge: YEAR });
    setCookie(c, TZ_PINNED_COOKIE, '1', { path: '/', sameSite: 'Lax', secure, maxAge: YEAR });
    return c.redirect(target, 303);
  });

  return app;
}

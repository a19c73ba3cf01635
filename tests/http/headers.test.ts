/**
 * Headers on every page: each GET route the app registers (pages, fragments, calendar files,
 * assets), the error pages (403, 404, 413, 429, 401) and answers to forms carry the strict CSP,
 * nosniff, no-referrer and DENY framing; capability pages (dashboard, scheduling page, manage link,
 * their fragments, files and 404s) also carry noindex and no-store. Every HTML page is checked to
 * need nothing the CSP forbids (no inline script, style or handler).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src/middleware/security-headers.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { CookieJar, get, loginAs, post } from '../helpers/http.ts';
import { registeredRoutes, SOCKET_ROUTES } from '../helpers/routes.ts';
import { buildWorld, WORLD_DATE, type World } from '../helpers/world.ts';

type Fetch = (t: TestApp, w: World) => Promise<Response> | Response;

/** Every GET route, fetched as its rightful user: each must answer 200. */
const GET_ROUTES: Record<string, Record<string, Fetch>> = {
  'GET /': { page: (t) => get(t.app, '/') },
  'GET /assets/:file': {
    stylesheet: (t) => get(t.app, t.assets.urls.css),
    script: (t) => get(t.app, t.assets.urls.app),
    htmx: (t) => get(t.app, t.assets.urls.htmx),
    'htmx-ext-ws': (t) => get(t.app, t.assets.urls.htmxWs),
    icon: (t) => get(t.app, t.assets.urls.icon),
  },
  'GET /healthz': { text: (t) => get(t.app, '/healthz') },
  'GET /zone-field': { fragment: (t) => get(t.app, `${paths.zoneField()}?form=create&name=timeZone`, { htmx: true }) },
  'GET /login': { page: (t) => get(t.app, paths.login()) },
  'GET /register': { page: (t) => get(t.app, paths.register()) },
  'GET /profile': { page: (t, w) => get(t.app, paths.profile(), { jar: w.ann }) },
  'GET /invites': { page: (t, w) => get(t.app, paths.inbox(), { jar: w.bo }) },
  'GET /meetings': { page: (t, w) => get(t.app, paths.meetings(), { jar: w.bo }) },
  'GET /meetings/list': {
    fragment: (t, w) => get(t.app, paths.meetingsList(), { jar: w.bo, htmx: true }),
  },
  'GET /invites/results': {
    fragment: (t, w) => get(t.app, `${paths.inboxResults()}?box=received&status=all&q=`, { jar: w.bo, htmx: true }),
  },
  'GET /invites/:inviteId/meeting.ics': {
    calendar: (t, w) => get(t.app, paths.meetingCalendar(w.meetingId), { jar: w.ann }),
  },
  'GET /rooms': { page: (t, w) => get(t.app, paths.rooms({ date: WORLD_DATE }), { jar: w.ann }) },
  'GET /rooms/cell': {
    fragment: (t, w) =>
      get(t.app, `${paths.roomCellPage()}?cell=${encodeURIComponent(`${w.roomId}@2027-03-16T14:00:00.000Z`)}`, {
        jar: w.ann,
        htmx: true,
      }),
    page: (t, w) =>
      get(t.app, `${paths.roomCellPage()}?cell=${encodeURIComponent(`${w.roomId}@2027-03-16T14:00:00.000Z`)}`, {
        jar: w.ann,
      }),
  },
  'GET /rooms/new': { page: (t, w) => get(t.app, paths.newRoom(), { jar: w.ann }) },
  'GET /rooms/:roomId': { page: (t, w) => get(t.app, paths.room(w.roomId), { jar: w.ann }) },
  'GET /admin/:adminKey': {
    page: (t, w) => get(t.app, paths.admin(w.a.adminKey)),
    'filtered page': (t, w) => get(t.app, paths.admin(w.a.adminKey, 'booked')),
    'filtered list (htmx)': (t, w) => get(t.app, paths.admin(w.a.adminKey, 'open'), { htmx: true }),
  },
  'GET /admin/:adminKey/bookings.ics': { calendar: (t, w) => get(t.app, paths.adminCalendar(w.a.adminKey)) },
  'GET /s/:publicId': { page: (t, w) => get(t.app, paths.schedule(w.a.publicId), { jar: w.a.booker }) },
  'GET /s/:publicId/view': {
    fragment: (t, w) => get(t.app, paths.scheduleView(w.a.publicId), { jar: w.a.booker, htmx: true }),
  },
  'GET /s/:publicId/week': {
    page: (t, w) => get(t.app, paths.scheduleWeek(w.a.publicId, '2026-11-23'), { jar: w.a.booker }),
  },
  'GET /s/:publicId/book': {
    fragment: (t, w) =>
      get(t.app, `${paths.chooseSlot(w.a.publicId)}?slot=${w.a.slotIds[1]}`, { jar: new CookieJar(), htmx: true }),
    page: (t, w) => get(t.app, `${paths.chooseSlot(w.a.publicId)}?slot=${w.a.slotIds[1]}`),
  },
  'GET /s/:publicId/booking.ics': {
    calendar: (t, w) => get(t.app, paths.myCalendar(w.a.publicId), { jar: w.a.booker }),
  },
  'GET /b/:manageKey': { page: (t, w) => get(t.app, paths.manage(w.a.manageKey)) },
  'GET /b/:manageKey/booking.ics': { calendar: (t, w) => get(t.app, paths.manageCalendar(w.a.manageKey)) },
};

/** Error pages and answers to forms, with the status each must have. */
/** `capability`: under a capability link, so noindex and no-store too. */
const OTHER_RESPONSES: Record<string, { status: number; capability?: true; send: Fetch }> = {
  '404, unknown page': { status: 404, send: (t) => get(t.app, '/no/such/page') },
  '404, unknown dashboard': { capability: true, status: 404, send: (t, w) => get(t.app, paths.admin(w.a.publicId)) },
  '404, unknown scheduling page': {
    capability: true,
    status: 404,
    send: (t, w) => get(t.app, paths.schedule(w.a.adminKey)),
  },
  '404, dead manage link': { capability: true, status: 404, send: (t, w) => get(t.app, paths.manage(w.a.adminKey)) },
  '404, fragment for htmx': {
    capability: true,
    status: 404,
    send: (t, w) => get(t.app, paths.scheduleView(w.a.adminKey), { htmx: true }),
  },
  '403, cross-site form': {
    status: 403,
    send: (t) =>
      t.app.request(paths.createSchedule(), {
        method: 'POST',
        body: 'timeZone=UTC',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      }),
  },
  '403, cross-site form to a dashboard': {
    status: 403,
    capability: true,
    send: (t, w) =>
      t.app.request(paths.adminSettings(w.a.adminKey), {
        method: 'POST',
        body: 'title=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      }),
  },
  '413, oversized form': {
    status: 413,
    send: (t) => post(t.app, paths.createSchedule(), { title: 'x'.repeat(100_000), timeZone: 'UTC' }),
  },
  '413, oversized form to a dashboard': {
    capability: true,
    status: 413,
    send: (t, w) =>
      post(t.app, paths.adminSettings(w.a.adminKey), { title: 'x'.repeat(100_000), hostName: '', timeZone: 'UTC' }),
  },
  '429, too many logins': {
    status: 429,
    send: async (t) => {
      for (let i = 0; i < 3; i++) await loginAs(t.app, 'ann', 'wrong password');
      return (await loginAs(t.app, 'ann', 'wrong password')).response;
    },
  },
  '401, htmx without a session': { status: 401, send: (t) => get(t.app, paths.inbox(), { htmx: true }) },
  '200, booking answer (htmx)': {
    capability: true,
    status: 200,
    send: (t, w) =>
      post(
        t.app,
        paths.claimSlot(w.a.publicId, w.a.slotIds[1]),
        { name: 'Cy', email: '' },
        { jar: new CookieJar(), htmx: true },
      ),
  },
  '200, dashboard answer (htmx)': {
    capability: true,
    status: 200,
    send: (t, w) =>
      post(t.app, paths.adminSettings(w.a.adminKey), { title: 'T', hostName: '', timeZone: 'UTC' }, { htmx: true }),
  },
  '409, release refused': {
    capability: true,
    status: 409,
    send: (t, w) => post(t.app, paths.release(w.a.publicId), {}, { jar: new CookieJar() }),
  },
  '303, login redirect': { status: 303, send: (t) => get(t.app, paths.rooms()) },
};

function expectSecurityHeaders(response: Response, label: string, capability: boolean): void {
  const h = response.headers;
  const csp = h.get('content-security-policy') ?? '';
  expect.soft(csp, label).toBe(CONTENT_SECURITY_POLICY);
  for (const directive of [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ]) {
    expect.soft(csp.split('; '), label).toContain(directive);
  }
  expect.soft(csp, label).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|\*|https?:/);
  expect.soft(h.get('x-content-type-options'), label).toBe('nosniff');
  expect.soft(h.get('referrer-policy'), label).toBe('no-referrer');
  expect.soft(h.get('x-frame-options'), label).toBe('DENY');
  if (capability) {
    expect.soft(h.get('x-robots-tag') ?? '', label).toContain('noindex');
    expect.soft(h.get('cache-control'), label).toBe('no-store');
  }
}

/** An HTML page that the CSP would break, or that smuggles script: none may exist. */
function expectNothingTheCspForbids(html: string, label: string): void {
  expect.soft(html, `${label}: inline script`).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
  expect.soft(html, `${label}: style attribute`).not.toMatch(/\sstyle=/i);
  expect.soft(html, `${label}: <style> element`).not.toMatch(/<style[\s>]/i);
  expect.soft(html, `${label}: event handler attribute`).not.toMatch(/\son[a-z]+=/i);
  expect.soft(html, `${label}: javascript: URL`).not.toMatch(/javascript:/i);
  expect.soft(html, `${label}: hx-on`).not.toMatch(/\shx-on/i);
}

describe.each(databaseKinds)('headers on %s', (kind) => {
  const database = useTestDatabase(kind);
  let t: TestApp;
  let world: World;
  beforeEach(async () => {
    t = createTestApp(database.current.db, {
      config: { loginMaxFailuresPerAddress: 3, loginMaxFailuresPerAccount: 3, bookingRateLimit: 10_000 },
    });
    world = await buildWorld(t, database.current.db);
  });

  it('covers every GET route (sockets are checked in cross-site.test.ts)', () => {
    const gets = registeredRoutes(t).filter((r) => r.startsWith('GET '));
    const listed = new Set([...Object.keys(GET_ROUTES), ...SOCKET_ROUTES]);
    expect(
      gets.filter((r) => !listed.has(r)),
      'GET routes missing from GET_ROUTES',
    ).toEqual([]);
    expect(
      [...Object.keys(GET_ROUTES)].filter((r) => !gets.includes(r)),
      'listed routes that no longer exist',
    ).toEqual([]);
  });

  it('sends the headers on every page, fragment, file and asset, and the CSP breaks none of them', async () => {
    let checked = 0;
    for (const [route, variants] of Object.entries(GET_ROUTES)) {
      for (const [variant, send] of Object.entries(variants)) {
        const label = `${route} (${variant})`;
        const response = await send(t, world);
        expect.soft(response.status, label).toBe(200);
        expectSecurityHeaders(response, label, /^GET \/(admin|s|b)\//.test(route));
        if (response.headers.get('content-type')?.startsWith('text/html'))
          expectNothingTheCspForbids(await response.text(), label);
        checked += 1;
      }
    }
    console.log(`headers (${kind}): ${checked} GET responses on ${Object.keys(GET_ROUTES).length} routes`);
  });

  it('sends them on error pages and on answers to forms too', async () => {
    for (const [label, { status, capability, send }] of Object.entries(OTHER_RESPONSES)) {
      const response = await send(t, world);
      expect.soft(response.status, label).toBe(status);
      expectSecurityHeaders(response, label, capability === true);
      if (response.headers.get('content-type')?.startsWith('text/html'))
        expectNothingTheCspForbids(await response.text(), label);
    }
  });
});

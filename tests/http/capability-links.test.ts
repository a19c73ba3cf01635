/**
 * Capability links (admin keys, public ids, manage keys) and the other secrets shaped like them
 * (visitor cookies, session tokens): 160 random bits; stored and looked up only as SHA-256 hashes,
 * so a key one character off finds nothing; never written to the logs, not even by a 500; never on
 * the public page, its fragments or its pushes; never in a calendar file.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { findBookingByManageKey } from '../../src/domain/bookings.ts';
import { findScheduleByAdminKey, findScheduleByPublicId } from '../../src/domain/schedules.ts';
import { generateKey, hashKey } from '../../src/domain/tokens.ts';
import { redactPath, redactSecrets } from '../../src/middleware/request-log.ts';
import { ids } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { adminKeyOf, CookieJar, get, post, textOf } from '../helpers/http.ts';
import { connectLive, type LiveClient, startServer } from '../helpers/server.ts';
import { snapshotDatabase } from '../helpers/snapshot.ts';
import { buildWorld, type World } from '../helpers/world.ts';

const KEY = /^[a-z2-7]{32}$/;

/** Every key with one character changed, at each of its 32 places. */
function oneOff(key: string): string[] {
  return [...key].map((ch, i) => `${key.slice(0, i)}${ch === 'a' ? 'b' : 'a'}${key.slice(i + 1)}`);
}

describe('keys', () => {
  it('carry 160 bits from the CSPRNG: 32 base32 characters, all different, every symbol used in every place', () => {
    const keys = Array.from({ length: 4000 }, generateKey);
    expect(keys.every((k) => KEY.test(k))).toBe(true);
    expect(32 * Math.log2(32)).toBe(160); // ≥ 128
    expect(new Set(keys).size).toBe(keys.length);
    for (let place = 0; place < 32; place++) {
      // 4,000 draws from 32 symbols leave none unused unless the generator is broken.
      expect(new Set(keys.map((k) => k[place])).size, `place ${place}`).toBe(32);
    }
  });

  it('are written to logs with every secret segment redacted, whatever the spelling', () => {
    const key = generateKey();
    const cases: [string, string][] = [
      [`/admin/${key}`, '/admin/[redacted]'],
      [
        `/admin/${key}/slots/6f1c2e1a-4d3b-4b5e-9a0f-1c2d3e4f5a6b/delete`,
        '/admin/[redacted]/slots/6f1c2e1a-4d3b-4b5e-9a0f-1c2d3e4f5a6b/delete',
      ],
      [`/admin/${key}/live`, '/admin/[redacted]/live'],
      [`/admin/${key}/rotate`, '/admin/[redacted]/rotate'],
      [`/s/${key}/live`, '/s/[redacted]/live'],
      [`/s/${key}/book`, '/s/[redacted]/book'],
      [`/b/${key}/release`, '/b/[redacted]/release'],
      [`/b/${key}/booking.ics`, '/b/[redacted]/booking.ics'],
      [`/ADMIN/${key}`, '/ADMIN/[redacted]'],
      [`//admin/${key}`, '//admin/[redacted]'],
      [`/x/${key}`, '/x/[redacted]'],
      [`/admin%2F${key}`, '/[redacted]'],
      [`/%61dmin/${key.toUpperCase()}`, '/%61dmin/[redacted]'],
      [`/admin/${[...key].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')}`, '/admin/[redacted]'],
      ['/rooms/6f1c2e1a-4d3b-4b5e-9a0f-1c2d3e4f5a6b', '/rooms/6f1c2e1a-4d3b-4b5e-9a0f-1c2d3e4f5a6b'],
      ['/assets/app.0123456789ab.css', '/assets/app.0123456789ab.css'],
    ];
    for (const [path, logged] of cases) expect(redactPath(path), path).toBe(logged);
    const failed = `Error: Failed query: select * from "slots" where "manage_key_hash" = $1\nparams: ${hashKey(key)},Ann,ann@example.com\n    at x (/app/src/domain/bookings.ts:1:1)\nfor /admin/${key}`;
    const safe = redactSecrets(failed);
    expect(safe).not.toContain(key);
    expect(safe).not.toContain(hashKey(key));
    expect(safe).not.toContain('ann@example.com');
    expect(safe).toContain('params: [redacted]');
    expect(safe).toContain('at x (/app/src/domain/bookings.ts:1:1)');
  });
});

describe.each(databaseKinds)('capability links on %s', (kind) => {
  const database = useTestDatabase(kind, { max: 20 });
  let t: TestApp;
  let world: World;
  beforeEach(async () => {
    t = createTestApp(database.current.db, { config: { bookingRateLimit: 10_000, logRequests: true } });
    world = await buildWorld(t, database.current.db);
  });

  const secretsOf = (w: World) => ({
    adminKeys: [w.a.adminKey, w.b.adminKey],
    manageKeys: [w.a.manageKey, w.a.otherManageKey, w.b.manageKey, w.b.otherManageKey],
    visitorKeys: [w.a.booker, w.a.other, w.b.booker, w.b.other].map((jar) => jar.cookies.get('visitor')!),
    sessionTokens: [w.ann, w.bo, w.cy].map((jar) => jar.cookies.get('session')!),
  });

  it('stores only hashes, and looks keys up by hash: a key wrong in any one place finds nothing', async () => {
    const secrets = secretsOf(world);
    const all = [...secrets.adminKeys, ...secrets.manageKeys, ...secrets.visitorKeys, ...secrets.sessionTokens];
    for (const key of [...all, world.a.publicId]) expect(key).toMatch(KEY);
    const stored = JSON.stringify(await snapshotDatabase(database.current.db));
    for (const key of all) {
      expect(stored, 'a raw key in the database').not.toContain(key);
      expect(stored, 'its hash is what is stored').toContain(hashKey(key));
    }
    const db: Database = database.current.db;
    let tried = 0;
    for (const wrong of oneOff(world.a.adminKey)) {
      expect(await findScheduleByAdminKey(db, wrong)).toBeNull();
      tried += 1;
    }
    for (const wrong of oneOff(world.a.manageKey)) {
      expect(await findBookingByManageKey(db, wrong)).toBeNull();
      tried += 1;
    }
    for (const wrong of oneOff(world.a.publicId)) {
      expect(await findScheduleByPublicId(db, wrong)).toBeNull();
      tried += 1;
    }
    // Over HTTP too, and no case folding (which would cost bits).
    for (const wrong of [...oneOff(world.a.adminKey).slice(0, 4), world.a.adminKey.toUpperCase()])
      expect((await get(t.app, paths.admin(wrong))).status).toBe(404);
    for (const wrong of [...oneOff(world.a.manageKey).slice(28), world.a.manageKey.toUpperCase()])
      expect((await get(t.app, paths.manage(wrong))).status).toBe(404);
    expect((await findScheduleByAdminKey(db, world.a.adminKey))?.publicId).toBe(world.a.publicId);
    console.log(`capability links (${kind}): ${tried} one-character-off keys found nothing`);
  });

  it('never writes a key to the request log, whatever the path, query or spelling', async () => {
    const { a } = world;
    const requests: [string, string][] = [
      ['GET', paths.admin(a.adminKey)],
      ['GET', paths.adminCalendar(a.adminKey)],
      ['GET', paths.adminLive(a.adminKey)],
      ['POST', paths.adminSlots(a.adminKey)],
      ['POST', paths.adminDeleteSlot(a.adminKey, a.slotIds[1])],
      ['POST', paths.adminSettings(a.adminKey)],
      ['GET', paths.schedule(a.publicId)],
      ['GET', `${paths.scheduleView(a.publicId)}?key=${a.adminKey}`],
      ['GET', `${paths.chooseSlot(a.publicId)}?slot=${a.slotIds[1]}`],
      ['GET', paths.scheduleLive(a.publicId)],
      ['GET', paths.myCalendar(a.publicId)],
      ['POST', paths.claimSlot(a.publicId, a.slotIds[1])],
      ['POST', paths.release(a.publicId)],
      ['GET', paths.manage(a.manageKey)],
      ['GET', paths.manageCalendar(a.manageKey)],
      ['POST', paths.manageRelease(a.otherManageKey)],
      ['GET', `/login?next=${encodeURIComponent(paths.admin(a.adminKey))}`],
      ['GET', `//admin/${a.adminKey}`],
      ['GET', `/ADMIN/${a.adminKey}`],
      ['GET', `/admin%2F${a.adminKey}`],
      ['GET', `/nowhere/${a.manageKey}`],
      ['POST', paths.adminRotate(a.adminKey)],
    ];
    for (const [method, path] of requests) {
      if (method === 'GET') await get(t.app, path, { jar: a.booker });
      else
        await post(
          t.app,
          path,
          {
            name: 'Ann',
            email: '',
            date: '2027-03-20',
            start: '09:00',
            end: '10:00',
            split: '0',
            notes: '',
            title: 'T',
            hostName: '',
            timeZone: 'UTC',
          },
          { jar: a.booker },
        );
    }
    const lines = t.logs.slice(-requests.length);
    expect(lines).toHaveLength(requests.length);
    expect(lines[0]).toMatch(/^GET \/admin\/\[redacted\] 200 [\d.]+ms$/);
    const log = t.logs.join('\n');
    const secrets = secretsOf(world);
    for (const secret of [
      ...secrets.adminKeys,
      ...secrets.manageKeys,
      ...secrets.visitorKeys,
      world.a.publicId,
      world.b.publicId,
    ]) {
      expect(log).not.toContain(secret);
      expect(log.toLowerCase()).not.toContain(secret);
    }
    const rotated = t.logs.find((l) => l.startsWith('POST /admin/[redacted]/rotate 303'));
    expect(rotated).toBeDefined();
  });

  it('keeps keys, names and emails out of the log line of a 500, and out of its page', async () => {
    const key = world.a.adminKey;
    // A database that fails the way drizzle does, quoting the query's parameters in its message.
    const failing = new Proxy(database.current.db, {
      get(target, prop, receiver) {
        if (prop === 'select') {
          return () => {
            throw new Error(
              `Failed query: select "id" from "schedules" where "admin_key_hash" = $1\nparams: ${hashKey(key)},${key},Ann-visitor,ann-visitor@example.com`,
            );
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    });
    const broken = createTestApp(failing, { config: { logRequests: true } });
    for (const htmx of [false, true]) {
      const response = await get(broken.app, paths.admin(key), { htmx });
      expect(response.status).toBe(500);
      const body = await response.text();
      expect(textOf(body)).toContain('Something went wrong on our side');
      expect(body).not.toContain('Failed query');
      expect(body).not.toContain(hashKey(key));
    }
    const log = broken.logs.join('\n');
    expect(log).toContain('error: GET /admin/[redacted]: Error: Failed query');
    expect(log).toContain('params: [redacted]');
    expect(log).toContain('GET /admin/[redacted] 500');
    for (const secret of [key, hashKey(key), 'ann-visitor@example.com', 'Ann-visitor'])
      expect(log).not.toContain(secret);
  });

  it('keeps the admin key and every manage key off the public page, its fragments and its pushes', async () => {
    const server = await startServer(t.app);
    const clients: LiveClient[] = [];
    try {
      const { a } = world;
      const socketFor = async (jar: CookieJar) => {
        const client = await connectLive(`${server.url.replace('http', 'ws')}${paths.scheduleLive(a.publicId)}`, {
          origin: server.origin,
          cookie: jar.header(),
        });
        clients.push(client);
        await client.waitFor((m) => m.includes(`id="${ids.slotList}"`));
        return client;
      };
      const watcher = new CookieJar();
      watcher.set('tz', 'Europe/Berlin');
      const seen: string[] = [];
      const keep = async (response: Response) => {
        seen.push(await response.text());
        return response;
      };
      await keep(await get(t.app, paths.schedule(a.publicId), { jar: watcher }));
      const sockets = [await socketFor(watcher), await socketFor(a.booker), await socketFor(a.other)];

      // Everything a visitor can be shown: the page for each visitor, its fragments, the booking
      // panel, moves and releases (including refusals), the calendar file, and every push caused by
      // bookings, the host's changes and a replaced admin link.
      for (const jar of [a.booker, a.other, watcher, new CookieJar()]) {
        await keep(await get(t.app, paths.schedule(a.publicId), { jar }));
        await keep(await get(t.app, paths.scheduleView(a.publicId), { jar, htmx: true }));
        await keep(await get(t.app, `${paths.chooseSlot(a.publicId)}?slot=${a.slotIds[1]}`, { jar, htmx: true }));
        await keep(await get(t.app, `${paths.chooseSlot(a.publicId)}?slot=${a.slotIds[0]}`, { jar }));
      }
      await keep(await get(t.app, paths.myCalendar(a.publicId), { jar: a.booker }));
      await keep(
        await post(
          t.app,
          paths.moveBooking(a.publicId, a.slotIds[1]),
          { name: 'Ann-visitor', email: '' },
          { jar: a.booker, htmx: true },
        ),
      );
      await keep(
        await post(
          t.app,
          paths.moveBooking(a.publicId, a.slotIds[2]),
          { name: 'Ann-visitor', email: '' },
          { jar: a.booker },
        ),
      );
      await keep(
        await post(
          t.app,
          paths.claimSlot(a.publicId, a.slotIds[1]),
          { name: 'Watcher', email: '' },
          { jar: a.other, htmx: true },
        ),
      );
      await keep(await post(t.app, paths.release(a.publicId), {}, { jar: a.booker, htmx: true }));
      await keep(await post(t.app, paths.release(a.publicId), {}, { jar: a.booker }));
      await post(
        t.app,
        paths.adminSlots(a.adminKey),
        { date: '2027-03-17', start: '09:00', end: '10:00', split: '0', notes: '' },
        { htmx: true },
      );
      await post(
        t.app,
        paths.adminSettings(a.adminKey),
        { title: 'Renamed', hostName: 'Host', timeZone: 'America/Chicago' },
        { htmx: true },
      );
      const newKey = adminKeyOf((await post(t.app, paths.adminRotate(a.adminKey), {})).headers.get('location')!);
      await t.live.idle();
      for (const socket of sockets) await socket.waitFor((m) => m.includes('Renamed'));
      seen.push(...sockets.flatMap((s) => s.messages));

      const secrets = [
        a.adminKey,
        newKey,
        world.b.adminKey,
        a.manageKey,
        a.otherManageKey,
        world.b.manageKey,
        world.b.otherManageKey,
      ];
      expect(seen.length).toBeGreaterThan(30);
      for (const [i, text] of seen.entries()) {
        for (const secret of secrets) expect.soft(text, `response or push #${i}`).not.toContain(secret);
        expect.soft(text, `response or push #${i}`).not.toMatch(/\/admin\/|\/b\/[a-z2-7]/);
      }
      // What others booked is not shown either: neither who, nor how to reach them.
      const forWatcher = [
        ...(await Promise.all([get(t.app, paths.schedule(a.publicId), { jar: watcher }).then((r) => r.text())])),
        ...sockets[0]!.messages,
      ];
      for (const text of forWatcher)
        for (const booker of ['Ann-visitor', 'Alex-visitor', 'alex-visitor@example.com'])
          expect.soft(text).not.toContain(booker);
      console.log(
        `capability links (${kind}): ${seen.length} public responses and pushes checked for ${secrets.length} secrets`,
      );
    } finally {
      for (const client of clients) client.close();
      await t.live.close();
      await server.close();
    }
  });

  it('keeps every key out of every calendar file', async () => {
    const { a } = world;
    const files = [
      await get(t.app, paths.adminCalendar(a.adminKey)),
      await get(t.app, paths.myCalendar(a.publicId), { jar: a.booker }),
      await get(t.app, paths.manageCalendar(a.manageKey)),
      await get(t.app, paths.manageCalendar(a.otherManageKey)),
      await get(t.app, paths.meetingCalendar(world.meetingId), { jar: world.ann }),
    ];
    const secrets = secretsOf(world);
    for (const [i, response] of files.entries()) {
      expect(response.status, `file ${i}`).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
      const text = await response.text();
      expect(text).toContain('BEGIN:VCALENDAR');
      for (const secret of [
        ...secrets.adminKeys,
        ...secrets.manageKeys,
        ...secrets.visitorKeys,
        ...secrets.sessionTokens,
      ])
        expect(text, `file ${i}`).not.toContain(secret);
      expect(text, `file ${i}`).not.toMatch(/\/admin\/|\/b\//);
    }
    // The host's file names the bookers (it is the host's); the scheduling link in it is public.
    expect(await (await get(t.app, paths.adminCalendar(a.adminKey))).text()).toContain(`/s/${a.publicId}`);
  });
});

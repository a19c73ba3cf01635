/**
 * Two app processes on two ports, one PostgreSQL database, started at the same moment (so their
 * migrations race, under the advisory lock): a viewer on instance B sees a booking made through
 * instance A, an invite pop-up, and its answer. Needs TEST_DATABASE_URL.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsFolder } from '../../src/db/migrate.ts';
import { hashKey } from '../../src/domain/tokens.ts';
import { ids } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { adminQuery, connectAdmin } from '../helpers/databases.ts';
import { adminKeyOf, CookieJar, textOf } from '../helpers/http.ts';
import { SETUP_TIMEOUT_MS, STORY_TIMEOUT_MS } from '../helpers/patience.ts';
import { type AppProcess, exitWithin, SLOW_STOPS_SHOW, startAppProcess } from '../helpers/process.ts';
import { connectLive, type LiveClient } from '../helpers/server.ts';

const base = process.env.TEST_DATABASE_URL;

/** A form POST to another process, as a browser on its own page sends it. */
async function postTo(app: AppProcess, path: string, form: Record<string, string>, jar?: CookieJar, htmx = false) {
  const response = await fetch(`${app.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams(form),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: app.origin,
      ...(jar ? { cookie: jar.header() } : {}),
      ...(htmx ? { 'hx-request': 'true' } : {}),
    },
  });
  jar?.store(response);
  return response;
}

async function getFrom(app: AppProcess, path: string, jar?: CookieJar) {
  const response = await fetch(`${app.url}${path}`, {
    redirect: 'manual',
    headers: jar ? { cookie: jar.header() } : {},
  });
  jar?.store(response);
  return response;
}

describe.skipIf(!base)(
  `several instances on one PostgreSQL${base ? '' : ' (skipped: set TEST_DATABASE_URL)'}`,
  { timeout: STORY_TIMEOUT_MS },
  () => {
    const name = `ipt_scale_${process.pid}`;
    const databaseUrl = (() => {
      if (!base) return '';
      const url = new URL(base);
      url.pathname = `/${name}`;
      return url.toString();
    })();
    let a: AppProcess;
    let b: AppProcess;
    const sockets: LiveClient[] = [];

    beforeAll(async () => {
      await adminQuery(base!, async (admin) => {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.query(`CREATE DATABASE ${name}`); // empty: both instances migrate it, at once
      });
      const env = {
        DATABASE_URL: databaseUrl,
        BOOKING_RATE_LIMIT: '1000',
        LOG_REQUESTS: 'true',
        ...SLOW_STOPS_SHOW.env,
      };
      [a, b] = await Promise.all([
        startAppProcess(env, { nodeArgs: SLOW_STOPS_SHOW.nodeArgs }),
        startAppProcess(env, { nodeArgs: SLOW_STOPS_SHOW.nodeArgs }),
      ]);
    }, SETUP_TIMEOUT_MS);

    afterAll(async () => {
      for (const socket of sockets) socket.close();
      await Promise.all([a?.stop(), b?.stop()]);
      await adminQuery(base!, (admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    });

    const live = async (app: AppProcess, path: string, jar?: CookieJar) => {
      const socket = await connectLive(`${app.url.replace('http', 'ws')}${path}`, {
        origin: app.origin,
        cookie: jar?.header(),
      });
      sockets.push(socket);
      return socket;
    };

    it('both instances migrated the empty database once, without errors', async () => {
      for (const app of [a, b]) expect(app.logs.join('')).not.toMatch(/error/i);
      const { rows } = await adminQuery(databaseUrl, (admin) =>
        admin.query<{ n: number }>('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations'),
      );
      // Once each: as many rows as the journal lists migrations (a double apply would add rows).
      const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
        entries: unknown[];
      };
      expect(journal.entries.length).toBeGreaterThanOrEqual(5);
      expect(rows[0]!.n).toBe(journal.entries.length);
    });

    it('a booking through A reaches a viewer connected to B', async () => {
      const created = await postTo(a, paths.createSchedule(), { title: 'Scale', timeZone: 'America/New_York' });
      const adminKey = adminKeyOf(created.headers.get('location')!);
      await postTo(a, paths.adminSlots(adminKey), {
        date: '2027-03-16',
        start: '09:00',
        end: '10:00',
        split: '30',
        notes: '',
      });
      const dashboard = await (await getFrom(b, paths.admin(adminKey))).text();
      const publicId = /\/s\/([a-z2-7]{32})/.exec(dashboard)![1]!;
      const slotIds = [
        ...(await (await getFrom(b, paths.schedule(publicId))).text()).matchAll(/id="slot-([0-9a-f-]{36})"/g),
      ].map((m) => m[1]!);

      const viewer = new CookieJar();
      viewer.set('tz', 'America/Denver');
      await getFrom(b, paths.schedule(publicId), viewer);
      const socket = await live(b, paths.scheduleLive(publicId), viewer);
      await socket.waitFor((m) => m.includes(`id="${ids.slotList}"`));
      const mark = socket.mark();

      const booker = new CookieJar();
      await getFrom(a, paths.schedule(publicId), booker);
      const started = performance.now();
      const booked = await postTo(a, paths.claimSlot(publicId, slotIds[0]!), { name: 'Ann', email: '' }, booker, true);
      expect(booked.status).toBe(200);
      const pushed = await socket.waitFor((m) => m.includes(`id="slot-${slotIds[0]}"`), { from: mark });
      console.log(`booking on instance A → viewer on instance B: ${(performance.now() - started).toFixed(1)} ms`);
      expect(textOf(pushed)).toContain('07:00–07:30 on Tue 16 Mar, Booked');
    });

    it('an invite through A pops up for someone on B, and the answer through B pops up on A', async () => {
      const ann = new CookieJar();
      const bo = new CookieJar();
      expect(
        (
          await postTo(
            a,
            '/register',
            { displayName: 'Ann', username: 'ann', password: 'a good password', timeZone: 'America/New_York' },
            ann,
          )
        ).status,
      ).toBe(303);
      expect(
        (
          await postTo(
            b,
            '/register',
            { displayName: 'Bo', username: 'bo', password: 'a good password', timeZone: 'America/Denver' },
            bo,
          )
        ).status,
      ).toBe(303);
      await postTo(a, paths.newRoom(), { name: 'Aspen', description: '', open2: 'on', from2: '9', to2: '17' }, ann);
      const annSocket = await live(a, paths.accountLive(), ann);
      const boSocket = await live(b, paths.accountLive(), bo);
      await Promise.all([
        annSocket.waitFor((m) => m.includes(`id="${ids.popups}"`)),
        boSocket.waitFor((m) => m.includes(`id="${ids.popups}"`)),
      ]);

      const grid = await (await getFrom(a, paths.rooms({ date: '2027-03-16' }), ann)).text();
      const cell = /name="cell" value="([^"]+)"[^>]*aria-label="Aspen, Tue 16 Mar, 10:00–11:00, open"/.exec(grid)![1]!;
      const [roomId, start] = cell.split('@');
      const people = await (await getFrom(a, `${paths.roomCellPage()}?cell=${encodeURIComponent(cell)}`, ann)).text();
      const boId = /<option value="([0-9a-f-]{36})">Bo \(@bo\)<\/option>/.exec(people)![1]!;

      const boMark = boSocket.mark();
      const sent = performance.now();
      expect(
        (await postTo(a, paths.sendInvite(), { room: roomId!, start: start!, invitee: boId, note: '' }, ann, true))
          .status,
      ).toBe(200);
      const popup = await boSocket.waitFor((m) => m.includes('popup-invite-'), { from: boMark });
      console.log(`invite on instance A → pop-up on instance B: ${(performance.now() - sent).toFixed(1)} ms`);
      expect(textOf(popup)).toContain('Ann (@ann) invites you to a meeting');

      const inviteId = /popup-invite-([0-9a-f-]{36})/.exec(popup)![1]!;
      const annMark = annSocket.mark();
      const answered = performance.now();
      const accept = await fetch(`${b.url}${paths.inviteAction(inviteId, 'accept')}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin: b.origin,
          cookie: bo.header(),
          'hx-request': 'true',
          'hx-target': ids.popupResults,
        },
      });
      expect(accept.status).toBe(200);
      const answer = await annSocket.waitFor((m) => m.includes('popup-notice-'), { from: annMark });
      console.log(`accept on instance B → pop-up on instance A: ${(performance.now() - answered).toFixed(1)} ms`);
      expect(textOf(answer)).toContain('Bo (@bo) accepted your invite');
    });

    it('replacing the admin link through A closes the old dashboard on B at once; B’s visitor stays', async () => {
      const created = await postTo(a, paths.createSchedule(), { timeZone: 'UTC' });
      const adminKey = adminKeyOf(created.headers.get('location')!);
      const publicId = /\/s\/([a-z2-7]{32})/.exec(await (await getFrom(b, paths.admin(adminKey))).text())![1]!;
      const host = await live(b, paths.adminLive(adminKey));
      const visitor = await live(b, paths.scheduleLive(publicId));
      await Promise.all([
        host.waitFor((m) => m.includes(`id="${ids.slotList}"`)),
        visitor.waitFor((m) => m.includes(`id="${ids.slotList}"`)),
      ]);
      const closed = new Promise<number>((resolve) => host.socket.once('close', (code) => resolve(code)));
      const listener = await connectAdmin(databaseUrl);
      const notified: string[] = [];
      listener.on('notification', (message) => {
        if (message.channel === 'ipt_live') notified.push(message.payload ?? '');
      });
      await listener.query('LISTEN "ipt_live"');
      const rotated = await postTo(a, paths.adminRotate(adminKey), {});
      expect(rotated.status).toBe(303);
      const newKey = adminKeyOf(rotated.headers.get('location')!);
      expect((await getFrom(b, paths.admin(adminKey))).status).toBe(404);
      expect((await getFrom(b, paths.admin(newKey))).status).toBe(200);
      expect(textOf(await host.waitFor((m) => m.includes('This dashboard link was replaced')))).toContain(
        'It no longer works',
      );
      expect(await closed).toBe(1008);
      expect(visitor.socket.readyState).toBe(visitor.socket.OPEN);
      // What went through the bus names the schedule only; the request logs carry neither key.
      await expect.poll(() => notified.length).toBeGreaterThan(0);
      await listener.end();
      expect(notified.map((n) => JSON.parse(n))).toEqual([
        { t: expect.stringMatching(/^schedule:[0-9a-f-]{36}$/), e: { type: 'admin-key-replaced' } },
      ]);
      for (const secret of [adminKey, newKey, hashKey(adminKey), hashKey(newKey)])
        expect(notified.join('')).not.toContain(secret);
      const logs = [a, b].map((app) => app.logs.join('')).join('');
      expect(logs).toContain('POST /admin/[redacted]/rotate 303');
      for (const secret of [adminKey, newKey, publicId]) expect(logs).not.toContain(secret);
    });

    it('closes sockets with 1012 on SIGTERM and exits cleanly', async () => {
      const socket = await live(b, '/s/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/live').catch(() => null);
      expect(socket).toBeNull(); // unknown schedule: refused
      const created = await postTo(b, paths.createSchedule(), { timeZone: 'UTC' });
      const adminKey = adminKeyOf(created.headers.get('location')!);
      const host = await live(b, paths.adminLive(adminKey));
      const closed = new Promise<number>((resolve) => host.socket.once('close', (code) => resolve(code)));
      const exit = exitWithin(b.stop('SIGTERM'));
      expect(await closed).toBe(1012);
      // Promptly: a clean stop closes idle connections and waits out neither them nor its grace period.
      expect(await exit).toBe(0);
      expect(b.logs.join('')).not.toContain('exiting anyway');
    });
  },
);

/**
 * The notification after a committed booking fails (PostgreSQL's connection cut between the
 * commit and the NOTIFY): the booking is still acknowledged, with its manage link, never turned
 * into an error page, and this instance's viewers still see it at once.
 */
import { describe, expect, it } from 'vitest';
import { ids } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { STORY_TIMEOUT_MS } from '../helpers/patience.ts';
import { createTestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { adminKeyOf, CookieJar, get, post, textOf } from '../helpers/http.ts';
import { connectLive, startServer } from '../helpers/server.ts';

describe.each(databaseKinds)(
  'a notification that fails after the commit (%s)',
  { timeout: STORY_TIMEOUT_MS },
  (kind) => {
    const database = useTestDatabase(kind);

    it('still acknowledges the booking, and this instance’s viewers still see it', async () => {
      const t = createTestApp(database.current.db);
      const created = await post(t.app, paths.createSchedule(), { title: 'Cut after commit', timeZone: 'UTC' });
      const adminKey = adminKeyOf(created.headers.get('location')!);
      await post(t.app, paths.adminSlots(adminKey), {
        date: '2027-03-16',
        start: '09:00',
        end: '10:00',
        split: '30',
        notes: '',
      });
      const dashboard = await (await get(t.app, paths.admin(adminKey))).text();
      const publicId = /\/s\/([a-z2-7]{32})/.exec(dashboard)![1]!;
      const [slotId] = [
        ...(await (await get(t.app, paths.schedule(publicId))).text()).matchAll(/id="slot-([0-9a-f-]{36})"/g),
      ].map((m) => m[1]!);

      const server = await startServer(t.app);
      try {
        const host = await connectLive(`${server.url.replace('http', 'ws')}${paths.adminLive(adminKey)}`, {
          origin: server.origin,
        });
        await host.waitFor((m) => m.includes(`id="${ids.slotList}"`));
        const from = host.mark();
        // The bus's connection is gone: NOTIFY fails after the booking has committed.
        t.bus.publish = () =>
          Promise.reject(Object.assign(new Error('write CONNECTION_CLOSED'), { code: 'CONNECTION_CLOSED' }));

        const booked = await post(
          t.app,
          paths.claimSlot(publicId, slotId!),
          { name: 'Committed Cy', email: '' },
          { htmx: true, jar: new CookieJar() },
        );
        expect(booked.status).toBe(200);
        expect(await booked.text()).toMatch(/\/b\/[a-z2-7]{32}/);
        const pushed = await host.waitFor((m) => textOf(m).includes('Booked by Committed Cy'), { from });
        expect(pushed).toContain(`id="slot-${slotId}"`);
        expect(t.errors.map(String).join('\n')).toContain('CONNECTION_CLOSED');
        host.close();
      } finally {
        await t.live.close();
        await server.close();
      }
    });
  },
);

/**
 * Weekly availability through app.request(): the preview shows exactly what "Create" makes, both
 * list what is left out and why, creates racing each other never overlap or pass the cap, refusals
 * keep every field, and open pages get the new days live.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findScheduleByAdminKey, type Schedule } from '../../src/domain/schedules.ts';
import { listSlotsForSchedule } from '../../src/domain/slots.ts';
import { calendarCellId, daySectionId, ids } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { adminKeyOf, CookieJar, elementById, get, post, textOf } from '../helpers/http.ts';
import { connectLive, type LiveClient, startServer, type TestServer } from '../helpers/server.ts';

/** Three weeks of Mon/Wed/Fri 09–12 in 30-minute slots, from Monday 23 November 2026. */
const OFFICE_HOURS: [string, string][] = [
  ['days', '1'],
  ['days', '3'],
  ['days', '5'],
  ['from1', '09:00'],
  ['to1', '12:00'],
  ['length', '30'],
  ['gap', '0'],
  ['startDate', '2026-11-23'],
  ['ends', 'weeks'],
  ['weeks', '3'],
  ['notes', 'Room 4'],
];

const withIntent = (form: [string, string][], intent: 'preview' | 'create'): [string, string][] => [
  ...form,
  ['intent', intent],
];

const replace = (form: [string, string][], changes: Record<string, string>): [string, string][] => [
  ...form.filter(([k]) => !(k in changes)),
  ...Object.entries(changes),
];

describe.each(databaseKinds)('weekly availability on %s', (kind) => {
  const database = useTestDatabase(kind, { max: 20 });
  let t: TestApp;
  let adminKey: string;
  let schedule: Schedule;

  async function setup(config: Parameters<typeof createTestApp>[1] = {}) {
    t = createTestApp(database.current.db, config);
    const created = await post(t.app, paths.createSchedule(), {
      title: 'Office hours',
      hostName: 'Mary',
      timeZone: 'America/New_York',
    });
    adminKey = adminKeyOf(created.headers.get('location')!);
    schedule = (await findScheduleByAdminKey(database.current.db, adminKey))!;
  }

  const submit = (form: [string, string][], htmx = true) =>
    post(t.app, paths.adminAvailability(adminKey), form, { htmx });

  /** The outcome's text and its day-by-day list. */
  async function outcomeOf(response: Response) {
    const html = await response.text();
    const outcome = elementById(html, ids.availabilityOutcome);
    expect(outcome).not.toBeNull();
    const days = /<details[^>]*class="made-days"[^>]*>([\s\S]*?)<\/details>/.exec(outcome!)?.[1] ?? '';
    return { html, text: textOf(outcome!), days: textOf(days.replace(/<summary>[\s\S]*?<\/summary>/, '')) };
  }

  describe('with the default caps', () => {
    beforeEach(() => setup());

    it('previews three weeks in one form, keeps nothing, and then creates exactly that', async () => {
      const preview = await submit(withIntent(OFFICE_HOURS, 'preview'));
      expect(preview.status).toBe(200);
      const seen = await outcomeOf(preview);
      expect(seen.text).toContain('This creates 54 slots on 9 days (Mon 23 Nov to Fri 11 Dec).');
      expect(seen.text).toContain('Nothing is created until you choose “Create slots”.');
      expect(seen.days).toContain('Mon 23 Nov: 09:00, 09:30, 10:00, 10:30, 11:00, 11:30');
      expect(await listSlotsForSchedule(database.current.db, schedule.id)).toHaveLength(0);
      // The form keeps every field.
      expect(seen.html).toMatch(/name="days" value="1" checked/);
      expect(seen.html).toMatch(/name="days" value="3" checked/);
      expect(seen.html).not.toMatch(/name="days" value="2" checked/);
      expect(seen.html).toContain('Room 4');

      const created = await submit(withIntent(OFFICE_HOURS, 'create'));
      expect(created.status).toBe(200);
      const made = await outcomeOf(created);
      expect(made.text).toContain('Created 54 slots on 9 days (Mon 23 Nov to Fri 11 Dec).');
      expect(made.days).toBe(seen.days);
      const slots = await listSlotsForSchedule(database.current.db, schedule.id);
      expect(slots).toHaveLength(54);
      expect(slots[0]!.startsAt.toISOString()).toBe('2026-11-23T14:00:00.000Z'); // 09:00 EST
      expect(slots.every((s) => s.notes === 'Room 4')).toBe(true);

      // The same form again makes nothing, and says why for each time.
      const again = await outcomeOf(await submit(withIntent(OFFICE_HOURS, 'create')));
      expect(again.text).toContain('Nothing was created. 54 times were left out.');
      expect(again.text).toContain('09:00 on Mon 23 Nov overlaps a slot you have (09:00–09:30)');
      expect(again.text).toContain('and 34 more.');
    });

    it('lists times that overlap a slot the host has, and clock changes, and makes the rest', async () => {
      await post(t.app, paths.adminSlots(adminKey), { date: '2027-03-10', start: '10:15', end: '11:00', split: '0' });
      const form = replace(OFFICE_HOURS, { startDate: '2027-03-08', weeks: '1', from1: '09:00', to1: '12:00' });
      const seen = await outcomeOf(await submit(withIntent(form, 'preview')));
      expect(seen.text).toContain('This creates 16 slots on 3 days');
      expect(seen.text).toContain('10:00 on Wed 10 Mar overlaps a slot you have (10:15–11:00)');
      expect(seen.text).toContain('10:30 on Wed 10 Mar overlaps a slot you have (10:15–11:00)');

      const spring = replace(OFFICE_HOURS, {
        days: '7',
        startDate: '2027-03-14',
        weeks: '1',
        from1: '01:00',
        to1: '04:00',
      }).filter(([k, v]) => k !== 'days' || v === '7');
      const dst = await outcomeOf(await submit(withIntent(spring, 'preview')));
      expect(dst.text).toContain('This creates 3 slots on 1 day');
      expect(dst.text).toContain('02:30 on Sun 14 Mar does not exist in America/New_York');
      expect(dst.text).toContain('01:30 on Sun 14 Mar: its end, 02:00, does not exist in America/New_York');
    });

    it('refuses a form it cannot read with every message, keeping every field (422)', async () => {
      const bad = replace(OFFICE_HOURS, { ends: 'until', until: '2027-06-30', from2: '11:00', to2: '13:00' });
      const response = await submit(withIntent(bad, 'create'));
      expect(response.status).toBe(422);
      const html = await response.text();
      const section = textOf(elementById(html, ids.availability)!);
      expect(section).toContain('At most 12 weeks: end on 2027-02-14 or earlier.');
      expect(section).toContain('09:00–12:00 and 11:00–13:00 overlap');
      expect(html).toMatch(/name="days" value="5" checked/);
      expect(html).toMatch(/name="until"[^>]*value="2027-06-30"/);
      expect(html).toContain('Room 4');
      expect(await listSlotsForSchedule(database.current.db, schedule.id)).toHaveLength(0);
      // Seven values for one checkbox group is a form, eight is not: refused, not a 500.
      const flood = await submit([
        ...OFFICE_HOURS,
        ...Array.from({ length: 8 }, (): [string, string] => ['days', '2']),
      ]);
      expect(flood.status).toBe(422);
    });

    it('works without JavaScript: the dashboard around the answer', async () => {
      const response = await submit(withIntent(OFFICE_HOURS, 'create'), false);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toMatch(/^<!DOCTYPE html>/);
      expect(textOf(elementById(html, ids.availabilityOutcome)!)).toContain('Created 54 slots on 9 days');
      expect(html).toContain(`id="${ids.slotList}"`);
    });
  });

  describe('with a small cap', () => {
    beforeEach(() => setup({ config: { maxSlotsPerSchedule: 20 } }));

    it('makes up to the cap, earliest first, and says how many would not fit', async () => {
      const seen = await outcomeOf(await submit(withIntent(OFFICE_HOURS, 'preview')));
      expect(seen.text).toContain('This creates 20 slots on 4 days');
      expect(seen.text).toContain('34 slots would not fit: a schedule holds at most 20 slots.');
      const made = await outcomeOf(await submit(withIntent(OFFICE_HOURS, 'create')));
      expect(made.text).toContain('Created 20 slots on 4 days');
      expect(made.text).toContain('34 slots did not fit');
      expect(await listSlotsForSchedule(database.current.db, schedule.id)).toHaveLength(20);
    });

    it('never overlaps or passes the cap when creates race', async () => {
      const shifted = replace(OFFICE_HOURS, { from1: '09:15', to1: '12:15' });
      const responses = await Promise.all(
        [OFFICE_HOURS, shifted, OFFICE_HOURS, shifted].map((f) => submit(withIntent(f, 'create'))),
      );
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      const slots = await listSlotsForSchedule(database.current.db, schedule.id);
      expect(slots.length).toBe(20);
      for (let i = 1; i < slots.length; i++) {
        expect(slots[i]!.startsAt.getTime()).toBeGreaterThanOrEqual(slots[i - 1]!.endsAt.getTime());
      }
    });
  });

  describe('live', () => {
    let server: TestServer;
    const clients: LiveClient[] = [];
    beforeEach(async () => {
      await setup();
      server = await startServer(t.app);
    });
    afterEach(async () => {
      for (const client of clients.splice(0)) client.close();
      await t.live.close();
      await server.close();
    });

    it('sends the new days to open scheduling pages and dashboards', async () => {
      const jar = new CookieJar();
      jar.set('tz', 'Europe/Berlin');
      await get(t.app, paths.schedule(schedule.publicId), { jar });
      const ws = server.url.replace('http', 'ws');
      const visitor = await connectLive(`${ws}${paths.scheduleLive(schedule.publicId)}`, {
        origin: server.origin,
        cookie: jar.header(),
      });
      const host = await connectLive(`${ws}${paths.adminLive(adminKey)}`, { origin: server.origin });
      clients.push(visitor, host);
      await visitor.waitFor((m) => m.includes(`id="${ids.slotList}"`));
      await host.waitFor((m) => m.includes(`id="${ids.slotList}"`));
      const [visitorMark, hostMark] = [visitor.mark(), host.mark()];
      await submit(withIntent(OFFICE_HOURS, 'create'));
      // The visitor's page shows November (nothing open yet): its new days are marked in the calendar,
      // and "Next available" points at the first (09:00 in New York is 15:00 in Berlin).
      const seen = await visitor.waitFor((m) => m.includes(calendarCellId('2026-11-23')), { from: visitorMark });
      expect(textOf(elementById(seen, calendarCellId('2026-11-23'))!)).toContain(
        'Monday 23 November 2026, 6 open times',
      );
      expect(textOf(elementById(seen, ids.nextAvailable)!)).toBe('Next available: Mon 23 Nov, 15:00');
      expect(seen).not.toContain(calendarCellId('2026-12-11')); // December is not on that page
      const hostSeen = await host.waitFor((m) => m.includes(daySectionId('2026-12-11')), { from: hostMark });
      expect(textOf(hostSeen)).toContain('09:00–09:30');
    });
  });
});

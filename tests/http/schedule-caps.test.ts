/**
 * The caps on what a stranger with no account can make a schedule hold: slots per add, slots per
 * schedule (decided by the database under the schedule's row lock, so parallel adds cannot pass
 * it), and schedules created per address per hour. Each refusal is a readable 4xx that saves nothing.
 */
import { type SQL, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.ts';
import { findScheduleByAdminKey, type Schedule } from '../../src/domain/schedules.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { adminKeyOf, post, textOf } from '../helpers/http.ts';

describe.each(databaseKinds)('schedule caps on %s', (kind) => {
  const database = useTestDatabase(kind, { max: 20 });
  let t: TestApp;
  let adminKey: string;
  let schedule: Schedule;

  async function start(config: Partial<Config>) {
    t = createTestApp(database.current.db, { config });
    const created = await post(t.app, paths.createSchedule(), { title: 'Clinic', hostName: '', timeZone: 'UTC' });
    adminKey = adminKeyOf(created.headers.get('location')!);
    schedule = (await findScheduleByAdminKey(database.current.db, adminKey))!;
  }

  const countOf = async (query: SQL) => (await database.current.db.execute<{ n: number }>(query)).rows[0]!.n;
  const slotCount = () => countOf(sql`SELECT count(*)::int AS n FROM slots WHERE schedule_id = ${schedule.id}`);
  const add = (date: string, start: string, end: string, split = '0') =>
    post(t.app, paths.adminSlots(adminKey), { date, start, end, split, notes: '' }, { htmx: true });

  it('refuses an add that makes more slots than MAX_SLOTS_PER_ADD, keeping the form, saving nothing', async () => {
    await start({ maxSlotsPerAdd: 3 });
    const refused = await add('2030-05-06', '09:00', '11:00', '30');
    expect(refused.status).toBe(422);
    const page = await refused.text();
    expect(textOf(page)).toContain('That makes 4 slots; one add makes at most 3.');
    expect(page).toContain('value="2030-05-06"');
    expect(await slotCount()).toBe(0);
    expect((await add('2030-05-06', '09:00', '10:30', '30')).status).toBe(200);
    expect(await slotCount()).toBe(3);
  });

  it('refuses an add past MAX_SLOTS_PER_SCHEDULE with how many still fit, then when full', async () => {
    await start({ maxSlotsPerSchedule: 5 });
    expect((await add('2030-05-06', '09:00', '11:00', '30')).status).toBe(200);
    const over = await add('2030-05-07', '09:00', '10:00', '30');
    expect(over.status).toBe(409);
    expect(textOf(await over.text())).toContain(
      'A schedule holds at most 5 slots and this adds 2. Only 1 more fit. Nothing was added.',
    );
    expect(await slotCount()).toBe(4);
    expect((await add('2030-05-07', '09:00', '09:30')).status).toBe(200);
    const full = await add('2030-05-08', '09:00', '09:30');
    expect(full.status).toBe(409);
    expect(textOf(await full.text())).toContain('It is full: delete slots you no longer need first.');
    expect(await slotCount()).toBe(5);
  });

  it('never lets parallel adds take a schedule past its cap', async () => {
    await start({ maxSlotsPerSchedule: 10 });
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        add('2030-05-06', `${String(i).padStart(2, '0')}:00`, `${String(i).padStart(2, '0')}:30`),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(14);
    expect(await slotCount()).toBe(10);
  });

  it('limits schedules created per address per hour, with a readable 429 that creates nothing', async () => {
    await start({ scheduleCreationRateLimit: 3 }); // the first of three
    for (let i = 0; i < 2; i++)
      expect((await post(t.app, paths.createSchedule(), { title: `More ${i}`, timeZone: 'UTC' })).status).toBe(303);
    const countSchedules = () => countOf(sql`SELECT count(*)::int AS n FROM schedules`);
    const before = await countSchedules();
    const refused = await post(t.app, paths.createSchedule(), { title: 'One too many', timeZone: 'UTC' });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(textOf(await refused.text())).toContain(
      'Too many schedules were created from your network in the last hour.',
    );
    expect(await countSchedules()).toBe(before);
  });
});

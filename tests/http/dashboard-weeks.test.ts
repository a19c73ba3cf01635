/**
 * The host's dashboard at scale, through app.request() and real WebSocket clients: slots grouped by
 * week (from Monday, in the schedule's zone) with a summary line each, the current and next week
 * open; the filter as a page and as an htmx fragment; deleting the open slots of a day or a week in
 * one conditional DELETE that never touches a booked slot (raced against bookings, many times);
 * the answer's counts; notes said once per day; the add form keeping what was typed; and live
 * pushes that update an open dashboard's week summaries after a bulk delete and after a booking.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findScheduleByAdminKey, type Schedule } from '../../src/domain/schedules.ts';
import { addSlots, listSlotsForSchedule, type Slot } from '../../src/domain/slots.ts';
import { addDays, resolveWallTime } from '../../src/domain/time.ts';
import {
  dayActionsId,
  daySectionId,
  ids,
  slotId,
  weekActionsId,
  weekDaysId,
  weekSectionId,
  weekSummaryId,
} from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { createClock, createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { adminKeyOf, CookieJar, elementById, get, ORIGIN, post, textOf } from '../helpers/http.ts';
import { connectLive, type LiveClient, startServer, type TestServer } from '../helpers/server.ts';

const ZONE = 'America/New_York';
const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
/** Tuesday 9 March 2027, 12:00 in New York: the week of 8 March is this week. */
const NOW = new Date('2027-03-09T17:00:00Z');

/** An instant from a New York wall time. */
function at(date: string, time: string): Date {
  const resolved = resolveWallTime(date, time, ZONE);
  if (!resolved.ok) throw new Error(`${date} ${time}: ${resolved.message}`);
  return resolved.instant;
}

/** Half-hour slots from `start` to `end` on `date`, New York time, with a note. */
const halfHours = (date: string, start: string, end: string, notes = '') => {
  const out: { startsAt: Date; endsAt: Date; notes: string }[] = [];
  for (let t = at(date, start).getTime(); t < at(date, end).getTime(); t += 30 * 60_000)
    out.push({ startsAt: new Date(t), endsAt: new Date(t + 30 * 60_000), notes });
  return out;
};

/** Tuesdays and Thursdays 09:00–11:00 for five weeks from 8 March, and a few edge cases. */
const PLAN = [
  ...halfHours('2027-03-08', '09:00', '10:00'), // Monday, before now: 2 past
  ...halfHours('2027-03-09', '09:00', '11:00'), // Tuesday morning, before now: 4 past
  ...halfHours('2027-03-11', '09:00', '11:00', 'Room 4'), // Thursday: 4, one note for all
  ...halfHours('2027-03-14', '23:00', '23:30'), // Sunday late: still the week of 8 March here (04:00 UTC Monday)
  ...halfHours('2027-03-15', '00:00', '00:30'), // Monday just after midnight: the next week
  ...halfHours('2027-03-16', '09:00', '11:00'),
  ...halfHours('2027-03-18', '09:00', '10:00', 'Zoom'),
  ...halfHours('2027-03-18', '10:00', '11:00', 'In person'),
  ...halfHours('2027-03-23', '09:00', '11:00'),
  ...halfHours('2027-03-25', '09:00', '11:00'),
  ...halfHours('2027-03-30', '09:00', '11:00'),
  ...halfHours('2027-04-01', '09:00', '11:00'),
  ...halfHours('2027-04-06', '09:00', '11:00'),
  ...halfHours('2027-04-08', '09:00', '11:00'),
];

describe.each(databaseKinds)('the dashboard by weeks on %s', (kind) => {
  const database = useTestDatabase(kind, { max: 20 });
  let t: TestApp;
  let schedule: Schedule;
  let adminKey: string;
  let slots: Slot[];
  const clients: LiveClient[] = [];
  let server: TestServer | null = null;

  beforeEach(async () => {
    t = createTestApp(database.current.db, {
      clock: createClock(NOW),
      config: { bookingRateLimit: 100_000 },
    });
    const created = await post(t.app, paths.createSchedule(), { title: 'Office hours', timeZone: ZONE });
    adminKey = adminKeyOf(created.headers.get('location')!);
    schedule = (await findScheduleByAdminKey(database.current.db, adminKey))!;
    const added = await addSlots(database.current.db, schedule.id, PLAN);
    if (!added.ok) throw new Error('fixture slots overlap');
    slots = await listSlotsForSchedule(database.current.db, schedule.id);
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    await t.live.close();
    await server?.close();
    server = null;
  });

  const slotAt = (date: string, time: string) => slots.find((s) => s.startsAt.getTime() === at(date, time).getTime())!;
  const book = (slot: Slot, name: string) =>
    post(t.app, paths.claimSlot(schedule.publicId, slot.id), { name, email: '' }, { jar: new CookieJar(), htmx: true });
  const page = async (show?: string) => (await get(t.app, paths.admin(adminKey, show))).text();
  const rows = (html: string) => [...html.matchAll(/<li id="slot-([0-9a-f-]{36})"/g)].map((m) => m[1]!);
  const summary = (html: string, week: string) => textOf(elementById(html, weekSummaryId(week)) ?? '');

  async function bookThree() {
    for (const [time, name] of [
      ['09:00', 'Ann'],
      ['09:30', 'Bo'],
      ['10:00', 'Cy'],
    ] as const)
      expect((await book(slotAt('2027-03-11', time), name)).status).toBe(200);
    expect((await book(slotAt('2027-03-23', '09:00'), 'Di')).status).toBe(200);
  }

  it('groups slots by week from Monday in the schedule’s zone, with a summary line each; this week and the next open', async () => {
    await bookThree();
    const html = await page();
    const weeks = [...html.matchAll(/<details id="week-(\d{4}-\d{2}-\d{2})-section" class="week"( open="")?/g)];
    expect(weeks.map((w) => [w[1], Boolean(w[2])])).toEqual([
      // This week and the next open; the later ones collapsed.
      ['2027-03-08', true],
      ['2027-03-15', true],
      ['2027-03-22', false],
      ['2027-03-29', false],
      ['2027-04-05', false],
    ]);
    // Counts are of the whole week, past slots included; the list (upcoming) leaves those out.
    expect(summary(html, '2027-03-08')).toBe('Week of 8 March: 2 open, 3 booked, 6 past');
    expect(summary(html, '2027-03-15')).toBe('Week of 15 March: 9 open');
    expect(summary(html, '2027-03-22')).toBe('Week of 22 March: 7 open, 1 booked');
    expect(elementById(html, weekSummaryId('2027-03-08'))).toMatch(/^<summary [^>]*><h3 class="week-heading">/);
    expect(elementById(html, daySectionId('2027-03-08'))).toBeNull(); // only past slots that day
    expect(elementById(html, daySectionId('2027-03-09'))).toBeNull();
    // 23:00 on Sunday 14 March in New York is Monday in UTC, and still this week here.
    const thisWeek = elementById(html, weekDaysId('2027-03-08'))!;
    expect(thisWeek).toContain(`id="${daySectionId('2027-03-14')}"`);
    expect(elementById(html, weekDaysId('2027-03-15'))).toContain(`id="${daySectionId('2027-03-15')}"`);
    expect(textOf(elementById(html, daySectionId('2027-03-11'))!)).toMatch(
      /^Thursday 11 March 2027 Delete the day's open slots…, Thursday 11 March 2027 Delete the open slot of Thursday 11 March 2027\? Booked slots stay\. Yes, delete them Keep them Room 4 09:00–09:30/,
    );
    expect(elementById(html, daySectionId('2027-03-11'))).toMatch(/<h4 id="day-2027-03-11">/);
    // Each week and each day with open slots offers to delete them, named for a screen reader and
    // confirmed in place with the count.
    expect(textOf(elementById(html, weekActionsId('2027-03-22'))!)).toBe(
      "Delete the week's open slots…, the week of 22 March Delete the 7 open slots of the week of 22 March? Booked slots stay. Yes, delete them Keep them",
    );
    expect(textOf(elementById(html, dayActionsId('2027-03-23'))!)).toBe(
      "Delete the day's open slots…, Tuesday 23 March 2027 Delete the 3 open slots of Tuesday 23 March 2027? Booked slots stay. Yes, delete them Keep them",
    );
    expect(elementById(html, dayActionsId('2027-03-23'))).toMatch(/<details class="confirm bulk-delete">/);
    expect(rows(html)).toHaveLength(PLAN.length - 6);
    // Settings come after the list, not after hundreds of buttons: closed weeks hold theirs out of the tab order.
    expect(html.indexOf(`id="${ids.settings}"`)).toBeGreaterThan(html.indexOf(`id="${ids.slotList}"`));
  });

  it('says a repeated note once per day: under the heading when the whole day shares it, else where it changes', async () => {
    const html = await page();
    const thursday = elementById(html, daySectionId('2027-03-11'))!;
    expect(thursday.match(/Room 4/g)).toHaveLength(1);
    expect(textOf(elementById(thursday, 'day-2027-03-11')!)).toBe('Thursday 11 March 2027');
    expect(thursday).toMatch(/<p class="slot-notes day-note">Room 4<\/p><ul/);
    const mixed = elementById(html, daySectionId('2027-03-18'))!;
    expect(mixed.match(/Zoom/g)).toHaveLength(1);
    expect(mixed.match(/In person/g)).toHaveLength(1);
    expect(textOf(elementById(mixed, slotId(slotAt('2027-03-18', '09:00').id))!)).toContain('Zoom');
    expect(textOf(elementById(mixed, slotId(slotAt('2027-03-18', '09:30').id))!)).not.toContain('Zoom');
    expect(textOf(elementById(mixed, slotId(slotAt('2027-03-18', '10:00').id))!)).toContain('In person');
  });

  it('filters with a plain GET query, and answers htmx with the list, its links and a socket for that filter', async () => {
    await bookThree();
    const bookedIds = (await listSlotsForSchedule(database.current.db, schedule.id))
      .filter((s) => s.booking)
      .map((s) => s.id);
    const pastIds = slots.filter((s) => s.endsAt.getTime() <= NOW.getTime()).map((s) => s.id);
    expect(pastIds).toHaveLength(6);

    const upcoming = await page();
    expect(rows(upcoming)).toHaveLength(PLAN.length - 6);
    for (const id of pastIds) expect(rows(upcoming)).not.toContain(id);
    const open = await page('open');
    expect(rows(open)).toHaveLength(PLAN.length - 6 - 4);
    for (const id of bookedIds) expect(rows(open)).not.toContain(id);
    expect(rows(await page('booked')).sort()).toEqual([...bookedIds].sort());
    expect(rows(await page('past')).sort()).toEqual([...pastIds].sort());
    expect(rows(await page('all'))).toHaveLength(PLAN.length);
    // The filter's links, the current one marked; the page's socket carries the filter.
    const filtered = await page('booked');
    expect(elementById(filtered, 'slot-filter-booked')).toContain('aria-current="page"');
    expect(elementById(filtered, 'slot-filter-open')).not.toContain('aria-current');
    expect(elementById(filtered, 'slot-filter-upcoming')).toContain(`href="/admin/${adminKey}"`);
    expect(filtered).toContain(`ws-connect="/admin/${adminKey}/live?show=booked"`);
    // Bulk deletes belong where open slots are shown.
    expect(filtered).not.toContain('open slots<span');
    // A filter it does not know is the default.
    const unknown = await page('nonsense');
    expect(rows(unknown)).toEqual(rows(upcoming));
    expect(elementById(unknown, 'slot-filter-upcoming')).toContain('aria-current="page"');

    // htmx: the list alone (no page around it), the links and a new socket element out of band.
    const response = await get(t.app, paths.admin(adminKey, 'open'), { htmx: true });
    expect(response.status).toBe(200);
    expect(response.headers.get('vary')).toContain('HX-Request');
    const fragment = await response.text();
    expect(fragment).not.toMatch(/<!DOCTYPE|<html/i);
    expect(fragment.startsWith(`<div id="${ids.slotList}"`)).toBe(true);
    expect(rows(fragment)).toEqual(rows(open));
    expect(elementById(fragment, ids.slotFilter)).toContain('hx-swap-oob="true"');
    expect(elementById(fragment, 'slot-filter-open')).toContain('aria-current="page"');
    expect(elementById(fragment, ids.liveSocket)).toBe(
      `<div id="${ids.liveSocket}" ws-connect="/admin/${adminKey}/live?show=open" hx-swap-oob="true"></div>`,
    );
    expect(elementById(fragment, ids.listStatus)).toContain('hx-swap-oob="true"');
    // A history restore (back button) wants the page.
    const restore = await get(t.app, paths.admin(adminKey, 'open'), {
      htmx: true,
      headers: { 'hx-history-restore-request': 'true' },
    });
    expect(await restore.text()).toMatch(/^<!DOCTYPE html>/);
  });

  it('deletes the open slots of a day and of a week in one go, never a booked one, and says how many of each', async () => {
    await bookThree();
    // A day: Thursday 11 March has one open slot left besides three booked.
    const day = await post(t.app, paths.adminDeleteOpenOfDay(adminKey), { date: '2027-03-11' }, { htmx: true });
    expect(day.status).toBe(200);
    const dayHtml = await day.text();
    expect(dayHtml.startsWith(`<p id="${ids.listStatus}"`)).toBe(true);
    const status = elementById(dayHtml, ids.listStatus)!;
    expect(textOf(status)).toBe('Deleted 1 open slot of Thursday 11 March 2027; kept 3 booked.');
    expect(status).toContain('autofocus');
    expect(status).toContain('role="status"');
    // The day is re-sent with its booked rows; its week's summary line and actions are re-sent too.
    expect(elementById(dayHtml, daySectionId('2027-03-11'))).toContain('hx-swap-oob="true"');
    expect(rows(dayHtml)).toHaveLength(3);
    expect(summary(dayHtml, '2027-03-08')).toBe('Week of 8 March: 1 open, 3 booked, 6 past');
    expect(textOf(elementById(dayHtml, dayActionsId('2027-03-11'))!)).toBe(''); // nothing left to delete
    expect(textOf(elementById(dayHtml, ids.bookingSummary)!)).toBe(`4 of ${PLAN.length - 1} slots booked`);

    // A week: 22 March has seven open slots and one booked.
    const week = await post(t.app, paths.adminDeleteOpenOfWeek(adminKey), { date: '2027-03-25' }, { htmx: true });
    const weekHtml = await week.text();
    expect(textOf(elementById(weekHtml, ids.listStatus)!)).toBe(
      'Deleted 7 open slots of the week of 22 March; kept 1 booked.',
    );
    expect(weekHtml).toContain(`<div id="${daySectionId('2027-03-25')}" hx-swap-oob="delete"></div>`);
    expect(summary(weekHtml, '2027-03-22')).toBe('Week of 22 March: 1 booked');
    const left = await listSlotsForSchedule(database.current.db, schedule.id);
    expect(left).toHaveLength(PLAN.length - 8);
    expect(left.filter((s) => s.booking).map((s) => s.booking!.name)).toEqual(['Ann', 'Bo', 'Cy', 'Di']);

    // This week: past slots are history and stay; the week's open ones go, whichever day.
    const now = await post(t.app, paths.adminDeleteOpenOfWeek(adminKey), { date: '2027-03-08' }, { htmx: true });
    expect(textOf(elementById(await now.text(), ids.listStatus)!)).toBe(
      'Deleted 1 open slot of the week of 8 March; kept 3 booked.',
    );
    expect((await listSlotsForSchedule(database.current.db, schedule.id)).filter((s) => s.endsAt <= NOW)).toHaveLength(
      6,
    );
    // Nothing left to delete: said so, with the booked ones kept.
    const again = await post(t.app, paths.adminDeleteOpenOfDay(adminKey), { date: '2027-03-23' }, { htmx: true });
    expect(textOf(elementById(await again.text(), ids.listStatus)!)).toBe(
      'Tuesday 23 March 2027 had no open slots to delete; kept 1 booked.',
    );
    const empty = await post(t.app, paths.adminDeleteOpenOfDay(adminKey), { date: '2027-05-04' }, { htmx: true });
    expect(textOf(elementById(await empty.text(), ids.listStatus)!)).toBe(
      'Tuesday 4 May 2027 had no open slots to delete; none were booked.',
    );
  });

  it('answers without JavaScript with the dashboard and the message, and refuses a date that is not one', async () => {
    const plain = await post(t.app, paths.adminDeleteOpenOfWeek(adminKey, 'all'), { date: '2027-04-05' });
    expect(plain.status).toBe(200);
    const html = await plain.text();
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(textOf(elementById(html, ids.listStatus)!)).toBe(
      'Deleted 8 open slots of the week of 5 April; none were booked.',
    );
    expect(elementById(html, 'slot-filter-all')).toContain('aria-current="page"'); // the filter kept
    expect(elementById(html, weekSectionId('2027-04-05'))).toBeNull();
    for (const date of ['', '2027-02-30', 'tomorrow', '2027-03-08T00:00']) {
      const refused = await post(t.app, paths.adminDeleteOpenOfDay(adminKey), { date }, { htmx: true });
      expect(refused.status, date).toBe(422);
      const text = await refused.text();
      expect(elementById(text, ids.listStatus), date).toContain('role="alert"');
      expect(textOf(text), date).toContain('That is not a date, so no slots were deleted.');
    }
    expect(await listSlotsForSchedule(database.current.db, schedule.id)).toHaveLength(PLAN.length - 8);
  });

  it('refuses a bulk delete sent from another site, like every POST', async () => {
    const forged = await t.app.request(paths.adminDeleteOpenOfWeek(adminKey), {
      method: 'POST',
      body: new URLSearchParams({ date: '2027-03-15' }),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://evil.example',
        'sec-fetch-site': 'cross-site',
      },
    });
    expect(forged.status).toBe(403);
    expect(await listSlotsForSchedule(database.current.db, schedule.id)).toHaveLength(PLAN.length);
    const ours = await post(
      t.app,
      paths.adminDeleteOpenOfWeek(adminKey),
      { date: '2027-03-15' },
      { headers: { origin: ORIGIN } },
    );
    expect(ours.status).toBe(200);
  });

  it('never deletes a booked slot when bookings and a bulk delete race, and the counts add up, round after round', async () => {
    const ROUNDS = 24;
    let claimsWon = 0;
    let claimsLost = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // A fresh day of six slots, in a week of its own; one was booked before the race, some are
      // booked during it.
      const date = addDays('2027-06-08', 7 * round);
      const added = await addSlots(database.current.db, schedule.id, halfHours(date, '09:00', '12:00'));
      if (!added.ok) throw new Error('overlap');
      const [held, ...open] = added.slots;
      expect((await book(held!, `Held ${round}`)).status).toBe(200);
      // Day and week deletes in turn, sent among one to five bookings at every position.
      const targets = open.slice(0, 1 + (round % open.length));
      const sends: (() => Promise<Response>)[] = targets.map((slot, i) => () => book(slot, `Racer ${round}.${i}`));
      const deleteAt = round % (targets.length + 1);
      sends.splice(deleteAt, 0, () =>
        post(
          t.app,
          round % 2 === 0 ? paths.adminDeleteOpenOfDay(adminKey) : paths.adminDeleteOpenOfWeek(adminKey),
          { date },
          { htmx: true },
        ),
      );
      // Requests interleave differently from round to round: some start a few event-loop turns
      // after the one before (turns, not time: the database still decides who is first).
      const answers = await Promise.all(
        sends.map(async (send, i) => {
          for (let turn = 0; turn < ((round * 7 + i * 3) % 5) * 4; turn++) await yieldTurn();
          return send();
        }),
      );
      const [deleted] = answers.splice(deleteAt, 1);
      const message = textOf(elementById(await deleted!.text(), ids.listStatus)!);
      const [, count = '0', kept] =
        /^(?:Deleted (\d) open slots? of .+|.+ had no open slots to delete); kept (\d) booked\.$/.exec(message) ?? [];
      expect(kept, message).toBeDefined();
      const after = (await listSlotsForSchedule(database.current.db, schedule.id)).filter((s) =>
        added.slots.some((a) => a.id === s.id),
      );
      // The held slot always survives; a raced one survives, booked, exactly when its claim won.
      expect(after.find((s) => s.id === held!.id)?.booking?.name).toBe(`Held ${round}`);
      let won = 0;
      for (const [i, slot] of targets.entries()) {
        const raced = after.find((s) => s.id === slot.id);
        if (answers[i]!.status === 200) {
          won += 1;
          expect(raced?.booking?.name).toBe(`Racer ${round}.${i}`);
        } else {
          expect([404, 409]).toContain(answers[i]!.status);
          expect(raced).toBeUndefined();
        }
      }
      claimsWon += won;
      claimsLost += targets.length - won;
      // Deleted and kept make up the six; nothing open is left that day.
      expect(Number(kept)).toBe(1 + won);
      expect(Number(count) + Number(kept)).toBe(6);
      expect(after.every((s) => s.booking)).toBe(true);
      expect(after).toHaveLength(1 + won);
    }
    console.log(`bulk delete vs bookings (${kind}): ${ROUNDS} rounds, ${claimsWon} claims won, ${claimsLost} lost`);
  });

  it('keeps what was typed in the add form and says what was added', async () => {
    const response = await post(
      t.app,
      paths.adminSlots(adminKey),
      { date: '2027-05-11', start: '14:00', end: '14:45', split: '0', notes: 'Bring the draft' },
      { htmx: true },
    );
    expect(response.status).toBe(200);
    const html = await response.text();
    const form = elementById(html, ids.addSlot)!;
    expect(textOf(form)).toContain('Added Tue 11 May 2027, 14:00–14:45.');
    expect(form).toContain('value="2027-05-11"');
    expect(form).toContain('value="14:00"');
    expect(form).toContain('value="14:45"');
    expect(form).toMatch(/<option value="0" selected="">/);
    expect(form).toContain('Bring the draft');
    // The new week (10 May) goes in after the last one, open: the host sees what they added.
    expect(html).toContain(
      `<div hx-swap-oob="afterend:#${weekSectionId('2027-04-05')}"><details id="${weekSectionId('2027-05-10')}" class="week" open=""`,
    );
  });

  describe('live', () => {
    beforeEach(async () => {
      server = await startServer(t.app, { config: t.config });
    });

    async function dashboardSocket(show?: string): Promise<LiveClient> {
      const socket = await connectLive(`${server!.url.replace('http', 'ws')}${paths.adminLive(adminKey, show)}`, {
        origin: server!.origin,
      });
      clients.push(socket);
      await socket.waitFor((m) => m.includes(`id="${ids.slotList}"`));
      await t.live.idle();
      return socket;
    }

    it('writes dates and times in each host’s language, on the page and in every push', async () => {
      const german = await get(t.app, paths.admin(adminKey), { headers: { 'accept-language': 'de-DE,de;q=0.9' } });
      const germanPage = await german.text();
      expect(summary(germanPage, '2027-03-22')).toBe('Week of 22. März: 8 open');
      expect(textOf(elementById(germanPage, daySectionId('2027-03-25'))!)).toContain('Donnerstag, 25. März 2027');
      const american = await (
        await get(t.app, paths.admin(adminKey), { headers: { 'accept-language': 'en-US' } })
      ).text();
      expect(summary(american, '2027-03-22')).toBe('Week of March 22: 8 open');
      expect(textOf(elementById(american, slotId(slotAt('2027-03-25', '10:00').id))!)).toMatch(/10:00\s–\s10:30\sAM/);

      // Two dashboards on one filter in two languages: each push is written for its reader.
      const socketIn = async (language: string) => {
        const socket = await connectLive(`${server!.url.replace('http', 'ws')}${paths.adminLive(adminKey)}`, {
          origin: server!.origin,
          headers: { 'accept-language': language },
        });
        clients.push(socket);
        await socket.waitFor((m) => m.includes(`id="${ids.slotList}"`));
        return socket;
      };
      const de = await socketIn('de');
      const us = await socketIn('en-US,en;q=0.8');
      expect(summary(de.messages[0]!, '2027-03-22')).toBe('Week of 22. März: 8 open');
      expect(summary(us.messages[0]!, '2027-03-22')).toBe('Week of March 22: 8 open');
      await t.live.idle();
      const eve = slotAt('2027-03-25', '10:00');
      const [deMark, usMark] = [de.mark(), us.mark()];
      expect((await book(eve, 'Eve')).status).toBe(200);
      const dePush = await de.waitFor((m) => m.includes(slotId(eve.id)), { from: deMark });
      const usPush = await us.waitFor((m) => m.includes(slotId(eve.id)), { from: usMark });
      expect(textOf(elementById(dePush, ids.announcer)!)).toContain('Eve booked Do., 25. März 2027, 10:00–10:30 Uhr.');
      expect(textOf(elementById(usPush, ids.announcer)!)).toMatch(
        /Eve booked Thu, Mar 25, 2027, 10:00\s–\s10:30\sAM\./,
      );
      expect(summary(dePush, '2027-03-22')).toBe('Week of 22. März: 7 open, 1 booked');
      expect(summary(usPush, '2027-03-22')).toBe('Week of March 22: 7 open, 1 booked');
    });

    it('updates an open dashboard’s week summaries after a bulk delete and after a booking, leaving its message alone', async () => {
      const host = await dashboardSocket();
      const booked = await dashboardSocket('booked');
      expect(booked.messages[0]).toContain('No upcoming bookings yet.');
      const eve = slotAt('2027-03-25', '10:00');

      // A booking: the row and its week's summary line, and the live region says who.
      let mark = host.mark();
      let bookedMark = booked.mark();
      expect((await book(eve, 'Eve')).status).toBe(200);
      const row = await host.waitFor((m) => m.includes(slotId(eve.id)), { from: mark });
      expect(textOf(elementById(row, slotId(eve.id))!)).toContain('Booked by Eve');
      expect(rows(row)).toEqual([eve.id]);
      expect(summary(row, '2027-03-22')).toBe('Week of 22 March: 7 open, 1 booked');
      expect(textOf(elementById(row, ids.announcer)!)).toContain('Eve booked Thu 25 Mar 2027, 10:00–10:30.');
      // The booked view had nothing: its list comes whole, with that one row.
      const list = await booked.waitFor((m) => textOf(m).includes('Booked by Eve'), { from: bookedMark });
      expect(rows(list)).toEqual([eve.id]);
      expect(summary(list, '2027-03-22')).toBe('Week of 22 March: 7 open, 1 booked');

      // The week's open slots deleted: its summary line, the booked day re-sent, the emptied day gone.
      mark = host.mark();
      bookedMark = booked.mark();
      const deleted = await post(t.app, paths.adminDeleteOpenOfWeek(adminKey), { date: '2027-03-23' }, { htmx: true });
      expect(deleted.status).toBe(200);
      const pushed = await host.waitFor((m) => m.includes(weekSummaryId('2027-03-22')), { from: mark });
      expect(summary(pushed, '2027-03-22')).toBe('Week of 22 March: 1 booked');
      expect(pushed).toContain(`<div id="${daySectionId('2027-03-23')}" hx-swap-oob="delete"></div>`);
      expect(rows(pushed)).toEqual([eve.id]);
      const sameRows = await booked.waitFor((m) => m.includes(weekSummaryId('2027-03-22')), { from: bookedMark });
      expect(summary(sameRows, '2027-03-22')).toBe('Week of 22 March: 1 booked');
      expect(rows(sameRows)).toEqual([]); // what it shows did not change

      // A week with open slots only leaves the list.
      mark = host.mark();
      await post(t.app, paths.adminDeleteOpenOfWeek(adminKey), { date: '2027-03-16' }, { htmx: true });
      await host.waitFor((m) => m.includes(`<div id="${weekSectionId('2027-03-15')}" hx-swap-oob="delete"></div>`), {
        from: mark,
      });
      // Pushes never carry the status line or anything that takes focus.
      for (const message of [...host.messages, ...booked.messages]) {
        expect(message).not.toContain(`id="${ids.listStatus}"`);
        expect(message).not.toContain('autofocus');
      }
    });

    it('brings open dashboards up to what a newly opened one read, week by week, when the database is ahead of the events', async () => {
      const first = await dashboardSocket();
      // A slot in a week of its own, written without an event (as if its event were still on its way).
      const early = await addSlots(database.current.db, schedule.id, halfHours('2027-04-20', '09:00', '09:30'));
      if (!early.ok) throw new Error('overlap');
      const mark = first.mark();
      t.clock.advance(11_000); // past the cached full state's life (10 s): the next opening reads again
      await dashboardSocket(); // its opening read holds the slot: the first dashboard catches up
      const caughtUp = await first.waitFor((m) => m.includes(slotId(early.slots[0]!.id)), { from: mark });
      expect(caughtUp).toContain(
        `<div hx-swap-oob="afterend:#${weekSectionId('2027-04-05')}"><details id="${weekSectionId('2027-04-19')}"`,
      );
      expect(rows(caughtUp)).toEqual([early.slots[0]!.id]);
      expect(caughtUp).not.toContain(`id="${ids.slotList}"`); // its week, not the whole list
    });
  });
});

/** The host's story through app.request(): create a schedule, add and delete slots, settings, downloads. */
import ICAL from 'ical.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { claimSlot } from '../../src/domain/bookings.ts';
import { findScheduleByAdminKey } from '../../src/domain/schedules.ts';
import { listSlotsForSchedule } from '../../src/domain/slots.ts';
import { ids, slotId } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { visitorHash } from '../helpers/fixtures.ts';
import { adminKeyOf, elementById, get, post, textOf } from '../helpers/http.ts';

describe.each(databaseKinds)('host on %s', (kind) => {
  const database = useTestDatabase(kind);
  let t: TestApp;
  beforeEach(async () => {
    t = createTestApp(database.current.db);
  });

  async function createSchedule(
    form: Record<string, string> = { title: 'Career coaching', hostName: 'Marissa', timeZone: 'America/New_York' },
  ) {
    const response = await post(t.app, paths.createSchedule(), form);
    expect(response.status).toBe(303);
    const adminKey = adminKeyOf(response.headers.get('location')!);
    const schedule = (await findScheduleByAdminKey(database.current.db, adminKey))!;
    return { adminKey, schedule };
  }

  it('serves the home page with the create form, secure headers and no inline script', async () => {
    const response = await get(t.app, '/');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('Create a schedule');
    expect(html).toMatch(/<form method="post" action="\/schedules">/);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // every script is a file
    expect(html).not.toMatch(/\sstyle="/);
    expect(html).not.toMatch(/\shx-on/);
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('prefills the time zone from the tz cookie, mapping legacy ids', async () => {
    const html = await (await get(t.app, '/', { headers: { cookie: 'tz=Asia%2FCalcutta' } })).text();
    expect(html).toMatch(/<option value="Asia\/Kolkata" selected="">/);
    // Without the cookie the field reloads itself once the script has stored the zone.
    const first = await (await get(t.app, '/')).text();
    expect(first).toContain('hx-get="/zone-field?form=create&amp;name=timeZone"');
    const field = await (
      await get(t.app, '/zone-field?form=create&name=timeZone', { headers: { cookie: 'tz=America%2FDenver' } })
    ).text();
    expect(field).toMatch(/<option value="America\/Denver" selected="">/);
  });

  it('creates a schedule with unguessable links and redirects to the dashboard', async () => {
    const { adminKey, schedule } = await createSchedule();
    expect(adminKey).toMatch(/^[a-z2-7]{32}$/); // 160 bits
    expect(schedule.publicId).toMatch(/^[a-z2-7]{32}$/);
    expect(schedule.publicId).not.toBe(adminKey);
    const response = await get(t.app, paths.admin(adminKey));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-robots-tag')).toContain('noindex');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain('<label for="share-link">Scheduling page link</label>');
    expect(elementById(html, ids.shareLink)).toContain(`value="http://localhost/s/${schedule.publicId}"`);
    expect(elementById(html, ids.shareLink)).toContain('readonly');
    expect(html).toContain('Copy link');
    expect(html).toContain('Bookmark this dashboard.');
    expect(html).toContain(`ws-connect="/admin/${adminKey}/live"`);
  });

  it('uses PUBLIC_URL for share links when set', async () => {
    t = createTestApp(database.current.db, { config: { publicUrl: 'https://meet.example.org' } });
    const response = await post(
      t.app,
      paths.createSchedule(),
      { timeZone: 'UTC' },
      { headers: { origin: 'https://meet.example.org' } },
    );
    expect(response.status).toBe(303);
    const adminKey = adminKeyOf(response.headers.get('location')!);
    const html = await (await get(t.app, paths.admin(adminKey))).text();
    expect(html).toMatch(/value="https:\/\/meet\.example\.org\/s\/[a-z2-7]{32}"/);
  });

  it('refuses an unknown zone with a message next to the field, keeping what was typed', async () => {
    const response = await post(t.app, paths.createSchedule(), { title: 'My <b>hours</b>', timeZone: 'Mars/Olympus' });
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(elementById(html, 'create-timeZone-error')).toContain('is not a time zone we know');
    expect(html).toContain('value="My &lt;b&gt;hours&lt;/b&gt;"');
    expect(html).not.toContain('<b>hours</b>');
  });

  it('answers 404 with a way home for unknown or altered admin keys', async () => {
    const { adminKey } = await createSchedule();
    const altered = `${adminKey.slice(0, -1)}${adminKey.endsWith('a') ? 'b' : 'a'}`;
    for (const path of [paths.admin(altered), paths.admin('short'), `${paths.admin(altered)}/bookings.ics`]) {
      const response = await get(t.app, path);
      expect(response.status, path).toBe(404);
      const html = await response.text();
      expect(html).toContain('We could not find that page');
      expect(html).toContain('href="/"');
    }
  });

  it('adds slots split in 30 minutes and answers the htmx request with the form and the list', async () => {
    const { adminKey, schedule } = await createSchedule();
    const response = await post(
      t.app,
      paths.adminSlots(adminKey),
      { date: '2027-03-16', start: '09:00', end: '12:00', split: '30', notes: 'Zoom link follows' },
      { htmx: true },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('vary')).toContain('HX-Request');
    const html = await response.text();
    expect(textOf(elementById(html, ids.addSlot)!)).toContain('Added 6 slots on Tue 16 Mar (09:00–12:00).');
    const list = elementById(html, ids.slotList)!;
    expect(list).toContain('hx-swap-oob="true"');
    expect((list.match(/class="slot host-slot/g) ?? []).length).toBe(6);
    expect(textOf(list)).toContain('Tuesday 16 March 2027');
    expect(textOf(list)).toContain('09:00–09:30');
    expect(textOf(list)).toContain('Zoom link follows');
    const slots = await listSlotsForSchedule(database.current.db, schedule.id);
    expect(slots.map((s) => s.startsAt.toISOString())[0]).toBe('2027-03-16T13:00:00.000Z');
  });

  it('refuses bad slots with a message next to the form and saves nothing', async () => {
    const { adminKey, schedule } = await createSchedule();
    const gap = await post(
      t.app,
      paths.adminSlots(adminKey),
      { date: '2027-03-14', start: '02:15', end: '03:30', split: '0', notes: '' },
      { htmx: true },
    );
    expect(gap.status).toBe(422);
    expect(textOf(await gap.text())).toContain(
      '02:15 does not exist on 14 March in America/New_York: clocks jump from 02:00 to 03:00',
    );
    const plain = await post(t.app, paths.adminSlots(adminKey), { date: '2027-03-16', start: '10:00', end: '09:00' });
    expect(plain.status).toBe(422);
    const page = await plain.text();
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(elementById(page, 'slot-end-error')).toContain('must be after the start time');
    expect(page).toContain('value="10:00"');
    expect(await listSlotsForSchedule(database.current.db, schedule.id)).toHaveLength(0);
  });

  it('refuses overlapping slots, naming the one already there', async () => {
    const { adminKey, schedule } = await createSchedule();
    await post(
      t.app,
      paths.adminSlots(adminKey),
      { date: '2027-03-16', start: '09:00', end: '10:00', split: '0', notes: '' },
      { htmx: true },
    );
    const response = await post(
      t.app,
      paths.adminSlots(adminKey),
      { date: '2027-03-16', start: '08:00', end: '12:00', split: '30', notes: '' },
      { htmx: true },
    );
    expect(response.status).toBe(409);
    expect(textOf(await response.text())).toContain(
      'That overlaps Tue 16 Mar 2027, 09:00–10:00, which you already have. Nothing was added.',
    );
    expect(await listSlotsForSchedule(database.current.db, schedule.id)).toHaveLength(1);
  });

  it('deletes open slots but never booked ones', async () => {
    const { adminKey, schedule } = await createSchedule();
    await post(
      t.app,
      paths.adminSlots(adminKey),
      { date: '2027-03-16', start: '09:00', end: '10:00', split: '30', notes: '' },
      { htmx: true },
    );
    const [open, booked] = await listSlotsForSchedule(database.current.db, schedule.id);
    await claimSlot(database.current.db, {
      scheduleId: schedule.id,
      slotId: booked!.id,
      visitorHash: visitorHash(),
      booking: { name: 'Ann', email: 'ann@example.com' },
      now: t.clock.now(),
    });

    const dashboard = await (await get(t.app, paths.admin(adminKey))).text();
    const bookedItem = elementById(dashboard, slotId(booked!.id))!;
    expect(textOf(bookedItem)).toContain('Booked by Ann (ann@example.com)');
    expect(bookedItem).not.toContain('Delete');
    expect(textOf(elementById(dashboard, slotId(open!.id))!)).toContain('Delete Tue 16 Mar 2027, 09:00–09:30');

    const refused = await post(t.app, paths.adminDeleteSlot(adminKey, booked!.id), {}, { htmx: true });
    expect(refused.status).toBe(409);
    expect(textOf(await refused.text())).toContain('is booked by Ann, so it cannot be deleted');

    const deleted = await post(t.app, paths.adminDeleteSlot(adminKey, open!.id), {}, { htmx: true });
    expect(deleted.status).toBe(200);
    const list = await deleted.text();
    expect(textOf(list)).toContain('Deleted Tue 16 Mar 2027, 09:00–09:30.');
    expect(elementById(list, slotId(open!.id))).toBeNull();
    expect(await listSlotsForSchedule(database.current.db, schedule.id)).toHaveLength(1);

    const gone = await post(t.app, paths.adminDeleteSlot(adminKey, open!.id), {}, { htmx: true });
    expect(gone.status).toBe(404);
    // Another schedule's admin cannot delete this schedule's slot.
    const other = await createSchedule({ timeZone: 'UTC' });
    expect((await post(t.app, paths.adminDeleteSlot(other.adminKey, booked!.id), {}, { htmx: true })).status).toBe(404);
  });

  it('edits title, name and zone; slots keep their instants', async () => {
    const { adminKey, schedule } = await createSchedule();
    await post(t.app, paths.adminSlots(adminKey), {
      date: '2027-03-16',
      start: '09:00',
      end: '10:00',
      split: '0',
      notes: '',
    });
    const response = await post(
      t.app,
      paths.adminSettings(adminKey),
      { title: 'Mentoring', hostName: 'Mary', timeZone: 'America/Denver' },
      { htmx: true },
    );
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(textOf(html)).toContain('Settings saved.');
    expect(textOf(elementById(html, ids.scheduleHead)!)).toContain('Mentoring');
    expect(textOf(elementById(html, ids.slotList)!)).toContain('07:00–08:00'); // 09:00 New York is 07:00 Denver
    const bad = await post(
      t.app,
      paths.adminSettings(adminKey),
      { title: 'x'.repeat(121), hostName: '', timeZone: 'Nowhere/Land' },
      { htmx: true },
    );
    expect(bad.status).toBe(422);
    const badHtml = await bad.text();
    expect(elementById(badHtml, 'settings-title-error')).toContain('at most 120 characters');
    expect(elementById(badHtml, 'settings-timeZone-error')).toContain('not a time zone we know');
    expect((await findScheduleByAdminKey(database.current.db, adminKey))?.title).toBe('Mentoring');
    void schedule;
  });

  it('downloads all bookings as one calendar file', async () => {
    const { adminKey, schedule } = await createSchedule();
    await post(t.app, paths.adminSlots(adminKey), {
      date: '2027-03-16',
      start: '09:00',
      end: '10:00',
      split: '30',
      notes: 'Café',
    });
    const slots = await listSlotsForSchedule(database.current.db, schedule.id);
    for (const [i, slot] of slots.entries()) {
      await claimSlot(database.current.db, {
        scheduleId: schedule.id,
        slotId: slot.id,
        visitorHash: visitorHash(),
        booking: { name: `Visitor ${i}`, email: '' },
        now: t.clock.now(),
      });
    }
    const response = await get(t.app, paths.adminCalendar(adminKey));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(response.headers.get('content-disposition')).toContain('filename="bookings.ics"');
    const text = await response.text();
    const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(events.map((e) => e.summary)).toEqual(['Visitor 0 · Career coaching', 'Visitor 1 · Career coaching']);
    expect(events[0]!.startDate.toJSDate().toISOString()).toBe('2027-03-16T13:00:00.000Z');
    expect(text).not.toContain(adminKey);
  });
});

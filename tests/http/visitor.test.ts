/** The visitor's story through app.request(): zones, booking, moving, releasing, calendar files. */
import ICAL from 'ical.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { findScheduleByAdminKey, type Schedule } from '../../src/domain/schedules.ts';
import { listSlotsForSchedule, type Slot } from '../../src/domain/slots.ts';
import { calendarCellId, ids, slotId } from '../../views/ids.ts';
import { paths } from '../../views/paths.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { databaseKinds, useTestDatabase } from '../helpers/databases.ts';
import { adminKeyOf, CookieJar, elementById, get, ORIGIN, post, textOf } from '../helpers/http.ts';

describe.each(databaseKinds)('visitor on %s', (kind) => {
  const database = useTestDatabase(kind);
  let t: TestApp;
  let schedule: Schedule;
  let adminKey: string;
  let slots: Slot[];

  beforeEach(async () => {
    t = createTestApp(database.current.db);
    const created = await post(t.app, paths.createSchedule(), {
      title: 'Mentoring',
      hostName: 'Mary',
      timeZone: 'America/New_York',
    });
    adminKey = adminKeyOf(created.headers.get('location')!);
    schedule = (await findScheduleByAdminKey(database.current.db, adminKey))!;
    await post(t.app, paths.adminSlots(adminKey), {
      date: '2027-03-16',
      start: '09:00',
      end: '10:30',
      split: '30',
      notes: 'On <b>Zoom</b>',
    });
    slots = await listSlotsForSchedule(database.current.db, schedule.id);
  });

  function visitor(zone?: string): CookieJar {
    const jar = new CookieJar();
    if (zone) jar.set('tz', zone);
    return jar;
  }

  it('shows every slot in the visitor’s zone, says which zone, and sets an HttpOnly visitor cookie', async () => {
    const response = await get(t.app, paths.schedule(schedule.publicId), { jar: visitor('America/Denver') });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-robots-tag')).toContain('noindex');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('visitor='))!;
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain(`Path=/s/${schedule.publicId}`);
    const html = await response.text();
    expect(textOf(elementById(html, ids.zoneLabel)!)).toBe('Times shown in America/Denver (Mountain Time).');
    const item = elementById(html, slotId(slots[0]!.id))!;
    // 09:00 in New York is 07:00 in Denver.
    expect(textOf(item)).toContain('07:00–07:30 on Tue 16 Mar, Open');
    expect(item).toContain('<button');
    expect(item).not.toContain('disabled');
    expect(html).toContain('On &lt;b&gt;Zoom&lt;/b&gt;');
    // The page opens on the first day with an open time, and its socket is that view's.
    expect(html).toContain(`ws-connect="/s/${schedule.publicId}/live?day=2027-03-16"`);
    expect(textOf(elementById(html, ids.nextAvailable)!)).toBe('Next available: Tue 16 Mar, 07:00');
    expect(textOf(elementById(html, ids.monthHeading)!)).toBe('March 2027');
    expect(elementById(html, calendarCellId('2027-03-16'))).toContain('aria-selected="true"');
    expect(textOf(elementById(html, calendarCellId('2027-03-16'))!)).toContain('Tuesday 16 March 2027, 3 open times');
    expect(textOf(elementById(html, calendarCellId('2027-03-17'))!)).toContain('no open times');
    expect(elementById(html, calendarCellId('2027-03-17'))).toContain('aria-disabled="true"');
  });

  it('opens any month or day asked for, and takes nonsense for the default view, never a 500', async () => {
    const jar = visitor('America/Denver');
    const april = await (await get(t.app, paths.schedule(schedule.publicId, { month: '2027-04' }), { jar })).text();
    expect(textOf(elementById(april, ids.monthHeading)!)).toBe('April 2027');
    expect(textOf(elementById(april, ids.slotList)!)).toContain('No open times this month.');
    // Previous and next month are links that work without JavaScript too.
    expect(april).toContain(`href="/s/${schedule.publicId}?month=2027-03"`);
    expect(april).toContain(`hx-get="/s/${schedule.publicId}/view?month=2027-05"`);
    const odd = [
      '?day=9998-12-31',
      '?day=1900-01-01',
      '?month=9998-12',
      '?day=2027-02-30',
      '?month=2027-13',
      '?day=2027-03-16&month=1999-01',
      `?day=${'9'.repeat(5000)}`,
    ];
    for (const query of odd) {
      for (const path of [`/s/${schedule.publicId}${query}`, `/s/${schedule.publicId}/view${query}`]) {
        const response = await get(t.app, path, { jar, htmx: path.includes('/view') });
        expect(response.status, path.slice(0, 80)).toBe(200);
        expect(await response.text()).toContain(`id="${ids.monthHeading}"`);
      }
    }
  });

  it('maps a legacy browser zone to its current id', async () => {
    const html = await (await get(t.app, paths.schedule(schedule.publicId), { jar: visitor('Asia/Calcutta') })).text();
    expect(textOf(elementById(html, ids.zoneLabel)!)).toContain('Times shown in Asia/Kolkata');
    expect(textOf(elementById(html, slotId(slots[0]!.id))!)).toContain('18:30–19:00'); // EDT since 14 March: 13:00Z
  });

  it('on a first visit loads the list once the zone is known, with the host’s zone for no-script readers', async () => {
    const html = await (await get(t.app, paths.schedule(schedule.publicId))).text();
    const pending = elementById(html, ids.bookingViewPending)!;
    expect(pending).toContain(`hx-get="/s/${schedule.publicId}/view"`);
    expect(pending).toContain('hx-trigger="load"');
    // A <noscript> cannot hold another: the browser would end the outer one at the inner's end.
    expect(html).not.toMatch(/<noscript>(?:(?!<\/noscript>).)*<noscript>/s);
    expect(pending).not.toContain(slotId(slots[0]!.id));
    expect(html).toMatch(
      /<noscript>.*Times shown in <strong>America\/New_York \(Eastern Time\)<\/strong>, the host&#39;s time zone\..*<\/noscript>/s,
    );
    const fragment = await (
      await get(t.app, paths.scheduleView(schedule.publicId), { htmx: true, jar: visitor('Europe/Kyiv') })
    ).text();
    expect(textOf(elementById(fragment, slotId(slots[0]!.id))!)).toContain('15:00–15:30');
    expect(elementById(fragment, ids.zoneLabel)).toContain('hx-swap-oob="true"');
    expect(elementById(fragment, ids.bookingView)).toContain(
      `ws-connect="/s/${schedule.publicId}/live?day=2027-03-16"`,
    );
  });

  it('books a slot: form, booking, calendar links, manage link shown once', async () => {
    const jar = visitor('America/Denver');
    await get(t.app, paths.schedule(schedule.publicId), { jar });
    const form = await get(t.app, `${paths.chooseSlot(schedule.publicId)}?slot=${slots[1]!.id}`, { jar, htmx: true });
    expect(form.status).toBe(200);
    const formHtml = await form.text();
    expect(textOf(formHtml)).toContain('Book Tue 16 Mar 2027, 07:30–08:00');
    expect(formHtml).toContain('<label for="booking-name">Your name</label>');
    expect(formHtml).toContain('<label for="booking-email">Email (optional)</label>');

    const booked = await post(
      t.app,
      paths.claimSlot(schedule.publicId, slots[1]!.id),
      { name: 'Ann', email: 'ann@example.com' },
      { jar, htmx: true },
    );
    expect(booked.status).toBe(200);
    // One card, in place of the one they had: it says so, takes focus, carries the manage link once;
    // the panel with the form is emptied.
    expect(booked.headers.get('hx-retarget')).toBe(`#${ids.myBooking}`);
    expect(booked.headers.get('hx-reswap')).toBe('outerHTML');
    const html = await booked.text();
    const mine = elementById(html, ids.myBooking)!;
    expect(mine).toMatch(
      /<h2 id="my-booking-heading" tabindex="-1" autofocus="" data-keep-text="true">You are booked<\/h2>/,
    );
    const manage = /value="(http:\/\/localhost\/b\/[a-z2-7]{32})"/.exec(mine)?.[1];
    expect(manage).toBeDefined();
    expect(textOf(mine)).toContain('You are booked Tue 16 Mar 2027, 07:30–08:00 with Mary');
    expect(textOf(mine)).toContain('Release Tue 16 Mar 2027, 07:30–08:00? Anyone can then book it.');
    expect(elementById(html, ids.bookingPanel)).toBe(`<div id="${ids.bookingPanel}" hx-swap-oob="innerHTML"></div>`);
    expect(mine).toContain(`href="/s/${schedule.publicId}/booking.ics"`);
    expect(mine).toContain('dates=20270316T133000Z%2F20270316T140000Z');
    expect(mine).toContain('outlook.live.com');
    expect(textOf(elementById(html, slotId(slots[1]!.id))!)).toContain('Your booking');

    // The page, reloaded, still shows "Your booking" but not the manage link.
    const page = await (await get(t.app, paths.schedule(schedule.publicId), { jar })).text();
    expect(textOf(elementById(page, ids.myBooking)!)).toContain('07:30–08:00');
    expect(page).not.toContain(manage!);

    const ics = await get(t.app, paths.myCalendar(schedule.publicId), { jar });
    expect(ics.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const text = await ics.text();
    const [event] = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    expect(event!.startDate.toJSDate().toISOString()).toBe(slots[1]!.startsAt.toISOString());
    expect(event!.summary).toBe('Mentoring (with Mary)');
    expect(text).not.toContain('/b/');

    const managePage = await get(t.app, new URL(manage!).pathname);
    expect(managePage.status).toBe(200);
    expect(managePage.headers.get('x-robots-tag')).toContain('noindex');
    expect(textOf(await managePage.text())).toContain('Tue 16 Mar 2027, 09:30–10:00'); // host's zone without a tz cookie
  });

  it('tells the second visitor the slot was just taken (409) and shows it booked', async () => {
    const ann = visitor('America/Denver');
    const bo = visitor('America/Denver');
    await get(t.app, paths.schedule(schedule.publicId), { jar: ann });
    await get(t.app, paths.schedule(schedule.publicId), { jar: bo });
    await post(
      t.app,
      paths.claimSlot(schedule.publicId, slots[0]!.id),
      { name: 'Ann', email: '' },
      { jar: ann, htmx: true },
    );
    const late = await post(
      t.app,
      paths.claimSlot(schedule.publicId, slots[0]!.id),
      { name: 'Bo', email: '' },
      { jar: bo, htmx: true },
    );
    expect(late.status).toBe(409);
    const html = await late.text();
    expect(textOf(html)).toContain('Sorry, that time was just taken');
    const item = elementById(html, slotId(slots[0]!.id))!;
    expect(item).toContain('disabled');
    expect(textOf(item)).toContain('Booked');
    // Choosing it afterwards explains too.
    const choose = await get(t.app, `${paths.chooseSlot(schedule.publicId)}?slot=${slots[0]!.id}`, {
      jar: bo,
      htmx: true,
    });
    expect(choose.status).toBe(409);
  });

  it('refuses a booking without a name, keeping the email typed', async () => {
    const jar = visitor('UTC');
    const response = await post(
      t.app,
      paths.claimSlot(schedule.publicId, slots[0]!.id),
      { name: '  ', email: 'bo@example.com' },
      { jar, htmx: true },
    );
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(elementById(html, 'booking-name-error')).toContain('Enter your name');
    expect(html).toContain('value="bo@example.com"');
    const badEmail = await post(
      t.app,
      paths.claimSlot(schedule.publicId, slots[0]!.id),
      { name: 'Bo', email: 'not an email' },
      { jar, htmx: true },
    );
    expect(badEmail.status).toBe(422);
    expect((await listSlotsForSchedule(database.current.db, schedule.id)).every((s) => !s.booking)).toBe(true);
  });

  it('writes dates and times in the visitor’s language: the form, the card, the manage page', async () => {
    const us = { 'accept-language': 'en-US,en;q=0.9' };
    const jar = visitor('America/Denver');
    const page = await (await get(t.app, paths.schedule(schedule.publicId), { jar, headers: us })).text();
    expect(textOf(elementById(page, slotId(slots[0]!.id))!)).toMatch(/7:00\s–\s7:30\sAM on Tue, Mar 16, Open/);
    const form = await (
      await get(t.app, `${paths.chooseSlot(schedule.publicId)}?slot=${slots[0]!.id}`, { jar, htmx: true, headers: us })
    ).text();
    expect(textOf(form)).toMatch(/Book Tue, Mar 16, 2027, 7:00\s–\s7:30\sAM/);
    const booked = await post(
      t.app,
      paths.claimSlot(schedule.publicId, slots[0]!.id),
      { name: 'Ann', email: '' },
      { jar, htmx: true, headers: us },
    );
    const card = elementById(await booked.text(), ids.myBooking)!;
    expect(textOf(card)).toMatch(/You are booked Tue, Mar 16, 2027, 7:00\s–\s7:30\sAM with Mary/);
    const manageUrl = /value="[^"]*(\/b\/[a-z2-7]{32})"/.exec(card)![1]!;

    // The manage link opened on another device, in Berlin, in German, 24-hour (Europe is not yet on summer time: 14:00).
    const elsewhere = visitor('Europe/Berlin');
    const manage = await (await get(t.app, manageUrl, { jar: elsewhere, headers: { 'accept-language': 'de' } })).text();
    expect(textOf(manage)).toContain('Di., 16. März 2027, 14:00–14:30 Uhr');
  });

  it('offers to move a booking, moves it in one step, and releases it', async () => {
    const jar = visitor('America/Denver');
    await get(t.app, paths.schedule(schedule.publicId), { jar });
    await post(
      t.app,
      paths.claimSlot(schedule.publicId, slots[0]!.id),
      { name: 'Ann', email: '' },
      { jar, htmx: true },
    );

    const offer = await (
      await get(t.app, `${paths.chooseSlot(schedule.publicId)}?slot=${slots[2]!.id}`, { jar, htmx: true })
    ).text();
    expect(textOf(offer)).toContain('Move your booking?');
    expect(textOf(offer)).toMatch(/From Tue 16 Mar 2027, 07:00–07:30 to Tue 16 Mar 2027, \d\d:\d\d–\d\d:\d\d\./);
    expect(offer).toContain('Yes, move it');
    expect(offer).toContain('value="Ann"');
    expect(offer).toContain(`action="/s/${schedule.publicId}/slots/${slots[2]!.id}/move"`);

    // Booking a second slot instead of moving is answered with the move offer.
    const second = await post(
      t.app,
      paths.claimSlot(schedule.publicId, slots[2]!.id),
      { name: 'Ann', email: '' },
      { jar, htmx: true },
    );
    expect(second.status).toBe(409);
    expect(textOf(await second.text())).toContain(
      'You already have Tue 16 Mar 2027, 07:00–07:30. You can move your booking here instead.',
    );

    const moved = await post(
      t.app,
      paths.moveBooking(schedule.publicId, slots[2]!.id),
      { name: 'Ann', email: '' },
      { jar, htmx: true },
    );
    expect(moved.status).toBe(200);
    const html = await moved.text();
    expect(textOf(html)).toContain('Booking moved');
    expect(textOf(elementById(html, slotId(slots[0]!.id))!)).toContain('Open');
    expect(textOf(elementById(html, slotId(slots[2]!.id))!)).toContain('Your booking');
    const after = await listSlotsForSchedule(database.current.db, schedule.id);
    expect(after.filter((s) => s.booking).map((s) => s.id)).toEqual([slots[2]!.id]);

    const released = await post(t.app, paths.release(schedule.publicId), {}, { jar, htmx: true });
    expect(released.status).toBe(200);
    const releasedHtml = await released.text();
    expect(textOf(releasedHtml)).toContain('Booking released');
    expect(elementById(releasedHtml, ids.myBooking)).toBe(`<div id="${ids.myBooking}" hx-swap-oob="true"></div>`);
    expect((await listSlotsForSchedule(database.current.db, schedule.id)).every((s) => !s.booking)).toBe(true);
    const again = await post(t.app, paths.release(schedule.publicId), {}, { jar, htmx: true });
    expect(again.status).toBe(409);
    expect(textOf(await again.text())).toContain('Nothing to release');
  });

  it('works without JavaScript: plain GET to choose, plain POST to book answers a whole page', async () => {
    const jar = visitor();
    const page = await (
      await get(t.app, `${paths.chooseSlot(schedule.publicId)}?slot=${slots[0]!.id}`, { jar })
    ).text();
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page).toContain('Book Tue 16 Mar 2027, 09:00–09:30');
    const booked = await post(
      t.app,
      paths.claimSlot(schedule.publicId, slots[0]!.id),
      { name: 'Ann', email: '' },
      { jar },
    );
    expect(booked.status).toBe(200);
    const html = await booked.text();
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(textOf(html)).toContain('You are booked');
  });

  it('offers readers without JavaScript the times a week at a time, with previous and next weeks', async () => {
    const jar = visitor('America/Denver');
    const page = await (await get(t.app, paths.schedule(schedule.publicId), { jar })).text();
    expect(page).toMatch(
      new RegExp(
        `<noscript><p><a href="/s/${schedule.publicId}/week\\?start=2027-03-15">See the times a week at a time</a>`,
      ),
    );
    const response = await get(t.app, paths.scheduleWeek(schedule.publicId, '2027-03-15'), { jar });
    expect(response.status).toBe(200);
    const week = await response.text();
    expect(textOf(week)).toContain('Mon 15 Mar to Sun 21 Mar');
    expect(textOf(week)).toContain('Tuesday 16 March 2027');
    expect(textOf(elementById(week, slotId(slots[0]!.id))!)).toContain('07:00–07:30 on Tue 16 Mar, Open');
    expect(week).toContain(`<form method="get" action="/s/${schedule.publicId}/book">`);
    expect(week).toContain(`href="/s/${schedule.publicId}/week?start=2027-03-08"`);
    expect(week).toContain(`href="/s/${schedule.publicId}/week?start=2027-03-22"`);
    const next = await (await get(t.app, paths.scheduleWeek(schedule.publicId, '2027-03-22'), { jar })).text();
    expect(textOf(next)).toContain('No times this week.');
    // Any date starts its own week on the Monday; nonsense starts this week.
    expect(
      textOf(await (await get(t.app, paths.scheduleWeek(schedule.publicId, '2027-03-18'), { jar })).text()),
    ).toContain('Mon 15 Mar to Sun 21 Mar');
    expect((await get(t.app, paths.scheduleWeek(schedule.publicId, 'junk'), { jar })).status).toBe(200);
  });

  it('releases from another device with the manage link; then the link is dead', async () => {
    const jar = visitor('UTC');
    const booked = await (
      await post(
        t.app,
        paths.claimSlot(schedule.publicId, slots[0]!.id),
        { name: 'Ann', email: '' },
        { jar, htmx: true },
      )
    ).text();
    const managePath = new URL(/value="(http:\/\/localhost\/b\/[a-z2-7]{32})"/.exec(booked)![1]!).pathname;
    const ics = await get(t.app, `${managePath}/booking.ics`);
    expect(ics.status).toBe(200);
    // A new device (no zone told yet): the card loads once the script has stored the device's zone,
    // and meanwhile readers without JavaScript see the host's.
    const first = await (await get(t.app, managePath)).text();
    expect(elementById(first, ids.manageCard)).toContain(`hx-get="${managePath}"`);
    expect(first).toMatch(/<noscript>.*Tue 16 Mar 2027, 09:00–09:30.*<\/noscript>/s);
    const phone = visitor('Asia/Tokyo');
    const card = await (await get(t.app, managePath, { jar: phone, htmx: true })).text();
    expect(textOf(elementById(card, ids.manageCard)!)).toContain('Tue 16 Mar 2027, 22:00–22:30');
    expect(textOf(card)).toContain('Times shown in Asia/Tokyo (Japan Standard Time).');
    expect(textOf(card)).toContain('Release Tue 16 Mar 2027, 22:00–22:30? Anyone can then book it');
    const released = await post(t.app, `${managePath}/release`, {}, { jar: phone });
    expect(released.status).toBe(200);
    const after = await released.text();
    expect(textOf(after)).toContain('Booking released');
    expect(textOf(after)).toContain('Tue 16 Mar 2027, 22:00–22:30 (Asia/Tokyo) is open for everyone again.');
    expect(after).toMatch(new RegExp(`<a class="button" href="/s/${schedule.publicId}">Book another time</a>`));
    expect((await get(t.app, managePath)).status).toBe(404);
    expect((await listSlotsForSchedule(database.current.db, schedule.id)).every((s) => !s.booking)).toBe(true);
  });

  it('refuses booking a slot that has started', async () => {
    t.clock.set(new Date(slots[0]!.startsAt.getTime() + 60_000));
    const response = await post(
      t.app,
      paths.claimSlot(schedule.publicId, slots[0]!.id),
      { name: 'Ann', email: '' },
      { jar: visitor('UTC'), htmx: true },
    );
    expect(response.status).toBe(409);
    expect(textOf(await response.text())).toContain('That time has already started');
  });

  it('answers 404 for unknown schedules and slots', async () => {
    expect((await get(t.app, paths.schedule('a'.repeat(32)))).status).toBe(404);
    const gone = await post(
      t.app,
      paths.claimSlot(schedule.publicId, '00000000-0000-4000-8000-000000000000'),
      { name: 'Ann', email: '' },
      { jar: visitor(), htmx: true },
    );
    expect(gone.status).toBe(404);
    expect(textOf(await gone.text())).toContain('That time is gone');
    expect((await get(t.app, `${paths.chooseSlot(schedule.publicId)}?slot=nope`, { htmx: true })).status).toBe(404);
  });

  it('lets a visitor pin another zone, and unpin it', async () => {
    const jar = visitor('America/Denver');
    const pinned = await post(
      t.app,
      paths.chooseZone(),
      { zone: 'Asia/Tokyo', return: paths.schedule(schedule.publicId) },
      { jar },
    );
    expect(pinned.status).toBe(303);
    expect(pinned.headers.get('location')).toBe(paths.schedule(schedule.publicId));
    expect(jar.cookies.get('tz')).toBe('Asia/Tokyo');
    expect(jar.cookies.get('tz_pinned')).toBe('1');
    const html = await (await get(t.app, paths.schedule(schedule.publicId), { jar })).text();
    expect(textOf(elementById(html, ids.zoneLabel)!)).toContain('Asia/Tokyo');
    const evil = await post(t.app, paths.chooseZone(), { zone: 'UTC', return: '//evil.example/' }, { jar });
    expect(evil.headers.get('location')).toBe('/');
    const unknown = await post(t.app, paths.chooseZone(), { zone: 'Atlantis/Capital', return: '/' }, { jar });
    expect(unknown.status).toBe(422);
    const auto = await post(t.app, paths.chooseZone(), { zone: 'auto', return: '/' }, { jar });
    expect(auto.status).toBe(303);
    expect(jar.cookies.has('tz_pinned')).toBe(false);
  });

  it('unpins the zone when "Use my device\'s time zone" is pressed, as a browser sends that form', async () => {
    const jar = visitor('America/Denver');
    await post(t.app, paths.chooseZone(), { zone: 'Asia/Tokyo', return: '/' }, { jar });
    expect(jar.cookies.get('tz_pinned')).toBe('1');
    // The select's zone comes first, then the pressed button's value under the same name.
    const form = new URLSearchParams([
      ['return', paths.schedule(schedule.publicId)],
      ['zone', 'Asia/Tokyo'],
      ['zone', 'auto'],
    ]);
    const pressed = await t.app.request(paths.chooseZone(), {
      method: 'POST',
      body: form,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: ORIGIN,
        'sec-fetch-site': 'same-origin',
        cookie: jar.header(),
      },
    });
    jar.store(pressed);
    expect(pressed.status).toBe(303);
    expect(pressed.headers.get('location')).toBe(paths.schedule(schedule.publicId));
    expect(jar.cookies.has('tz_pinned')).toBe(false);
    expect(jar.cookies.has('tz')).toBe(false);
  });
});

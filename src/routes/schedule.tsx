/**
 * The public scheduling page: the page itself, another month or day of its booking view, choosing a
 * slot (the booking form), the visitor's calendar file and the live socket of a view. Booking actions
 * are in bookings.tsx.
 */
import type { Child } from 'hono/jsx';
import type { AppDeps } from '../app-env.ts';
import { bookingEvent } from '../domain/calendar.ts';
import { findCurrentBooking } from '../domain/bookings.ts';
import { buildCalendar } from '../domain/ics.ts';
import { findSlot, listSlotsStartingBetween, type Slot, slotStateFor } from '../domain/slots.ts';
import { ensureVisitor, readVisitor } from '../middleware/visitor.ts';
import { liveSocket } from './live-socket.ts';
import { BookingForm, MyBooking, PanelMessage } from '../../views/booking-panel.tsx';
import { notFoundContent } from '../../views/errors.tsx';
import { paths } from '../../views/paths.ts';
import { SchedulePage, VisitorBookingView, ZoneLabel } from '../../views/schedule.tsx';
import { mondayOf, VisitorSlotItem } from '../../views/booking-calendar.tsx';
import { dayOfInstant } from '../domain/slot-calendar.ts';
import { addDays, parseDate, parseMonth, startOfDate, todayInZone } from '../domain/time.ts';
import { WeekPage } from '../../views/booking-week.tsx';
import { addBookingRoutes } from './bookings.tsx';
import { sendCalendar } from './calendar-response.ts';
import { isHtmx, sendError, sendFragment, sendPage } from './respond.tsx';
import type { ScheduleEnv } from './factory.ts';
import { loadScheduleByPublicId, loadVisitorView } from './schedule-context.ts';
import { scheduleFactory } from './factory.ts';

export function scheduleRoutes(deps: AppDeps) {
  const { db, live } = deps;
  const app = scheduleFactory.createApp();
  const loadSchedule = loadScheduleByPublicId(deps);
  app.use('/:publicId', loadSchedule);
  app.use('/:publicId/*', loadSchedule);

  app.get('/:publicId', async (c) => {
    const schedule = c.get('schedule');
    const visitor = ensureVisitor(c, schedule.publicId);
    const view = await loadVisitorView(deps, c, visitor.hash);
    return sendPage(c, <SchedulePage view={view} />);
  });

  // Another month or day (and, on a first visit, the first view once the script has stored the
  // browser's zone): the booking view alone, which brings its own socket.
  app.get('/:publicId/view', async (c) => {
    const schedule = c.get('schedule');
    const query = { month: c.req.query('month'), day: c.req.query('day') };
    if (!isHtmx(c)) return c.redirect(paths.schedule(schedule.publicId, query), 303);
    const view = await loadVisitorView(deps, c, readVisitor(c)?.hash ?? null, { zoneFallback: true });
    const zone = view.zone ?? schedule.timeZone;
    return sendFragment(
      c,
      <>
        <VisitorBookingView view={view} />
        <ZoneLabel zone={zone} hostZone={schedule.timeZone} now={view.now} oob />
        <MyBooking schedule={schedule} slot={view.mine} zone={zone} locale={view.locale} origin={view.origin} oob />
      </>,
    );
  });

  // A week at a time, as a plain list (reached from the booking view by readers without JavaScript).
  app.get('/:publicId/week', async (c) => {
    const schedule = c.get('schedule');
    const zone = c.get('viewerZone') ?? schedule.timeZone;
    const now = deps.now();
    const asked = parseDate(c.req.query('start') ?? '');
    const start = mondayOf(asked ?? todayInZone(zone, now));
    const slots = await listSlotsStartingBetween(
      db,
      schedule.id,
      startOfDate(start, zone),
      startOfDate(addDays(start, 7), zone),
    );
    const days = new Map<string, Slot[]>();
    for (const slot of slots) {
      const day = dayOfInstant(slot.startsAt, zone);
      const list = days.get(day);
      if (list) list.push(slot);
      else days.set(day, [slot]);
    }
    const view = {
      schedule,
      start,
      days,
      zone,
      zoneKnown: c.get('viewerZone') !== null,
      locale: c.get('locale'),
      visitorHash: readVisitor(c)?.hash ?? null,
      now,
    };
    return sendPage(c, <WeekPage view={view} />);
  });

  // Choosing a slot: the booking form (or, if it is no longer open, why not).
  app.get('/:publicId/book', async (c) => {
    const schedule = c.get('schedule');
    const visitor = readVisitor(c);
    const zone = c.get('viewerZone') ?? schedule.timeZone;
    const now = deps.now();
    const slot = await findSlot(db, schedule.id, c.req.query('slot') ?? '');
    const state = slot ? slotStateFor(slot, visitor?.hash ?? null, now) : null;
    const show = async (status: 200 | 404 | 409, panel: Child, extra: Child = null) => {
      if (isHtmx(c)) {
        return sendFragment(
          c,
          <>
            {panel}
            {extra}
          </>,
          status,
        );
      }
      // Without htmx: the page, opened on the slot's day, with the panel under its times.
      const request = slot ? { day: dayOfInstant(slot.startsAt, zone) } : {};
      const view = await loadVisitorView(deps, c, visitor?.hash ?? null, { zoneFallback: true, request });
      return sendPage(c, <SchedulePage view={view} panel={panel} />, status);
    };
    if (!slot || !state) {
      return show(
        404,
        <PanelMessage tone="error" title="That time is gone" message="The host removed it. Choose another time." />,
      );
    }
    const item = <VisitorSlotItem slot={slot} zone={zone} locale={c.get('locale')} state={state} oob />;
    if (state === 'mine') {
      return show(
        409,
        <PanelMessage
          tone="info"
          title="This is your booking"
          message="It is already yours; see “Your booking” above."
        />,
        item,
      );
    }
    if (state !== 'open') {
      return show(
        409,
        <PanelMessage
          tone="error"
          title="Sorry, that time was just taken"
          message="Someone else booked it a moment ago. Choose another time."
        />,
        item,
      );
    }
    const current = visitor ? await findCurrentBooking(db, schedule.id, visitor.hash, now) : null;
    return show(
      200,
      <BookingForm schedule={schedule} slot={slot} zone={zone} locale={c.get('locale')} current={current} />,
    );
  });

  app.get('/:publicId/booking.ics', async (c) => {
    const schedule = c.get('schedule');
    const visitor = readVisitor(c);
    const slot = visitor ? await findCurrentBooking(db, schedule.id, visitor.hash, deps.now()) : null;
    if (!slot)
      return sendError(c, {
        ...notFoundContent,
        title: 'You have no booking here',
        message: 'Book a time first; its calendar file is then offered on the scheduling page.',
      });
    const origin = c.get('origin');
    const event = bookingEvent(schedule, slot, {
      audience: 'visitor',
      schedulingUrl: `${origin}${paths.schedule(schedule.publicId)}`,
      host: new URL(origin).host,
    });
    return sendCalendar(c, buildCalendar([event], { now: deps.now() }), 'booking.ics');
  });

  addBookingRoutes(app, deps);

  app.get(
    '/:publicId/live',
    ...liveSocket<ScheduleEnv>(live, (c) => {
      const schedule = c.get('schedule');
      // The view the page shows: its month, and its day when the page has one (it must be in that month).
      const day = parseDate(c.req.query('day') ?? '');
      const month = day?.slice(0, 7) ?? parseMonth(c.req.query('month'));
      const viewer = {
        role: 'visitor' as const,
        scheduleId: schedule.id,
        zone: c.get('viewerZone') ?? schedule.timeZone,
        locale: c.get('locale'),
        month,
        day,
        visitorHash: readVisitor(c)?.hash ?? null,
        origin: c.get('origin'),
      };
      return (socket) => live.schedules.connect(socket, viewer);
    }),
  );

  return app;
}

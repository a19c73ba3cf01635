/**
 * The public scheduling page: the page itself, the slot list for a first visit, choosing a slot
 * (the booking form), the visitor's calendar file and the live socket. Booking actions are in
 * bookings.tsx.
 */
import type { Child } from 'hono/jsx';
import type { AppDeps } from '../app-env.ts';
import { bookingEvent } from '../domain/calendar.ts';
import { findCurrentBooking } from '../domain/bookings.ts';
import { buildCalendar } from '../domain/ics.ts';
import { findSlot, slotStateFor } from '../domain/slots.ts';
import { ensureVisitor, readVisitor } from '../middleware/visitor.ts';
import { liveSocket } from './live-socket.ts';
import { BookingForm, MyBooking, PanelMessage } from '../../views/booking-panel.tsx';
import { notFoundContent } from '../../views/errors.tsx';
import { paths } from '../../views/paths.ts';
import { findMine, SchedulePage, VisitorSlotItem, VisitorSlotList, ZoneLabel } from '../../views/schedule.tsx';
import { addBookingRoutes } from './bookings.tsx';
import { sendCalendar } from './calendar-response.ts';
import { isHtmx, sendEither, sendError, sendFragment, sendPage } from './respond.tsx';
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

  // First visit: the page asks for its list once the script has stored the browser's zone.
  app.get('/:publicId/slots', async (c) => {
    const schedule = c.get('schedule');
    if (!isHtmx(c)) return c.redirect(paths.schedule(schedule.publicId), 303);
    const view = await loadVisitorView(deps, c, readVisitor(c)?.hash ?? null, { zoneFallback: true });
    const zone = view.zone ?? schedule.timeZone;
    return sendFragment(
      c,
      <>
        <VisitorSlotList view={view} />
        <ZoneLabel zone={zone} hostZone={schedule.timeZone} oob />
        <MyBooking schedule={schedule} slot={findMine(view)} zone={zone} origin={view.origin} oob />
      </>,
    );
  });

  // Choosing a slot: the booking form (or, if it is no longer open, why not).
  app.get('/:publicId/book', async (c) => {
    const schedule = c.get('schedule');
    const visitor = readVisitor(c);
    const view = await loadVisitorView(deps, c, visitor?.hash ?? null, { zoneFallback: true });
    const zone = view.zone ?? schedule.timeZone;
    const slot = await findSlot(db, schedule.id, c.req.query('slot') ?? '');
    const state = slot ? slotStateFor(slot, visitor?.hash ?? null, view.now) : null;
    const show = (status: 200 | 404 | 409, panel: Child, extra: Child = null) =>
      sendEither(c, status, {
        page: () => <SchedulePage view={view} panel={panel} />,
        fragment: () => (
          <>
            {panel}
            {extra}
          </>
        ),
      });
    if (!slot || !state) {
      return show(
        404,
        <PanelMessage tone="error" title="That time is gone" message="The host removed it. Choose another time." />,
        <VisitorSlotList view={view} oob />,
      );
    }
    const item = <VisitorSlotItem slot={slot} zone={zone} state={state} oob />;
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
    const current = visitor ? await findCurrentBooking(db, schedule.id, visitor.hash, view.now) : null;
    return show(200, <BookingForm schedule={schedule} slot={slot} zone={zone} current={current} />);
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
      const viewer = {
        role: 'visitor' as const,
        scheduleId: schedule.id,
        zone: c.get('viewerZone') ?? schedule.timeZone,
        visitorHash: readVisitor(c)?.hash ?? null,
        origin: c.get('origin'),
      };
      return (socket) => live.schedules.connect(socket, viewer);
    }),
  );

  return app;
}

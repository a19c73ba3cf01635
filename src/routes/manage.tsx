/** The private manage link of a booking: see it, download it, release it from any device. */
import type { AppDeps } from '../app-env.ts';
import { findBookingByManageKey, releaseByManageKey } from '../domain/bookings.ts';
import { bookingEvent } from '../domain/calendar.ts';
import { buildCalendar } from '../domain/ics.ts';
import { findScheduleById } from '../domain/schedules.ts';
import { describeRange } from '../domain/time.ts';
import { createRateLimiter, rateLimit } from '../middleware/rate-limit.ts';
import { scheduleEvents, scheduleTopic } from '../realtime/topics.ts';
import { PanelMessage } from '../../views/booking-panel.tsx';
import { Layout } from '../../views/layout.tsx';
import { ManageCard, ManagePage } from '../../views/manage.tsx';
import { paths } from '../../views/paths.ts';
import { sendCalendar } from './calendar-response.ts';
import { isHtmx, sendError, sendFragment, sendPage } from './respond.tsx';
import { appFactory } from './factory.ts';

const goneContent = {
  status: 404,
  title: 'This booking link no longer works',
  message: 'The booking was released, or the link was copied only in part. Open the scheduling page to book again.',
};

export function manageRoutes(deps: AppDeps) {
  const { db, live } = deps;
  const app = appFactory.createApp();

  const limiter = createRateLimiter({ limit: deps.config.bookingRateLimit, windowMs: 60_000 });
  const limitReleases = rateLimit(limiter, deps.now, (c, wait) =>
    sendError(c, { status: 429, title: 'Too many tries', message: `Wait ${wait} seconds, then try again.` }),
  );

  // On a device that has not told us its zone yet, the card loads again (htmx) once it has.
  app.get('/:manageKey', async (c) => {
    const found = await findBookingByManageKey(db, c.req.param('manageKey'));
    if (!found) return sendError(c, goneContent);
    const zone = c.get('viewerZone') ?? found.schedule.timeZone;
    const view = {
      ...found,
      manageKey: c.req.param('manageKey'),
      zone,
      locale: c.get('locale'),
      origin: c.get('origin'),
      now: deps.now(),
    };
    if (isHtmx(c)) return sendFragment(c, <ManageCard view={view} />);
    return sendPage(c, <ManagePage view={view} zoneKnown={c.get('viewerZone') !== null} />);
  });

  app.get('/:manageKey/booking.ics', async (c) => {
    const found = await findBookingByManageKey(db, c.req.param('manageKey'));
    if (!found) return sendError(c, goneContent);
    const origin = c.get('origin');
    const event = bookingEvent(found.schedule, found.slot, {
      audience: 'visitor',
      schedulingUrl: `${origin}${paths.schedule(found.schedule.publicId)}`,
      host: new URL(origin).host,
    });
    return sendCalendar(c, buildCalendar([event], { now: deps.now() }), 'booking.ics');
  });

  app.post('/:manageKey/release', limitReleases, async (c) => {
    const manageKey = c.req.param('manageKey');
    const result = await releaseByManageKey(db, manageKey, deps.now());
    if (!result.ok && result.reason === 'no-booking') return sendError(c, goneContent);
    if (!result.ok) {
      const found = await findBookingByManageKey(db, manageKey);
      if (!found) return sendError(c, goneContent);
      const view = {
        ...found,
        manageKey,
        zone: c.get('viewerZone') ?? found.schedule.timeZone,
        locale: c.get('locale'),
        origin: c.get('origin'),
        now: deps.now(),
      };
      const message = (
        <PanelMessage
          tone="error"
          title="That time has already started"
          message="A booking that has started can no longer be released."
        />
      );
      return sendPage(c, <ManagePage view={view} message={message} zoneKnown />, 409);
    }
    await live.publish(scheduleTopic(result.slot.scheduleId), scheduleEvents.slotsBooked([result.slot.id]));
    const schedule = await findScheduleById(db, result.slot.scheduleId);
    const zone = c.get('viewerZone') ?? schedule?.timeZone ?? 'UTC';
    const when = describeRange(result.slot.startsAt, result.slot.endsAt, zone, c.get('locale')).full;
    return sendPage(
      c,
      <Layout title="Booking released">
        <PanelMessage
          tone="success"
          title="Booking released"
          message={`${when} (${zone}) is open for everyone again. This link no longer works.`}
        />
        {schedule ? (
          <p>
            <a class="button" href={paths.schedule(schedule.publicId)}>
              Book another time
            </a>
          </p>
        ) : null}
      </Layout>,
    );
  });

  return app;
}

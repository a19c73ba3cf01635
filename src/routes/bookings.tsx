/**
 * Booking actions on the scheduling page: claim a slot, move a booking, release it. Each is one
 * domain call that the database decides; after the commit the change is published so every other
 * viewer's page updates, and the answer is rendered from the same partials as that push.
 */
import type { Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps } from '../app-env.ts';
import {
  BookingForm as BookingFormSchema,
  type BookingRefusal,
  claimSlot,
  releaseBooking,
} from '../domain/bookings.ts';
import { moveBooking } from '../domain/booking-moves.ts';
import { formValidator } from './form-validator.ts';
import { findSlot, type Slot, slotStateFor } from '../domain/slots.ts';
import { describeRange } from '../domain/time.ts';
import { createRateLimiter, rateLimit } from '../middleware/rate-limit.ts';
import { ensureVisitor, readVisitor } from '../middleware/visitor.ts';
import { scheduleEvents, scheduleTopic } from '../realtime/topics.ts';
import { BookingForm, MyBooking, PanelMessage } from '../../views/booking-panel.tsx';
import { ids } from '../../views/ids.ts';
import { dayOfInstant } from '../domain/slot-calendar.ts';
import { paths } from '../../views/paths.ts';
import { SchedulePage } from '../../views/schedule.tsx';
import { VisitorSlotItem } from '../../views/booking-calendar.tsx';
import { isHtmx, sendEither, sendFragment, sendPage } from './respond.tsx';
import type { ScheduleEnv } from './factory.ts';
import { loadVisitorView } from './schedule-context.ts';

/** Adds the booking actions to the scheduling page's router (which has loaded the schedule). */
export function addBookingRoutes(app: Hono<ScheduleEnv>, deps: AppDeps): void {
  const { db, live, config } = deps;

  /**
   * Renders the panel (and out-of-band updates) for htmx, or the whole page around the panel. Only
   * the page needs every slot; the htmx answer reads nothing more.
   */
  async function answer(
    c: Context<ScheduleEnv>,
    status: ContentfulStatusCode,
    visitorHash: string | null,
    build: (zone: string) => { panel: Child; oob?: Child },
  ) {
    const zone = c.get('viewerZone') ?? c.get('schedule').timeZone;
    const { panel, oob } = build(zone);
    if (isHtmx(c)) {
      return sendFragment(
        c,
        <>
          {panel}
          {oob}
        </>,
        status,
      );
    }
    const view = await loadVisitorView(deps, c, visitorHash, { zoneFallback: true });
    return sendPage(c, <SchedulePage view={view} panel={panel} />, status);
  }

  const limiter = createRateLimiter({ limit: config.bookingRateLimit, windowMs: 60_000 });
  const limitBookings = rateLimit<ScheduleEnv>(limiter, deps.now, (c, wait) =>
    answer(c, 429, readVisitor(c)?.hash ?? null, () => ({
      panel: (
        <PanelMessage
          tone="error"
          title="Too many tries"
          message={`Too many booking requests came from your network. Wait ${wait} seconds, then try again.`}
        />
      ),
    })),
  );

  const slotItem = (c: Context<ScheduleEnv>, slot: Slot, zone: string, visitorHash: string | null) => (
    <VisitorSlotItem
      slot={slot}
      zone={zone}
      locale={c.get('locale')}
      state={slotStateFor(slot, visitorHash, deps.now())}
      oob
    />
  );

  /**
   * The answer to a booking or a move that went through: the visitor's card, saying so and taking
   * focus (with the manage link after a booking), in place of the card they had; the panel emptied.
   * Without htmx, the page on the booked day.
   */
  async function booked(
    c: Context<ScheduleEnv>,
    slot: Slot,
    card: { just: 'booked' | 'moved'; manageUrl?: string },
    extra: (zone: string) => Child,
  ) {
    const schedule = c.get('schedule');
    const zone = c.get('viewerZone') ?? schedule.timeZone;
    const cardNode = (
      <MyBooking
        schedule={schedule}
        slot={slot}
        zone={zone}
        locale={c.get('locale')}
        origin={c.get('origin')}
        just={card.just}
        manageUrl={card.manageUrl ?? null}
      />
    );
    if (isHtmx(c)) {
      c.header('HX-Retarget', `#${ids.myBooking}`);
      c.header('HX-Reswap', 'outerHTML');
      return sendFragment(
        c,
        <>
          {cardNode}
          <div id={ids.bookingPanel} hx-swap-oob="innerHTML"></div>
          {extra(zone)}
        </>,
      );
    }
    const request = { day: dayOfInstant(slot.startsAt, zone) };
    const view = await loadVisitorView(deps, c, slot.booking?.visitorHash ?? null, { zoneFallback: true, request });
    return sendPage(c, <SchedulePage view={view} card={cardNode} />);
  }

  /** The answer to a claim or move the database refused. */
  async function refuse(
    c: Context<ScheduleEnv>,
    refusal: BookingRefusal,
    visitorHash: string | null,
    slotId: string,
    values: Record<string, string>,
  ) {
    const schedule = c.get('schedule');
    switch (refusal.reason) {
      case 'not-found':
        return answer(c, 404, visitorHash, () => ({
          panel: (
            <PanelMessage tone="error" title="That time is gone" message="The host removed it. Choose another time." />
          ),
        }));
      case 'taken':
      case 'started': {
        const { slot } = refusal;
        return answer(c, 409, visitorHash, (zone) => ({
          panel:
            refusal.reason === 'taken' ? (
              <PanelMessage
                tone="error"
                title="Sorry, that time was just taken"
                message={`Someone booked ${describeRange(slot.startsAt, slot.endsAt, zone, c.get('locale')).full} a moment before you. Choose another time.`}
              />
            ) : (
              <PanelMessage
                tone="error"
                title="That time has already started"
                message="Times that have started cannot be booked or changed. Choose a later one."
              />
            ),
          oob: slotItem(c, slot, zone, visitorHash),
        }));
      }
      case 'has-booking': {
        const slot = await findSlot(db, schedule.id, slotId);
        if (!slot) return refuse(c, { ok: false, reason: 'not-found' }, visitorHash, slotId, values);
        return answer(c, 409, visitorHash, (zone) => ({
          panel: (
            <BookingForm
              schedule={schedule}
              slot={slot}
              zone={zone}
              locale={c.get('locale')}
              current={refusal.current}
              values={values}
              errors={{
                form: `You already have ${describeRange(refusal.current.startsAt, refusal.current.endsAt, zone, c.get('locale')).full}. You can move your booking here instead.`,
              }}
            />
          ),
        }));
      }
      case 'no-booking': {
        const slot = await findSlot(db, schedule.id, slotId);
        if (!slot) return refuse(c, { ok: false, reason: 'not-found' }, visitorHash, slotId, values);
        return answer(c, 409, visitorHash, (zone) => ({
          panel: (
            <BookingForm
              schedule={schedule}
              slot={slot}
              zone={zone}
              locale={c.get('locale')}
              current={null}
              values={values}
              errors={{ form: 'You have no booking to move any more. You can book this time instead.' }}
            />
          ),
        }));
      }
    }
  }

  const bookingFormHook = formValidator(BookingFormSchema, async (c: Context<ScheduleEnv>, refusal) => {
    const schedule = c.get('schedule');
    const visitorHash = readVisitor(c)?.hash ?? null;
    const slot = await findSlot(db, schedule.id, c.req.param('slotId') ?? '');
    if (!slot) return refuse(c, { ok: false, reason: 'not-found' }, visitorHash, '', {});
    const view = await loadVisitorView(deps, c, visitorHash, { zoneFallback: true });
    const current = view.mine;
    const panel = (
      <BookingForm
        schedule={schedule}
        slot={slot}
        zone={view.zone ?? schedule.timeZone}
        locale={view.locale}
        current={current}
        values={refusal.values}
        errors={refusal.errors}
      />
    );
    return sendEither(c, 422, { page: () => <SchedulePage view={view} panel={panel} />, fragment: () => panel });
  });

  app.post('/:publicId/slots/:slotId/claim', limitBookings, bookingFormHook, async (c) => {
    const schedule = c.get('schedule');
    const visitor = ensureVisitor(c, schedule.publicId);
    const booking = c.req.valid('form');
    const result = await claimSlot(db, {
      scheduleId: schedule.id,
      slotId: c.req.param('slotId'),
      visitorHash: visitor.hash,
      booking,
      now: deps.now(),
    });
    if (!result.ok)
      return refuse(c, result, visitor.hash, c.req.param('slotId'), { name: booking.name, email: booking.email });
    await live.publish(scheduleTopic(schedule.id), scheduleEvents.slotsBooked([result.slot.id]));
    const manageUrl = `${c.get('origin')}${paths.manage(result.manageKey)}`;
    return booked(c, result.slot, { just: 'booked', manageUrl }, (zone) =>
      slotItem(c, result.slot, zone, visitor.hash),
    );
  });

  app.post('/:publicId/slots/:slotId/move', limitBookings, bookingFormHook, async (c) => {
    const schedule = c.get('schedule');
    const visitor = readVisitor(c);
    const booking = c.req.valid('form');
    const values = { name: booking.name, email: booking.email };
    if (!visitor) return refuse(c, { ok: false, reason: 'no-booking' }, null, c.req.param('slotId'), values);
    const result = await moveBooking(db, {
      scheduleId: schedule.id,
      toSlotId: c.req.param('slotId'),
      visitorHash: visitor.hash,
      booking,
      now: deps.now(),
    });
    if (!result.ok) return refuse(c, result, visitor.hash, c.req.param('slotId'), values);
    await live.publish(scheduleTopic(schedule.id), scheduleEvents.slotsBooked([result.from.id, result.slot.id]));
    return booked(c, result.slot, { just: 'moved' }, (zone) => (
      <>
        {slotItem(c, { ...result.from, booking: null }, zone, visitor.hash)}
        {slotItem(c, result.slot, zone, visitor.hash)}
      </>
    ));
  });

  app.post('/:publicId/release', limitBookings, async (c) => {
    const schedule = c.get('schedule');
    const visitor = readVisitor(c);
    const result = visitor
      ? await releaseBooking(db, { scheduleId: schedule.id, visitorHash: visitor.hash, now: deps.now() })
      : ({ ok: false, reason: 'no-booking' } as const);
    const visitorHash = visitor?.hash ?? null;
    if (result.ok) {
      await live.publish(scheduleTopic(schedule.id), scheduleEvents.slotsBooked([result.slot.id]));
      return answer(c, 200, visitorHash, (zone) => ({
        panel: (
          <PanelMessage
            tone="success"
            title="Booking released"
            message={`${describeRange(result.slot.startsAt, result.slot.endsAt, zone, c.get('locale')).full} is open for everyone again. Choose another time whenever you like.`}
          />
        ),
        oob: (
          <>
            <MyBooking
              schedule={schedule}
              slot={null}
              zone={zone}
              locale={c.get('locale')}
              origin={c.get('origin')}
              oob
            />
            {slotItem(c, result.slot, zone, visitorHash)}
          </>
        ),
      }));
    }
    return answer(c, 409, visitorHash, (zone) => ({
      panel:
        result.reason === 'started' ? (
          <PanelMessage
            tone="error"
            title="That time has already started"
            message="A booking that has started can no longer be released."
          />
        ) : (
          <PanelMessage
            tone="info"
            title="Nothing to release"
            message="You have no booking on this schedule right now."
          />
        ),
      oob:
        result.reason === 'started' ? null : (
          <MyBooking
            schedule={schedule}
            slot={null}
            zone={zone}
            locale={c.get('locale')}
            origin={c.get('origin')}
            oob
          />
        ),
    }));
  });
}

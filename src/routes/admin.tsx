/**
 * The host's dashboard, reached by the admin key in its path: the list under a filter, add and
 * delete slots (bulk deletes are in admin-bulk.tsx), change settings, download bookings, and a
 * socket for live bookings.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppDeps } from '../app-env.ts';
import { listBookedSlots } from '../domain/bookings.ts';
import { bookingEvent } from '../domain/calendar.ts';
import type { FieldErrors } from '../domain/forms.ts';
import { formValidator, submittedForm } from './form-validator.ts';
import { buildCalendar } from '../domain/ics.ts';
import {
  findScheduleByAdminKey,
  replaceAdminKey,
  type Schedule,
  ScheduleForm,
  updateScheduleSettings,
} from '../domain/schedules.ts';
import { explainRefusedSlotForm, planSlots, SlotForm } from '../domain/slot-rules.ts';
import { DEFAULT_SLOT_FILTER, parseSlotFilter, slotPhase } from '../domain/slot-filters.ts';
import { addSlots, countBookings, deleteOpenSlot } from '../domain/slots.ts';
import { describeRange } from '../domain/time.ts';
import { liveSocket } from './live-socket.ts';
import { scheduleEvents, scheduleTopic } from '../realtime/topics.ts';
import { AdminHead, BookingSummary, type HostView } from '../../views/admin.tsx';
import { AddSlotSection, SettingsSection } from '../../views/admin-forms.tsx';
import { ListStatusLine, SlotFilterNav } from '../../views/admin-slot-controls.tsx';
import { HostSlotList } from '../../views/admin-slots.tsx';
import { LiveSocket } from '../../views/layout.tsx';
import { dashboardPage, HostListChange, loadHostView, showOf } from './admin-answers.tsx';
import { addBulkDeleteRoutes } from './admin-bulk.tsx';
import { addAvailabilityRoutes } from './admin-availability.tsx';
import type { FormState } from '../../views/components/form-state.ts';
import { notFoundContent } from '../../views/errors.tsx';
import { paths } from '../../views/paths.ts';
import { sendCalendar } from './calendar-response.ts';
import { isHtmx, sendEither, sendError, sendFragment, sendPage } from './respond.tsx';
import { type AdminEnv, adminFactory } from './factory.ts';

/** Set on the new link for one visit after a rotation, so the new dashboard says what happened. */
const REPLACED_COOKIE = 'dashboard_replaced';

const alreadyReplaced = {
  status: 409,
  title: 'This dashboard link was already replaced',
  message:
    'It was replaced a moment ago (perhaps in another tab), so it no longer works. Open the new link you bookmarked.',
};

export function adminRoutes(deps: AppDeps) {
  const { db, live, config } = deps;
  const app = adminFactory.createApp();

  const loadSchedule = adminFactory.createMiddleware(async (c, next) => {
    const adminKey = c.req.param('adminKey') ?? '';
    const schedule = await findScheduleByAdminKey(db, adminKey);
    if (!schedule) return sendError(c, notFoundContent);
    c.set('schedule', schedule);
    c.set('adminKey', adminKey);
    await next();
  });
  app.use('/:adminKey', loadSchedule);
  app.use('/:adminKey/*', loadSchedule);

  /** The schedule as the host sees it, under the filter the request's list is shown with. */
  const hostView = (c: Context<AdminEnv>, schedule = c.get('schedule')): Promise<HostView> =>
    loadHostView(deps, schedule, c.get('adminKey'), showOf(c), c.get('locale'));

  const publish = (schedule: Schedule, event: ReturnType<(typeof scheduleEvents)[keyof typeof scheduleEvents]>) =>
    live.publish(scheduleTopic(schedule.id), event);

  // `?show=` filters the list. htmx asks for the list alone (a history restore wants the page), and
  // gets the filter's links and a new socket element with it: the socket reconnects under the new
  // filter, so pushes keep matching what the list shows.
  app.get('/:adminKey', async (c) => {
    const view = await hostView(c);
    if (isHtmx(c) && c.req.header('hx-history-restore-request') !== 'true') {
      const show = view.show ?? DEFAULT_SLOT_FILTER;
      return sendFragment(
        c,
        <>
          <HostSlotList view={view} />
          <SlotFilterNav adminKey={view.adminKey} show={show} oob />
          <ListStatusLine oob />
          <LiveSocket url={paths.adminLive(view.adminKey, show)} oob />
        </>,
      );
    }
    const replaced = getCookie(c, REPLACED_COOKIE) === '1';
    if (replaced) deleteCookie(c, REPLACED_COOKIE, { path: paths.admin(c.get('adminKey')) });
    return sendPage(c, dashboardPage(c, view, { replaced }));
  });

  // A new admin link: the old one stops working as this commits; open dashboards on it are told
  // and closed, on every instance (the event names the schedule only).
  app.post('/:adminKey/rotate', async (c) => {
    const schedule = c.get('schedule');
    const result = await replaceAdminKey(db, schedule.id, c.get('adminKey'));
    if (!result.ok) return sendError(c, alreadyReplaced);
    await publish(schedule, scheduleEvents.adminKeyReplaced());
    const target = paths.admin(result.adminKey);
    setCookie(c, REPLACED_COOKIE, '1', {
      path: target,
      httpOnly: true,
      sameSite: 'Strict',
      secure: c.get('origin').startsWith('https:'),
      maxAge: 600,
    });
    if (isHtmx(c)) {
      c.header('HX-Redirect', target);
      return c.body(null, 200);
    }
    return c.redirect(target, 303);
  });

  /** The add-slot form again, with what was wrong (422) or what got in the way (409). */
  async function refuseSlots(c: Context<AdminEnv>, status: 409 | 422, state: FormState) {
    const view = await hostView(c);
    return sendEither(c, status, {
      page: () => dashboardPage(c, view, { addSlot: state }),
      fragment: () => <AddSlotSection view={view} state={state} focus />,
    });
  }

  const slotFormValidator = formValidator(SlotForm, (c: Context<AdminEnv>, refusal) =>
    refuseSlots(c, 422, {
      values: refusal.values,
      errors: explainRefusedSlotForm(refusal.values, refusal.errors, c.get('schedule').timeZone, deps.now()),
    }),
  );

  app.post('/:adminKey/slots', slotFormValidator, async (c) => {
    const schedule = c.get('schedule');
    const form = c.req.valid('form');
    const values = await submittedForm(c);
    const refuse = (status: 409 | 422, errors: FieldErrors) => refuseSlots(c, status, { values, errors });
    const plan = planSlots(form, schedule.timeZone, deps.now());
    if (!plan.ok) return refuse(422, plan.errors);
    if (plan.slots.length > config.maxSlotsPerAdd) {
      return refuse(422, {
        split: `That makes ${plan.slots.length} slots; one add makes at most ${config.maxSlotsPerAdd}. Choose a longer split or a shorter range. Nothing was added.`,
      });
    }
    const added = await addSlots(db, schedule.id, plan.slots, config.maxSlotsPerSchedule);
    if (!added.ok && added.reason === 'full') {
      const fits =
        added.room === 0 ? 'It is full: delete slots you no longer need first.' : `Only ${added.room} more fit.`;
      return refuse(409, {
        form: `A schedule holds at most ${added.limit} slots and this adds ${plan.slots.length}. ${fits} Nothing was added.`,
      });
    }
    if (!added.ok) {
      const other = added.overlapping
        ? describeRange(added.overlapping.startsAt, added.overlapping.endsAt, schedule.timeZone, c.get('locale')).full
        : null;
      return refuse(409, {
        form: other
          ? `That overlaps ${other}, which you already have. Nothing was added.`
          : 'That overlaps a slot you already have. Nothing was added.',
      });
    }
    await publish(schedule, scheduleEvents.slotsAdded(added.slots.map((s) => s.id)));
    if (!isHtmx(c)) return c.redirect(paths.admin(c.get('adminKey'), showOf(c)), 303);
    const view = await hostView(c);
    const first = added.slots[0]!;
    const last = added.slots[added.slots.length - 1]!;
    const day = describeRange(first.startsAt, last.endsAt, schedule.timeZone, c.get('locale'));
    const status =
      added.slots.length === 1
        ? `Added ${day.full}.`
        : `Added ${added.slots.length} slots on ${day.shortDay} (${day.timeRange}).`;
    // The form keeps what was typed, so the next slot is a small change away.
    const kept = ['date', 'start', 'end', 'split', 'notes'] as const;
    const state = { values: Object.fromEntries(kept.map((k) => [k, values[k] ?? (k === 'split' ? '0' : '')])), status };
    return sendFragment(
      c,
      <>
        <AddSlotSection view={view} state={state} focus />
        <HostListChange view={view} added={added.slots} />
        <BookingSummary counts={countBookings(view.slots)} oob />
      </>,
    );
  });

  // The answer is the message (focus goes there: the button is gone) and the parts of the list the
  // delete touched, the same as the push to the host's other tabs; the push leaves the message alone.
  app.post('/:adminKey/slots/:slotId/delete', async (c) => {
    const schedule = c.get('schedule');
    const result = await deleteOpenSlot(db, schedule.id, c.req.param('slotId'));
    if (result.ok) await publish(schedule, scheduleEvents.slotsDeleted([result.slot]));
    if (result.ok && !isHtmx(c)) return c.redirect(paths.admin(c.get('adminKey'), showOf(c)), 303);
    const view = await hostView(c);
    const label = (s: { startsAt: Date; endsAt: Date }) =>
      describeRange(s.startsAt, s.endsAt, schedule.timeZone, c.get('locale')).full;
    const [status, code] = result.ok
      ? [{ text: `Deleted ${label(result.slot)}.`, tone: 'info' as const }, 200 as const]
      : result.reason === 'booked'
        ? [
            {
              text: `${label(result.slot)} is booked by ${result.slot.booking?.name ?? 'a visitor'}, so it cannot be deleted. It frees up only if they release it.`,
              tone: 'error' as const,
            },
            409 as const,
          ]
        : [
            { text: 'That slot no longer exists; it may have been deleted already.', tone: 'error' as const },
            404 as const,
          ];
    return sendEither(c, code, {
      page: () => dashboardPage(c, view, { listStatus: status }),
      fragment: () => (
        <>
          <ListStatusLine status={status} />
          {result.ok ? (
            <HostListChange
              view={view}
              deleted={[{ startsAt: result.slot.startsAt, phase: slotPhase(result.slot, view.now) }]}
            />
          ) : result.reason === 'booked' ? (
            <HostListChange view={view} rows={view.slots.filter((s) => s.id === result.slot.id)} />
          ) : (
            // Gone already: this page missed a change, so it gets its whole list again.
            <HostSlotList view={view} oob />
          )}
          <BookingSummary counts={countBookings(view.slots)} oob />
        </>
      ),
    });
  });

  app.post(
    '/:adminKey/settings',
    formValidator(ScheduleForm, async (c: Context<AdminEnv>, state) => {
      const view = await hostView(c);
      return sendEither(c, 422, {
        page: () => dashboardPage(c, view, { settings: state }),
        fragment: () => <SettingsSection view={view} state={state} focus />,
      });
    }),
    async (c) => {
      const schedule = await updateScheduleSettings(db, c.get('schedule').id, c.req.valid('form'));
      await publish(schedule, scheduleEvents.scheduleChanged());
      if (!isHtmx(c)) return c.redirect(paths.admin(c.get('adminKey'), showOf(c)), 303);
      const view = await hostView(c, schedule);
      return sendFragment(
        c,
        <>
          <SettingsSection view={view} state={{ status: 'Settings saved.' }} focus />
          <AdminHead schedule={schedule} oob />
          <AddSlotSection view={view} state={{}} oob />
          <HostSlotList view={view} oob />
        </>,
      );
    },
  );

  app.get('/:adminKey/bookings.ics', async (c) => {
    const schedule = c.get('schedule');
    const origin = c.get('origin');
    const schedulingUrl = `${origin}${paths.schedule(schedule.publicId)}`;
    const booked = await listBookedSlots(db, schedule.id);
    const events = booked.map((slot) =>
      bookingEvent(schedule, slot, { audience: 'host', schedulingUrl, host: new URL(origin).host }),
    );
    const body = buildCalendar(events, { name: schedule.title || 'Bookings', now: deps.now() });
    return sendCalendar(c, body, 'bookings.ics');
  });

  addAvailabilityRoutes(app, deps);
  addBulkDeleteRoutes(app, deps);

  app.get(
    '/:adminKey/live',
    ...liveSocket<AdminEnv>(live, (c) => {
      const schedule = c.get('schedule');
      const viewer = {
        role: 'host' as const,
        scheduleId: schedule.id,
        adminKey: c.get('adminKey'),
        origin: c.get('origin'),
        show: parseSlotFilter(c.req.query('show')),
        locale: c.get('locale'),
      };
      return (socket) => live.schedules.connect(socket, viewer);
    }),
  );

  return app;
}

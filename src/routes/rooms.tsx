/**
 * Rooms: the grid of a date, a cell's panel, adding and editing rooms, their hours, archiving.
 * Changes to rooms or hours are published so every open grid redraws (one room's row when only
 * that room changed). The site holds at most MAX_ROOMS rooms, archived ones included.
 */
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../app-env.ts';
import { parseHoursSpec, readWeeklyHoursForm, type WeeklyHours } from '../domain/availability.ts';
import type { FieldErrors } from '../domain/forms.ts';
import { loadCell, parseHourWindow } from '../domain/grid.ts';
import {
  archiveRoom,
  createRoom,
  findRoom,
  type HoursChangeResult,
  loadRoomHours,
  removeHourOverride,
  type Room,
  RoomForm,
  roomZone,
  setHourOverride,
  setWeeklyHours,
  updateRoom,
} from '../domain/rooms.ts';
import { HourOverrideForm, NewRoomForm, WeeklyHoursForm } from '../domain/room-forms.ts';
import { parseDate, todayInZone } from '../domain/time.ts';
import { listPeople } from '../domain/users.ts';
import { requireUser } from '../middleware/session.ts';
import { accountEvents, ROOMS_TOPIC } from '../realtime/topics.ts';
import { ClosedPanel, HeldPanel, InviteFormPanel } from '../../views/cell-panel.tsx';
import { notFoundContent } from '../../views/errors.tsx';
import { paths } from '../../views/paths.ts';
import type { FormState } from '../../views/components/form-state.ts';
import { NewRoomPage, RoomPage, type RoomFormState, type RoomPageState } from '../../views/room-edit.tsx';
import { accountChrome, currentUser, readerOf } from './account-context.tsx';
import { formValidator, submittedForm } from './form-validator.ts';
import { aroundCell, gridPageSender } from './grid-page.tsx';
import { isHtmx, sendError, sendFragment, sendPage } from './respond.tsx';
import { appFactory } from './factory.ts';

const DEFAULT_WEEKLY = parseHoursSpec('Mon-Fri 09-17')!;

export function roomRoutes(deps: AppDeps) {
  const { db, config, live } = deps;
  const zone = config.siteTimeZone;
  const app = appFactory.createApp();
  app.use('*', requireUser());

  const roomsChanged = () => live.publish(ROOMS_TOPIC, accountEvents.roomsChanged());
  const roomChanged = (roomId: string) => live.publish(ROOMS_TOPIC, accountEvents.roomChanged(roomId));

  const gridPage = gridPageSender(deps);

  // The date and "today" are the reader's; a date it cannot read is today, a window it cannot read the working day.
  app.get('/', (c) => {
    const date = parseDate(c.req.query('date') ?? '') ?? todayInZone(readerOf(c).zone, deps.now());
    const window = parseHourWindow(c.req.query('from'), c.req.query('to'));
    return gridPage(c, { date, window, withUsername: c.req.query('with')?.slice(0, 64) || null });
  });

  // A cell's panel: the invite form for an open hour, who holds it otherwise.
  app.get('/cell', async (c) => {
    const user = currentUser(c);
    const reader = readerOf(c);
    const cell = await loadCell(db, { cellKey: c.req.query('cell') ?? '', siteZone: zone, now: deps.now() });
    if (!cell)
      return sendError(c, {
        ...notFoundContent,
        title: 'That hour is not in the grid',
        message: 'The room may have been archived. Go back to the rooms and choose again.',
      });
    const context = { room: cell.room, block: cell.block, ...reader, siteZone: zone, viewer: { id: user.id } };
    const panel = cell.invite ? (
      <HeldPanel context={context} invite={cell.invite} origin={c.get('origin')} />
    ) : cell.state === 'open' ? (
      <InviteFormPanel context={context} people={await listPeople(db, user.id)} />
    ) : (
      <ClosedPanel context={context} past={cell.state === 'past'} />
    );
    if (isHtmx(c)) return sendFragment(c, panel);
    // Without JavaScript: the grid of the cell's date around the panel, with the cell's hour in view.
    return gridPage(c, { ...aroundCell(cell.room.id, cell.block.startsAt, reader.zone), panel });
  });

  async function newRoomPage(c: Context<AppEnv>, state: FormState, weekly: WeeklyHours, status: 200 | 409 | 422 = 200) {
    return sendPage(
      c,
      <NewRoomPage
        account={await accountChrome(deps, c, 'rooms')}
        live={paths.accountLive()}
        state={state}
        weekly={weekly}
        siteZone={zone}
      />,
      status,
    );
  }

  app.get('/new', (c) => newRoomPage(c, {}, DEFAULT_WEEKLY));

  app.post(
    '/new',
    formValidator(NewRoomForm, (c, refusal) => {
      // The hours as submitted when they were fine (the details were not), else the usual ones.
      const weekly = readWeeklyHoursForm(refusal.values);
      return newRoomPage(c, refusal, weekly.ok ? weekly.weekly : DEFAULT_WEEKLY, 422);
    }),
    async (c) => {
      const { details, weekly } = c.req.valid('form');
      const created = await createRoom(db, details, weekly, { maxRooms: config.maxRooms });
      if (!created.ok) {
        const errors: FieldErrors =
          created.reason === 'too-many'
            ? {
                form: `No room was added: the site already has ${config.maxRooms} rooms, the most it can hold (archived rooms count too).`,
              }
            : { name: 'A room with that name already exists.' };
        return newRoomPage(
          c,
          { values: await submittedForm(c), errors },
          weekly,
          created.reason === 'too-many' ? 422 : 409,
        );
      }
      await roomsChanged();
      return c.redirect(paths.room(created.room.id), 303);
    },
  );

  async function roomPage(
    c: Context<AppEnv>,
    room: Room,
    state: Partial<RoomPageState> = {},
    status: 200 | 409 | 422 = 200,
  ) {
    const hours = (await loadRoomHours(db, [room.id])).get(room.id)!;
    // Single hours are dates and hours on the room's own clock.
    const today = todayInZone(roomZone(room, zone), deps.now());
    const overrides = hours.overrides.filter((o) => o.date >= today);
    const full: RoomPageState = { details: {}, weekly: {}, overrides: {}, archive: {}, ...state };
    return sendPage(
      c,
      <RoomPage
        account={await accountChrome(deps, c, 'rooms')}
        live={paths.accountLive()}
        room={room}
        weekly={hours.weekly}
        overrides={overrides}
        siteZone={zone}
        today={today}
        state={full}
      />,
      status,
    );
  }

  /** Loads the active room named in the path, or answers 404. */
  async function withRoom(c: Context<AppEnv>, then: (room: Room) => Promise<Response>): Promise<Response> {
    const room = await findRoom(db, c.req.param('roomId') ?? '');
    if (!room || room.archivedAt)
      return sendError(c, {
        ...notFoundContent,
        title: 'No such room',
        message: 'It may have been archived. Go back to the rooms.',
      });
    return then(room);
  }

  /** The answer to an hours change: saved, or refused with what holds the time. */
  async function afterHoursChange(
    c: Context<AppEnv>,
    room: Room,
    result: HoursChangeResult,
    section: keyof RoomPageState,
    saved: string,
    values?: Record<string, string>,
  ) {
    if (result.ok) {
      await roomChanged(room.id);
      return roomPage(c, room, { [section]: { status: saved } });
    }
    if (result.reason === 'not-found') return sendError(c, notFoundContent);
    return roomPage(c, room, { [section]: { blockers: result.blockers, values } satisfies RoomFormState }, 409);
  }

  app.get('/:roomId', (c) => withRoom(c, (room) => roomPage(c, room)));

  app.post(
    '/:roomId',
    formValidator(RoomForm, (c, refusal) => withRoom(c, (room) => roomPage(c, room, { details: refusal }, 422))),
    (c) =>
      withRoom(c, async (room) => {
        const details = c.req.valid('form');
        const result = await updateRoom(db, room.id, details, deps.now(), zone);
        if (!result.ok) {
          const values = await submittedForm(c);
          if (result.reason === 'in-use')
            return roomPage(
              c,
              room,
              {
                details: {
                  values,
                  blockers: result.blockers,
                  errors: { timeZone: 'Not moved: in that zone its open hours would leave these out.' },
                },
              },
              409,
            );
          const errors: FieldErrors =
            result.reason === 'name-taken'
              ? { name: 'A room with that name already exists.' }
              : { form: 'This room was archived meanwhile.' };
          return roomPage(c, room, { details: { values, errors } }, 409);
        }
        await roomChanged(room.id);
        return roomPage(c, result.room, { details: { status: 'Details saved.' } });
      }),
  );

  app.post(
    '/:roomId/hours',
    formValidator(WeeklyHoursForm, (c, refusal) =>
      withRoom(c, (room) => roomPage(c, room, { weekly: { errors: refusal.errors } }, 422)),
    ),
    (c) =>
      withRoom(c, async (room) => {
        const result = await setWeeklyHours(db, room.id, c.req.valid('form'), deps.now(), zone);
        return afterHoursChange(c, room, result, 'weekly', 'Weekly hours saved.');
      }),
  );

  app.post(
    '/:roomId/overrides',
    formValidator(HourOverrideForm, (c, refusal) =>
      withRoom(c, (room) => roomPage(c, room, { overrides: refusal }, 422)),
    ),
    (c) =>
      withRoom(c, async (room) => {
        const override = c.req.valid('form');
        const values = await submittedForm(c);
        if (override.date < todayInZone(roomZone(room, zone), deps.now()))
          return roomPage(c, room, { overrides: { values, errors: { date: 'Choose today or a later date.' } } }, 422);
        const result = await setHourOverride(db, room.id, override, deps.now(), zone);
        return afterHoursChange(
          c,
          room,
          result,
          'overrides',
          override.isOpen ? 'That hour is open on that date.' : 'That hour is closed on that date.',
          values,
        );
      }),
  );

  app.post(
    '/:roomId/overrides/remove',
    formValidator(HourOverrideForm, (c) =>
      withRoom(c, (room) =>
        roomPage(c, room, { overrides: { errors: { form: 'That single hour could not be read.' } } }, 422),
      ),
    ),
    (c) =>
      withRoom(c, async (room) => {
        const { date, hour } = c.req.valid('form');
        const result = await removeHourOverride(db, room.id, date, hour, deps.now(), zone);
        return afterHoursChange(c, room, result, 'overrides', 'The weekly hours apply to that hour again.');
      }),
  );

  app.post('/:roomId/archive', (c) =>
    withRoom(c, async (room) => {
      const result = await archiveRoom(db, room.id, deps.now(), zone);
      if (!result.ok) return afterHoursChange(c, room, result, 'archive', '');
      await roomsChanged();
      return c.redirect(paths.rooms(), 303);
    }),
  );

  return app;
}

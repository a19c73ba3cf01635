/**
 * Rooms: the grid of a date, a cell's panel, adding and editing rooms, their hours, archiving.
 * Changes to rooms or hours are published so every open grid redraws (one room's row when only
 * that room changed). The site holds at most MAX_ROOMS rooms, archived ones included.
 */
import { type Context, Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import type { AppEnv } from '../app-env.ts';
import { parseHour, parseHoursSpec, readWeeklyHoursForm, type WeeklyHours } from '../domain/availability.ts';
import { type FieldErrors, fieldErrors, submittedValues } from '../domain/forms.ts';
import { loadCell } from '../domain/grid.ts';
import {
  archiveRoom,
  createRoom,
  findRoom,
  type HoursChangeResult,
  loadRoomHours,
  removeHourOverride,
  type Room,
  RoomForm,
  setHourOverride,
  setWeeklyHours,
  updateRoom,
} from '../domain/rooms.ts';
import { parseDate, todayInZone } from '../domain/time.ts';
import { listPeople } from '../domain/users.ts';
import { requireUser } from '../middleware/session.ts';
import { accountEvents, ROOMS_TOPIC } from '../realtime/topics.ts';
import { ClosedPanel, HeldPanel, InviteFormPanel } from '../../views/cell-panel.tsx';
import { notFoundContent } from '../../views/errors.tsx';
import { paths } from '../../views/paths.ts';
import { NewRoomPage, type FormState, RoomPage, type RoomPageState } from '../../views/room-edit.tsx';
import { accountChrome, currentUser } from './account-context.tsx';
import { gridPageSender } from './grid-page.tsx';
import { isHtmx, sendError, sendFragment, sendPage } from './respond.tsx';

const DEFAULT_WEEKLY = parseHoursSpec('Mon-Fri 09-17')!;

export function roomRoutes(deps: AppDeps) {
  const { db, assets, config, live } = deps;
  const zone = config.siteTimeZone;
  const app = new Hono<AppEnv>();
  app.use('*', requireUser());

  const roomsChanged = () => live.publish(ROOMS_TOPIC, accountEvents.roomsChanged());
  const roomChanged = (roomId: string) => live.publish(ROOMS_TOPIC, accountEvents.roomChanged(roomId));

  const gridPage = gridPageSender(deps);

  app.get('/', (c) => {
    const date = parseDate(c.req.query('date') ?? '') ?? todayInZone(zone, deps.now());
    return gridPage(c, date, c.req.query('with') || null);
  });

  // A cell's panel: the invite form for an open hour, who holds it otherwise.
  app.get('/cell', async (c) => {
    const user = currentUser(c);
    const cell = await loadCell(db, { cellKey: c.req.query('cell') ?? '', zone, now: deps.now() });
    if (!cell) return sendError(c, assets.urls, { ...notFoundContent, title: 'That hour is not in the grid', message: 'The room may have been archived. Go back to the rooms and choose again.' });
    const context = { room: cell.room, block: cell.block, siteZone: zone, viewer: { id: user.id, timeZone: user.timeZone } };
    const panel = cell.invite ? (
      <HeldPanel context={context} invite={cell.invite} origin={c.get('origin')} />
    ) : cell.state === 'open' ? (
      <InviteFormPanel context={context} people={await listPeople(db, user.id)} />
    ) : (
      <ClosedPanel context={context} past={cell.state === 'past'} />
    );
    return isHtmx(c) ? sendFragment(c, panel) : gridPage(c, cell.block.date, null, panel);
  });

  app.get('/new', async (c) =>
    sendPage(c, <NewRoomPage assets={assets.urls} account={await accountChrome(deps, c, 'rooms')} live={paths.accountLive()} state={{}} weekly={DEFAULT_WEEKLY} siteZone={zone} />),
  );

  app.post('/new', async (c) => {
    const raw = await c.req.parseBody();
    const details = RoomForm.safeParse(raw);
    const weekly = readWeeklyHoursForm(raw);
    if (!details.success || !weekly.ok) {
      const state = { values: submittedValues(raw), errors: { ...(details.success ? {} : fieldErrors(details.error)), ...(weekly.ok ? {} : weekly.errors) } };
      const shown = weekly.ok ? weekly.weekly : DEFAULT_WEEKLY;
      return sendPage(c, <NewRoomPage assets={assets.urls} account={await accountChrome(deps, c, 'rooms')} live={paths.accountLive()} state={state} weekly={shown} siteZone={zone} />, 422);
    }
    const created = await createRoom(db, details.data, weekly.weekly, { maxRooms: config.maxRooms });
    if (!created.ok) {
      const errors: FieldErrors =
        created.reason === 'too-many'
          ? { form: `No room was added: the site already has ${config.maxRooms} rooms, the most it can hold (archived rooms count too).` }
          : { name: 'A room with that name already exists.' };
      const state = { values: submittedValues(raw), errors };
      return sendPage(
        c,
        <NewRoomPage assets={assets.urls} account={await accountChrome(deps, c, 'rooms')} live={paths.accountLive()} state={state} weekly={weekly.weekly} siteZone={zone} />,
        created.reason === 'too-many' ? 422 : 409,
      );
    }
    await roomsChanged();
    return c.redirect(paths.room(created.room.id), 303);
  });

  async function roomPage(c: Context<AppEnv>, room: Room, state: Partial<RoomPageState> = {}, status: 200 | 409 | 422 = 200) {
    const hours = (await loadRoomHours(db, [room.id])).get(room.id)!;
    const today = todayInZone(zone, deps.now());
    const overrides = hours.overrides.filter((o) => o.date >= today);
    const full: RoomPageState = { details: {}, weekly: {}, overrides: {}, archive: {}, ...state };
    return sendPage(
      c,
      <RoomPage assets={assets.urls} account={await accountChrome(deps, c, 'rooms')} live={paths.accountLive()} room={room} weekly={hours.weekly} overrides={overrides} siteZone={zone} today={today} state={full} />,
      status,
    );
  }

  /** Loads the active room named in the path, or answers 404. */
  async function withRoom(c: Context<AppEnv>, then: (room: Room) => Promise<Response>): Promise<Response> {
    const room = await findRoom(db, c.req.param('roomId') ?? '');
    if (!room || room.archivedAt) return sendError(c, assets.urls, { ...notFoundContent, title: 'No such room', message: 'It may have been archived. Go back to the rooms.' });
    return then(room);
  }

  /** The answer to an hours change: saved, or refused with what holds the time. */
  async function afterHoursChange(c: Context<AppEnv>, room: Room, result: HoursChangeResult, section: keyof RoomPageState, saved: string, values?: Record<string, string>) {
    if (result.ok) {
      await roomChanged(room.id);
      return roomPage(c, room, { [section]: { status: saved } });
    }
    if (result.reason === 'not-found') return sendError(c, assets.urls, notFoundContent);
    return roomPage(c, room, { [section]: { blockers: result.blockers, values } satisfies FormState }, 409);
  }

  app.get('/:roomId', (c) => withRoom(c, (room) => roomPage(c, room)));

  app.post('/:roomId', (c) =>
    withRoom(c, async (room) => {
      const raw = await c.req.parseBody();
      const parsed = RoomForm.safeParse(raw);
      if (!parsed.success) return roomPage(c, room, { details: { values: submittedValues(raw), errors: fieldErrors(parsed.error) } }, 422);
      const result = await updateRoom(db, room.id, parsed.data);
      if (!result.ok) {
        const errors: FieldErrors = result.reason === 'name-taken' ? { name: 'A room with that name already exists.' } : { form: 'This room was archived meanwhile.' };
        return roomPage(c, room, { details: { values: submittedValues(raw), errors } }, 409);
      }
      await roomChanged(room.id);
      return roomPage(c, result.room, { details: { status: 'Details saved.' } });
    }),
  );

  app.post('/:roomId/hours', (c) =>
    withRoom(c, async (room) => {
      const weekly = readWeeklyHoursForm(await c.req.parseBody());
      if (!weekly.ok) return roomPage(c, room, { weekly: { errors: weekly.errors } }, 422);
      const result = await setWeeklyHours(db, room.id, weekly.weekly as WeeklyHours, deps.now(), zone);
      return afterHoursChange(c, room, result, 'weekly', 'Weekly hours saved.');
    }),
  );

  const readOverride = (raw: Record<string, unknown>) => ({
    date: typeof raw.date === 'string' ? parseDate(raw.date) : null,
    hour: parseHour(raw.hour, 23),
  });

  app.post('/:roomId/overrides', (c) =>
    withRoom(c, async (room) => {
      const raw = await c.req.parseBody();
      const { date, hour } = readOverride(raw);
      const values = submittedValues(raw);
      if (!date || hour === null) {
        const errors: FieldErrors = {};
        if (!date) errors.date = 'Enter a date.';
        if (hour === null) errors.form = 'Choose an hour.';
        return roomPage(c, room, { overrides: { values, errors } }, 422);
      }
      if (date < todayInZone(zone, deps.now())) return roomPage(c, room, { overrides: { values, errors: { date: 'Choose today or a later date.' } } }, 422);
      const result = await setHourOverride(db, room.id, { date, hour, isOpen: raw.open === '1' }, deps.now(), zone);
      return afterHoursChange(c, room, result, 'overrides', raw.open === '1' ? 'That hour is open on that date.' : 'That hour is closed on that date.', values);
    }),
  );

  app.post('/:roomId/overrides/remove', (c) =>
    withRoom(c, async (room) => {
      const { date, hour } = readOverride(await c.req.parseBody());
      if (!date || hour === null) return roomPage(c, room, { overrides: { errors: { form: 'That single hour could not be read.' } } }, 422);
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

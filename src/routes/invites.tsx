/**
 * Invites: review and send from a grid cell, answer and end them (from a pop-up, the grid panel or
 * the inbox), the inbox itself, meeting calendar files and dismissing notices. Every change is one
 * domain call; after it commits, the people involved and the grid are told live.
 */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppDeps, AppEnv } from '../app-env.ts';
import { meetingEvent } from '../domain/calendar.ts';
import { type CellDetails, gridCellOf, loadCell } from '../domain/grid.ts';
import { buildCalendar } from '../domain/ics.ts';
import {
  acceptInvite,
  BookForm,
  bookRoomForMyself,
  cancelMeeting,
  type ChangeResult,
  type CreateInviteResult,
  createInvite,
  type DecisionRefusal,
  findInvite,
  InboxQuery,
  type Invite,
  InviteForm,
  leaveMeeting,
  listInbox,
  rejectInvite,
  withdrawInvite,
} from '../domain/invites.ts';
import { dismissNotice } from '../domain/notifications.ts';
import { findUserById, listPeople } from '../domain/users.ts';
import { requireUser } from '../middleware/session.ts';
import { publishInviteChanges } from '../realtime/publish.ts';
import { accountEvents, userTopic } from '../realtime/topics.ts';
import { type CellContext, HeldPanel, InviteFormPanel, ReviewPanel } from '../../views/cell-panel.tsx';
import { InviteSentPanel, PanelOutcome } from '../../views/panel-outcome.tsx';
import { notFoundContent } from '../../views/errors.tsx';
import { ids } from '../../views/ids.ts';
import { InboxPage, InboxResults, InviteRow } from '../../views/invites.tsx';
import { paths } from '../../views/paths.ts';
import { ResultPopup } from '../../views/popups.tsx';
import { CellButton } from '../../views/room-grid.tsx';
import { accountChrome, currentUser, readerOf } from './account-context.tsx';
import { sendCalendar } from './calendar-response.ts';
import { formValidator } from './form-validator.ts';
import { aroundCell, gridPageSender } from './grid-page.tsx';
import { isHtmx, sendError, sendFragment, sendPage } from './respond.tsx';
import { appFactory } from './factory.ts';

const CREATE_REFUSALS: Record<
  Exclude<CreateInviteResult, { ok: true }>['reason'],
  { status: ContentfulStatusCode; message: string }
> = {
  'room-not-found': { status: 404, message: 'That room is no longer in use.' },
  'not-an-hour': { status: 422, message: 'Choose a whole hour in the grid.' },
  past: { status: 409, message: 'That hour has already started. Choose a later one.' },
  closed: { status: 409, message: 'The room is closed at that hour.' },
  taken: {
    status: 409,
    message:
      'Someone else just invited into this room for that hour, or the room is already held for a time that overlaps it. Choose another cell.',
  },
  'you-busy': {
    status: 409,
    message: 'You already have a meeting, or a pending invite you sent, at a time that overlaps that hour.',
  },
  'invitee-busy': {
    status: 409,
    message:
      'They already have a meeting, or an invite they sent, at a time that overlaps that hour. Choose another hour.',
  },
  'invitee-not-found': { status: 422, message: 'Choose someone from the list.' },
  self: { status: 422, message: 'Choose someone other than yourself.' },
  'rate-limited': { status: 429, message: 'You have sent as many invites as you can in an hour.' },
};

/** "in about 12 minutes" */
function inAbout(seconds: number): string {
  const minutes = Math.ceil(seconds / 60);
  return minutes <= 1 ? 'in a minute' : `in about ${minutes} minutes`;
}

const DECISION_REFUSALS: Record<
  DecisionRefusal['reason'],
  { status: ContentfulStatusCode; title: string; message: string }
> = {
  'not-found': {
    status: 404,
    title: 'Not found',
    message: 'That invite does not exist, or it is not yours to change.',
  },
  'not-pending': {
    status: 409,
    title: 'Already settled',
    message: 'That invite was already answered, withdrawn, or has expired.',
  },
  'not-accepted': {
    status: 409,
    title: 'No longer on',
    message: 'That meeting was already cancelled or withdrawn from.',
  },
  started: { status: 409, title: 'Too late', message: 'Its hour has already started.' },
  busy: {
    status: 409,
    title: 'You are busy then',
    message:
      'You already have a meeting, or a pending invite you sent, at a time that overlaps this one. Cancel or withdraw it first.',
  },
};

const noticeGone = {
  ...notFoundContent,
  title: 'No such notice',
  message: 'That notice was dismissed already, or it is not yours.',
};

type Action = 'accept' | 'reject' | 'withdraw' | 'cancel' | 'leave';

const DONE: Record<Action, string> = {
  accept: 'You accepted: the room is booked for you both.',
  reject: 'You rejected the invite. The room is free again.',
  withdraw: 'Withdrawn. The other person has been told.',
  cancel: 'Meeting cancelled. The room is free again and the attendee has been told.',
  leave: 'You withdrew from the meeting. The organizer has been told.',
};

export function inviteRoutes(deps: AppDeps) {
  const { db, config, live } = deps;
  const zone = config.siteTimeZone;
  const app = appFactory.createApp();
  app.use('/invites', requireUser());
  app.use('/invites/*', requireUser());
  app.use('/notices/*', requireUser());

  const publish = (changed: readonly Invite[]) => publishInviteChanges(live, changed);

  /** The cell named by the form's room and start, with the viewer's context for the panel. */
  async function cellOf(
    c: Context<AppEnv>,
    room: string,
    start: string,
  ): Promise<{ cell: CellDetails; context: CellContext } | null> {
    const user = currentUser(c);
    const cell = await loadCell(db, { cellKey: `${room}@${start}`, siteZone: zone, now: deps.now() });
    if (!cell) return null;
    return {
      cell,
      context: { room: cell.room, block: cell.block, ...readerOf(c), siteZone: zone, viewer: { id: user.id } },
    };
  }

  const gridPage = gridPageSender(deps);

  /**
   * An answer for the grid panel: a fragment for htmx, the grid page around it otherwise (after a
   * write, a redirect to the grid, so reloading the page sends nothing twice).
   */
  function panelAnswer(
    c: Context<AppEnv>,
    status: ContentfulStatusCode,
    panel: Child,
    cell: CellDetails,
    extra: Child = null,
    wrote = false,
  ) {
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
    const around = aroundCell(cell.room.id, cell.block.startsAt, readerOf(c).zone);
    if (wrote) return c.redirect(paths.rooms({ date: around.date }), 303);
    return gridPage(c, { ...around, panel, status });
  }

  async function formAgain(
    c: Context<AppEnv>,
    found: { cell: CellDetails; context: CellContext },
    values: Record<string, string>,
    errors: Record<string, string>,
    status: ContentfulStatusCode,
  ) {
    const people = await listPeople(db, currentUser(c).id);
    return panelAnswer(
      c,
      status,
      <InviteFormPanel context={found.context} people={people} values={values} errors={errors} />,
      found.cell,
    );
  }

  const cellGone = (c: Context<AppEnv>) =>
    sendError(c, {
      ...notFoundContent,
      title: 'That hour is not in the grid',
      message: 'The room may have been archived. Go back to the rooms and choose again.',
    });

  // "Review": checks the form and shows a summary; "Change" goes back to the form.
  app.post(
    paths.reviewInvite(),
    formValidator(InviteForm, async (c: Context<AppEnv>, refusal) => {
      const found = await cellOf(c, refusal.values.room ?? '', refusal.values.start ?? '');
      return found ? formAgain(c, found, refusal.values, refusal.errors, 422) : cellGone(c);
    }),
    async (c) => {
      const input = c.req.valid('form');
      const found = await cellOf(c, input.room, input.start);
      if (!found) return cellGone(c);
      const values = { invitee: input.invitee, note: input.note };
      if ((await c.req.parseBody()).change) return formAgain(c, found, values, {}, 200);
      const invitee = await findUserById(db, input.invitee);
      if (!invitee || invitee.id === currentUser(c).id)
        return formAgain(c, found, values, { invitee: 'Choose someone from the list, other than yourself.' }, 422);
      if (found.cell.state !== 'open')
        return formAgain(c, found, values, { form: 'This hour is no longer open. Choose another cell.' }, 409);
      return panelAnswer(
        c,
        200,
        <ReviewPanel context={found.context} invitee={invitee} note={input.note} />,
        found.cell,
      );
    },
  );

  // "Send invite": the database decides; the cell goes pending for everyone at once.
  app.post(
    paths.sendInvite(),
    formValidator(InviteForm, async (c: Context<AppEnv>, refusal) => {
      const found = await cellOf(c, refusal.values.room ?? '', refusal.values.start ?? '');
      return found ? formAgain(c, found, refusal.values, refusal.errors, 422) : cellGone(c);
    }),
    async (c) => {
      const input = c.req.valid('form');
      const user = currentUser(c);
      const found = await cellOf(c, input.room, input.start);
      if (!found) return cellGone(c);
      const result = await createInvite(db, {
        inviterId: user.id,
        roomId: input.room,
        startsAt: found.cell.block.startsAt,
        inviteeId: input.invitee,
        note: input.note,
        now: deps.now(),
        zone,
        maxPerHour: config.inviteRateLimit,
      });
      if (!result.ok) {
        const refusal = CREATE_REFUSALS[result.reason];
        let message = refusal.message;
        if (result.reason === 'rate-limited') {
          c.header('Retry-After', String(result.retryAfterSeconds));
          message = `Not sent: you have sent ${config.inviteRateLimit} invites in the past hour, the most allowed. You can send another ${inAbout(result.retryAfterSeconds)}.`;
        }
        return formAgain(c, found, { invitee: input.invitee, note: input.note }, { form: message }, refusal.status);
      }
      await publish([result.invite]);
      return panelAnswer(
        c,
        200,
        <InviteSentPanel invite={result.invite} {...readerOf(c)} />,
        found.cell,
        await cellUpdate(c, found.cell.room.id, found.cell.block.startsAt),
        true,
      );
    },
  );

  // "Book for myself": the room is the viewer's at once, a meeting with nobody invited.
  app.post(
    paths.bookForMyself(),
    formValidator(BookForm, async (c: Context<AppEnv>, refusal) => {
      const found = await cellOf(c, refusal.values.room ?? '', refusal.values.start ?? '');
      return found ? formAgain(c, found, {}, refusal.errors, 422) : cellGone(c);
    }),
    async (c) => {
      const input = c.req.valid('form');
      const found = await cellOf(c, input.room, input.start);
      if (!found) return cellGone(c);
      const result = await bookRoomForMyself(db, {
        userId: currentUser(c).id,
        roomId: input.room,
        startsAt: found.cell.block.startsAt,
        note: '',
        now: deps.now(),
        zone,
        maxPerHour: config.inviteRateLimit,
      });
      if (!result.ok) {
        const refusal = CREATE_REFUSALS[result.reason];
        let message = refusal.message;
        if (result.reason === 'rate-limited') {
          c.header('Retry-After', String(result.retryAfterSeconds));
          message = `Not booked: you have sent or booked ${config.inviteRateLimit} in the past hour, the most allowed. You can book again ${inAbout(result.retryAfterSeconds)}.`;
        }
        return formAgain(c, found, {}, { form: message }, refusal.status);
      }
      // The same events as an accepted invite: the organizer's pages and every grid showing that hour.
      await publish([result.invite]);
      return panelAnswer(
        c,
        200,
        <InviteSentPanel invite={result.invite} {...readerOf(c)} />,
        found.cell,
        await cellUpdate(c, found.cell.room.id, found.cell.block.startsAt),
        true,
      );
    },
  );

  /** The grid cell, re-read, as an out-of-band update for the person who acted. */
  async function cellUpdate(c: Context<AppEnv>, roomId: string, startsAt: Date): Promise<Child> {
    const cell = await loadCell(db, {
      cellKey: `${roomId}@${startsAt.toISOString()}`,
      siteZone: zone,
      now: deps.now(),
    });
    if (!cell) return null;
    const reader = readerOf(c);
    return (
      <CellButton cell={gridCellOf(cell, reader.zone)} zone={reader.zone} siteZone={zone} locale={reader.locale} oob />
    );
  }

  const actions: Record<
    Action,
    (args: {
      inviteId: string;
      userId: string;
      now: Date;
    }) => Promise<ChangeResult | Awaited<ReturnType<typeof acceptInvite>>>
  > = {
    accept: (args) => acceptInvite(db, args),
    reject: (args) => rejectInvite(db, args),
    withdraw: (args) => withdrawInvite(db, args),
    cancel: (args) => cancelMeeting(db, args),
    leave: (args) => leaveMeeting(db, args),
  };

  for (const name of Object.keys(actions) as Action[]) {
    app.post(`/invites/:inviteId/${name}`, async (c) => {
      const user = currentUser(c);
      const result = await actions[name]({ inviteId: c.req.param('inviteId'), userId: user.id, now: deps.now() });
      if (result.ok) await publish([result.invite, ...('declined' in result ? result.declined : [])]);
      const invite = result.ok ? result.invite : (result.invite ?? null);
      const refusal = result.ok ? null : DECISION_REFUSALS[result.reason];
      const status = refusal?.status ?? 200;
      const message = refusal?.message ?? DONE[name];
      const target = c.req.header('hx-target');
      const viewer = { id: user.id, timeZone: user.timeZone, locale: c.get('locale') };

      // Without JavaScript: back to the inbox when it worked, else the reason as a page.
      if (!isHtmx(c))
        return refusal ? sendError(c, { status, title: refusal.title, message }) : c.redirect(paths.inbox(), 303);
      if (target === ids.popupResults) {
        const title = refusal
          ? refusal.title
          : name === 'accept'
            ? 'Accepted'
            : name === 'reject'
              ? 'Rejected'
              : 'Done';
        return sendFragment(
          c,
          <ResultPopup
            invite={invite}
            viewer={viewer}
            title={title}
            message={message}
            origin={c.get('origin')}
            tone={refusal ? 'error' : 'success'}
          />,
          status,
        );
      }
      if (target === ids.cellPanel && invite) {
        const found = await cellOf(c, invite.room.id, invite.startsAt.toISOString());
        const panel = found?.cell.invite ? (
          <HeldPanel context={found.context} invite={found.cell.invite} origin={c.get('origin')} />
        ) : (
          <PanelOutcome tone={refusal ? 'error' : 'success'} title={refusal ? refusal.title : 'Done'}>
            <p>{message}</p>
          </PanelOutcome>
        );
        return sendFragment(
          c,
          <>
            {panel}
            {await cellUpdate(c, invite.room.id, invite.startsAt)}
          </>,
          status,
        );
      }
      if (invite && target?.startsWith('invite-')) {
        const view = {
          filter: { box: 'received' as const, status: 'all' as const, q: '' },
          invites: [],
          viewer,
          locale: c.get('locale'),
          now: deps.now(),
          origin: c.get('origin'),
        };
        return sendFragment(
          c,
          <InviteRow invite={(await findInvite(db, invite.id)) ?? invite} view={view} message={message} />,
          status,
        );
      }
      return sendError(c, { status, title: refusal?.title ?? 'Done', message });
    });
  }

  app.get(paths.inbox(), async (c) => {
    const user = currentUser(c);
    const filter = InboxQuery.parse(c.req.query());
    const view = {
      filter,
      invites: await listInbox(db, user.id, filter, config.maxListRows + 1),
      limit: config.maxListRows,
      viewer: { id: user.id, timeZone: user.timeZone },
      locale: c.get('locale'),
      now: deps.now(),
      origin: c.get('origin'),
    };
    const account = await accountChrome(deps, c, 'invites');
    return sendPage(c, <InboxPage account={account} live={paths.accountLive({ view: 'inbox' })} view={view} />);
  });

  app.get(paths.inboxResults(), async (c) => {
    const filter = InboxQuery.parse(c.req.query());
    if (!isHtmx(c)) return c.redirect(paths.inbox(filter), 303);
    const user = currentUser(c);
    const view = {
      filter,
      invites: await listInbox(db, user.id, filter, config.maxListRows + 1),
      limit: config.maxListRows,
      viewer: { id: user.id, timeZone: user.timeZone },
      locale: c.get('locale'),
      now: deps.now(),
      origin: c.get('origin'),
    };
    return sendFragment(c, <InboxResults view={view} />);
  });

  app.get('/invites/:inviteId/meeting.ics', async (c) => {
    const user = currentUser(c);
    const invite = await findInvite(db, c.req.param('inviteId'));
    if (invite?.status !== 'accepted' || (invite.inviter.id !== user.id && invite.invitee?.id !== user.id))
      return sendError(c, notFoundContent);
    const origin = c.get('origin');
    const event = meetingEvent(invite, { url: `${origin}${paths.inbox()}`, host: new URL(origin).host });
    return sendCalendar(c, buildCalendar([event], { now: deps.now() }), 'meeting.ics');
  });

  app.post('/notices/:noticeId/dismiss', async (c) => {
    const user = currentUser(c);
    const dismissed = await dismissNotice(db, user.id, c.req.param('noticeId'), deps.now());
    // Other tabs of the same person drop the pop-up too.
    if (dismissed) await live.publish(userTopic(user.id), accountEvents.invitesChanged([]));
    if (!isHtmx(c)) return dismissed ? c.redirect(paths.inbox(), 303) : sendError(c, noticeGone);
    return c.body(null, dismissed ? 204 : 404);
  });

  return app;
}

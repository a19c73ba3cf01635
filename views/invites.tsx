/**
 * The inbox: invites received and sent, filtered by status and searched by person or room. Rows
 * carry the actions that fit (accept, reject, withdraw, cancel) and calendar links for meetings.
 */
import { INVITE_STATUSES } from '../src/db/schema.ts';
import type { Invite, InboxFilter } from '../src/domain/invites.ts';
import type { Locale } from '../src/domain/locale.ts';
import { personName } from './components/person.ts';
import { ids, inviteRowId } from './ids.ts';
import { type AccountChrome, Layout } from './layout.tsx';
import { paths } from './paths.ts';
import { inviteWhen, MeetingLinks } from './popups.tsx';

export interface InboxView {
  filter: InboxFilter;
  /** Up to `limit` + 1 rows: one more than shown says there are more. */
  invites: readonly Invite[];
  /** Rows shown at most (MAX_LIST_ROWS). */
  limit?: number;
  viewer: { id: string; timeZone: string };
  /** How dates and times read (en-GB unless said). */
  locale?: Locale;
  now: Date;
  origin: string;
}

const STATUS_LABEL: Record<string, string> = {
  all: 'Any status',
  pending: 'Pending',
  accepted: 'Accepted',
  rejected: 'Rejected',
  expired: 'Expired',
  withdrawn: 'Withdrawn',
  cancelled: 'Cancelled',
};

export function InboxPage(props: { account: AccountChrome; live: string; view: InboxView }) {
  const { filter } = props.view;
  const results = paths.inboxResults();
  return (
    <Layout title="Invites" account={props.account} live={props.live}>
      <header class="page-head">
        <h1>Invites</h1>
        <p class="page-lede">Times are shown in {props.view.viewer.timeZone}.</p>
      </header>
      {/* biome-ignore lint/a11y/useSemanticElements: a <search> element is not yet announced by every screen reader */}
      <form
        id={ids.inboxFilters}
        method="get"
        action={paths.inbox()}
        class="filters"
        hx-get={results}
        hx-target={`#${ids.inboxResults}`}
        hx-swap="outerHTML"
        hx-trigger="change, submit, input changed delay:400ms from:#inbox-q"
        hx-push-url="true"
        role="search"
        aria-label="Filter invites"
      >
        <fieldset class="box-choice">
          <legend>Show</legend>
          <label>
            <input type="radio" name="box" value="all" checked={filter.box === 'all'} /> All
          </label>
          <label>
            <input type="radio" name="box" value="received" checked={filter.box === 'received'} /> Received
          </label>
          <label>
            <input type="radio" name="box" value="sent" checked={filter.box === 'sent'} /> Sent
          </label>
        </fieldset>
        <div class="field">
          <label for="inbox-status">Status</label>
          <select id="inbox-status" name="status">
            {['all', ...INVITE_STATUSES].map((status) => (
              <option value={status} selected={filter.status === status}>
                {STATUS_LABEL[status]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="inbox-q">Person or room</label>
          <input id="inbox-q" type="search" name="q" value={filter.q} maxlength={80} autocomplete="off" />
        </div>
        <div class="actions">
          <button type="submit" class="button button--quiet">
            Filter
          </button>
        </div>
      </form>
      <InboxResults view={props.view} />
    </Layout>
  );
}

const BOX_LABEL = { all: 'Received and sent', received: 'Received', sent: 'Sent' } as const;

export function InboxResults(props: { view: InboxView }) {
  const { filter, limit } = props.view;
  const more = limit !== undefined && props.view.invites.length > limit;
  const invites = more ? props.view.invites.slice(0, limit) : props.view.invites;
  return (
    <section id={ids.inboxResults} class="inbox" aria-labelledby="inbox-heading">
      <h2 id="inbox-heading">
        {BOX_LABEL[filter.box]}
        {filter.status !== 'all' ? `, ${STATUS_LABEL[filter.status]!.toLowerCase()}` : ''}
        {filter.q ? `, matching “${filter.q}”` : ''}
      </h2>
      <p role="status" class="summary">
        {invites.length === 0
          ? 'Nothing here.'
          : more
            ? `The ${invites.length} with the latest hours are shown; choose a status or search to find older ones.`
            : `${invites.length} ${invites.length === 1 ? 'invite' : 'invites'}`}
      </p>
      <ul class="invite-list" role="list">
        {invites.map((invite) => (
          <InviteRow invite={invite} view={props.view} />
        ))}
      </ul>
    </section>
  );
}

/** After a live change, the results reload themselves with the filters currently chosen. */
export function InboxRefresh() {
  return (
    <section
      id={ids.inboxResults}
      hx-swap-oob="true"
      hx-get={paths.inboxResults()}
      hx-include={`#${ids.inboxFilters}`}
      hx-trigger="load"
      hx-swap="outerHTML"
      class="inbox"
      aria-busy="true"
    >
      <p class="loading">Updating…</p>
    </section>
  );
}

function statusText(invite: Invite, viewerId: string, now: Date): string {
  const other =
    invite.inviter.id === viewerId ? (invite.invitee ? personName(invite.invitee) : 'you') : personName(invite.inviter);
  switch (invite.status) {
    case 'pending':
      return invite.startsAt.getTime() <= now.getTime() ? 'Expired' : 'Pending';
    case 'accepted':
      return invite.invitee ? 'Accepted: meeting booked' : 'Booked for yourself';
    case 'rejected':
      return invite.reason === 'accepted-other'
        ? `Declined: ${invite.invitee ? personName(invite.invitee) : 'they'} accepted another meeting then`
        : 'Rejected';
    case 'expired':
      return 'Expired without an answer';
    case 'withdrawn':
      return invite.endedBy === invite.inviter.id
        ? `Withdrawn by ${invite.inviter.id === viewerId ? 'you' : other}`
        : `${invite.invitee?.id === viewerId ? 'You' : other} withdrew from the meeting`;
    case 'cancelled':
      return invite.reason === 'overlap'
        ? 'Cancelled: it overlapped another booking of the room or of a person'
        : `Cancelled by ${invite.inviter.id === viewerId ? 'you' : other}`;
  }
}

export function InviteRow(props: { invite: Invite; view: InboxView; message?: string }) {
  const { invite, view } = props;
  const me = view.viewer.id;
  const upcoming = invite.startsAt.getTime() > view.now.getTime();
  const received = invite.invitee?.id === me;
  const action = (name: Parameters<typeof paths.inviteAction>[1], label: string, quiet = true) => (
    <form
      method="post"
      action={paths.inviteAction(invite.id, name)}
      hx-post={paths.inviteAction(invite.id, name)}
      hx-target={`#${inviteRowId(invite.id)}`}
      hx-swap="outerHTML"
      hx-disabled-elt="find button"
    >
      <button type="submit" class={quiet ? 'button button--quiet button--small' : 'button button--small'}>
        {label}
        <span class="visually-hidden">
          : {invite.room.name}, {inviteWhen(invite, view.viewer.timeZone, view.locale)}
        </span>
      </button>
    </form>
  );
  return (
    <li id={inviteRowId(invite.id)} class={`invite invite--${invite.status}`}>
      <p class="invite-title">
        <strong>{invite.room.name}</strong>, {inviteWhen(invite, view.viewer.timeZone, view.locale)}
      </p>
      <p>
        {received
          ? `From ${personName(invite.inviter)}`
          : invite.invitee
            ? `To ${personName(invite.invitee)}`
            : 'Booked for yourself'}
      </p>
      {invite.note ? <p class="note">{invite.note}</p> : null}
      <p class="invite-status">{statusText(invite, me, view.now)}</p>
      {props.message ? (
        <p class="form-status" role="status">
          {props.message}
        </p>
      ) : null}
      {invite.status === 'accepted' ? <MeetingLinks invite={invite} origin={view.origin} /> : null}
      {upcoming ? (
        <div class="actions">
          {received && invite.status === 'pending' ? (
            <>
              {action('accept', 'Accept', false)}
              {action('reject', 'Reject')}
            </>
          ) : null}
          {!received && invite.status === 'pending' ? action('withdraw', 'Withdraw') : null}
          {!received && invite.status === 'accepted' ? action('cancel', 'Cancel meeting') : null}
          {received && invite.status === 'accepted' ? action('leave', 'Withdraw from meeting') : null}
        </div>
      ) : null}
    </li>
  );
}

/**
 * Pop-ups for signed-in people: an invite waiting for an answer (Accept / Reject; Escape decides
 * later), notices (answers, expiries, cancellations) and the result of a decision. They are
 * <dialog>s that the small script opens with showModal(). Only the newest few invites pop up; a
 * line counts the rest, which wait in Invites. Invites and notices keep their element across live
 * refreshes (hx-preserve), so an open pop-up is never yanked from under the reader; live pushes
 * insert and remove single pop-ups by id (PopupInsert, PopupRemoval) rather than re-send them all.
 */
import type { Child } from 'hono/jsx';
import { meetingEvent } from '../src/domain/calendar.ts';
import type { Invite, NotificationKind } from '../src/domain/invites.ts';
import type { Locale } from '../src/domain/locale.ts';
import type { Notice, PopupState } from '../src/domain/notifications.ts';
import { describeRange } from '../src/domain/time.ts';
import { personName } from './components/person.ts';
import { CalendarLinks } from './components/calendar-links.tsx';
import { ids, invitePopupId, noticePopupId, resultPopupId } from './ids.ts';
import { paths } from './paths.ts';

export interface Viewer {
  id: string;
  timeZone: string;
  /** How dates and times read (en-GB unless said). */
  locale?: Locale;
}

/** Every pop-up a page starts with (and a live page is sent when its socket opens). */
export function Popups(props: { viewer: Viewer; state: PopupState; origin: string; oob?: boolean }) {
  const { state } = props;
  return (
    <div id={ids.popups} class="popups" hx-swap-oob={props.oob ? 'true' : undefined}>
      <div id={ids.popupInvites}>
        {state.invites.map((invite) => (
          <InvitePopup invite={invite} viewer={props.viewer} />
        ))}
      </div>
      <MorePopups state={state} />
      <div id={ids.popupNotices}>
        {state.notices.map((notice) => (
          <NoticePopup notice={notice} viewer={props.viewer} origin={props.origin} />
        ))}
      </div>
    </div>
  );
}

/** "N more in Invites": the pending invites that do not pop up (empty, and hidden, when none). */
export function MorePopups(props: { state: Pick<PopupState, 'invites' | 'pendingCount'>; oob?: boolean }) {
  const more = Math.max(0, props.state.pendingCount - props.state.invites.length);
  return (
    <p id={ids.popupsMore} class="popups-more" hx-swap-oob={props.oob ? 'true' : undefined}>
      {more > 0 ? (
        <>
          Only your newest {props.state.invites.length} invites pop up.{' '}
          <a href={paths.inbox({ status: 'pending' })}>{more} more in Invites</a>
        </>
      ) : null}
    </p>
  );
}

/**
 * A pop-up to add to a live page: just before the pop-up with id `before`, or at the end of
 * `container` (#popup-invites or #popup-notices).
 */
export function PopupInsert(props: { container: string; before: string | null; children: Child }) {
  return (
    <div hx-swap-oob={props.before ? `beforebegin:#${props.before}` : `beforeend:#${props.container}`}>
      {props.children}
    </div>
  );
}

/** Takes the pop-up with this id off a live page. */
export function PopupRemoval(props: { id: string }) {
  return <div id={props.id} hx-swap-oob="delete"></div>;
}

/** The pop-ups a live page shows, by id, in page order: what the next push starts from. */
export interface ShownPopups {
  invites: readonly string[];
  notices: readonly string[];
}

export const shownPopupsOf = (state: PopupState): ShownPopups => ({
  invites: state.invites.map((i) => i.id),
  notices: state.notices.map((n) => n.id),
});

/**
 * Turns a page showing `shown` into one showing `state`, touching only what differs: a pop-up that
 * left is removed, one that arrived is inserted in its place (an open one is never re-sent), and
 * the "N more" line is replaced. A new invite is one pop-up, whatever else is pending.
 */
export function PopupChanges(props: { shown: ShownPopups; state: PopupState; viewer: Viewer; origin: string }) {
  const { shown, state, viewer } = props;
  return (
    <>
      {listChanges(shown.invites, state.invites, invitePopupId, ids.popupInvites, (invite) => (
        <InvitePopup invite={invite} viewer={viewer} />
      ))}
      <MorePopups state={state} oob />
      {listChanges(shown.notices, state.notices, noticePopupId, ids.popupNotices, (notice) => (
        <NoticePopup notice={notice} viewer={viewer} origin={props.origin} />
      ))}
    </>
  );
}

function listChanges<T extends { id: string }>(
  before: readonly string[],
  after: readonly T[],
  domId: (id: string) => string,
  container: string,
  render: (item: T) => Child,
): Child[] {
  const afterIds = new Set(after.map((item) => item.id));
  const kept = new Set(before.filter((id) => afterIds.has(id)));
  const changes: Child[] = before.filter((id) => !kept.has(id)).map((id) => <PopupRemoval id={domId(id)} />);
  after.forEach((item, index) => {
    if (kept.has(item.id)) return;
    // Both lists keep one order (by when each was made), so the next kept pop-up marks the place.
    const next = after.slice(index + 1).find((later) => kept.has(later.id));
    changes.push(
      <PopupInsert container={container} before={next ? domId(next.id) : null}>
        {render(item)}
      </PopupInsert>,
    );
  });
  return changes;
}

/** When, in the reader's zone, with the zone named. */
export function inviteWhen(
  invite: Pick<Invite, 'startsAt' | 'endsAt'>,
  zone: string,
  locale: Locale = 'en-GB',
): string {
  return `${describeRange(invite.startsAt, invite.endsAt, zone, locale).full} (${zone})`;
}

function InviteFacts(props: { invite: Invite; viewer: Viewer }) {
  const { invite, viewer } = props;
  const you = (person: Invite['inviter']) =>
    person.id === viewer.id ? `${person.displayName} (you)` : personName(person);
  return (
    <dl class="facts">
      <dt>Room</dt>
      <dd>{invite.room.name}</dd>
      <dt>When</dt>
      <dd>{inviteWhen(invite, viewer.timeZone, viewer.locale)}</dd>
      <dt>Attendees</dt>
      <dd>
        {you(invite.inviter)}, organizer{invite.invitee ? `; ${you(invite.invitee)}` : ''}
      </dd>
      {invite.note ? (
        <>
          <dt>Note</dt>
          <dd class="note">{invite.note}</dd>
        </>
      ) : null}
    </dl>
  );
}

export function InvitePopup(props: { invite: Invite; viewer: Viewer }) {
  const { invite } = props;
  const id = invitePopupId(invite.id);
  const action = (name: 'accept' | 'reject') => ({
    'hx-post': paths.inviteAction(invite.id, name),
    'hx-target': `#${ids.popupResults}`,
    'hx-swap': 'beforeend',
    'data-closes-dialog': 'true',
  });
  return (
    <dialog
      id={id}
      class="popup"
      data-popup="invite"
      hx-preserve="true"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-hint`}
    >
      <h2 id={`${id}-title`}>{personName(invite.inviter)} invites you to a meeting</h2>
      <InviteFacts invite={invite} viewer={props.viewer} />
      <div class="actions">
        <button type="button" class="button" autofocus {...action('accept')}>
          Accept
        </button>
        <button type="button" class="button button--quiet" {...action('reject')}>
          Reject
        </button>
      </div>
      <p class="field-hint" id={`${id}-hint`}>
        Press Escape to decide later: it stays under Invites until its hour starts.
      </p>
    </dialog>
  );
}

function noticeText(kind: NotificationKind, invite: Invite, viewer: Viewer): { title: string; detail: string } {
  // A room booked for oneself has no "them": its notices (none are written today) speak of the room.
  const them =
    invite.inviter.id === viewer.id
      ? invite.invitee
        ? personName(invite.invitee)
        : invite.room.name
      : personName(invite.inviter);
  switch (kind) {
    case 'accepted':
      return { title: `${them} accepted your invite`, detail: 'The room is booked for you both.' };
    case 'rejected':
      return { title: `${them} rejected your invite`, detail: 'The room is free again.' };
    case 'declined-other':
      return {
        title: `${them} is busy then`,
        detail: 'They accepted another meeting for that hour, so your invite was declined. The room is free again.',
      };
    case 'expired':
      return invite.inviter.id === viewer.id
        ? { title: `Your invite to ${them} expired`, detail: 'Its hour started without an answer.' }
        : { title: `The invite from ${them} expired`, detail: 'Its hour started before you answered.' };
    case 'withdrawn':
      return { title: `${them} withdrew their invite`, detail: 'There is nothing to answer any more.' };
    case 'cancelled':
      return { title: `${them} cancelled the meeting`, detail: 'The room is free again.' };
    case 'left':
      return {
        title: `${them} can no longer come`,
        detail: 'They withdrew, so the meeting is off and the room is free again.',
      };
  }
}

export function NoticePopup(props: { notice: Notice; viewer: Viewer; origin: string }) {
  const { notice, viewer } = props;
  const id = noticePopupId(notice.id);
  const { title, detail } = noticeText(notice.kind, notice.invite, viewer);
  const booked = notice.kind === 'accepted' && notice.invite.status === 'accepted';
  return (
    <dialog id={id} class="popup" data-popup="notice" hx-preserve="true" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p>{detail}</p>
      <InviteFacts invite={notice.invite} viewer={viewer} />
      {booked ? <MeetingLinks invite={notice.invite} origin={props.origin} /> : null}
      <div class="actions">
        <button
          type="button"
          class="button"
          autofocus
          hx-post={paths.dismissNotice(notice.id)}
          hx-swap="none"
          data-closes-dialog="true"
        >
          OK
        </button>
      </div>
    </dialog>
  );
}

export function MeetingLinks(props: { invite: Invite; origin: string }) {
  const event = meetingEvent(props.invite, {
    url: `${props.origin}${paths.inbox()}`,
    host: new URL(props.origin).host,
  });
  return <CalendarLinks event={event} icsUrl={paths.meetingCalendar(props.invite.id)} />;
}

/** The answer to Accept or Reject pressed in a pop-up, shown in a pop-up of its own. */
export function ResultPopup(props: {
  invite: Invite | null;
  viewer: Viewer;
  title: string;
  message: string;
  origin: string;
  tone: 'success' | 'error';
}) {
  const id = props.invite ? resultPopupId(props.invite.id) : 'popup-result';
  return (
    <dialog id={id} class={`popup popup--${props.tone}`} data-popup="result" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{props.title}</h2>
      <p role="status">{props.message}</p>
      {props.invite ? <InviteFacts invite={props.invite} viewer={props.viewer} /> : null}
      {props.invite?.status === 'accepted' ? <MeetingLinks invite={props.invite} origin={props.origin} /> : null}
      <div class="actions">
        <button type="button" class="button" autofocus data-closes-dialog="true">
          Close
        </button>
      </div>
    </dialog>
  );
}

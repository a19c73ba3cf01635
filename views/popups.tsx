/**
 * Pop-ups for signed-in people: an invite waiting for an answer (Accept / Reject; Escape decides
 * later), notices (answers, expiries, cancellations) and the result of a decision. They are
 * <dialog>s that the small script opens with showModal(). Invites and notices keep their element
 * across live refreshes (hx-preserve), so an open pop-up is never yanked from under the reader.
 */
import { meetingEvent } from '../src/domain/calendar.ts';
import type { Invite, NotificationKind } from '../src/domain/invites.ts';
import type { Notice } from '../src/domain/notifications.ts';
import { describeRange } from '../src/domain/time.ts';
import { CalendarLinks } from './components/calendar-links.tsx';
import { ids, invitePopupId, noticePopupId, resultPopupId } from './ids.ts';
import { paths } from './paths.ts';

export interface Viewer {
  id: string;
  timeZone: string;
}

export function Popups(props: { viewer: Viewer; invites: readonly Invite[]; notices: readonly Notice[]; origin: string; oob?: boolean }) {
  return (
    <div id={ids.popups} class="popups" hx-swap-oob={props.oob ? 'true' : undefined}>
      {props.invites.map((invite) => (
        <InvitePopup invite={invite} viewer={props.viewer} />
      ))}
      {props.notices.map((notice) => (
        <NoticePopup notice={notice} viewer={props.viewer} origin={props.origin} />
      ))}
    </div>
  );
}

/** When, in the reader's zone, with the zone named. */
export function inviteWhen(invite: Pick<Invite, 'startsAt' | 'endsAt'>, zone: string): string {
  return `${describeRange(invite.startsAt, invite.endsAt, zone).full} (${zone})`;
}

function InviteFacts(props: { invite: Invite; viewer: Viewer }) {
  const { invite, viewer } = props;
  const you = (person: Invite['inviter']) => (person.id === viewer.id ? `${person.displayName} (you)` : `${person.displayName} (${person.username})`);
  return (
    <dl class="facts">
      <dt>Room</dt>
      <dd>{invite.room.name}</dd>
      <dt>When</dt>
      <dd>{inviteWhen(invite, viewer.timeZone)}</dd>
      <dt>Attendees</dt>
      <dd>
        {you(invite.inviter)}, organizer; {you(invite.invitee)}
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
    <dialog id={id} class="popup" data-popup="invite" hx-preserve="true" aria-labelledby={`${id}-title`} aria-describedby={`${id}-hint`}>
      <h2 id={`${id}-title`}>{invite.inviter.displayName} invites you to a meeting</h2>
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
  const them = invite.inviter.id === viewer.id ? invite.invitee.displayName : invite.inviter.displayName;
  switch (kind) {
    case 'accepted':
      return { title: `${them} accepted your invite`, detail: 'The room is booked for you both.' };
    case 'rejected':
      return { title: `${them} rejected your invite`, detail: 'The room is free again.' };
    case 'declined-other':
      return { title: `${them} is busy then`, detail: 'They accepted another meeting for that hour, so your invite was declined. The room is free again.' };
    case 'expired':
      return invite.inviter.id === viewer.id
        ? { title: `Your invite to ${them} expired`, detail: 'Its hour started without an answer.' }
        : { title: `The invite from ${them} expired`, detail: 'Its hour started before you answered.' };
    case 'withdrawn':
      return { title: `${them} withdrew their invite`, detail: 'There is nothing to answer any more.' };
    case 'cancelled':
      return { title: `${them} cancelled the meeting`, detail: 'The room is free again.' };
    case 'left':
      return { title: `${them} can no longer come`, detail: 'They withdrew, so the meeting is off and the room is free again.' };
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
        <button type="button" class="button" autofocus hx-post={paths.dismissNotice(notice.id)} hx-swap="none" data-closes-dialog="true">
          OK
        </button>
      </div>
    </dialog>
  );
}

export function MeetingLinks(props: { invite: Invite; origin: string }) {
  const event = meetingEvent(props.invite, { url: `${props.origin}${paths.inbox()}`, host: new URL(props.origin).host });
  return <CalendarLinks event={event} icsUrl={paths.meetingCalendar(props.invite.id)} />;
}

/** The answer to Accept or Reject pressed in a pop-up, shown in a pop-up of its own. */
export function ResultPopup(props: { invite: Invite | null; viewer: Viewer; title: string; message: string; origin: string; tone: 'success' | 'error' }) {
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

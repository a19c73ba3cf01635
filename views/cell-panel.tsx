/**
 * The panel below the grid: for an open hour the invite form ("Invite", "Note", "Review") and
 * its summary ("Send invite"), or "Book for myself"; for a held hour who holds it and what the
 * viewer may do about it.
 */
import type { FieldErrors } from '../src/domain/forms.ts';
import type { Invite } from '../src/domain/invites.ts';
import type { Period } from '../src/domain/grid.ts';
import type { Locale } from '../src/domain/locale.ts';
import { type Room, roomZone } from '../src/domain/rooms.ts';
import { describeRange, zoneLabel } from '../src/domain/time.ts';
import type { User } from '../src/domain/users.ts';
import { personName } from './components/person.ts';
import { FormError, SelectField, TextAreaField } from './components/field.tsx';
import { ids } from './ids.ts';
import { paths } from './paths.ts';
import { MeetingLinks } from './popups.tsx';

export interface CellContext {
  room: Room;
  block: Period;
  /** The viewer's zone and locale: the panel reads like the grid. */
  zone: string;
  locale: Locale;
  /** The zone of rooms without one of their own. */
  siteZone: string;
  viewer: { id: string };
}

/** "Tue 16 Mar 2027, 10:00–11:00 (America/New_York)", in a zone and a locale. */
export function whenIn(period: Period, zone: string, locale: Locale): string {
  return `${describeRange(period.startsAt, period.endsAt, zone, locale).full} (${zone})`;
}

function CellHeading(props: { context: CellContext; prefix: string }) {
  const { room, block, zone, locale, siteZone } = props.context;
  const label = describeRange(block.startsAt, block.endsAt, zone, locale).full;
  const theirs = roomZone(room, siteZone);
  const differs =
    describeRange(block.startsAt, block.endsAt, theirs).full !== describeRange(block.startsAt, block.endsAt, zone).full;
  return (
    <>
      <h2 tabindex={-1} autofocus>
        {props.prefix} {room.name}, {label}
      </h2>
      {differs ? <p class="field-hint">The room’s own time: {whenIn(block, theirs, locale)}</p> : null}
    </>
  );
}

function Hidden(props: { context: CellContext }) {
  return (
    <>
      <input type="hidden" name="room" value={props.context.room.id} />
      <input type="hidden" name="start" value={props.context.block.startsAt.toISOString()} />
    </>
  );
}

const panelForm = (action: string) => ({
  method: 'post' as const,
  action,
  'hx-post': action,
  'hx-target': `#${ids.cellPanel}`,
  'hx-swap': 'innerHTML',
  'hx-disabled-elt': 'find button',
});

export function InviteFormPanel(props: {
  context: CellContext;
  people: readonly User[];
  values?: Record<string, string>;
  errors?: FieldErrors;
}) {
  const { values = {}, errors = {} } = props;
  const options = [
    { value: '', label: 'Choose a person' },
    ...props.people.map((p) => ({ value: p.id, label: personName(p) })),
  ];
  return (
    <section class="panel" aria-label="New invite">
      <CellHeading context={props.context} prefix="Invite someone to" />
      <FormError message={errors.form} />
      <form {...panelForm(paths.reviewInvite())}>
        <Hidden context={props.context} />
        <SelectField
          form="invite"
          name="invitee"
          label="Invite"
          options={options}
          value={values.invitee}
          error={errors.invitee}
        />
        <TextAreaField
          form="invite"
          name="note"
          label="Note (optional)"
          value={values.note}
          error={errors.note}
          maxlength={500}
          rows={2}
        />
        <div class="actions">
          <button type="submit" class="button">
            Review
          </button>
        </div>
      </form>
      <form {...panelForm(paths.bookForMyself())} class="book-myself">
        <Hidden context={props.context} />
        <p class="field-hint">Or take the room yourself, with nobody else invited.</p>
        <div class="actions">
          <button type="submit" class="button button--quiet">
            Book for myself
          </button>
        </div>
      </form>
    </section>
  );
}

export function ReviewPanel(props: { context: CellContext; invitee: User; note: string }) {
  const { context, invitee, note } = props;
  const { block, zone, locale } = context;
  return (
    <section class="panel" aria-label="Review the invite">
      <CellHeading context={context} prefix="Review: invite to" />
      <dl class="facts">
        <dt>Invitee</dt>
        <dd>{personName(invitee)}</dd>
        <dt>When</dt>
        <dd>{whenIn(block, zone, locale)}</dd>
        {invitee.timeZone !== zone ? (
          <>
            <dt>For {invitee.displayName}</dt>
            <dd>{whenIn(block, invitee.timeZone, locale)}</dd>
          </>
        ) : null}
        {note ? (
          <>
            <dt>Note</dt>
            <dd class="note">{note}</dd>
          </>
        ) : null}
      </dl>
      <form {...panelForm(paths.sendInvite())}>
        <Hidden context={context} />
        <input type="hidden" name="invitee" value={invitee.id} />
        <input type="hidden" name="note" value={note} />
        <div class="actions">
          <button type="submit" class="button">
            Send invite
          </button>
          <button
            type="submit"
            class="button button--quiet"
            name="change"
            value="1"
            formaction={paths.reviewInvite()}
            hx-post={paths.reviewInvite()}
          >
            Change
          </button>
        </div>
      </form>
    </section>
  );
}

/** A pending invite or meeting in a cell, with what the viewer may do. */
export function HeldPanel(props: { context: CellContext; invite: Invite; origin: string }) {
  const { context, invite } = props;
  const viewerId = context.viewer.id;
  const isInviter = invite.inviter.id === viewerId;
  const isInvitee = invite.invitee?.id === viewerId;
  const action = (name: Parameters<typeof paths.inviteAction>[1], label: string, quiet = false) => (
    <form {...panelForm(paths.inviteAction(invite.id, name))}>
      <button type="submit" class={quiet ? 'button button--quiet' : 'button'}>
        {label}
      </button>
    </form>
  );
  return (
    <section class="panel" aria-label={invite.status === 'accepted' ? 'Meeting' : 'Pending invite'}>
      <CellHeading context={context} prefix={invite.status === 'accepted' ? 'Booked:' : 'Pending:'} />
      <dl class="facts">
        <dt>Organizer</dt>
        <dd>{isInviter ? 'You' : personName(invite.inviter)}</dd>
        {invite.invitee ? (
          <>
            <dt>{invite.status === 'accepted' ? 'Attendee' : 'Invited'}</dt>
            <dd>{isInvitee ? 'You' : personName(invite.invitee)}</dd>
          </>
        ) : (
          <>
            <dt>Attendee</dt>
            <dd>Nobody else: {isInviter ? 'booked for yourself' : 'booked for themselves'}</dd>
          </>
        )}
        {invite.note && (isInviter || isInvitee) ? (
          <>
            <dt>Note</dt>
            <dd class="note">{invite.note}</dd>
          </>
        ) : null}
      </dl>
      {invite.status === 'accepted' && (isInviter || isInvitee) ? (
        <MeetingLinks invite={invite} origin={props.origin} />
      ) : null}
      <div class="actions">
        {isInvitee && invite.status === 'pending' ? (
          <>
            {action('accept', 'Accept')}
            {action('reject', 'Reject', true)}
          </>
        ) : null}
        {isInviter && invite.status === 'pending' ? action('withdraw', 'Withdraw invite', true) : null}
        {isInviter && invite.status === 'accepted' ? action('cancel', 'Cancel meeting', true) : null}
        {isInvitee && invite.status === 'accepted' ? action('leave', 'Withdraw from meeting', true) : null}
      </div>
    </section>
  );
}

export function ClosedPanel(props: { context: CellContext; past: boolean }) {
  const { context } = props;
  return (
    <section class="panel panel--info" role="status">
      <CellHeading context={context} prefix={props.past ? 'Passed:' : 'Closed:'} />
      {props.past ? (
        <p>This hour has started, so nobody can be invited into it any more.</p>
      ) : (
        <p>
          {context.room.name} is closed then ({zoneLabel(roomZone(context.room, context.siteZone))}). You can open its
          hours on <a href={paths.room(context.room.id)}>the room’s page</a>.
        </p>
      )}
    </section>
  );
}

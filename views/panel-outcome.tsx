/**
 * What an action from the grid's panel did (invite sent, booked for oneself, done or refused): a
 * status the screen reader reads out, after which keyboard focus goes back to the chosen cell.
 */
import type { Child } from 'hono/jsx';
import type { Invite } from '../src/domain/invites.ts';
import type { Locale } from '../src/domain/locale.ts';
import { describeRange } from '../src/domain/time.ts';

/**
 * What an action from the panel did, as a status the screen reader reads out; keyboard focus goes
 * back to the chosen cell (public/app.js, `data-return-focus`), ready for the next one.
 */
export function PanelOutcome(props: { tone: 'success' | 'error'; title: string; children: Child }) {
  return (
    <section class={`panel panel--${props.tone}`} role="status" data-return-focus="true">
      <h2>{props.title}</h2>
      {props.children}
    </section>
  );
}

export function InviteSentPanel(props: { invite: Invite; zone: string; locale: Locale }) {
  const { invite } = props;
  const when = describeRange(invite.startsAt, invite.endsAt, props.zone, props.locale).full;
  if (!invite.invitee)
    return (
      <PanelOutcome tone="success" title="Booked for yourself">
        <p>
          {invite.room.name}, {when}. You can cancel it from this cell or under Invites.
        </p>
      </PanelOutcome>
    );
  return (
    <PanelOutcome tone="success" title={`Invite sent to ${invite.invitee.displayName}`}>
      <p>
        {invite.room.name}, {when}. The hour is held for you; you will get a pop-up when {invite.invitee.displayName}{' '}
        answers.
      </p>
    </PanelOutcome>
  );
}

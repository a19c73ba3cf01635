/**
 * My meetings: the signed-in person's meetings that have not ended and the pending invites they
 * received or sent, in time order, by day in their zone, each with its room, people, state, calendar
 * links and the actions that fit (the inbox's rows). The list refreshes itself when invites change.
 */
import type { Invite } from '../src/domain/invites.ts';
import type { Locale } from '../src/domain/locale.ts';
import { describeRange } from '../src/domain/time.ts';
import { ids } from './ids.ts';
import { InviteRow } from './invites.tsx';
import { type AccountChrome, Layout } from './layout.tsx';
import { paths } from './paths.ts';

export interface AgendaView {
  invites: readonly Invite[];
  /** More than `limit` were found: the list says so. */
  more: boolean;
  limit: number;
  viewer: { id: string; timeZone: string };
  locale: Locale;
  now: Date;
  origin: string;
}

export function AgendaPage(props: { account: AccountChrome; live: string; view: AgendaView }) {
  return (
    <Layout title="My meetings" account={props.account} live={props.live}>
      <header class="page-head">
        <h1>My meetings</h1>
        <p class="page-lede">
          Your meetings and the invites waiting for an answer, in {props.view.viewer.timeZone} time.{' '}
          <a href={paths.rooms()}>Book a room</a> · <a href={paths.inbox()}>Every invite</a>
        </p>
      </header>
      <AgendaList view={props.view} />
    </Layout>
  );
}

/** The days, each with its meetings and invites in start order. */
export function AgendaList(props: { view: AgendaView }) {
  const { view } = props;
  const days: { key: string; label: string; invites: Invite[] }[] = [];
  for (const invite of view.invites) {
    const label = describeRange(invite.startsAt, invite.endsAt, view.viewer.timeZone, view.locale);
    const last = days[days.length - 1];
    if (last?.key === label.dayKey) last.invites.push(invite);
    else days.push({ key: label.dayKey, label: label.dayLabel, invites: [invite] });
  }
  const rowView = {
    filter: { box: 'all' as const, status: 'all' as const, q: '' },
    invites: view.invites,
    viewer: view.viewer,
    locale: view.locale,
    now: view.now,
    origin: view.origin,
  };
  return (
    <section id={ids.agendaList} class="agenda" aria-labelledby="agenda-heading">
      <h2 id="agenda-heading" class="visually-hidden">
        Coming up
      </h2>
      <p role="status" class="summary">
        {days.length === 0
          ? 'Nothing coming up: no meetings and no invites waiting.'
          : view.more
            ? `The first ${view.limit} are shown; the rest are under Invites.`
            : `${view.invites.length} coming up.`}
      </p>
      {days.map((day) => (
        <section class="agenda-day" aria-labelledby={`agenda-${day.key}`}>
          <h3 id={`agenda-${day.key}`}>{day.label}</h3>
          <ul class="invite-list" role="list">
            {day.invites.map((invite) => (
              <InviteRow invite={invite} view={rowView} />
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}

/** After a live change, the list reloads itself. */
export function AgendaRefresh() {
  return (
    <section
      id={ids.agendaList}
      hx-swap-oob="true"
      hx-get={paths.meetingsList()}
      hx-trigger="load"
      hx-swap="outerHTML"
      class="agenda"
      aria-busy="true"
    >
      <p class="loading">Updating…</p>
    </section>
  );
}

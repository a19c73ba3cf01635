/**
 * The host's slot list: weeks (collapsible, each with its summary line), days inside them, one row
 * per slot with who booked it. Each part that a push or an answer changes has its own id, and a
 * change is sent as the parts it touches (admin-slot-changes.tsx), so a week the host opened or
 * collapsed stays that way. The filter above the list and its status line: admin-slot-controls.tsx.
 */
import {
  DEFAULT_SLOT_FILTER,
  filterShowsOpen,
  isShownBy,
  type SlotFilter,
  slotPhase,
} from '../src/domain/slot-filters.ts';
import type { Locale } from '../src/domain/locale.ts';
import { type Slot, slotStateFor } from '../src/domain/slots.ts';
import { describeRange } from '../src/domain/time.ts';
import type { HostView } from './admin.tsx';
import { ConfirmInPlace } from './components/confirm-in-place.tsx';
import type { DayGroup } from './components/days.ts';
import { dayNotes, describeCounts, groupByWeek, isOpenByDefault, type WeekGroup } from './components/weeks.ts';
import {
  dayActionsId,
  dayHeadingId,
  daySectionId,
  ids,
  slotButtonId,
  slotDeleteId,
  slotId,
  weekActionsId,
  weekDaysId,
  weekSectionId,
  weekSummaryId,
} from './ids.ts';
import { paths } from './paths.ts';

/** What every part of the list is rendered with: whose dashboard, in which zone, at which moment, under which filter. */
export interface HostListContext {
  adminKey: string;
  zone: string;
  locale: Locale;
  now: Date;
  show: SlotFilter;
  /** Weeks inserted open whatever their date (the ones the host just added slots to). */
  openWeeks?: ReadonlySet<string> | undefined;
}

export const hostListContext = (view: HostView, openWeeks?: ReadonlySet<string>): HostListContext => ({
  adminKey: view.adminKey,
  zone: view.schedule.timeZone,
  locale: view.locale,
  now: view.now,
  show: view.show ?? DEFAULT_SLOT_FILTER,
  openWeeks,
});

const EMPTY: Record<SlotFilter, string> = {
  upcoming: 'No upcoming slots. Past ones are under Past.',
  open: 'No open slots.',
  booked: 'No upcoming bookings yet.',
  past: 'No past slots yet.',
  all: 'No slots yet.',
};

/** Every slot the filter shows, by week and day in the schedule's zone, with who booked it. */
export function HostSlotList(props: { view: HostView; oob?: boolean; openWeeks?: ReadonlySet<string> }) {
  const { view } = props;
  const ctx = hostListContext(view, props.openWeeks);
  const weeks = groupByWeek(view.slots, ctx.zone, ctx.now, (slot) => isShownBy(ctx.show, slot, ctx.now), ctx.locale);
  return (
    <div
      id={ids.slotList}
      class="slot-list"
      data-focus-fallback={ids.slotListHeading}
      hx-swap-oob={props.oob ? 'true' : undefined}
    >
      {weeks.length === 0 ? (
        <p class="empty">
          {view.slots.length === 0
            ? 'No slots yet. Add one above; it appears on your scheduling page at once.'
            : EMPTY[ctx.show]}
        </p>
      ) : (
        <div id={ids.slotWeeks}>
          {weeks.map((week) => (
            <HostWeek week={week} ctx={ctx} />
          ))}
        </div>
      )}
    </div>
  );
}

/** A week: its summary line (the <summary> of a <details>), its actions, its days. */
export function HostWeek(props: { week: WeekGroup; ctx: HostListContext }) {
  const { week, ctx } = props;
  const open = isOpenByDefault(week.weekKey, ctx.zone, ctx.now) || ctx.openWeeks?.has(week.weekKey) === true;
  return (
    <details
      id={weekSectionId(week.weekKey)}
      class="week"
      open={open}
      data-focus-fallback={weekSummaryId(week.weekKey)}
    >
      <WeekSummary week={week} />
      <WeekActions week={week} ctx={ctx} />
      <div id={weekDaysId(week.weekKey)} class="week-days">
        {week.days.map((day) => (
          <HostDay day={day} ctx={ctx} />
        ))}
      </div>
    </details>
  );
}

/** "Week of 8 March: 12 open, 3 booked, 2 past", for every slot of the week whatever the filter shows. */
export function WeekSummary(props: { week: WeekGroup; oob?: boolean }) {
  const { week } = props;
  return (
    <summary id={weekSummaryId(week.weekKey)} class="week-summary" hx-swap-oob={props.oob ? 'true' : undefined}>
      <h3 class="week-heading">
        {week.label}: {describeCounts(week.counts)}
      </h3>
    </summary>
  );
}

export function WeekActions(props: { week: WeekGroup; ctx: HostListContext; oob?: boolean }) {
  const { week, ctx } = props;
  const deletable = filterShowsOpen(ctx.show) && week.counts.open > 0;
  return (
    <div id={weekActionsId(week.weekKey)} class="week-actions" hx-swap-oob={props.oob ? 'true' : undefined}>
      {deletable ? (
        <DeleteOpenForm
          action={paths.adminDeleteOpenOfWeek(ctx.adminKey, ctx.show)}
          date={week.weekKey}
          span="week"
          what={`the ${week.label.replace(/^Week/, 'week')}`}
          open={week.counts.open}
        />
      ) : null}
    </div>
  );
}

/** One day of a week; pushed on its own it replaces (or is inserted as) that day. */
export function HostDay(props: { day: DayGroup; ctx: HostListContext; oob?: string }) {
  const { day, ctx } = props;
  const notes = dayNotes(day);
  return (
    <section
      id={daySectionId(day.dayKey)}
      class="day"
      aria-labelledby={dayHeadingId(day.dayKey)}
      data-focus-fallback={dayHeadingId(day.dayKey)}
      hx-swap-oob={props.oob}
    >
      <div class="day-head">
        <h4 id={dayHeadingId(day.dayKey)}>{day.dayLabel}</h4>
        <DayActions day={day} ctx={ctx} />
      </div>
      {notes.dayNote ? <p class="slot-notes day-note">{notes.dayNote}</p> : null}
      <ul class="slots slots--host" role="list">
        {day.items.map(({ slot }) => (
          <HostSlotItem
            adminKey={ctx.adminKey}
            slot={slot}
            zone={ctx.zone}
            locale={ctx.locale}
            now={ctx.now}
            show={ctx.show}
            showNote={notes.showsNote(slot)}
          />
        ))}
      </ul>
    </section>
  );
}

export function DayActions(props: { day: DayGroup; ctx: HostListContext; oob?: boolean }) {
  const { day, ctx } = props;
  const open = day.items.filter(({ slot }) => slotPhase(slot, ctx.now) === 'open').length;
  const deletable = filterShowsOpen(ctx.show) && open > 0;
  return (
    <div id={dayActionsId(day.dayKey)} class="day-actions" hx-swap-oob={props.oob ? 'true' : undefined}>
      {deletable ? (
        <DeleteOpenForm
          action={paths.adminDeleteOpenOfDay(ctx.adminKey, ctx.show)}
          date={day.dayKey}
          span="day"
          what={day.dayLabel}
          open={open}
        />
      ) : null}
    </div>
  );
}

/**
 * "Delete the day's open slots…" (or the week's), named in full for a screen reader and confirmed in
 * place (a <details>, so it works without JavaScript): booked ones stay, the answer says how many of
 * each.
 */
function DeleteOpenForm(props: { action: string; date: string; span: 'day' | 'week'; what: string; open: number }) {
  const slots = props.open === 1 ? 'the open slot' : `the ${props.open} open slots`;
  return (
    <ConfirmInPlace
      class="bulk-delete"
      small
      summary={
        <>
          Delete the {props.span}'s open slots…<span class="visually-hidden">, {props.what}</span>
        </>
      }
      question={`Delete ${slots} of ${props.what}? Booked slots stay.`}
      action={props.action}
      fields={{ date: props.date }}
      yes="Yes, delete them"
      keep="Keep them"
      htmx={{ target: `#${ids.listStatus}`, swap: 'outerHTML' }}
    />
  );
}

export function HostSlotItem(props: {
  adminKey: string;
  slot: Slot;
  zone: string;
  locale: Locale;
  now: Date;
  show?: SlotFilter | undefined;
  /** Whether the row shows the slot's note (a note repeated from the slot before is shown once). */
  showNote?: boolean | undefined;
  oob?: boolean;
}) {
  const { slot, adminKey } = props;
  const state = slotStateFor(slot, null, props.now);
  const label = describeRange(slot.startsAt, slot.endsAt, props.zone, props.locale);
  const booking = slot.booking;
  const action = paths.adminDeleteSlot(adminKey, slot.id, props.show);
  return (
    <li
      id={slotId(slot.id)}
      class={`slot host-slot slot--${booking ? 'booked' : state}`}
      hx-swap-oob={props.oob ? 'true' : undefined}
    >
      <span class="slot-time" id={slotButtonId(slot.id)}>
        {label.timeRange}
      </span>
      <span class="slot-state">
        {booking ? (
          <>
            Booked by <strong>{booking.name}</strong>
            {booking.email ? (
              <>
                {' '}
                (<a href={`mailto:${booking.email}`}>{booking.email}</a>)
              </>
            ) : null}
          </>
        ) : state === 'past' ? (
          'Past, not booked'
        ) : state === 'started' ? (
          'Started, not booked'
        ) : (
          'Open'
        )}
      </span>
      {booking ? null : (
        <form
          method="post"
          action={action}
          hx-post={action}
          hx-target={`#${ids.listStatus}`}
          hx-swap="outerHTML"
          hx-disabled-elt="find button"
          class="slot-action"
        >
          <button type="submit" id={slotDeleteId(slot.id)} class="button button--small button--danger">
            Delete<span class="visually-hidden"> {label.full}</span>
          </button>
        </form>
      )}
      {props.showNote !== false && slot.notes ? <p class="slot-notes">{slot.notes}</p> : null}
    </li>
  );
}

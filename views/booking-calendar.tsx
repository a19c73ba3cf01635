/**
 * The visitor's booking view: "Next available", a month calendar (days with open times marked, the
 * others disabled) and the chosen day's times, with the booking panel below them. The element that
 * holds it all also holds the socket of this view (month and day in its URL): choosing another day
 * replaces it, and htmx-ext-ws reconnects to the new view. Pushes replace its parts by id.
 */
import type { Child } from 'hono/jsx';
import type { Locale } from '../src/domain/locale.ts';
import type { BookingView, DayCount } from '../src/domain/slot-calendar.ts';
import { type Slot, type SlotState, slotStateFor } from '../src/domain/slots.ts';
import {
  addDays,
  addMonths,
  describeDate,
  describeMonth,
  describeRange,
  monthWeeks,
  weekdayNames,
  weekdayOf,
} from '../src/domain/time.ts';
import { calendarCellId, calendarDayId, ids, slotButtonId, slotId } from './ids.ts';
import { paths } from './paths.ts';

export interface BookingViewProps {
  publicId: string;
  view: BookingView;
  locale: Locale;
  visitorHash: string | null;
  now: Date;
  /** What the panel holds (the booking form, an answer); an invitation to choose by default. */
  panel?: Child;
  /** Without a socket (the no-JavaScript copy shown before the zone is known). */
  still?: boolean;
}

/** The Monday of a date's week. */
export const mondayOf = (date: string) => addDays(date, 1 - weekdayOf(date));

/** A link that loads another view of the booking page into place, or the page itself without htmx. */
function viewLink(publicId: string, query: { month?: string; day?: string }) {
  return {
    href: paths.schedule(publicId, query),
    'hx-get': paths.scheduleView(publicId, query),
    'hx-target': `#${ids.bookingView}`,
    'hx-swap': 'outerHTML',
    'hx-push-url': paths.schedule(publicId, query),
  };
}

export function BookingViewArea(props: BookingViewProps) {
  const { view, publicId } = props;
  const live = props.still ? {} : { 'hx-ext': 'ws', 'ws-connect': paths.scheduleLive(publicId, view) };
  return (
    <div id={props.still ? undefined : ids.bookingView} class="booking-view" {...live}>
      <NextAvailable publicId={publicId} next={view.next} zone={view.zone} locale={props.locale} />
      {props.still ? (
        // Already inside the page's <noscript> (which cannot hold another).
        <WeekLink publicId={publicId} view={view} />
      ) : (
        <noscript>
          <WeekLink publicId={publicId} view={view} />
        </noscript>
      )}
      <div class="calendar-layout">
        <MonthCalendar publicId={publicId} view={view} locale={props.locale} />
        <div class="day-column">
          <DayTimes
            publicId={publicId}
            day={view.day}
            slots={view.daySlots}
            zone={view.zone}
            locale={props.locale}
            visitorHash={props.visitorHash}
            now={props.now}
          />
          <div id={props.still ? undefined : ids.bookingPanel} class="booking-panel">
            {props.panel ?? null}
          </div>
        </div>
      </div>
    </div>
  );
}

/** For readers without JavaScript: the same times a week at a time, as a plain list. */
function WeekLink(props: { publicId: string; view: BookingView }) {
  const start = mondayOf(props.view.day ?? props.view.today);
  return (
    <p>
      <a href={paths.scheduleWeek(props.publicId, start)}>See the times a week at a time</a>
    </p>
  );
}

/** "Next available: Tue 9 Mar, 10:00", a link to that day; or that nothing is open now. */
export function NextAvailable(props: {
  publicId: string;
  next: BookingView['next'];
  zone: string;
  locale: Locale;
  oob?: boolean;
}) {
  const { next } = props;
  const label = next ? describeRange(next.startsAt, next.endsAt, props.zone, props.locale) : null;
  return (
    <p id={ids.nextAvailable} class="next-available" hx-swap-oob={props.oob ? 'true' : undefined}>
      {label ? (
        <>
          Next available:{' '}
          <a {...viewLink(props.publicId, { day: label.dayKey })}>
            {label.shortDay}, {label.startTime}
          </a>
        </>
      ) : (
        'No open times right now. This page updates by itself when the host adds some.'
      )}
    </p>
  );
}

/** The month grid: a table as in the WAI-ARIA date-picker pattern (arrow keys move between days). */
export function MonthCalendar(props: { publicId: string; view: BookingView; locale: Locale; oob?: boolean }) {
  const { view, publicId, locale } = props;
  const previous = addMonths(view.month, -1);
  const next = addMonths(view.month, 1);
  const canGoBack = previous >= view.today.slice(0, 7);
  return (
    <section
      id={ids.monthCalendar}
      class="month-calendar"
      aria-labelledby={ids.monthHeading}
      hx-swap-oob={props.oob ? 'true' : undefined}
    >
      <div class="month-nav">
        {canGoBack ? (
          <a class="month-step" rel="prev" {...viewLink(publicId, { month: previous })}>
            <span aria-hidden="true">‹</span>
            <span class="visually-hidden">Previous month, {describeMonth(previous, locale)}</span>
          </a>
        ) : (
          <span class="month-step month-step--none" aria-hidden="true">
            ‹
          </span>
        )}
        <h2 id={ids.monthHeading}>{describeMonth(view.month, locale)}</h2>
        <a class="month-step" rel="next" {...viewLink(publicId, { month: next })}>
          <span aria-hidden="true">›</span>
          <span class="visually-hidden">Next month, {describeMonth(next, locale)}</span>
        </a>
      </div>
      <table
        class="calendar-grid"
        role="grid"
        aria-labelledby={ids.monthHeading}
        data-calendar={paths.scheduleView(publicId)}
        data-view-id={ids.bookingView}
        data-first-month={view.today.slice(0, 7)}
      >
        <thead>
          <tr>
            {weekdayNames(locale).map((w) => (
              <th scope="col" abbr={w.long}>
                {w.short}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {monthWeeks(view.month).map((week) => (
            <tr>
              {week.map((date) => (
                <CalendarCell publicId={publicId} view={view} date={date} locale={locale} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/**
 * One date of the grid. Dates with an open time are links to that day; the others are disabled but
 * still reachable with the arrow keys (announced "no open times"). The chosen day is the one in the
 * tab order. Pushed alone when that date's count changes.
 */
export function CalendarCell(props: {
  publicId: string;
  view: Pick<BookingView, 'month' | 'day' | 'today' | 'counts'>;
  date: string;
  locale: Locale;
  oob?: boolean;
}) {
  const { view, date } = props;
  const inMonth = date.startsWith(view.month);
  const oob = props.oob ? 'true' : undefined;
  if (!inMonth) return <td class="calendar-day calendar-day--outside" hx-swap-oob={oob}></td>;
  const count: DayCount = view.counts.get(date) ?? { open: 0, total: 0 };
  const chosen = date === view.day;
  const open = count.open > 0 && date >= view.today;
  const long = describeDate(date, props.locale).dayLabel;
  const what = open ? (count.open === 1 ? '1 open time' : `${count.open} open times`) : 'no open times';
  const common = {
    id: calendarDayId(date),
    class: `calendar-date${open ? ' calendar-date--open' : ''}`,
    tabindex: chosen ? 0 : -1,
    'aria-current': date === view.today ? ('date' as const) : undefined,
    'data-date': date,
  };
  return (
    <td
      id={calendarCellId(date)}
      class={`calendar-day${chosen ? ' calendar-day--chosen' : ''}${date < view.today ? ' calendar-day--past' : ''}`}
      aria-selected={chosen ? 'true' : 'false'}
      hx-swap-oob={oob}
    >
      {open ? (
        <a {...common} {...viewLink(props.publicId, { day: date })}>
          <span aria-hidden="true">{Number(date.slice(8))}</span>
          <span class="visually-hidden">
            {long}, {what}
          </span>
          <span class="calendar-dot" aria-hidden="true"></span>
        </a>
      ) : (
        <span {...common} aria-disabled="true">
          <span aria-hidden="true">{Number(date.slice(8))}</span>
          <span class="visually-hidden">
            {long}, {what}
          </span>
        </span>
      )}
    </td>
  );
}

/** Slots whose note repeats the one before show it once (under the first of them). */
function notesOnce(slots: readonly Slot[]): Map<string, string> {
  const shown = new Map<string, string>();
  let previous = '';
  for (const slot of slots) {
    if (slot.notes && slot.notes !== previous) shown.set(slot.id, slot.notes);
    previous = slot.notes;
  }
  return shown;
}

/** The chosen day's times: one GET form, each open slot's button submitting its own id. */
export function DayTimes(props: {
  publicId: string;
  day: string | null;
  slots: readonly Slot[];
  zone: string;
  locale: Locale;
  visitorHash: string | null;
  now: Date;
  oob?: boolean;
}) {
  const { day, slots } = props;
  const choose = paths.chooseSlot(props.publicId);
  const notes = notesOnce(slots);
  return (
    <section
      id={ids.slotList}
      class="day-times"
      aria-labelledby={ids.dayTimesHeading}
      hx-swap-oob={props.oob ? 'true' : undefined}
    >
      <h2 id={ids.dayTimesHeading} tabindex={-1}>
        {day ? describeDate(day, props.locale).dayLabel : 'Times'}
      </h2>
      {slots.length === 0 ? (
        <p class="empty">
          {day ? 'No times on this day. Choose a marked day in the calendar.' : 'No open times this month.'}
        </p>
      ) : (
        // htmx puts the booking form in the panel below; without JavaScript the same URL is the page.
        <form
          id={ids.slotDays}
          method="get"
          action={choose}
          hx-get={choose}
          hx-target={`#${ids.bookingPanel}`}
          hx-swap={`innerHTML show:#${ids.bookingPanel}:top`}
        >
          <ul class="slots" role="list">
            {slots.map((slot) => (
              <VisitorSlotItem
                slot={slot}
                zone={props.zone}
                locale={props.locale}
                state={slotStateFor(slot, props.visitorHash, props.now)}
                notes={notes.get(slot.id) ?? ''}
              />
            ))}
          </ul>
        </form>
      )}
    </section>
  );
}

const STATE_TEXT: Record<SlotState, string> = {
  open: 'Open',
  booked: 'Booked',
  mine: 'Your booking',
  started: 'Started',
  past: 'Past',
};

/**
 * One slot as a visitor sees it: a button while open (it submits the list's form with its id),
 * disabled with its state otherwise. Pushed on its own, it replaces its namesake inside that form.
 */
export function VisitorSlotItem(props: {
  slot: Slot;
  zone: string;
  locale: Locale;
  state: SlotState;
  /** The note shown under it (the slot's own by default; empty when the slot before says the same). */
  notes?: string;
  oob?: boolean;
}) {
  const { slot, state } = props;
  const label = describeRange(slot.startsAt, slot.endsAt, props.zone, props.locale);
  const notes = props.notes ?? slot.notes;
  return (
    <li
      id={slotId(slot.id)}
      class={`slot slot--${state}`}
      data-state={state}
      hx-swap-oob={props.oob ? 'true' : undefined}
    >
      <button
        type="submit"
        id={slotButtonId(slot.id)}
        class="slot-button"
        name="slot"
        value={slot.id}
        disabled={state !== 'open'}
      >
        <span class="slot-time">{label.timeRange}</span>
        <span class="visually-hidden"> on {label.shortDay}</span>
        <span class="slot-state">
          <span class="visually-hidden">, </span>
          {STATE_TEXT[state]}
        </span>
      </button>
      {notes ? <p class="slot-notes">{notes}</p> : null}
    </li>
  );
}

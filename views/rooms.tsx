/**
 * The rooms page: one date in the viewer's own time, its hours (a working day, with earlier and
 * later ones a link away), a legend that stays in view, the grid (views/room-grid.tsx) and, below
 * it, the panel of the chosen cell (the invite form for an open cell, who holds it otherwise).
 */
import type { Child } from 'hono/jsx';
import { type HourWindow, WORKING_DAY } from '../src/domain/grid.ts';
import { describeDate, zoneLabel } from '../src/domain/time.ts';
import { personName } from './components/person.ts';
import { ids } from './ids.ts';
import { type AccountChrome, Layout } from './layout.tsx';
import { paths } from './paths.ts';
import { GridLegend, type GridView, RoomGrid } from './room-grid.tsx';

export type { GridView } from './room-grid.tsx';

/** The window as query parameters: none for the working day, so plain links stay plain. */
export function windowQuery(window: HourWindow): { from?: number; to?: number } {
  return window.from === WORKING_DAY.from && window.to === WORKING_DAY.to ? {} : { from: window.from, to: window.to };
}

const hh = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** "Earlier" and "Later": the hours before and after the window, and back to the working day. */
function HourNav(props: { view: GridView }) {
  const { grid, withUser } = props.view;
  const { window } = grid;
  const base = { date: grid.date, with: withUser?.username };
  const link = (w: HourWindow) => paths.rooms({ ...base, ...windowQuery(w) });
  return (
    <nav class="hour-nav" aria-label="Choose the hours">
      {window.from > 0 ? (
        <a class="button button--quiet button--small" href={link({ from: 0, to: window.to })}>
          Earlier ({hh(0)}–{hh(window.from)})
        </a>
      ) : null}
      <span class="hour-nav-shown">
        Showing {hh(window.from)}–{hh(window.to % 24)}
        {window.to === 24 ? ' (midnight)' : ''}
      </span>
      {window.to < 24 ? (
        <a class="button button--quiet button--small" href={link({ from: window.from, to: 24 })}>
          Later ({hh(window.to)}–{hh(0)})
        </a>
      ) : null}
      {window.from !== WORKING_DAY.from || window.to !== WORKING_DAY.to ? (
        <a class="button button--quiet button--small" href={link(WORKING_DAY)}>
          Working day only
        </a>
      ) : null}
    </nav>
  );
}

function WindowInputs(props: { window: HourWindow }) {
  const { from, to } = windowQuery(props.window);
  return from === undefined ? null : (
    <>
      <input type="hidden" name="from" value={String(from)} />
      <input type="hidden" name="to" value={String(to)} />
    </>
  );
}

export function RoomsPage(props: { account: AccountChrome; live: string; view: GridView; panel?: Child }) {
  const { grid, withUser, people, locale } = props.view;
  const { dayLabel } = describeDate(grid.date, locale);
  const withId = withUser?.username;
  const keep = { with: withId, ...windowQuery(grid.window) };
  return (
    <Layout title={`Rooms · ${dayLabel}`} account={props.account} live={props.live}>
      <header class="page-head">
        <h1>Rooms</h1>
        <p class="page-lede">
          {dayLabel}
          {grid.date === grid.today ? ' (today)' : ''}. Times are in your time zone,{' '}
          <strong>{zoneLabel(grid.zone)}</strong>; a room elsewhere also shows its own clock.
        </p>
      </header>
      <nav class="day-nav" aria-label="Choose a day">
        <a class="button button--quiet" href={paths.rooms({ ...keep, date: grid.previousDate })} rel="prev">
          Previous day
        </a>
        {grid.date !== grid.today ? (
          <a class="button button--quiet" href={paths.rooms(keep)}>
            Today
          </a>
        ) : null}
        <a class="button button--quiet" href={paths.rooms({ ...keep, date: grid.nextDate })} rel="next">
          Next day
        </a>
        <form method="get" action={paths.rooms()} class="inline-form">
          {withId ? <input type="hidden" name="with" value={withId} /> : null}
          <WindowInputs window={grid.window} />
          <label for="grid-date">Date</label>
          <input id="grid-date" type="date" name="date" value={grid.date} />
          <button type="submit" class="button button--quiet">
            Go
          </button>
        </form>
      </nav>
      <form method="get" action={paths.rooms()} class="inline-form highlight-form">
        <input type="hidden" name="date" value={grid.date} />
        <WindowInputs window={grid.window} />
        <label for="grid-with">Show hours when you and this person are both free</label>
        <select id="grid-with" name="with">
          <option value="">No one</option>
          {people.map((p) => (
            <option value={p.username} selected={p.username === withId}>
              {personName(p)}
            </option>
          ))}
        </select>
        <button type="submit" class="button button--quiet">
          Show free hours
        </button>
      </form>
      <div class="grid-top">
        <GridLegend withUser={withUser} />
        <HourNav view={props.view} />
      </div>
      <RoomGrid view={props.view} />
      <section id={ids.cellPanel} class="cell-panel" aria-label="Selected hour">
        {props.panel ?? (
          <p class="panel-intro">Choose an open hour to invite someone, or any other cell to see who holds it.</p>
        )}
      </section>
      <p>
        <a href={paths.newRoom()}>Add a room</a>
      </p>
    </Layout>
  );
}

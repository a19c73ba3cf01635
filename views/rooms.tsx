/**
 * The rooms grid: one date, rooms as rows, the site zone's hours as columns. Every cell is a button
 * named "ROOM, Tue 16 Mar, 10:00–11:00, STATE"; choosing one opens the panel beside the grid (the
 * invite form for an open cell, who holds it otherwise). Cells are pushed live by id.
 */
import type { CellState, GridCell, GridModel } from '../src/domain/grid.ts';
import { describeDate, describeRange, zoneLabel } from '../src/domain/time.ts';
import type { User } from '../src/domain/users.ts';
import { ids, roomCellId, roomRowId } from './ids.ts';
import { type AccountChrome, Layout } from './layout.tsx';
import { paths } from './paths.ts';
import type { Child } from 'hono/jsx';

export interface GridView {
  grid: GridModel;
  /** The viewer's own zone: cells show local time where it differs from the site's. */
  viewerZone: string;
  people: readonly User[];
  withUser: User | null;
}

export function RoomsPage(props: { account: AccountChrome; live: string; view: GridView; panel?: Child }) {
  const { grid, withUser, people } = props.view;
  const { dayLabel } = describeDate(grid.date);
  const withId = withUser?.username;
  return (
    <Layout title={`Rooms · ${dayLabel}`} account={props.account} live={props.live}>
      <header class="page-head">
        <h1>Rooms</h1>
        <p class="page-lede">
          {dayLabel}. Hours are in <strong>{zoneLabel(grid.zone)}</strong>
          {props.view.viewerZone !== grid.zone
            ? `; each cell also shows your own time (${props.view.viewerZone}).`
            : '.'}
        </p>
      </header>
      <nav class="day-nav" aria-label="Choose a day">
        <a class="button button--quiet" href={paths.rooms({ date: grid.previousDate, with: withId })} rel="prev">
          Previous day
        </a>
        {grid.date !== grid.today ? (
          <a class="button button--quiet" href={paths.rooms({ with: withId })}>
            Today
          </a>
        ) : null}
        <a class="button button--quiet" href={paths.rooms({ date: grid.nextDate, with: withId })} rel="next">
          Next day
        </a>
        <form method="get" action={paths.rooms()} class="inline-form">
          {withId ? <input type="hidden" name="with" value={withId} /> : null}
          <label for="grid-date">Date</label>
          <input id="grid-date" type="date" name="date" value={grid.date} />
          <button type="submit" class="button button--quiet">
            Go
          </button>
        </form>
      </nav>
      <form method="get" action={paths.rooms()} class="inline-form highlight-form">
        <input type="hidden" name="date" value={grid.date} />
        <label for="grid-with">Show hours when you and this person are both free</label>
        <select id="grid-with" name="with">
          <option value="">No one</option>
          {people.map((p) => (
            <option value={p.username} selected={p.username === withId}>
              {p.displayName} ({p.username})
            </option>
          ))}
        </select>
        <button type="submit" class="button button--quiet">
          Show free hours
        </button>
      </form>
      <div class="grid-layout">
        <RoomGrid view={props.view} />
        <section id={ids.cellPanel} class="cell-panel" aria-label="Selected hour">
          {props.panel ?? (
            <p class="panel-intro">Choose an open hour to invite someone, or any other cell to see who holds it.</p>
          )}
        </section>
      </div>
      <p>
        <a href={paths.newRoom()}>Add a room</a>
      </p>
    </Layout>
  );
}

export function RoomGrid(props: { view: GridView; oob?: boolean }) {
  const { grid, withUser } = props.view;
  if (grid.rows.length === 0) {
    return (
      <div id={ids.roomGrid} class="grid-scroll" hx-swap-oob={props.oob ? 'true' : undefined}>
        <p class="empty">
          No rooms yet. <a href={paths.newRoom()}>Add the first one</a>.
        </p>
      </div>
    );
  }
  // Every room shares the day's hours: the labels are worked out once per column, not per cell.
  const labels = (grid.rows[0]?.cells ?? []).map((cell) =>
    cellLabels(cell, grid.zone, grid.date, props.view.viewerZone),
  );
  return (
    <div id={ids.roomGrid} class="grid-scroll" hx-swap-oob={props.oob ? 'true' : undefined}>
      {withUser ? (
        <p class="legend">
          <span class="legend-swatch" aria-hidden="true"></span> Highlighted: open, and you and {withUser.displayName}{' '}
          are both free.
        </p>
      ) : null}
      {/* One GET form for every cell: the clicked cell submits its own value; htmx puts the answer
          in the panel, and without JavaScript the same URL opens the panel as a page. */}
      <form
        method="get"
        action={paths.roomCellPage()}
        hx-get={paths.roomCellPage()}
        hx-target={`#${ids.cellPanel}`}
        hx-swap="innerHTML"
      >
        <table class="room-grid" data-grid>
          <caption class="visually-hidden">Rooms and hours. Use the arrow keys to move between cells.</caption>
          <thead>
            <tr>
              <th scope="col">Room</th>
              {grid.hours.map((hour) => (
                <th scope="col">{`${String(hour).padStart(2, '0')}:00`}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.rows.map((row) => (
              <RoomRow row={row} grid={grid} viewerZone={props.view.viewerZone} labels={labels} />
            ))}
          </tbody>
        </table>
      </form>
    </div>
  );
}

/**
 * One room's row: its name and its cells. Pushed alone (`oob`) when only that room changed and
 * the grid keeps its columns and order. `labels`: the columns' labels, when already worked out.
 */
export function RoomRow(props: {
  row: GridModel['rows'][number];
  grid: GridModel;
  viewerZone: string;
  labels?: readonly CellLabels[];
  oob?: boolean;
}) {
  const { row, grid } = props;
  const labels = props.labels ?? row.cells.map((cell) => cellLabels(cell, grid.zone, grid.date, props.viewerZone));
  return (
    <tr id={roomRowId(row.room.id)} hx-swap-oob={props.oob ? 'true' : undefined}>
      <th scope="row">
        <a href={paths.room(row.room.id)}>{row.room.name}</a>
      </th>
      {row.cells.map((cell, column) => (
        <td>
          <CellButton
            cell={cell}
            siteZone={grid.zone}
            date={grid.date}
            viewerZone={props.viewerZone}
            labels={labels[column]}
          />
        </td>
      ))}
    </tr>
  );
}

const STATE_WORD: Record<CellState, string> = {
  open: 'open',
  pending: 'pending',
  booked: 'booked',
  closed: 'closed',
  past: 'past',
};

/** What a cell's hour reads like: its day and hours (site zone) and the viewer's own clock. */
interface CellLabels {
  /** "Tue 16 Mar, 10:00–11:00" */
  when: string;
  /** "08:00 yours", when the viewer's zone is another. */
  local: string | null;
}

function cellLabels(
  cell: Pick<GridCell, 'hour' | 'block'>,
  siteZone: string,
  date: string,
  viewerZone: string,
): CellLabels {
  const hour = `${String(cell.hour).padStart(2, '0')}:00–${String((cell.hour + 1) % 24).padStart(2, '0')}:00`;
  const day = cell.block
    ? describeRange(cell.block.startsAt, cell.block.endsAt, siteZone).shortDay
    : describeDate(date).shortDay;
  // The viewer's own clock at the start of the hour (the day too, when it is another day there).
  const local = cell.block && viewerZone !== siteZone ? localStart(cell.block, viewerZone, date) : null;
  return { when: `${day}, ${hour}`, local };
}

function localStart(block: { startsAt: Date; endsAt: Date }, zone: string, date: string): string {
  const label = describeRange(block.startsAt, block.endsAt, zone);
  const start = label.timeRange.slice(0, 5);
  return label.dayKey === date ? `${start} yours` : `${label.shortDay.slice(0, 3)} ${start} yours`;
}

/** The value a cell submits: room and hour start. */
export const cellKey = (roomId: string, startsAt: Date) => `${roomId}@${startsAt.toISOString()}`;

export function CellButton(props: {
  cell: GridCell;
  siteZone: string;
  date: string;
  viewerZone: string;
  labels?: CellLabels | undefined;
  oob?: boolean;
}) {
  const { cell } = props;
  const id = roomCellId(cell.room.id, cell.hour);
  const { when, local } = props.labels ?? cellLabels(cell, props.siteZone, props.date, props.viewerZone);
  const who = cell.invite
    ? !cell.invite.invitee
      ? cell.invite.inviter.displayName
      : cell.state === 'booked'
        ? `${cell.invite.inviter.displayName} & ${cell.invite.invitee.displayName}`
        : `${cell.invite.inviter.displayName} → ${cell.invite.invitee.displayName}`
    : null;
  const more = [who, local].filter(Boolean).join(' · ');
  const classes = ['cell', `cell--${cell.state}`, cell.bothFree ? 'cell--free' : ''].filter(Boolean).join(' ');
  return (
    <button
      id={id}
      type="submit"
      name="cell"
      value={cell.block ? cellKey(cell.room.id, cell.block.startsAt) : ''}
      disabled={!cell.block}
      class={classes}
      data-cell="true"
      aria-label={`${cell.room.name}, ${when}, ${STATE_WORD[cell.state]}`}
      aria-describedby={more ? `${id}-more` : undefined}
      hx-swap-oob={props.oob ? 'true' : undefined}
    >
      <span class="cell-state" aria-hidden="true">
        {cell.bothFree ? 'free for both' : STATE_WORD[cell.state]}
      </span>
      {more ? (
        <span class="cell-more" id={`${id}-more`}>
          {more}
        </span>
      ) : null}
    </button>
  );
}

/**
 * The rooms grid itself (an APG grid: one tab stop, arrow keys inside, see public/app.js): rooms as
 * rows, the viewer's hours as columns. Every cell is a button named "ROOM, Tue 16 Mar, 10:00–11:00,
 * STATE"; it shows its state in a word, its exact start when the room's block does not start on the
 * viewer's hour (rooms in :30 zones), and the room's own clock where it reads differently. On a
 * phone the same markup reads as a list of hours per room (app.css). Cells and rows are pushed live
 * by id.
 */
import type { CellState, GridCell, GridColumn, GridModel } from '../src/domain/grid.ts';
import type { Locale } from '../src/domain/locale.ts';
import { roomZone } from '../src/domain/rooms.ts';
import { describeRange } from '../src/domain/time.ts';
import type { User } from '../src/domain/users.ts';
import { ids, roomCellId, roomRowId } from './ids.ts';
import { paths } from './paths.ts';

export interface GridView {
  grid: GridModel;
  /** Dates and times are written in it; sentences stay English. */
  locale: Locale;
  people: readonly User[];
  withUser: User | null;
  /** The cell whose panel is open (`roomCellId`), marked as chosen. */
  chosenCellId?: string | undefined;
}

/** Words for each state, in the cells and in the legend. */
export const STATE_WORDS: Record<CellState | 'free', string> = {
  open: 'Open',
  free: 'Free for both',
  pending: 'Pending',
  booked: 'Booked',
  closed: 'Closed',
  past: 'Past',
};

export function GridLegend(props: { withUser: User | null }) {
  const states: (CellState | 'free')[] = props.withUser
    ? ['open', 'free', 'pending', 'booked', 'closed', 'past']
    : ['open', 'pending', 'booked', 'closed', 'past'];
  return (
    <ul class="grid-legend" aria-label="What the cells mean">
      {states.map((state) => (
        <li class={`cell--${state} legend-item`}>
          {STATE_WORDS[state]}
          {state === 'free' && props.withUser ? (
            <span class="visually-hidden">: open, and you and {props.withUser.displayName} are both free</span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** The value a cell submits: room and block start. */
export const cellKey = (roomId: string, startsAt: Date) => `${roomId}@${startsAt.toISOString()}`;

function ColumnHeader(props: { column: GridColumn; zone: string; locale: Locale }) {
  const { column } = props;
  const label = describeRange(column.startsAt, column.endsAt, props.zone, props.locale).startTime;
  return (
    <th scope="col" role="columnheader">
      {label}
      {column.repeated ? <span class="column-note"> (2nd)</span> : null}
    </th>
  );
}

export function RoomGrid(props: { view: GridView; oob?: boolean }) {
  const { grid } = props.view;
  const oob = props.oob ? 'true' : undefined;
  if (grid.rows.length === 0 || grid.columns.length === 0) {
    return (
      <div id={ids.roomGrid} class="grid-scroll" hx-swap-oob={oob}>
        <p class="empty">
          {grid.rows.length === 0 ? (
            <>
              No rooms yet. <a href={paths.newRoom()}>Add the first one</a>.
            </>
          ) : (
            'No hours to show in this window on this date.'
          )}
        </p>
      </div>
    );
  }
  return (
    <div id={ids.roomGrid} class="grid-scroll" hx-swap-oob={oob}>
      {/* One GET form for every cell: the clicked cell submits its own value; htmx puts the answer
          in the panel, and without JavaScript the same URL opens the panel as a page. */}
      <form
        method="get"
        action={paths.roomCellPage()}
        hx-get={paths.roomCellPage()}
        hx-target={`#${ids.cellPanel}`}
        hx-swap="innerHTML"
      >
        {/* biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the APG data grid is a table with role="grid"; its cells are gridcells by implication */}
        <table class="room-grid" role="grid" data-grid aria-labelledby={ids.gridCaption}>
          <caption id={ids.gridCaption} class="visually-hidden">
            Rooms by hour. Use the arrow keys to move between cells, Enter to choose one.
          </caption>
          <thead>
            <tr role="row">
              <th scope="col" role="columnheader">
                Room
              </th>
              {grid.columns.map((column) => (
                <ColumnHeader column={column} zone={grid.zone} locale={props.view.locale} />
              ))}
            </tr>
          </thead>
          <tbody>
            {grid.rows.map((row) => (
              <RoomRow row={row} grid={grid} locale={props.view.locale} chosenCellId={props.view.chosenCellId} />
            ))}
          </tbody>
        </table>
      </form>
    </div>
  );
}

/**
 * One room's row: its name and its cells. Pushed alone (`oob`) when only that room changed and
 * the grid keeps its columns and order.
 */
export function RoomRow(props: {
  row: GridModel['rows'][number];
  grid: GridModel;
  locale: Locale;
  chosenCellId?: string | undefined;
  oob?: boolean;
}) {
  const { row, grid } = props;
  return (
    <tr id={roomRowId(row.room.id)} role="row" hx-swap-oob={props.oob ? 'true' : undefined}>
      <th scope="row" role="rowheader">
        <a href={paths.room(row.room.id)}>{row.room.name}</a>
      </th>
      {row.cells.map((cell) => {
        const chosen = roomCellId(cell.room.id, cell.column.startsAt) === props.chosenCellId;
        return (
          // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: explicit, so a phone's list layout (app.css) keeps the grid's semantics
          // biome-ignore lint/a11y/useFocusableInteractive: the button inside takes focus (APG grid: a cell holding one widget)
          <td role="gridcell">
            <CellButton cell={cell} zone={grid.zone} siteZone={grid.siteZone} locale={props.locale} chosen={chosen} />
          </td>
        );
      })}
    </tr>
  );
}

/** What a cell shows and says beyond its state. */
function cellWords(cell: GridCell, zone: string, siteZone: string, locale: Locale) {
  const { block, column } = cell;
  const here = describeRange(block.startsAt, block.endsAt, zone, locale);
  // Whether clocks read differently is a matter of the instant, not of the language.
  const mine = describeRange(block.startsAt, block.endsAt, zone);
  const theirZone = roomZone(cell.room, siteZone);
  const theirs = describeRange(block.startsAt, block.endsAt, theirZone);
  const offHour = block.startsAt.getTime() !== column.startsAt.getTime();
  const roomTime =
    cell.isRoomBlock && (theirs.startTime !== mine.startTime || theirs.dayKey !== mine.dayKey)
      ? `${theirs.dayKey !== mine.dayKey ? `${describeRange(block.startsAt, block.endsAt, theirZone, locale).shortDay} ` : ''}${describeRange(block.startsAt, block.endsAt, theirZone, locale).startTime} room time`
      : null;
  return { here, offHour, roomTime };
}

export function CellButton(props: {
  cell: GridCell;
  zone: string;
  siteZone: string;
  locale: Locale;
  /** Its panel is open: marked (`aria-current`) until another cell is chosen. */
  chosen?: boolean;
  oob?: boolean;
}) {
  const { cell } = props;
  const id = roomCellId(cell.room.id, cell.column.startsAt);
  const { here, offHour, roomTime } = cellWords(cell, props.zone, props.siteZone, props.locale);
  const who = cell.invite
    ? !cell.invite.invitee
      ? cell.invite.inviter.displayName
      : cell.state === 'booked'
        ? `${cell.invite.inviter.displayName} & ${cell.invite.invitee.displayName}`
        : `${cell.invite.inviter.displayName} → ${cell.invite.invitee.displayName}`
    : null;
  const more = [who, roomTime].filter(Boolean).join(' · ');
  const word = cell.bothFree ? STATE_WORDS.free : STATE_WORDS[cell.state];
  const state = `${STATE_WORDS[cell.state].toLowerCase()}${cell.bothFree ? ', free for both' : ''}`;
  const classes = ['cell', `cell--${cell.state}`, cell.bothFree ? 'cell--free' : ''].filter(Boolean).join(' ');
  return (
    <button
      id={id}
      type="submit"
      name="cell"
      value={cellKey(cell.room.id, cell.block.startsAt)}
      class={classes}
      data-cell="true"
      aria-label={`${cell.room.name}, ${here.shortDay}, ${here.timeRange}, ${state}`}
      aria-describedby={more ? `${id}-more` : undefined}
      aria-current={props.chosen ? 'true' : undefined}
      hx-swap-oob={props.oob ? 'true' : undefined}
    >
      <span class={offHour ? 'cell-time cell-time--off' : 'cell-time'} aria-hidden="true">
        {here.startTime}
      </span>
      <span class="cell-state" aria-hidden="true">
        {word}
      </span>
      {more ? (
        <span class="cell-more" id={`${id}-more`}>
          {more}
        </span>
      ) : null}
    </button>
  );
}

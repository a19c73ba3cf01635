/**
 * Above the host's slot list: which slots it shows (plain links, `?show=open`, so the filter works
 * without JavaScript; htmx swaps the list and the page's socket), and the line that says what a
 * delete did. That line sits outside the list: no push replaces it, so focus put there stays.
 */
import { SLOT_FILTERS, type SlotFilter } from '../src/domain/slot-filters.ts';
import { ids, slotFilterId } from './ids.ts';
import { paths } from './paths.ts';

/** A message after a delete. */
export interface ListStatus {
  text: string;
  tone: 'info' | 'error';
}

/**
 * The message after a delete, above the list and outside it: the answer replaces it and puts focus
 * there (the button that was pressed is gone), and no push ever touches it.
 */
export function ListStatusLine(props: { status?: ListStatus | undefined; oob?: boolean }) {
  const { status } = props;
  return (
    <p
      id={ids.listStatus}
      class={status ? `list-status list-status--${status.tone}` : 'list-status'}
      role={status?.tone === 'error' ? 'alert' : 'status'}
      tabindex={-1}
      autofocus={status ? true : undefined}
      hx-swap-oob={props.oob ? 'true' : undefined}
    >
      {status?.text ?? ''}
    </p>
  );
}

const FILTER_LABELS: Record<SlotFilter, string> = {
  upcoming: 'Upcoming',
  open: 'Open',
  booked: 'Booked',
  past: 'Past',
  all: 'All',
};

/** Which slots the list shows: plain links (`?show=open`), so it works without JavaScript too. */
export function SlotFilterNav(props: { adminKey: string; show: SlotFilter; oob?: boolean }) {
  return (
    <nav id={ids.slotFilter} class="slot-filter" aria-label="Show slots" hx-swap-oob={props.oob ? 'true' : undefined}>
      <span class="slot-filter-label" aria-hidden="true">
        Show:
      </span>
      <ul role="list">
        {SLOT_FILTERS.map((filter) => {
          const href = paths.admin(props.adminKey, filter);
          return (
            <li>
              <a
                id={slotFilterId(filter)}
                href={href}
                hx-get={href}
                hx-target={`#${ids.slotList}`}
                hx-swap="outerHTML"
                hx-push-url="true"
                aria-current={filter === props.show ? 'page' : undefined}
              >
                {FILTER_LABELS[filter]}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

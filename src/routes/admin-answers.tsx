/**
 * What the dashboard's routes share: which filter a request's list is shown under, the host's view
 * of the schedule, the whole dashboard, and the parts of the list a change the host just made
 * touches (planned like the push to their other tabs, so the answer and the push agree).
 */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppDeps } from '../app-env.ts';
import type { Locale } from '../domain/locale.ts';
import type { Schedule } from '../domain/schedules.ts';
import {
  DEFAULT_SLOT_FILTER,
  filterShowsPhase,
  isShownBy,
  parseSlotFilter,
  type SlotFilter,
  type SlotPhase,
} from '../domain/slot-filters.ts';
import { listSlotsForSchedule, type Slot } from '../domain/slots.ts';
import { planWeekChanges } from '../realtime/week-changes.ts';
import { AdminPage, type HostView } from '../../views/admin.tsx';
import { HostChanges } from '../../views/admin-slot-changes.tsx';
import type { ListStatus } from '../../views/admin-slot-controls.tsx';
import { HostSlotList, hostListContext } from '../../views/admin-slots.tsx';
import type { FormState } from '../../views/components/form-state.ts';
import { weeksOf } from '../../views/components/weeks.ts';
import { paths } from '../../views/paths.ts';
import type { AdminEnv } from './factory.ts';
import { isHtmx } from './respond.tsx';

/**
 * The filter the list is shown under: the request's `?show=`; for a form htmx sends without one
 * (the add-slot form sits outside the list), the page's own address (HX-Current-URL) says it.
 */
export function showOf(c: Context<AdminEnv>): SlotFilter {
  const query = c.req.query('show');
  if (query !== undefined || c.req.method === 'GET' || !isHtmx(c)) return parseSlotFilter(query);
  try {
    return parseSlotFilter(new URL(c.req.header('hx-current-url') ?? '').searchParams.get('show'));
  } catch {
    return DEFAULT_SLOT_FILTER;
  }
}

export async function loadHostView(
  deps: Pick<AppDeps, 'db' | 'now'>,
  schedule: Schedule,
  adminKey: string,
  show: SlotFilter,
  locale: Locale,
): Promise<HostView> {
  const slots = await listSlotsForSchedule(deps.db, schedule.id);
  return { schedule, adminKey, slots, now: deps.now(), show, locale };
}

/** The whole dashboard page. */
export function dashboardPage(
  c: Context<AdminEnv>,
  view: HostView,
  forms: { addSlot?: FormState; settings?: FormState; listStatus?: ListStatus; replaced?: boolean } = {},
): Child {
  const shareUrl = `${c.get('origin')}${paths.schedule(view.schedule.publicId)}`;
  return <AdminPage view={view} shareUrl={shareUrl} {...forms} />;
}

/**
 * The parts of the list that a change the host just made touches, as out-of-band swaps: `view` is
 * the list after it; `added` slots are in it, `deleted` ones (with the phase they were in) are not,
 * `rows` changed in place. Weeks the host added to are inserted open.
 */
export function HostListChange(props: {
  view: HostView;
  added?: readonly Slot[];
  deleted?: readonly { startsAt: Date; phase: SlotPhase }[];
  rows?: readonly Slot[];
}): Child {
  const { view, added = [], deleted = [], rows = [] } = props;
  const zone = view.schedule.timeZone;
  const start = (s: { startsAt: Date }) => s.startsAt.getTime();
  const { weekKeys, spans } = weeksOf([...added, ...deleted, ...rows].map(start), zone);
  const ctx = hostListContext(view, new Set(weeksOf(added.map(start), zone).weekKeys));
  const shown = (slot: Slot) => isShownBy(ctx.show, slot, ctx.now);
  const after = view.slots.filter(shown).map(start);
  const addedShown = new Set(added.filter(shown).map(start));
  const before = [
    ...after.filter((t) => !addedShown.has(t)),
    ...deleted.filter((d) => filterShowsPhase(ctx.show, d.phase)).map(start),
  ].sort((a, b) => a - b);
  const inSpans = (slot: Slot) => spans.some((r) => start(slot) >= r.from && start(slot) < r.to);
  const changes = planWeekChanges({
    before,
    after,
    weekSlots: view.slots.filter(inSpans),
    weeks: weekKeys,
    hinted: rows.map(start),
    zone,
    locale: ctx.locale,
    now: ctx.now,
    shown,
  });
  return changes === 'whole-list' ? (
    <HostSlotList view={view} openWeeks={ctx.openWeeks} oob />
  ) : (
    <HostChanges changes={changes} ctx={ctx} />
  );
}

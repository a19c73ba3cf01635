/**
 * Pushing changes to hosts' dashboards, week by week: each filter's list is compared with what its
 * pages show (the start instants last sent under that filter) in the weeks a change touches, and
 * each view (admin key, filter and locale) gets the summary lines, weeks, days and rows that changed, the
 * booking count and, for bookings, a sentence for the live region. One frame per socket.
 */
import type { Database } from '../db/client.ts';
import type { Schedule } from '../domain/schedules.ts';
import { isShownBy, type SlotFilter } from '../domain/slot-filters.ts';
import {
  countBookings,
  countSlots,
  listSlotsForSchedule,
  listSlotsStartingBetween,
  type Slot,
} from '../domain/slots.ts';
import { BookingSummary } from '../../views/admin.tsx';
import { HostChanges } from '../../views/admin-slot-changes.tsx';
import { HostSlotList } from '../../views/admin-slots.tsx';
import { weeksOf } from '../../views/components/weeks.ts';
import { Announcement } from '../../views/layout.tsx';
import { type FanOutOptions, fanOut } from './fan-out.ts';
import type { Subscriber } from './hub.ts';
import type { ScheduleState } from './schedule-frames.tsx';
import { describeRange } from '../domain/time.ts';
import { type HostViewer, hostViewKey } from './schedule-viewer.ts';
import { planWeekChanges, shownAfter, symmetricDifference, type WeekChange } from './week-changes.ts';

/** The start instants a filter shows, ascending. */
export const shownStarts = (slots: readonly Slot[], filter: SlotFilter, now: Date): number[] =>
  slots.filter((s) => isShownBy(filter, s, now)).map((s) => s.startsAt.getTime());

/** What the dashboards of each watched schedule show, per filter (start instants, ascending). */
export class HostShown {
  readonly #topics = new Map<string, Map<SlotFilter, number[]>>();

  get(topic: string, filter: SlotFilter): number[] | undefined {
    return this.#topics.get(topic)?.get(filter);
  }

  set(topic: string, filter: SlotFilter, starts: number[]): void {
    let filters = this.#topics.get(topic);
    if (!filters) {
      filters = new Map();
      this.#topics.set(topic, filters);
    }
    filters.set(filter, starts);
  }

  /** Every dashboard of the topic was just sent `state`. */
  setAll(topic: string, filters: Iterable<SlotFilter>, state: ScheduleState): void {
    this.#topics.delete(topic);
    for (const filter of new Set(filters)) this.set(topic, filter, shownStarts(state.slots, filter, state.now));
  }

  forget(topic: string): void {
    this.#topics.delete(topic);
  }
}

export interface HostPush {
  topic: string;
  schedule: Schedule;
  hosts: readonly Subscriber<HostViewer>[];
  shown: HostShown;
  /** Start instants of every slot added, deleted or booked: their weeks are re-read and compared. */
  changed: readonly number[];
  /** Start instants of slots whose rows are re-sent in place when their day stays the same (bookings). */
  rows: readonly number[];
  /** Every slot starting in these spans, ascending. */
  readSpans: (spans: readonly { from: number; to: number }[]) => Promise<Slot[]>;
  /** Every slot, for a list sent whole. */
  wholeState: () => Promise<ScheduleState>;
  counts: () => Promise<{ total: number; booked: number }>;
  /** What the live region says to a host, if anything. */
  announce?: ((viewer: HostViewer) => string) | undefined;
  now: Date;
}

type HostPlan = { changes: WeekChange[]; after: number[] } | 'whole-list';

/** Plans differ by filter (what is shown) and locale (how its weeks and days are labelled). */
const planKey = (viewer: HostViewer): string => `${viewer.show}|${viewer.locale}`;

export async function pushHostChanges(push: HostPush, options: FanOutOptions): Promise<void> {
  const { schedule, hosts, now, topic } = push;
  if (hosts.length === 0 || push.changed.length === 0) return;
  const zone = schedule.timeZone;
  const { weekKeys, spans } = weeksOf(push.changed, zone);
  const weekSlots = await push.readSpans(spans);
  const plans = new Map<string, HostPlan>();
  const afterOf = new Map<SlotFilter, HostPlan>();
  for (const viewer of new Map(hosts.map((h) => [planKey(h.viewer), h.viewer])).values()) {
    const filter = viewer.show;
    const before = push.shown.get(topic, filter);
    // What these pages show is not known here (a failure lost it): they get their whole list.
    if (!before) {
      plans.set(planKey(viewer), 'whole-list');
      afterOf.set(filter, 'whole-list');
      continue;
    }
    const shown = (slot: Slot) => isShownBy(filter, slot, now);
    const after = shownAfter(before, spans, weekSlots, shown);
    const changes = planWeekChanges({
      before,
      after,
      weekSlots,
      weeks: weekKeys,
      hinted: push.rows,
      zone,
      locale: viewer.locale,
      now,
      shown,
    });
    const plan = changes === 'whole-list' ? changes : { changes, after };
    plans.set(planKey(viewer), plan);
    afterOf.set(filter, plan);
  }
  const whole = [...plans.values()].includes('whole-list') ? await push.wholeState() : null;
  const counts = await push.counts();
  await fanOut(
    hosts,
    hostViewKey,
    (viewer) => {
      const plan = plans.get(planKey(viewer))!;
      const sentence = push.announce?.(viewer);
      const { adminKey, show, locale } = viewer;
      return (
        <>
          {plan === 'whole-list' ? (
            <HostSlotList view={{ schedule, adminKey, slots: whole!.slots, now, show, locale }} oob />
          ) : (
            <HostChanges changes={plan.changes} ctx={{ adminKey, zone, locale, now, show }} />
          )}
          <BookingSummary counts={counts} oob />
          {sentence ? <Announcement text={sentence} /> : null}
        </>
      );
    },
    options,
  );
  for (const [filter, plan] of afterOf)
    push.shown.set(topic, filter, plan === 'whole-list' ? shownStarts(whole!.slots, filter, now) : plan.after);
}

/** The feed's two host pushes: after a batch of events, and catching up with a state a socket's opening read. */
export function createHostPushes(deps: { db: Database; shown: HostShown; fanOpts: (kind: string) => FanOutOptions }) {
  const { db, shown } = deps;

  /** The weeks of every slot added, deleted or booked, compared per filter; one frame each. */
  async function afterBatch(
    topic: string,
    schedule: Schedule,
    hosts: Subscriber<HostViewer>[],
    change: { added: readonly Slot[]; booked: readonly Slot[]; deleted: readonly number[]; now: Date },
  ): Promise<void> {
    // Nobody here shows this schedule's dashboard: nothing to compare, nothing to keep.
    if (hosts.length === 0) {
      shown.forget(topic);
      return;
    }
    const { added, booked, deleted, now } = change;
    const rows = booked.map((s) => s.startsAt.getTime());
    let whole: Promise<ScheduleState> | null = null;
    await pushHostChanges(
      {
        topic,
        schedule,
        hosts,
        shown,
        changed: [...added.map((s) => s.startsAt.getTime()), ...deleted, ...rows],
        rows,
        readSpans: async (spans) => {
          const read: Slot[] = [];
          for (const span of spans)
            read.push(...(await listSlotsStartingBetween(db, schedule.id, new Date(span.from), new Date(span.to))));
          return read;
        },
        wholeState: () => (whole ??= listSlotsForSchedule(db, schedule.id).then((slots) => ({ schedule, slots, now }))),
        counts: () => countSlots(db, schedule.id),
        announce: booked.length > 0 ? (viewer) => announceBookings(schedule, booked, viewer, now) : undefined,
        now,
      },
      // Named as before weeks came: bookings alone are "booked", anything added or deleted "days".
      deps.fanOpts(added.length > 0 || deleted.length > 0 ? 'days' : 'booked'),
    );
  }

  /** Dashboards of each filter catch up with `state` in the weeks where what they show differs from it. */
  async function catchUp(topic: string, state: ScheduleState, hosts: Subscriber<HostViewer>[]): Promise<void> {
    for (const filter of new Set(hosts.map((h) => h.viewer.show))) {
      const before = shown.get(topic, filter);
      if (!before) continue;
      const changed = symmetricDifference(before, shownStarts(state.slots, filter, state.now));
      if (changed.length === 0) continue;
      await pushHostChanges(
        {
          topic,
          schedule: state.schedule,
          hosts: hosts.filter((h) => h.viewer.show === filter),
          shown,
          changed,
          rows: [],
          readSpans: async (spans) =>
            state.slots.filter((s) => spans.some((r) => s.startsAt.getTime() >= r.from && s.startsAt.getTime() < r.to)),
          wholeState: async () => state,
          counts: async () => countBookings(state.slots),
          now: state.now,
        },
        deps.fanOpts('days'),
      );
    }
  }

  return { afterBatch, catchUp };
}

/** What the host's live region says of some booking changes: who booked what, what is open again. */
function announceBookings(schedule: Schedule, affected: readonly Slot[], viewer: HostViewer, _now: Date): string {
  return affected
    .map((slot) => {
      const when = describeRange(slot.startsAt, slot.endsAt, schedule.timeZone, viewer.locale).full;
      return slot.booking ? `${slot.booking.name} booked ${when}.` : `${when} is open again.`;
    })
    .join(' ');
}

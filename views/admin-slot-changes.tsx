/**
 * Changes to the host's slot list as out-of-band swaps, as planned by src/realtime/week-changes.ts:
 * the same for the push to every dashboard of one view and for the answer to the host who acted.
 */
import type { Child } from 'hono/jsx';
import type { WeekChange } from '../src/realtime/week-changes.ts';
import {
  DayActions,
  HostDay,
  type HostListContext,
  HostSlotItem,
  HostWeek,
  WeekActions,
  WeekSummary,
} from './admin-slots.tsx';
import { dayNotes } from './components/weeks.ts';
import { daySectionId, ids, weekDaysId, weekSectionId } from './ids.ts';

/** Summary lines and actions re-sent, weeks and days inserted after their neighbour or deleted, days replaced, rows re-sent in place. */
export function HostChanges(props: { changes: readonly WeekChange[]; ctx: HostListContext }) {
  const { ctx } = props;
  return (
    <>
      {props.changes.map((change): Child => {
        switch (change.op) {
          case 'week-head':
            return (
              <>
                <WeekSummary week={change.week} oob />
                <WeekActions week={change.week} ctx={ctx} oob />
              </>
            );
          case 'insert-week': {
            // Inserted content is the wrapper's children (htmx strips the wrapper for insertions).
            const where = change.after ? `afterend:#${weekSectionId(change.after)}` : `afterbegin:#${ids.slotWeeks}`;
            return (
              <div hx-swap-oob={where}>
                <HostWeek week={change.week} ctx={ctx} />
              </div>
            );
          }
          case 'delete-week':
            return <div id={weekSectionId(change.weekKey)} hx-swap-oob="delete" />;
          case 'replace-day':
            return <HostDay day={change.day} ctx={ctx} oob="true" />;
          case 'insert-day': {
            const where = change.after
              ? `afterend:#${daySectionId(change.after)}`
              : `afterbegin:#${weekDaysId(change.weekKey)}`;
            return (
              <div hx-swap-oob={where}>
                <HostDay day={change.day} ctx={ctx} />
              </div>
            );
          }
          case 'delete-day':
            return <div id={daySectionId(change.dayKey)} hx-swap-oob="delete" />;
          default: {
            const notes = dayNotes(change.day);
            return (
              <>
                {change.slots.map((slot) => (
                  <HostSlotItem
                    adminKey={ctx.adminKey}
                    slot={slot}
                    zone={ctx.zone}
                    locale={ctx.locale}
                    now={ctx.now}
                    show={ctx.show}
                    showNote={notes.showsNote(slot)}
                    oob
                  />
                ))}
                <DayActions day={change.day} ctx={ctx} oob />
              </>
            );
          }
        }
      })}
    </>
  );
}

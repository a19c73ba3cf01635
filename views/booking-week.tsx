/**
 * The booking page a week at a time, as a plain list: for readers without JavaScript, who reach it
 * from the booking view. Each day's times are buttons of one GET form (the booking form's page), and
 * previous and next links move a week. No socket: it is as fresh as its last load.
 */
import type { Locale } from '../src/domain/locale.ts';
import type { Schedule } from '../src/domain/schedules.ts';
import { scheduleHeading } from '../src/domain/schedules.ts';
import { type Slot, slotStateFor } from '../src/domain/slots.ts';
import { addDays, describeDate } from '../src/domain/time.ts';
import { VisitorSlotItem } from './booking-calendar.tsx';
import { Layout } from './layout.tsx';
import { paths } from './paths.ts';
import { ScheduleHead, ZoneBar } from './schedule.tsx';

export interface WeekView {
  schedule: Schedule;
  /** The Monday the week starts on, in `zone`. */
  start: string;
  /** The week's slots by date (`YYYY-MM-DD` in `zone`), each day earliest first. */
  days: Map<string, Slot[]>;
  zone: string;
  zoneKnown: boolean;
  locale: Locale;
  visitorHash: string | null;
  now: Date;
}

export function WeekPage(props: { view: WeekView }) {
  const { view } = props;
  const { schedule } = view;
  const dates = Array.from({ length: 7 }, (_, i) => addDays(view.start, i));
  const last = describeDate(dates[6]!, view.locale).shortDay;
  const first = describeDate(view.start, view.locale).shortDay;
  const anyTimes = dates.some((d) => (view.days.get(d)?.length ?? 0) > 0);
  return (
    <Layout title={scheduleHeading(schedule)}>
      <ScheduleHead schedule={schedule} />
      <ZoneBar schedule={schedule} zone={view.zoneKnown ? view.zone : null} now={view.now} />
      <section class="week-list" aria-labelledby="week-heading">
        <h2 id="week-heading">
          {first} to {last}
        </h2>
        <nav class="week-nav" aria-label="Weeks">
          <a href={paths.scheduleWeek(schedule.publicId, addDays(view.start, -7))}>‹ Previous week</a>
          <a href={paths.schedule(schedule.publicId, { day: view.start })}>Month calendar</a>
          <a href={paths.scheduleWeek(schedule.publicId, addDays(view.start, 7))}>Next week ›</a>
        </nav>
        {anyTimes ? (
          <form method="get" action={paths.chooseSlot(schedule.publicId)}>
            {dates.map((date) => {
              const slots = view.days.get(date) ?? [];
              return slots.length === 0 ? null : (
                <section class="day" aria-labelledby={`week-day-${date}`}>
                  <h3 id={`week-day-${date}`}>{describeDate(date, view.locale).dayLabel}</h3>
                  <ul class="slots" role="list">
                    {slots.map((slot) => (
                      <VisitorSlotItem
                        slot={slot}
                        zone={view.zone}
                        locale={view.locale}
                        state={slotStateFor(slot, view.visitorHash, view.now)}
                      />
                    ))}
                  </ul>
                </section>
              );
            })}
          </form>
        ) : (
          <p class="empty">No times this week.</p>
        )}
      </section>
    </Layout>
  );
}

/**
 * The host's dashboard and its fragments: the share link, the booking summary, the slot list with
 * bookings (live; its weeks, days and rows are in admin-slots.tsx); its forms (adding slots,
 * settings) are in admin-forms.tsx.
 */
import type { FormState } from './components/form-state.ts';
import type { Locale } from '../src/domain/locale.ts';
import { type Schedule, scheduleHeading } from '../src/domain/schedules.ts';
import { DEFAULT_SLOT_FILTER, type SlotFilter } from '../src/domain/slot-filters.ts';
import { countBookings, type Slot } from '../src/domain/slots.ts';
import { zoneLabel } from '../src/domain/time.ts';
import { DashboardLinkSection, LinkReplacedNotice } from './admin-link.tsx';
import { type ListStatus, ListStatusLine, SlotFilterNav } from './admin-slot-controls.tsx';
import { HostSlotList } from './admin-slots.tsx';
import { ids } from './ids.ts';
import { AddSlotSection, SettingsSection } from './admin-forms.tsx';
import { AvailabilitySection, type AvailabilityState } from './availability-form.tsx';
import { Layout } from './layout.tsx';
import { paths } from './paths.ts';

export interface HostView {
  schedule: Schedule;
  adminKey: string;
  slots: readonly Slot[];
  now: Date;
  /** How dates and times read to the host (from the request's Accept-Language). */
  locale: Locale;
  /** Which slots the list shows (upcoming unless said). */
  show?: SlotFilter;
}

export type { ListStatus } from './admin-slot-controls.tsx';

export function AdminPage(props: {
  view: HostView;
  shareUrl: string;
  addSlot?: FormState;
  availability?: AvailabilityState;
  settings?: FormState;
  listStatus?: ListStatus;
  /** The dashboard was just moved to this link (shown once). */
  replaced?: boolean;
}) {
  const { view } = props;
  const show = view.show ?? DEFAULT_SLOT_FILTER;
  return (
    <Layout title={`Dashboard · ${scheduleHeading(view.schedule)}`} live={paths.adminLive(view.adminKey, show)}>
      <AdminHead schedule={view.schedule} />
      {props.replaced ? <LinkReplacedNotice /> : null}
      <section class="card share" aria-labelledby="share-heading">
        <h2 id="share-heading">Share your scheduling page</h2>
        <div class="field">
          <label for={ids.shareLink}>Scheduling page link</label>
          <p class="field-hint" id="share-link-hint">
            Send this link to the people who should book a time. They see every time in their own time zone.
          </p>
          <div class="copy-row">
            <input id={ids.shareLink} type="text" readonly value={props.shareUrl} aria-describedby="share-link-hint" />
            <button type="button" class="button" data-copy={ids.shareLink}>
              Copy link
            </button>
          </div>
        </div>
        <p class="notice">
          <strong>Bookmark this dashboard.</strong> Its link is the only key to it: there is no account and no password,
          and anyone who has the link can change this schedule. Keep it private.
        </p>
      </section>
      <AddSlotSection view={view} state={props.addSlot ?? {}} />
      <AvailabilitySection
        adminKey={view.adminKey}
        zone={view.schedule.timeZone}
        locale={view.locale}
        now={view.now}
        state={props.availability ?? {}}
      />
      <section class="times" aria-labelledby={ids.slotListHeading}>
        <div class="section-head">
          <h2 id={ids.slotListHeading}>Your slots</h2>
          <BookingSummary counts={countBookings(view.slots)} />
        </div>
        <SlotFilterNav adminKey={view.adminKey} show={show} />
        <ListStatusLine status={props.listStatus} />
        <HostSlotList view={view} />
        <p>
          <a class="button button--quiet" href={paths.adminCalendar(view.adminKey)} download="bookings.ics">
            Download all bookings (.ics)
          </a>
        </p>
      </section>
      <SettingsSection view={view} state={props.settings ?? {}} />
      <DashboardLinkSection adminKey={view.adminKey} />
    </Layout>
  );
}

export function AdminHead(props: { schedule: Schedule; oob?: boolean }) {
  const { schedule } = props;
  return (
    <header id={ids.scheduleHead} class="page-head" hx-swap-oob={props.oob ? 'true' : undefined}>
      <p class="eyebrow">Your dashboard</p>
      <h1>{schedule.title || 'Your schedule'}</h1>
      <p class="page-lede">
        {schedule.hostName ? `Hosted by ${schedule.hostName}. ` : ''}You add times in{' '}
        <strong>{zoneLabel(schedule.timeZone)}</strong>.
      </p>
    </header>
  );
}

export function BookingSummary(props: { counts: { total: number; booked: number }; oob?: boolean }) {
  const { total, booked } = props.counts;
  return (
    <p id={ids.bookingSummary} class="summary" hx-swap-oob={props.oob ? 'true' : undefined}>
      {total === 0 ? 'No slots yet' : `${booked} of ${total} ${total === 1 ? 'slot' : 'slots'} booked`}
    </p>
  );
}

/** URL builders for every page and action, shared by views, routes and tests. */
import { DEFAULT_SLOT_FILTER } from '../src/domain/slot-filters.ts';

/**
 * Paths whose second segment is a secret: an admin key, a public scheduling id, a manage key. Pages
 * under them are never indexed or cached, and logs never show that segment.
 */
export const CAPABILITY_PATH = /^\/(admin|s|b)\/[^/]+/;

/** The dashboard's slot filter as a query string: nothing for the default, so plain links stay plain. */
const showQuery = (show: string | undefined) => (show && show !== DEFAULT_SLOT_FILTER ? `?show=${show}` : '');
/** Which date of the rooms grid, which hours of it (the working day unless both are given), highlighting whom. */
export interface GridQuery {
  date?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  with?: string | undefined;
}

function setWindow(params: URLSearchParams, query: GridQuery | undefined): void {
  if (query?.from === undefined || query.to === undefined) return;
  params.set('from', String(query.from));
  params.set('to', String(query.to));
}

/** Which month and day of a booking page to show. */
export interface CalendarQuery {
  month?: string | null | undefined;
  day?: string | null | undefined;
}

function calendarQuery(view: CalendarQuery | undefined): string {
  const params = new URLSearchParams();
  if (view?.day) params.set('day', view.day);
  else if (view?.month) params.set('month', view.month);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export const paths = {
  home: () => '/',
  createSchedule: () => '/schedules',
  zoneField: () => '/zone-field',
  chooseZone: () => '/tz',

  /** The dashboard; `show` (a slot filter) only when it is not the default. */
  admin: (adminKey: string, show?: string) => `/admin/${adminKey}${showQuery(show)}`,
  adminLive: (adminKey: string, show?: string) => `/admin/${adminKey}/live${showQuery(show)}`,
  adminSlots: (adminKey: string) => `/admin/${adminKey}/slots`,
  /** Deleting every open slot of a day or of a week (the form names the date). */
  adminDeleteOpenOfDay: (adminKey: string, show?: string) => `/admin/${adminKey}/days/delete-open${showQuery(show)}`,
  adminDeleteOpenOfWeek: (adminKey: string, show?: string) => `/admin/${adminKey}/weeks/delete-open${showQuery(show)}`,
  adminAvailability: (adminKey: string) => `/admin/${adminKey}/availability`,
  adminDeleteSlot: (adminKey: string, slotId: string, show?: string) =>
    `/admin/${adminKey}/slots/${slotId}/delete${showQuery(show)}`,
  adminSettings: (adminKey: string) => `/admin/${adminKey}/settings`,
  adminCalendar: (adminKey: string) => `/admin/${adminKey}/bookings.ics`,
  adminRotate: (adminKey: string) => `/admin/${adminKey}/rotate`,

  schedule: (publicId: string, view?: CalendarQuery) => `/s/${publicId}${calendarQuery(view)}`,
  scheduleLive: (publicId: string, view?: CalendarQuery) => `/s/${publicId}/live${calendarQuery(view)}`,
  /** The booking page a week at a time, as a plain list (for readers without JavaScript). */
  scheduleWeek: (publicId: string, start: string) => `/s/${publicId}/week?start=${start}`,
  /** The booking view alone (month calendar and a day's times), for htmx. */
  scheduleView: (publicId: string, view?: CalendarQuery) => `/s/${publicId}/view${calendarQuery(view)}`,
  chooseSlot: (publicId: string) => `/s/${publicId}/book`,
  claimSlot: (publicId: string, slotId: string) => `/s/${publicId}/slots/${slotId}/claim`,
  moveBooking: (publicId: string, slotId: string) => `/s/${publicId}/slots/${slotId}/move`,
  release: (publicId: string) => `/s/${publicId}/release`,
  myCalendar: (publicId: string) => `/s/${publicId}/booking.ics`,

  login: (next?: string) => (next ? `/login?next=${encodeURIComponent(next)}` : '/login'),
  logout: () => '/logout',
  register: () => '/register',
  profile: () => '/profile',
  profilePassword: () => '/profile/password',
  accountLive: (query?: GridQuery & { zone?: string | undefined; view?: 'inbox' | 'agenda' }) => {
    const params = new URLSearchParams();
    if (query?.date) params.set('date', query.date);
    if (query?.zone) params.set('zone', query.zone);
    setWindow(params, query);
    if (query?.with) params.set('with', query.with);
    if (query?.view) params.set('view', query.view);
    const text = params.toString();
    return text ? `/live?${text}` : '/live';
  },

  rooms: (query?: GridQuery) => {
    const params = new URLSearchParams();
    if (query?.date) params.set('date', query.date);
    setWindow(params, query);
    if (query?.with) params.set('with', query.with);
    const text = params.toString();
    return text ? `/rooms?${text}` : '/rooms';
  },
  roomCellPage: () => '/rooms/cell',
  newRoom: () => '/rooms/new',
  room: (roomId: string) => `/rooms/${roomId}`,
  roomHours: (roomId: string) => `/rooms/${roomId}/hours`,
  roomOverrides: (roomId: string) => `/rooms/${roomId}/overrides`,
  roomOverrideRemove: (roomId: string) => `/rooms/${roomId}/overrides/remove`,
  roomArchive: (roomId: string) => `/rooms/${roomId}/archive`,

  inbox: (query?: { box?: string; status?: string; q?: string }) => {
    const params = new URLSearchParams(Object.entries(query ?? {}).filter(([, v]) => v) as [string, string][]);
    const text = params.toString();
    return text ? `/invites?${text}` : '/invites';
  },
  inboxResults: () => '/invites/results',
  meetings: () => '/meetings',
  meetingsList: () => '/meetings/list',
  reviewInvite: () => '/invites/review',
  sendInvite: () => '/invites',
  bookForMyself: () => '/invites/book',
  inviteAction: (inviteId: string, action: 'accept' | 'reject' | 'withdraw' | 'cancel' | 'leave') =>
    `/invites/${inviteId}/${action}`,
  meetingCalendar: (inviteId: string) => `/invites/${inviteId}/meeting.ics`,
  dismissNotice: (noticeId: string) => `/notices/${noticeId}/dismiss`,

  manage: (manageKey: string) => `/b/${manageKey}`,
  manageRelease: (manageKey: string) => `/b/${manageKey}/release`,
  manageCalendar: (manageKey: string) => `/b/${manageKey}/booking.ics`,
} as const;

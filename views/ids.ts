/**
 * Every element id that a swap or a live push targets. Views, routes, the live feed and tests all
 * build ids here, so a push can never miss its element because of a typo.
 */
export const ids = {
  main: 'main',
  /** The polite live region that reads out what changed. */
  announcer: 'announcer',
  /** "Live" / "Reconnecting…" */
  liveStatus: 'live-status',
  /** Where errors that have no better place are shown. */
  flash: 'flash',
  scheduleHead: 'schedule-head',
  slotList: 'slot-list',
  /** Inside the slot list: the container of its day sections (a new day is inserted into it). */
  slotDays: 'slot-days',
  /** Host dashboard, inside the slot list: the container of its weeks (a new week is inserted into it). */
  slotWeeks: 'slot-weeks',
  /** Host dashboard: which slots the list shows (upcoming, open, booked, past, all). */
  slotFilter: 'slot-filter',
  /**
   * Host dashboard: what a delete did, above the list and outside it, so no push ever replaces it
   * (the answer puts focus there).
   */
  listStatus: 'list-status',
  /** The element holding the page's socket (ws-connect): replaced with a new URL, it reconnects there. */
  liveSocket: 'live-socket',
  slotListHeading: 'slot-list-heading',
  /** Visitor page: "Times shown in …" */
  zoneLabel: 'zone-label',
  /** Visitor page: the booking form, its answers, the confirmation. */
  bookingPanel: 'booking-panel',
  /** Visitor page: the month calendar and the chosen day's times; it holds the socket of that view. */
  bookingView: 'booking-view',
  /** Visitor page, first visit: stands where the booking view loads once the zone is known. */
  bookingViewPending: 'booking-view-pending',
  monthCalendar: 'month-calendar',
  monthHeading: 'month-heading',
  dayTimesHeading: 'day-times-heading',
  nextAvailable: 'next-available',
  /** The manage link's page: the booking's card (loaded in the device's zone). */
  manageCard: 'manage-card',
  /** Visitor page: the visitor's own booking, with calendar links and Release. */
  myBooking: 'my-booking',
  /** Host dashboard */
  addSlot: 'add-slot',
  /** The add form's and the settings form's buttons: their answers replace the form, and focus comes back here. */
  addSlotSubmit: 'add-slot-submit',
  settingsSubmit: 'settings-submit',
  /** Host dashboard: the weekly availability form, and its preview or report inside it. */
  availability: 'add-availability',
  availabilityOutcome: 'availability-outcome',
  bookingSummary: 'booking-summary',
  settings: 'schedule-settings',
  /** Host dashboard: replacing the dashboard's own link. */
  dashboardLink: 'dashboard-link',
  shareLink: 'share-link',
  /** Signed-in pages: where invite and notice pop-ups live, and where answers to them go. */
  popups: 'popups',
  /** Inside #popups: the invite pop-ups shown (the newest few), then the line counting the rest, then notices. */
  popupInvites: 'popup-invites',
  popupsMore: 'popups-more',
  popupNotices: 'popup-notices',
  popupResults: 'popup-results',
  /** Pending invites count in the navigation. */
  inboxCount: 'inbox-count',
  roomGrid: 'room-grid',
  /** The grid's caption, which names it (aria-labelledby). */
  gridCaption: 'grid-caption',
  /** The panel beside the grid: invite form, review, cell details. */
  cellPanel: 'cell-panel',
  inboxResults: 'inbox-results',
  agendaList: 'agenda-list',
  inboxFilters: 'inbox-filters',
} as const;

/**
 * Cookies the browser script writes as well as the server: the zone it detected, and whether the
 * person pinned one. The page hands these names to public/app.js (data attributes on <body>).
 */
export const cookieNames = {
  zone: 'tz',
  zonePinned: 'tz_pinned',
} as const;

/**
 * A room's cell in the grid: the column is one real hour of the viewer's date, named by the minute
 * it starts (since 1970), so a day whose clocks go back has two distinct 01:00 cells.
 */
export const roomCellId = (roomId: string, columnStart: Date): string =>
  `cell-${roomId}-${Math.floor(columnStart.getTime() / 60_000)}`;

/** A room's row in the grid (its name and its cells). */
export const roomRowId = (roomId: string): string => `room-row-${roomId}`;

/** An invite's pop-up (for the invitee while it is pending). */
export const invitePopupId = (inviteId: string): string => `popup-invite-${inviteId}`;

/** A notice's pop-up. */
export const noticePopupId = (noticeId: string): string => `popup-notice-${noticeId}`;

/** The answer to a decision taken in a pop-up. */
export const resultPopupId = (inviteId: string): string => `popup-result-${inviteId}`;

/** An invite's row in the inbox. */
export const inviteRowId = (inviteId: string): string => `invite-${inviteId}`;

/** The list item of one slot (same id on the dashboard and the scheduling page). */
export const slotId = (id: string): string => `slot-${id}`;

/** A day of slots (the date in the viewer's zone): its section, and its heading. */
export const daySectionId = (dayKey: string): string => `day-${dayKey}-section`;
export const dayHeadingId = (dayKey: string): string => `day-${dayKey}`;

/** A week of the host's slots (its Monday in the schedule's zone): the collapsible section, its summary line, its actions, and the container of its days. */
export const weekSectionId = (weekKey: string): string => `week-${weekKey}-section`;
export const weekSummaryId = (weekKey: string): string => `week-${weekKey}`;
export const weekActionsId = (weekKey: string): string => `week-${weekKey}-actions`;
export const weekDaysId = (weekKey: string): string => `week-${weekKey}-days`;

/** The host's actions on a day (deleting its open slots). */
export const dayActionsId = (dayKey: string): string => `day-${dayKey}-actions`;

/** The host's Delete button of a slot. */
export const slotDeleteId = (id: string): string => `slot-${id}-delete`;

/** A choice of the host's slot filter. */
export const slotFilterId = (filter: string): string => `slot-filter-${filter}`;
/** A date's cell in the visitor's month calendar, and the link or label inside it. */
export const calendarCellId = (date: string): string => `cal-cell-${date}`;
export const calendarDayId = (date: string): string => `cal-${date}`;

/** The button or label inside a slot's item that carries its state. */
export const slotButtonId = (id: string): string => `slot-${id}-button`;

/** The id of a form field's error message, for aria-describedby. */
export const fieldErrorId = (form: string, field: string): string => `${form}-${field}-error`;

/** The id of a form field. */
export const fieldId = (form: string, field: string): string => `${form}-${field}`;

/**
 * What a booking looks like in someone's calendar: the event's words, its stable UID, and the
 * "add to calendar" links. Manage links never go in here: calendar files get forwarded and synced.
 */
import type { Schedule } from './schedules.ts';
import type { Slot } from './slots.ts';
import type { CalendarEvent } from './ics.ts';
import { formatUtcBasic } from './time.ts';

/** For whom the event is written: the visitor who booked, or the host who receives the booking. */
export type CalendarAudience = 'visitor' | 'host';

function visitorSummary(schedule: Pick<Schedule, 'title' | 'hostName'>): string {
  if (schedule.title && schedule.hostName) return `${schedule.title} (with ${schedule.hostName})`;
  if (schedule.title) return schedule.title;
  if (schedule.hostName) return `Meeting with ${schedule.hostName}`;
  return 'Appointment';
}

/**
 * The calendar event for a booked slot. `schedulingUrl` is the public scheduling page; `host` is the
 * site's host name, used in the UID.
 */
export function bookingEvent(
  schedule: Pick<Schedule, 'title' | 'hostName'>,
  slot: Slot,
  options: { audience: CalendarAudience; schedulingUrl: string; host: string },
): CalendarEvent {
  if (!slot.booking) throw new Error('bookingEvent needs a booked slot');
  const { booking } = slot;
  const lines: string[] = [];
  if (slot.notes) lines.push(slot.notes, '');
  if (options.audience === 'host') {
    lines.push(`Booked by ${booking.name}${booking.email ? ` <${booking.email}>` : ''}.`);
  }
  lines.push(`Scheduling page: ${options.schedulingUrl}`);
  const summary =
    options.audience === 'host'
      ? `${booking.name}${schedule.title ? ` · ${schedule.title}` : ''}`
      : visitorSummary(schedule);
  return {
    uid: `${booking.id}@${options.host}`,
    sequence: booking.sequence,
    start: slot.startsAt,
    end: slot.endsAt,
    summary,
    description: lines.join('\n'),
    url: options.schedulingUrl,
  };
}

/** "Add to Google Calendar": a template link with UTC times (`dates=…Z/…Z`). */
export function googleCalendarUrl(event: CalendarEvent): string {
  const params = new URLSearchParams({
    action: 'TEMPLATE',
    text: event.summary,
    dates: `${formatUtcBasic(event.start)}/${formatUtcBasic(event.end)}`,
    details: event.description,
  });
  return `https://calendar.google.com/calendar/render?${params}`;
}

/** "Add to Outlook": Outlook on the web's compose deep link, times in ISO 8601 UTC. */
export function outlookCalendarUrl(event: CalendarEvent): string {
  const params = new URLSearchParams({
    path: '/calendar/action/compose',
    rru: 'addevent',
    subject: event.summary,
    startdt: event.start.toISOString(),
    enddt: event.end.toISOString(),
    body: event.description,
  });
  return `https://outlook.live.com/calendar/0/deeplink/compose?${params}`;
}

/** The calendar event for an accepted meeting, the same for both people. */
export function meetingEvent(
  meeting: {
    id: string;
    startsAt: Date;
    endsAt: Date;
    note: string;
    room: { name: string };
    inviter: { displayName: string };
    /** Null: a room booked for the organizer alone. */
    invitee: { displayName: string } | null;
  },
  options: { url: string; host: string },
): CalendarEvent {
  const lines = [
    `Room: ${meeting.room.name}`,
    meeting.invitee
      ? `Attendees: ${meeting.inviter.displayName} (organizer), ${meeting.invitee.displayName}`
      : `Booked by ${meeting.inviter.displayName}`,
  ];
  if (meeting.note) lines.push('', meeting.note);
  lines.push('', `Invites: ${options.url}`);
  return {
    uid: `${meeting.id}@${options.host}`,
    sequence: 0,
    start: meeting.startsAt,
    end: meeting.endsAt,
    summary: meeting.invitee
      ? `${meeting.inviter.displayName} & ${meeting.invitee.displayName} · ${meeting.room.name}`
      : `${meeting.inviter.displayName} · ${meeting.room.name}`,
    description: lines.join('\n'),
    url: options.url,
  };
}

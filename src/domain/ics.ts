/**
 * Calendar files (RFC 5545). The only importer of `ics`. Times are written in UTC (`Z`): the package
 * cannot emit VTIMEZONE, and floating times would move an appointment with the reader's zone.
 */
import { createEvents, type EventAttributes } from 'ics';

export interface CalendarEvent {
  /** Stable per booking (`id@host`), so re-importing updates instead of duplicating. */
  uid: string;
  /** Goes up when the booking moves, so calendar apps replace the older version. */
  sequence: number;
  start: Date;
  end: Date;
  summary: string;
  description: string;
  url?: string;
}

const PRODUCT_ID = '-//Inter-Personal Time//Scheduling//EN';
const FOLD_OCTETS = 75;

/**
 * Folds content lines at 75 octets, never inside a UTF-8 sequence. The package folds at 75
 * characters, which overruns the limit as soon as a line holds non-ASCII text.
 */
export function foldContentLines(calendar: string): string {
  const unfolded = calendar.replace(/\r\n[ \t]/g, '');
  const out: string[] = [];
  for (const line of unfolded.split('\r\n')) {
    if (line === '') continue;
    let current = '';
    let octets = 0;
    let limit = FOLD_OCTETS;
    for (const char of line) {
      const size = Buffer.byteLength(char, 'utf8');
      if (octets + size > limit) {
        out.push(current);
        current = ' ';
        octets = 1;
        limit = FOLD_OCTETS;
      }
      current += char;
      octets += size;
    }
    out.push(current);
  }
  return `${out.join('\r\n')}\r\n`;
}

// Controls a TEXT value may not hold (RFC 5545 3.3.11 allows tab; line ends are escaped as \n).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is its job
const TEXT_CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F]/g;

/**
 * Text as a calendar file may carry it: every line end a plain newline (the package escapes only
 * `\n`, so a lone CR would end the content line and start a property of the sender's choosing),
 * other controls dropped. The package escapes `\ ; ,` and newlines in SUMMARY and DESCRIPTION.
 */
function calendarText(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(TEXT_CONTROL, '');
}

/** A TEXT property value escaped per RFC 5545 3.3.11 (for the ones the package writes raw). */
function escapeCalendarText(value: string): string {
  return calendarText(value)
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n');
}

/** One calendar file holding the given events. */
export function buildCalendar(events: readonly CalendarEvent[], options: { name?: string; now: Date }): string {
  // The package writes the calendar's name without escaping it.
  const name = options.name ? escapeCalendarText(options.name) : '';
  const attributes: EventAttributes[] = events.map((event) => ({
    uid: event.uid,
    sequence: event.sequence,
    start: event.start.getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: event.end.getTime(),
    endInputType: 'utc',
    endOutputType: 'utc',
    title: calendarText(event.summary),
    description: calendarText(event.description),
    timestamp: options.now.getTime(),
    productId: PRODUCT_ID,
    ...(event.url ? { url: event.url } : {}),
    ...(name ? { calName: name } : {}),
  }));
  if (attributes.length === 0) {
    // The package refuses an empty list; an empty calendar is still a valid answer.
    const nameLine = name ? `X-WR-CALNAME:${name}\r\n` : '';
    return foldContentLines(
      `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:${PRODUCT_ID}\r\nMETHOD:PUBLISH\r\n${nameLine}END:VCALENDAR\r\n`,
    );
  }
  const { error, value } = createEvents(attributes);
  if (error || !value) throw error ?? new Error('calendar file could not be built');
  return foldContentLines(value);
}

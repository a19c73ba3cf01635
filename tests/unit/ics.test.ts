import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { bookingEvent, googleCalendarUrl, outlookCalendarUrl } from '../../src/domain/calendar.ts';
import { buildCalendar, foldContentLines } from '../../src/domain/ics.ts';
import type { Slot } from '../../src/domain/slots.ts';

const NOW = new Date('2026-11-21T12:00:00Z');

function bookedSlot(overrides: Partial<Slot> = {}): Slot {
  return {
    id: '0b9d7a10-0000-4000-8000-000000000001',
    scheduleId: '0b9d7a10-0000-4000-8000-0000000000aa',
    startsAt: new Date('2027-03-16T15:00:00Z'),
    endsAt: new Date('2027-03-16T15:30:00Z'),
    notes: 'Bring your CV; we meet at the café',
    booking: {
      id: '5f0c1d2e-0000-4000-8000-000000000042',
      name: 'Ann Example',
      email: 'ann@example.com',
      bookedAt: NOW,
      visitorHash: 'h',
      sequence: 0,
    },
    ...overrides,
  };
}

const schedule = { title: 'Career coaching', hostName: 'Marissa' };
const options = { audience: 'visitor' as const, schedulingUrl: 'https://ipt.example/s/abc', host: 'ipt.example' };

function parse(text: string) {
  const component = new ICAL.Component(ICAL.parse(text));
  return component.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
}

describe('calendar files', () => {
  it('round-trips through ical.js with the booking’s exact start and end in UTC', () => {
    const slot = bookedSlot();
    const text = buildCalendar([bookingEvent(schedule, slot, options)], { now: NOW });
    const [event] = parse(text);
    expect(event!.startDate.toJSDate().toISOString()).toBe(slot.startsAt.toISOString());
    expect(event!.endDate.toJSDate().toISOString()).toBe(slot.endsAt.toISOString());
    expect(event!.startDate.zone.tzid).toBe('UTC');
    expect(text).toContain('DTSTART:20270316T150000Z');
    expect(event!.uid).toBe('5f0c1d2e-0000-4000-8000-000000000042@ipt.example');
    expect(event!.summary).toBe('Career coaching (with Marissa)');
    expect(event!.description).toContain('Bring your CV; we meet at the café');
    expect(event!.description).toContain('https://ipt.example/s/abc');
    expect(text).toMatch(/DTSTAMP:20261121T120000Z/);
  });

  it('uses CRLF line ends and folds at 75 octets without splitting a character', () => {
    const notes = 'Notes with ünïcödé, emoji 🙂 and CJK 会议室 '.repeat(12);
    const text = buildCalendar([bookingEvent(schedule, bookedSlot({ notes }), options)], { now: NOW });
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = text.split('\r\n').slice(0, -1);
    for (const line of lines) {
      expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
      // A split inside a UTF-8 sequence would show up as a replacement character after decoding.
      expect(Buffer.from(line, 'utf8').toString('utf8')).toBe(line);
    }
    expect(lines.some((l) => l.startsWith(' '))).toBe(true);
    const [event] = parse(text);
    expect(event!.description.startsWith(notes.trim())).toBe(true);
  });

  it('folds by octets where the package folds by characters', () => {
    const line = `DESCRIPTION:${'é'.repeat(80)}`;
    const folded = foldContentLines(`${line}\r\n`);
    expect(folded.split('\r\n').every((l) => Buffer.byteLength(l) <= 75)).toBe(true);
    expect(folded.replace(/\r\n /g, '')).toBe(`${line}\r\n`);
  });

  it('gives the host one file with every booking, naming who booked', () => {
    const a = bookedSlot();
    const b = bookedSlot({
      id: '0b9d7a10-0000-4000-8000-000000000002',
      startsAt: new Date('2027-03-17T15:00:00Z'),
      endsAt: new Date('2027-03-17T15:30:00Z'),
      booking: { ...a.booking!, id: '5f0c1d2e-0000-4000-8000-000000000043', name: 'Bo', email: null },
    });
    const text = buildCalendar(
      [a, b].map((s) => bookingEvent(schedule, s, { ...options, audience: 'host' })),
      { name: 'Career coaching', now: NOW },
    );
    const events = parse(text);
    expect(events.map((e) => e.summary)).toEqual(['Ann Example · Career coaching', 'Bo · Career coaching']);
    expect(events[0]!.description).toContain('ann@example.com');
    expect(new Set(events.map((e) => e.uid)).size).toBe(2);
  });

  it('writes a valid empty calendar when there is nothing booked', () => {
    const text = buildCalendar([], { name: 'Nothing; yet', now: NOW });
    expect(parse(text)).toHaveLength(0);
    expect(text).toContain('BEGIN:VCALENDAR\r\n');
  });

  it('bumps SEQUENCE when a booking moves, keeping its UID', () => {
    const moved = bookedSlot({ booking: { ...bookedSlot().booking!, sequence: 2 } });
    const text = buildCalendar([bookingEvent(schedule, moved, options)], { now: NOW });
    expect(text).toContain('SEQUENCE:2');
  });

  it('never puts a manage link in the file', () => {
    const text = buildCalendar([bookingEvent(schedule, bookedSlot(), options)], { now: NOW });
    expect(text).not.toMatch(/\/b\//);
  });
});

describe('calendar links', () => {
  const event = bookingEvent(schedule, bookedSlot(), options);

  it('Google: a template link with UTC dates', () => {
    const url = new URL(googleCalendarUrl(event));
    expect(url.origin).toBe('https://calendar.google.com');
    expect(url.searchParams.get('action')).toBe('TEMPLATE');
    expect(url.searchParams.get('dates')).toBe('20270316T150000Z/20270316T153000Z');
    expect(url.searchParams.get('text')).toBe('Career coaching (with Marissa)');
  });

  it('Outlook: ISO times in UTC', () => {
    const url = new URL(outlookCalendarUrl(event));
    expect(url.searchParams.get('startdt')).toBe('2027-03-16T15:00:00.000Z');
    expect(url.searchParams.get('enddt')).toBe('2027-03-16T15:30:00.000Z');
  });
});

describe('calendar files and hostile text', () => {
  const PROPERTIES =
    /^(BEGIN|END|VERSION|CALSCALE|PRODID|METHOD|X-WR-CALNAME|X-PUBLISHED-TTL|UID|SUMMARY|DTSTAMP|DTSTART|DTEND|SEQUENCE|DESCRIPTION|URL):/;
  const unfolded = (text: string) =>
    text
      .replace(/\r\n[ \t]/g, '')
      .split('\r\n')
      .filter(Boolean);

  it('escapes ; , \\ and line ends, so no typed text starts a property of its own', () => {
    const summary = 'Evil; name, with \\ back\\slash\rATTENDEE:mailto:evil@x';
    const description = 'line one\r\nATTENDEE;CN=Evil:mailto:evil@x\nline\rX-INJECT:1\u0000\u0007 end';
    const name = 'Cal; name, \\n not a newline\nX-WR-TIMEZONE:Mars/Olympus';
    const event = {
      uid: 'u1@ipt.example',
      sequence: 0,
      start: new Date('2027-03-16T15:00:00Z'),
      end: new Date('2027-03-16T15:30:00Z'),
      summary,
      description,
    };
    for (const text of [buildCalendar([event], { name, now: NOW }), buildCalendar([], { name, now: NOW })]) {
      for (const line of unfolded(text)) expect(line, line).toMatch(PROPERTIES);
      expect(text).not.toMatch(/\r(?!\n)|(?<!\r)\n/); // CRLF only
      const calendar = new ICAL.Component(ICAL.parse(text));
      // ical.js leaves X- values as written: unescape them as RFC 5545 says.
      const calName = String(calendar.getFirstPropertyValue('x-wr-calname')).replace(
        /\\([\\;,nN])/g,
        (_m, c: string) => (c.toLowerCase() === 'n' ? '\n' : c),
      );
      expect(calName).toBe(name);
      expect(calendar.getAllProperties().map((p) => p.name)).not.toContain('x-wr-timezone');
    }
    const [parsed] = parse(buildCalendar([event], { name, now: NOW }));
    expect(parsed!.summary).toBe('Evil; name, with \\ back\\slash\nATTENDEE:mailto:evil@x');
    expect(parsed!.description).toBe('line one\nATTENDEE;CN=Evil:mailto:evil@x\nline\nX-INJECT:1 end');
    expect(parsed!.attendees).toEqual([]);
    expect(parsed!.component.getAllProperties().map((p) => p.name)).not.toContain('x-inject');
  });
});

import { describe, expect, it } from 'vitest';
import {
  canonicalZone,
  describeRange,
  formatUtcBasic,
  parseDate,
  parseTime,
  resolveWallTime,
  todayInZone,
  zoneLabel,
} from '../../src/domain/time.ts';
import { backwardZoneLinks, currentZoneIds, pickableZoneIds } from '../../src/domain/zone-table.ts';

function instantOf(date: string, time: string, zone: string): string {
  const result = resolveWallTime(date, time, zone);
  if (!result.ok) throw new Error(result.message);
  return result.instant.toISOString();
}

describe('wall-clock times to instants', () => {
  it('converts ordinary times with the zone offset of that date', () => {
    expect(instantOf('2027-01-15', '09:00', 'America/New_York')).toBe('2027-01-15T14:00:00.000Z');
    expect(instantOf('2027-07-15', '09:00', 'America/New_York')).toBe('2027-07-15T13:00:00.000Z');
    expect(instantOf('2027-07-15', '09:00', 'America/Denver')).toBe('2027-07-15T15:00:00.000Z');
  });

  it('handles half-hour and 45-minute zones', () => {
    expect(instantOf('2027-03-16', '10:00', 'Asia/Kolkata')).toBe('2027-03-16T04:30:00.000Z');
    expect(instantOf('2027-03-16', '10:00', 'Asia/Kathmandu')).toBe('2027-03-16T04:15:00.000Z');
    expect(instantOf('2027-03-16', '10:00', 'Australia/Eucla')).toBe('2027-03-16T01:15:00.000Z');
    expect(instantOf('2027-06-16', '10:00', 'America/St_Johns')).toBe('2027-06-16T12:30:00.000Z');
  });

  it('handles the southern hemisphere, where summer time runs over the new year', () => {
    expect(instantOf('2027-01-10', '09:00', 'Australia/Sydney')).toBe('2027-01-09T22:00:00.000Z'); // AEDT +11
    expect(instantOf('2027-07-10', '09:00', 'Australia/Sydney')).toBe('2027-07-09T23:00:00.000Z'); // AEST +10
    expect(instantOf('2027-01-10', '09:00', 'America/Santiago')).toBe('2027-01-10T12:00:00.000Z'); // -03
  });

  it('refuses a time the clocks jump over, saying so', () => {
    const result = resolveWallTime('2027-03-14', '02:15', 'America/New_York');
    expect(result).toEqual({
      ok: false,
      kind: 'gap',
      message: '02:15 does not exist on 14 March in America/New_York: clocks jump from 02:00 to 03:00',
    });
  });

  it('refuses a time that happens twice when the clocks go back', () => {
    const result = resolveWallTime('2027-11-07', '01:30', 'America/New_York');
    expect(result).toEqual({
      ok: false,
      kind: 'overlap',
      message: '01:30 happens twice on 7 November in America/New_York: clocks go back from 02:00 to 01:00',
    });
  });

  it('knows the southern and half-hour transitions too', () => {
    expect(resolveWallTime('2027-10-03', '02:30', 'Australia/Sydney')).toMatchObject({ ok: false, kind: 'gap' });
    expect(resolveWallTime('2027-04-04', '02:30', 'Australia/Sydney')).toMatchObject({ ok: false, kind: 'overlap' });
    // Lord Howe moves by 30 minutes.
    const gap = resolveWallTime('2027-10-03', '02:15', 'Australia/Lord_Howe');
    expect(gap).toMatchObject({ ok: false, kind: 'gap' });
    expect(!gap.ok && gap.message).toContain('clocks jump from 02:00 to 02:30');
    // The minute after a gap exists.
    expect(instantOf('2027-03-14', '03:00', 'America/New_York')).toBe('2027-03-14T07:00:00.000Z');
  });
});

describe('zone ids', () => {
  it('maps the legacy ids browsers report to current IANA ids', () => {
    expect(canonicalZone('Asia/Calcutta')).toBe('Asia/Kolkata');
    expect(canonicalZone('Asia/Katmandu')).toBe('Asia/Kathmandu');
    expect(canonicalZone('Europe/Kiev')).toBe('Europe/Kyiv');
    expect(canonicalZone('Asia/Saigon')).toBe('Asia/Ho_Chi_Minh');
    expect(canonicalZone('US/Eastern')).toBe('America/New_York');
    expect(canonicalZone('America/Buenos_Aires')).toBe('America/Argentina/Buenos_Aires');
    expect(canonicalZone('Pacific/Ponape')).toBe('Pacific/Pohnpei');
  });

  it('keeps current ids as they are, including country ids that share rules', () => {
    expect(canonicalZone('America/Denver')).toBe('America/Denver');
    expect(canonicalZone('Europe/Bratislava')).toBe('Europe/Bratislava');
    expect(canonicalZone(' america/new_york ')).toBe('America/New_York');
  });

  it('rejects unknown ids and junk', () => {
    for (const bad of [
      '',
      'Mars/Olympus_Mons',
      'America/New York',
      '<script>',
      'UTC+5',
      'x'.repeat(200),
      null,
      undefined,
    ]) {
      expect(canonicalZone(bad)).toBeNull();
    }
  });

  it('maps every id Intl knows to a current id Temporal can use', () => {
    for (const id of Intl.supportedValuesOf('timeZone')) {
      const canonical = canonicalZone(id);
      expect(canonical, id).not.toBeNull();
      expect(currentZoneIds).toContain(canonical);
      expect(() => resolveWallTime('2027-06-01', '12:00', canonical!)).not.toThrow();
    }
  });

  it('maps every backward link to a current id, and offers only current ids', () => {
    for (const [alias, target] of Object.entries(backwardZoneLinks)) {
      expect(currentZoneIds, alias).toContain(target);
      expect(pickableZoneIds).not.toContain(alias);
    }
    expect(pickableZoneIds).toContain('America/New_York');
    expect(pickableZoneIds).toContain('UTC');
  });

  it('labels a zone with its IANA id first and a friendly name after', () => {
    expect(zoneLabel('America/Denver')).toBe('America/Denver (Mountain Time)');
    expect(zoneLabel('UTC')).toMatch(/^UTC/);
  });
});

describe('reading and writing times', () => {
  it('accepts real dates and 24-hour times only', () => {
    expect(parseDate('2027-02-28')).toBe('2027-02-28');
    expect(parseDate('2027-02-29')).toBeNull();
    expect(parseDate('2028-02-29')).toBe('2028-02-29');
    expect(parseDate('27-02-01')).toBeNull();
    expect(parseTime('09:30')).toBe('09:30');
    expect(parseTime('09:30:00')).toBe('09:30');
    expect(parseTime('09:30:15')).toBeNull();
    expect(parseTime('24:00')).toBeNull();
    expect(parseTime('9:30')).toBeNull();
  });

  it('describes a range in the reader’s zone, including across midnight', () => {
    const start = new Date('2027-03-16T15:00:00Z');
    const end = new Date('2027-03-16T15:30:00Z');
    expect(describeRange(start, end, 'America/Denver')).toMatchObject({
      dayKey: '2027-03-16',
      dayLabel: 'Tuesday 16 March 2027',
      shortDay: 'Tue 16 Mar',
      timeRange: '09:00–09:30',
      endsNextDay: false,
    });
    expect(describeRange(start, end, 'Asia/Tokyo').dayKey).toBe('2027-03-17');
    const late = describeRange(new Date('2027-03-17T04:30:00Z'), new Date('2027-03-17T06:00:00Z'), 'America/Denver');
    expect(late.timeRange).toBe('22:30–00:00 (next day)');
    expect(late.endsNextDay).toBe(true);
  });

  it('knows what day it is in a zone', () => {
    const now = new Date('2026-11-21T06:00:00Z');
    expect(todayInZone('America/Los_Angeles', now)).toBe('2026-11-20');
    expect(todayInZone('Pacific/Kiritimati', now)).toBe('2026-11-21');
  });

  it('writes UTC basic format for calendar links', () => {
    expect(formatUtcBasic(new Date('2027-03-16T15:00:00Z'))).toBe('20270316T150000Z');
  });
});

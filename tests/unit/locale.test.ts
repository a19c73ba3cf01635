import { describe, expect, it } from 'vitest';
import { isLocale, type Locale, pickLocale, SUPPORTED_LOCALES } from '../../src/domain/locale.ts';
import { describeDate, describeDayOfMonth, describeRange } from '../../src/domain/time.ts';

describe('choosing a locale from Accept-Language', () => {
  it('falls back to en-GB when nothing is said', () => {
    expect(pickLocale(undefined)).toBe('en-GB');
    expect(pickLocale(null)).toBe('en-GB');
    expect(pickLocale('')).toBe('en-GB');
    expect(pickLocale('   ')).toBe('en-GB');
  });

  it('matches the exact tag first, then the language', () => {
    expect(pickLocale('en-US,en;q=0.9')).toBe('en-US');
    expect(pickLocale('pt-BR')).toBe('pt-BR');
    expect(pickLocale('PT-br')).toBe('pt-BR');
    expect(pickLocale('de-AT,de;q=0.9,en;q=0.8')).toBe('de');
    expect(pickLocale('de-Latn-CH')).toBe('de');
    expect(pickLocale('pt-PT')).toBe('pt-BR');
    expect(pickLocale('pt')).toBe('pt-BR');
    expect(pickLocale('ja-JP')).toBe('ja');
    expect(pickLocale('hi-IN')).toBe('hi');
    expect(pickLocale('sv-FI')).toBe('sv');
    expect(pickLocale('en_US')).toBe('en-US');
  });

  it('reads plain English as en-GB and North American English as en-US', () => {
    expect(pickLocale('en')).toBe('en-GB');
    expect(pickLocale('en-AU')).toBe('en-GB');
    expect(pickLocale('en-IN')).toBe('en-GB');
    expect(pickLocale('en-CA')).toBe('en-US');
    expect(pickLocale('en-Latn-US')).toBe('en-US');
  });

  it('orders by q-value, keeping the header order for ties', () => {
    expect(pickLocale('fr;q=0.5, ja;q=0.8')).toBe('ja');
    expect(pickLocale('it;q=0.5, nl;q=0.5')).toBe('it');
    expect(pickLocale('zh-CN, zh;q=0.9, de;q=0.1')).toBe('de');
    expect(pickLocale('zh-CN, ko')).toBe('en-GB');
    expect(pickLocale('sv;q=1.000, es;q=0.999')).toBe('sv');
  });

  it('treats q=0 as a refusal and * as "anything"', () => {
    expect(pickLocale('de;q=0, fr;q=0.1')).toBe('fr');
    expect(pickLocale('de;q=0')).toBe('en-GB');
    expect(pickLocale('*')).toBe('en-GB');
    expect(pickLocale('zh, *;q=0.5, de;q=0.1')).toBe('en-GB');
    expect(pickLocale('pl;q=0.9, *;q=0.1')).toBe('pl');
    expect(pickLocale('en-GB;q=0, *')).toBe('en-US');
  });

  it('skips malformed entries and keeps the rest', () => {
    expect(pickLocale('de;q=abc, fr')).toBe('fr');
    expect(pickLocale('de;q=1.5, it;q=0.2')).toBe('it');
    expect(pickLocale('de;q=0.5;foo=bar, nl;q=0.1')).toBe('nl');
    expect(pickLocale(';;;,,,')).toBe('en-GB');
    expect(pickLocale('<script>alert(1)</script>, es')).toBe('es');
    expect(pickLocale('12-34, deutsch-und-mehr, ja')).toBe('ja');
    expect(pickLocale('\u0000de, sv')).toBe('sv');
  });

  it('bounds the work a long header costs', () => {
    expect(pickLocale(`${'zz,'.repeat(100_000)}de`)).toBe('en-GB');
    expect(pickLocale(`${'zz,'.repeat(20)}de`)).toBe('en-GB');
    expect(pickLocale(`${'zz,'.repeat(19)}de`)).toBe('de');
    expect(pickLocale(`fr;q=0.5,${'q'.repeat(2_000_000)}`)).toBe('fr');
    // The 512th character cuts "en-CA" to "en-C": the cut entry is dropped, not read as en-GB.
    const header = `fr;q=0.5,${'q'.repeat(498)},en-CA`;
    expect(header.slice(0, 512).endsWith(',en-C')).toBe(true);
    expect(pickLocale(header)).toBe('fr');
  });

  it('knows its own locales', () => {
    for (const locale of SUPPORTED_LOCALES) {
      expect(isLocale(locale)).toBe(true);
      expect(pickLocale(locale)).toBe(locale);
    }
    expect(isLocale('en')).toBe(false);
    expect(isLocale('EN-GB')).toBe(false);
    expect(isLocale(undefined)).toBe(false);
    expect(SUPPORTED_LOCALES).toHaveLength(12);
  });
});

const MORNING = [new Date('2027-03-16T10:00:00Z'), new Date('2027-03-16T10:30:00Z')] as const;
const AFTERNOON = [new Date('2027-03-16T13:00:00Z'), new Date('2027-03-16T14:30:00Z')] as const;
const LATE = [new Date('2027-03-16T23:00:00Z'), new Date('2027-03-17T00:30:00Z')] as const;

// Words each locale must use for Tuesday 16 March 2027.
const WORDS: Record<Exclude<Locale, 'en-GB'>, { weekday: string; month: string }> = {
  'en-US': { weekday: 'Tuesday', month: 'March' },
  de: { weekday: 'Dienstag', month: 'März' },
  fr: { weekday: 'mardi', month: 'mars' },
  es: { weekday: 'martes', month: 'marzo' },
  it: { weekday: 'martedì', month: 'marzo' },
  nl: { weekday: 'dinsdag', month: 'maart' },
  'pt-BR': { weekday: 'terça-feira', month: 'março' },
  pl: { weekday: 'wtorek', month: 'marca' },
  sv: { weekday: 'tisdag', month: 'mars' },
  ja: { weekday: '火曜日', month: '3月' },
  hi: { weekday: 'मंगलवार', month: 'मार्च' },
};
const TWELVE_HOUR: readonly Locale[] = ['en-US', 'hi'];

describe('dates and times written in each locale', () => {
  it('keeps en-GB exactly as it always read', () => {
    const morning = describeRange(MORNING[0], MORNING[1], 'UTC', 'en-GB');
    expect(morning).toEqual({
      dayKey: '2027-03-16',
      dayLabel: 'Tuesday 16 March 2027',
      shortDay: 'Tue 16 Mar',
      timeRange: '10:00–10:30',
      startTime: '10:00',
      endsNextDay: false,
      full: 'Tue 16 Mar 2027, 10:00–10:30',
    });
    expect(describeRange(MORNING[0], MORNING[1], 'UTC')).toEqual(morning);
    expect(describeRange(AFTERNOON[0], AFTERNOON[1], 'UTC', 'en-GB').timeRange).toBe('13:00–14:30');
    const late = describeRange(LATE[0], LATE[1], 'UTC', 'en-GB');
    expect(late.timeRange).toBe('23:00–00:30 (next day)');
    expect(late.full).toBe('Tue 16 Mar 2027, 23:00–00:30 (next day)');
    const september = describeRange(new Date('2027-09-14T09:00:00Z'), new Date('2027-09-14T10:00:00Z'), 'UTC');
    expect(september.shortDay).toBe('Tue 14 Sep');
    expect(describeDate('2027-03-16')).toEqual({ dayLabel: 'Tuesday 16 March 2027', shortDay: 'Tue 16 Mar' });
    expect(describeDate('2027-03-16', 'en-GB')).toEqual(describeDate('2027-03-16'));
    expect(describeDayOfMonth('2027-03-08', false)).toBe('8 March');
    expect(describeDayOfMonth('2027-03-08', true, 'en-GB')).toBe('8 March 2027');
  });

  for (const [locale, words] of Object.entries(WORDS) as [Exclude<Locale, 'en-GB'>, (typeof WORDS)['de']][]) {
    it(`writes ${locale} in its own words and order`, () => {
      const morning = describeRange(MORNING[0], MORNING[1], 'UTC', locale);
      const afternoon = describeRange(AFTERNOON[0], AFTERNOON[1], 'UTC', locale);
      const late = describeRange(LATE[0], LATE[1], 'UTC', locale);
      expect(morning.dayKey).toBe('2027-03-16');
      expect(late.dayKey).toBe('2027-03-16');
      expect(morning.dayLabel).toContain(words.weekday);
      expect(morning.dayLabel).toContain(words.month);
      expect(morning.dayLabel).toContain('2027');
      expect(morning.dayLabel).toContain('16');
      expect(morning.shortDay).toContain('16');
      expect(morning.shortDay).not.toContain('2027');
      expect(morning.full).toContain('2027');
      expect(morning.full).toMatch(/10[:時]/);
      expect(morning.timeRange).toMatch(/10[:時]00/);
      expect(morning.timeRange).toMatch(/10[:時]30/);
      if (TWELVE_HOUR.includes(locale)) {
        expect(afternoon.timeRange).not.toContain('13:');
        expect(afternoon.timeRange).toContain('1:00');
        expect(afternoon.timeRange).toContain('2:30');
      } else {
        expect(afternoon.timeRange).toMatch(/13[:時]00/);
        expect(afternoon.timeRange).toMatch(/14[:時]30/);
        expect(afternoon.timeRange).not.toMatch(/AM|PM|am|pm/);
      }
      // A range past midnight names both days in the locale's own way, not in English.
      expect(late.endsNextDay).toBe(true);
      expect(late.timeRange).not.toContain('next day');
      expect(late.timeRange).toContain('16');
      expect(late.timeRange).toContain('17');
      expect(late.full).toContain('17');
      expect(describeDate('2027-03-16', locale)).toEqual({ dayLabel: morning.dayLabel, shortDay: morning.shortDay });
    });
  }

  it('writes the examples people expect', () => {
    const spaces = (s: string) => s.replace(/[\u2009\u202f\u00a0]/g, ' ');
    const us = describeRange(MORNING[0], MORNING[1], 'UTC', 'en-US');
    expect(us.dayLabel).toBe('Tuesday, March 16, 2027');
    expect(us.shortDay).toBe('Tue, Mar 16');
    expect(spaces(us.timeRange)).toBe('10:00 – 10:30 AM');
    expect(spaces(describeRange(AFTERNOON[0], AFTERNOON[1], 'UTC', 'en-US').timeRange)).toBe('1:00 – 2:30 PM');
    // The start alone keeps its half of the day (a "Next available" link, a list of start times).
    expect(spaces(describeRange(AFTERNOON[0], AFTERNOON[1], 'UTC', 'en-US').startTime)).toBe('1:00 PM');
    expect(describeDayOfMonth('2027-03-08', false, 'en-US')).toBe('March 8');
    expect(describeDayOfMonth('2027-03-08', true, 'de')).toBe('8. März 2027');
    const de = describeRange(MORNING[0], MORNING[1], 'UTC', 'de');
    expect(de.dayLabel).toBe('Dienstag, 16. März 2027');
    expect(de.shortDay).toBe('Di., 16. März');
    const ja = describeRange(MORNING[0], MORNING[1], 'UTC', 'ja');
    expect(ja.dayLabel).toBe('2027年3月16日火曜日');
    expect(ja.shortDay).toContain('月');
    expect(ja.shortDay).toContain('日');
  });

  it('reads the instant in the zone, whatever the language', () => {
    const start = new Date('2027-03-16T15:00:00Z');
    const end = new Date('2027-03-16T15:30:00Z');
    const denver = describeRange(start, end, 'America/Denver', 'en-US');
    expect(denver.timeRange).toMatch(/^9:00\s.\s9:30\sAM$/);
    const tokyo = describeRange(start, end, 'Asia/Tokyo', 'fr');
    expect(tokyo.dayKey).toBe('2027-03-17');
    expect(tokyo.dayLabel).toBe('mercredi 17 mars 2027');
    expect(tokyo.timeRange).toMatch(/^00:00\s.\s00:30$/);
  });

  it('keeps labels apart by locale in the cache', () => {
    const [start, end] = MORNING;
    const gb = describeRange(start, end, 'Europe/Paris');
    const fr = describeRange(start, end, 'Europe/Paris', 'fr');
    expect(fr.full).not.toBe(gb.full);
    expect(fr.dayLabel).toBe('mardi 16 mars 2027');
    expect(gb.dayLabel).toBe('Tuesday 16 March 2027');
    // Asked again in the other order, each locale still gets its own label.
    expect(describeRange(start, end, 'Europe/Paris', 'fr')).toBe(fr);
    expect(describeRange(start, end, 'Europe/Paris', 'en-GB')).toBe(gb);
    expect(describeRange(start, end, 'Europe/Paris', 'de').dayLabel).toBe('Dienstag, 16. März 2027');
  });
});

/** Reading what strangers send: cleaning text, ids, usernames, hours, dates and instants. */
import { describe, expect, it } from 'vitest';
import { parseHour, readWeeklyHoursForm } from '../../src/domain/availability.ts';
import { isUuid } from '../../src/domain/ids.ts';
import { characterCount, cleanLine, cleanText } from '../../src/domain/text.ts';
import { blockStartingAt, parseDate, parseInstant } from '../../src/domain/time.ts';
import { looksLikeUsername } from '../../src/domain/users.ts';

describe('cleaning typed text', () => {
  it('drops NUL and other controls, bidi overrides and lone surrogates from a line', () => {
    expect(cleanLine('a\u0000b\u0007c\u001b[31m')).toBe('abc[31m');
    expect(cleanLine('\u202egnp.exe\u2066x\u2069')).toBe('gnp.exex');
    expect(cleanLine('a\uD800b\uDC00c')).toBe('abc');
    expect(cleanLine('emoji 😀 stays whole')).toBe('emoji 😀 stays whole');
    expect(cleanLine('😀'.slice(0, 1))).toBe('');
  });

  it('turns every kind of line break in a line into one space', () => {
    expect(cleanLine('one\r\ntwo\nthree\rfour\u2028five\u2029six\tseven')).toBe('one two three four five six seven');
    expect(cleanLine('Name\r\nATTENDEE:mailto:evil@x')).toBe('Name ATTENDEE:mailto:evil@x');
    expect(cleanLine('  \t  ')).toBe('');
  });

  it('keeps lines in text, with one kind of line end', () => {
    expect(cleanText('one\r\ntwo\rthree\u2028four\u0000')).toBe('one\ntwo\nthree\nfour');
    expect(cleanText('a\uDFFFb')).toBe('ab');
    expect(characterCount(cleanText('😀😀'))).toBe(2);
  });

  it('reads only strings', () => {
    expect(cleanLine(['a'])).toBe('');
    expect(cleanText(new Blob(['a']))).toBe('');
  });
});

describe('ids and usernames, before SQL', () => {
  it('accepts uuids only', () => {
    expect(isUuid('0b9d7a10-0000-4000-8000-000000000001')).toBe(true);
    expect(isUuid('0B9D7A10-0000-4000-8000-000000000001')).toBe(true);
    for (const bad of [
      '-'.repeat(36),
      '0b9d7a10-0000-4000-8000-00000000000g',
      '0b9d7a10-0000-4000-8000-000000000001\u0000',
      '',
      'abc',
      null,
      undefined,
    ]) {
      expect(isUuid(bad), String(bad)).toBe(false);
    }
  });

  it('accepts only the usernames registration allows', () => {
    expect(looksLikeUsername('alice')).toBe(true);
    expect(looksLikeUsername('a.b-c_d')).toBe(true);
    for (const bad of ['Alice', 'a', 'a\u0000b', "alice' --", '%', 'a'.repeat(33), ''])
      expect(looksLikeUsername(bad), bad).toBe(false);
  });
});

describe('hours, dates and instants from forms', () => {
  it('reads an hour only from one or two digits within range', () => {
    expect(parseHour('9', 23)).toBe(9);
    expect(parseHour(' 09 ', 23)).toBe(9);
    expect(parseHour('24', 24)).toBe(24);
    for (const bad of ['', ' ', '24', '-1', '1.5', '1e1', '0x10', 'Infinity', 'NaN', '9007199254740993', '١٢'])
      expect(parseHour(bad, 23), bad).toBeNull();
    expect(parseHour(new Blob(['9']), 23)).toBeNull();
    expect(parseHour(['9', '10'], 23)).toBeNull();
  });

  it('refuses an empty opening hour instead of reading it as midnight', () => {
    expect(readWeeklyHoursForm({ open1: '1', from1: '', to1: '17' }).ok).toBe(false);
    expect(readWeeklyHoursForm({ open1: '1', from1: '9', to1: '' }).ok).toBe(false);
  });

  it('accepts dates from 1900 to 9998 only', () => {
    expect(parseDate('1900-01-01')).toBe('1900-01-01');
    expect(parseDate('9998-12-31')).toBe('9998-12-31');
    for (const bad of [
      '1899-12-31',
      '0000-01-01',
      '9999-01-01',
      '9999-12-31',
      '99999-01-01',
      '-2026-01-01',
      '2026-02-30',
      '2026-11-23\u0000',
    ])
      expect(parseDate(bad), bad).toBeNull();
  });

  it('reads instants only as the app writes them', () => {
    expect(parseInstant('2026-11-23T15:00:00.000Z')?.toISOString()).toBe('2026-11-23T15:00:00.000Z');
    expect(parseInstant('2026-11-23T15:00Z')?.toISOString()).toBe('2026-11-23T15:00:00.000Z');
    for (const bad of [
      '1e15',
      '2026',
      '2026-11-23T15:00:00.000Z\u0000',
      '2026-11-23T15:00:00.000Z junk',
      '+275760-09-13T00:00:00.000Z',
      '2026-11-23T15:00:00+01:00',
      '2026-13-45T99:99:99Z',
      '',
    ]) {
      expect(parseInstant(bad), bad).toBeNull();
    }
  });

  it('finds no hour block outside the years a schedule can use', () => {
    expect(blockStartingAt(new Date('2026-11-23T15:00:00Z'), 'America/New_York')?.hour).toBe(10);
    for (const instant of [
      '0000-01-01T05:00:00Z',
      '9999-12-31T23:00:00Z',
      '+275760-09-13T00:00:00Z',
      '-271821-04-20T00:00:00Z',
      'nonsense',
    ]) {
      expect(blockStartingAt(new Date(instant), 'Pacific/Kiritimati'), instant).toBeNull();
    }
  });
});

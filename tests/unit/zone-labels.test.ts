import { describe, expect, it } from 'vitest';
import { zoneLabel } from '../../src/domain/time.ts';
import { currentZoneIds } from '../../src/domain/zone-table.ts';

/** What Intl itself calls a zone at an instant (the generic name, in English). */
function intlName(zone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longGeneric' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')!.value;
}

/** The label zoneLabel should give: the id, then Intl's name unless it only restates an offset. */
function expectedLabel(zone: string, at: Date): string {
  const name = intlName(zone, at);
  return /^GMT[+-]/.test(name) || name === zone ? zone : `${zone} (${name})`;
}

const DEC_2026 = new Date('2026-12-02T12:00:00Z');

describe('zone labels name the zone as it is at the instant they describe', () => {
  it('agrees with Intl for every current zone id', () => {
    for (const zone of currentZoneIds) expect(zoneLabel(zone, DEC_2026), zone).toBe(expectedLabel(zone, DEC_2026));
    // Asked again, from the cache, the answers are the same.
    for (const zone of currentZoneIds) expect(zoneLabel(zone, DEC_2026), zone).toBe(expectedLabel(zone, DEC_2026));
  });

  it('reads the zones people complained about correctly', () => {
    expect(zoneLabel('Europe/Kyiv', DEC_2026)).toBe('Europe/Kyiv (Eastern European Time)');
    expect(zoneLabel('Europe/Kyiv', DEC_2026)).not.toContain('Moscow');
    expect(zoneLabel('America/Denver', DEC_2026)).toBe('America/Denver (Mountain Time)');
    // Summer and winter read the same: the generic name, not "Mountain Daylight Time".
    expect(zoneLabel('America/Denver', new Date('2026-07-02T12:00:00Z'))).toBe('America/Denver (Mountain Time)');
    // Nepal's 45-minute offset has a real name in CLDR: no "GMT+05:45".
    expect(zoneLabel('Asia/Kathmandu', DEC_2026)).toBe('Asia/Kathmandu (Nepal Time)');
    expect(zoneLabel('Asia/Kathmandu', DEC_2026)).not.toContain('GMT');
  });

  it('drops names that only restate an offset', () => {
    expect(zoneLabel('Etc/GMT-5', DEC_2026)).toBe('Etc/GMT-5');
    expect(zoneLabel('UTC', DEC_2026)).toBe('UTC');
  });

  it('gives the same zone different names at different instants, as the tz data and CLDR do', () => {
    // Kyiv kept Moscow time until 1990: the 1970 name the old code showed for every date.
    expect(zoneLabel('Europe/Kyiv', new Date(0))).toBe('Europe/Kyiv (Moscow Standard Time)');
    expect(zoneLabel('Europe/Kyiv', DEC_2026)).toBe('Europe/Kyiv (Eastern European Time)');
    // Within one year: Cairo's summer time starts weeks after Europe's, and meanwhile CLDR names
    // the city (a zone + year cache would show one of these all year).
    expect(zoneLabel('Africa/Cairo', new Date('2026-04-10T12:00:00Z'))).toBe(
      'Africa/Cairo (Eastern European Time (Egypt))',
    );
    expect(zoneLabel('Africa/Cairo', DEC_2026)).toBe('Africa/Cairo (Eastern European Time)');
  });

  it('is right on both sides of a change within one UTC day', () => {
    // Yukon stopped changing clocks on 1 November 2020; at 07:00 UTC that day, when Pacific Time
    // fell back, Whitehorse stopped being Pacific Time.
    const before = new Date('2020-11-01T06:00:00Z');
    const after = new Date('2020-11-01T08:00:00Z');
    expect(intlName('America/Whitehorse', before)).not.toBe(intlName('America/Whitehorse', after));
    for (let round = 0; round < 2; round++) {
      expect(zoneLabel('America/Whitehorse', before)).toBe(expectedLabel('America/Whitehorse', before));
      expect(zoneLabel('America/Whitehorse', after)).toBe(expectedLabel('America/Whitehorse', after));
    }
    expect(zoneLabel('America/Whitehorse', before)).toBe('America/Whitehorse (Pacific Time)');
  });

  it('uses the current instant when none is given, and survives strings that are not zones', () => {
    expect(zoneLabel('Europe/Kyiv')).toBe(expectedLabel('Europe/Kyiv', new Date()));
    expect(zoneLabel('Not/AZone', DEC_2026)).toBe('Not/AZone');
    expect(zoneLabel('Europe/Kyiv', new Date(Number.NaN))).toBe(expectedLabel('Europe/Kyiv', new Date()));
  });
});

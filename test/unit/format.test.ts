// The one German date formatter (core/format/dates.ts): Europe/Berlin in summer and winter time,
// around the switches, and empty values; the labels fall back to the machine name.
import { berlinLocalToIso, formatDate, formatDateTime, formatDateTimeSeconds, formatDay, isoDay } from '../../core/format/dates';
import { auditActionLabel, caseStatusLabel, closureCodeLabel, processStatusLabel, roleLabel } from '../../core/format/labels';

describe('German dates in Europe/Berlin', () => {
  it('winter time is UTC+1', () => {
    const d = new Date('2026-01-15T08:05:09Z');
    expect(formatDate(d)).toBe('15.01.2026');
    expect(formatDateTime(d)).toBe('15.01.2026, 09:05');
    expect(formatDateTimeSeconds(d)).toBe('15.01.2026, 09:05:09');
  });

  it('summer time is UTC+2', () => {
    expect(formatDateTime('2026-07-01T12:34:00Z')).toBe('01.07.2026, 14:34');
  });

  it('the Berlin calendar day, not the UTC one, near midnight and at the DST switches', () => {
    // 22:30 UTC on 30 June is already 1 July in Berlin
    expect(formatDate('2026-06-30T22:30:00Z')).toBe('01.07.2026');
    expect(isoDay(new Date('2026-06-30T22:30:00Z'))).toBe('2026-07-01');
    // spring: 01:59 UTC+1 → 03:00 UTC+2 on 29 March 2026
    expect(formatDateTime('2026-03-29T00:59:00Z')).toBe('29.03.2026, 01:59');
    expect(formatDateTime('2026-03-29T01:00:00Z')).toBe('29.03.2026, 03:00');
    // autumn: 02:59 UTC+2 → 02:00 UTC+1 on 25 October 2026
    expect(formatDateTime('2026-10-25T00:30:00Z')).toBe('25.10.2026, 02:30');
    expect(formatDateTime('2026-10-25T01:30:00Z')).toBe('25.10.2026, 02:30');
    expect(formatDateTime('2026-10-25T02:30:00Z')).toBe('25.10.2026, 03:30');
  });

  it('null and undefined give the empty value (or the one asked for)', () => {
    expect(formatDate(null)).toBe('');
    expect(formatDateTime(undefined)).toBe('');
    expect(formatDateTimeSeconds(null, '–')).toBe('–');
    expect(formatDay(null, '–')).toBe('–');
  });

  it('a calendar day without time keeps its day', () => {
    expect(formatDay('2026-05-01')).toBe('01.05.2026');
  });

  it('a local date-time input round-trips', () => {
    expect(formatDateTime(berlinLocalToIso('2026-07-01T14:34')!)).toBe('01.07.2026, 14:34');
    expect(formatDateTime(berlinLocalToIso('2026-01-15T09:05')!)).toBe('15.01.2026, 09:05');
  });
});

describe('labels', () => {
  it('names known keys in German and shows unknown ones as they are', () => {
    expect(roleLabel('supervisor')).toBe('Leitung');
    expect(caseStatusLabel('on_hold')).toBe('pausiert');
    expect(processStatusLabel('running')).toBe('läuft');
    expect(closureCodeLabel('own_flat')).toBe('eigene Wohnung bezogen');
    expect(auditActionLabel('case.read')).toBe('Fall gelesen');
    expect(auditActionLabel('x.unknown')).toBe('x.unknown');
    expect(roleLabel(null)).toBe('');
  });
});

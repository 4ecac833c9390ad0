import Holidays from 'date-holidays';
import { addWorkingDays, formatGermanDate, isWorkingDay, nrwHolidays, scaledDeadline } from '../../core/domain/working-days';

/** Berlin wall-clock time of an instant as "YYYY-MM-DD HH:MM:SS.mmm". */
function berlinWallClock(date: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Berlin',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value;
  const ms = String(date.getUTCMilliseconds()).padStart(3, '0');
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}.${ms}`;
}

describe('nrwHolidays', () => {
  it('lists exactly the 11 NRW public holidays of 2026', () => {
    expect(nrwHolidays(2026)).toEqual([
      '2026-01-01', // Neujahr
      '2026-04-03', // Karfreitag
      '2026-04-06', // Ostermontag
      '2026-05-01', // Tag der Arbeit
      '2026-05-14', // Christi Himmelfahrt
      '2026-05-25', // Pfingstmontag
      '2026-06-04', // Fronleichnam
      '2026-10-03', // Tag der Deutschen Einheit
      '2026-11-01', // Allerheiligen
      '2026-12-25', // 1. Weihnachtstag
      '2026-12-26', // 2. Weihnachtstag
    ]);
  });

  it('does not include holidays of other states or half days', () => {
    const days = nrwHolidays(2026);
    expect(days).toHaveLength(11);
    expect(days).toContain('2026-06-04');
    expect(days).toContain('2026-11-01');
    expect(days).not.toContain('2026-01-06'); // Heilige Drei Könige (BW, BY, ST)
    expect(days).not.toContain('2026-12-24');
    expect(days).not.toContain('2026-12-31');
    expect(days).not.toContain('2026-10-31'); // Reformationstag (not NRW)
  });

  it('matches date-holidays (DE/NW, public) for 2020–2040', () => {
    const reference = new Holidays('DE', 'NW');
    for (let year = 2020; year <= 2040; year++) {
      const expected = (reference.getHolidays(year) || [])
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10))
        .sort();
      expect({ year, days: nrwHolidays(year) }).toEqual({ year, days: expected });
    }
  });

  it('rejects non-integer years', () => {
    expect(() => nrwHolidays(2026.5)).toThrow(RangeError);
    expect(() => nrwHolidays(Number.NaN)).toThrow(RangeError);
  });
});

describe('isWorkingDay', () => {
  it('treats Monday–Friday as working days and weekends as not', () => {
    expect(isWorkingDay(new Date('2026-11-23T10:00:00Z'))).toBe(true); // Monday
    expect(isWorkingDay(new Date('2026-11-27T10:00:00Z'))).toBe(true); // Friday
    expect(isWorkingDay(new Date('2026-11-28T10:00:00Z'))).toBe(false); // Saturday
    expect(isWorkingDay(new Date('2026-11-29T10:00:00Z'))).toBe(false); // Sunday
  });

  it('treats NRW holidays as non-working days', () => {
    expect(isWorkingDay(new Date('2026-06-04T10:00:00Z'))).toBe(false); // Fronleichnam, Thursday
    expect(isWorkingDay(new Date('2026-04-03T10:00:00Z'))).toBe(false); // Karfreitag
    expect(isWorkingDay(new Date('2026-12-24T10:00:00Z'))).toBe(true); // Heiligabend, Thursday
    expect(isWorkingDay(new Date('2026-01-06T10:00:00Z'))).toBe(true); // not a holiday in NRW
  });

  it('judges by the Berlin calendar date, not UTC', () => {
    // Friday 23:30 UTC is already Saturday 00:30 in Berlin.
    expect(isWorkingDay(new Date('2026-11-27T23:30:00Z'))).toBe(false);
    // Sunday 23:30 UTC is already Monday 00:30 in Berlin.
    expect(isWorkingDay(new Date('2026-11-29T23:30:00Z'))).toBe(true);
  });
});

describe('addWorkingDays', () => {
  it('Wednesday + 2 working days is due Friday 23:59:59.999 Berlin time', () => {
    const due = addWorkingDays(new Date('2026-11-25T09:15:00Z'), 2);
    expect(due.toISOString()).toBe('2026-11-27T22:59:59.999Z');
    expect(berlinWallClock(due)).toBe('2026-11-27 23:59:59.999');
  });

  it('Friday + 2 working days is due Tuesday', () => {
    const due = addWorkingDays(new Date('2026-11-27T14:00:00Z'), 2);
    expect(berlinWallClock(due)).toBe('2026-12-01 23:59:59.999');
  });

  it('uses the Berlin date of the start (00:30 Berlin is the next day)', () => {
    // 2026-11-24T23:30Z = Wednesday 2026-11-25 00:30 in Berlin.
    const due = addWorkingDays(new Date('2026-11-24T23:30:00Z'), 2);
    expect(berlinWallClock(due)).toBe('2026-11-27 23:59:59.999');
  });

  it('skips a start on the weekend', () => {
    const due = addWorkingDays(new Date('2026-11-28T10:00:00Z'), 1); // Saturday
    expect(berlinWallClock(due)).toBe('2026-11-30 23:59:59.999');
  });

  it('skips Easter holidays', () => {
    // Thursday before Easter: Karfreitag, weekend and Ostermontag are skipped.
    const due = addWorkingDays(new Date('2026-04-02T08:00:00Z'), 1);
    expect(berlinWallClock(due)).toBe('2026-04-07 23:59:59.999');
  });

  it('skips Fronleichnam', () => {
    const due = addWorkingDays(new Date('2026-06-03T08:00:00Z'), 1); // Wednesday
    expect(berlinWallClock(due)).toBe('2026-06-05 23:59:59.999');
  });

  it('spans Christmas and New Year 2026/27', () => {
    const wednesday = new Date('2026-12-23T10:00:00Z');
    // 24.12. (Thu) counts, 25.12. (Fri, holiday), 26./27. (weekend) do not.
    expect(berlinWallClock(addWorkingDays(wednesday, 1))).toBe('2026-12-24 23:59:59.999');
    expect(berlinWallClock(addWorkingDays(wednesday, 2))).toBe('2026-12-28 23:59:59.999');
    // 31.12. counts; 1.1. (Fri, holiday) and 2./3.1. (weekend) do not.
    expect(berlinWallClock(addWorkingDays(wednesday, 5))).toBe('2026-12-31 23:59:59.999');
    expect(berlinWallClock(addWorkingDays(wednesday, 6))).toBe('2027-01-04 23:59:59.999');
    expect(addWorkingDays(wednesday, 6).toISOString()).toBe('2027-01-04T22:59:59.999Z');
  });

  it('ends at 23:59:59.999 local time across the spring DST switch (2026-03-29)', () => {
    const due = addWorkingDays(new Date('2026-03-27T10:00:00Z'), 1); // Friday, CET
    expect(due.toISOString()).toBe('2026-03-30T21:59:59.999Z'); // Monday, CEST (UTC+2)
    expect(berlinWallClock(due)).toBe('2026-03-30 23:59:59.999');
  });

  it('ends at 23:59:59.999 local time across the autumn DST switch (2026-10-25)', () => {
    const due = addWorkingDays(new Date('2026-10-23T10:00:00Z'), 1); // Friday, CEST
    expect(due.toISOString()).toBe('2026-10-26T22:59:59.999Z'); // Monday, CET (UTC+1)
    expect(berlinWallClock(due)).toBe('2026-10-26 23:59:59.999');
  });

  it('days = 0 is the end of the start day if it is a working day', () => {
    const due = addWorkingDays(new Date('2026-11-25T09:00:00Z'), 0); // Wednesday
    expect(berlinWallClock(due)).toBe('2026-11-25 23:59:59.999');
  });

  it('days = 0 on a non-working day is the end of the next working day', () => {
    expect(berlinWallClock(addWorkingDays(new Date('2026-11-28T09:00:00Z'), 0))).toBe('2026-11-30 23:59:59.999'); // Saturday -> Monday
    expect(berlinWallClock(addWorkingDays(new Date('2026-12-25T09:00:00Z'), 0))).toBe('2026-12-28 23:59:59.999'); // 1. Weihnachtstag -> Monday
  });

  it('rejects negative, fractional and non-finite days', () => {
    const start = new Date('2026-11-25T09:00:00Z');
    expect(() => addWorkingDays(start, -1)).toThrow(RangeError);
    expect(() => addWorkingDays(start, 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays(start, Number.NaN)).toThrow(RangeError);
    expect(() => addWorkingDays(start, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('rejects an invalid start date', () => {
    expect(() => addWorkingDays(new Date(Number.NaN), 1)).toThrow(RangeError);
  });

  it('does not mutate the start date', () => {
    const start = new Date('2026-11-25T09:00:00Z');
    addWorkingDays(start, 3);
    expect(start.toISOString()).toBe('2026-11-25T09:00:00.000Z');
  });
});

describe('scaledDeadline', () => {
  const start = new Date('2026-11-27T14:00:00Z'); // Friday

  it('with workingDaySeconds, one working day lasts that many seconds', () => {
    expect(scaledDeadline(start, 2, 30).toISOString()).toBe('2026-11-27T14:01:00.000Z');
    expect(scaledDeadline(start, 0, 30).getTime()).toBe(start.getTime());
  });

  it('without (or with a non-positive) workingDaySeconds, uses working days', () => {
    const expected = addWorkingDays(start, 2).toISOString();
    expect(scaledDeadline(start, 2).toISOString()).toBe(expected);
    expect(scaledDeadline(start, 2, 0).toISOString()).toBe(expected);
    expect(scaledDeadline(start, 2, -5).toISOString()).toBe(expected);
    expect(berlinWallClock(scaledDeadline(start, 2))).toBe('2026-12-01 23:59:59.999');
  });

  it('rejects invalid days in both modes', () => {
    expect(() => scaledDeadline(start, -1, 30)).toThrow(RangeError);
    expect(() => scaledDeadline(start, -1)).toThrow(RangeError);
  });
});

describe('formatGermanDate', () => {
  it('formats as DD.MM.YYYY', () => {
    expect(formatGermanDate(new Date('2026-12-03T10:00:00Z'))).toBe('03.12.2026');
  });

  it('uses the Berlin calendar date', () => {
    expect(formatGermanDate(new Date('2026-12-31T23:30:00Z'))).toBe('01.01.2027');
    expect(formatGermanDate(new Date('2026-06-30T22:30:00Z'))).toBe('01.07.2026'); // CEST
  });

  it('formats a deadline as its due date', () => {
    expect(formatGermanDate(addWorkingDays(new Date('2026-11-25T09:15:00Z'), 2))).toBe('27.11.2026');
  });
});

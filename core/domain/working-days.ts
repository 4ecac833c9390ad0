// Working days in North Rhine-Westphalia: Monday to Friday, excluding NRW public holidays,
// judged on the Europe/Berlin calendar. Deterministic and free of Node built-ins, because
// workflow code imports it: the caller always passes "now"; nothing here reads the clock.
// Holidays are computed here (not via date-holidays) to keep the workflow bundle small;
// test/unit/working-days.test.ts checks them against date-holidays.

const TIME_ZONE = 'Europe/Berlin';
const DAY_MS = 86_400_000;

const berlinFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
});

interface LocalTime {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Wall-clock time in Berlin at the given instant (whole seconds). */
function berlinTime(instantMs: number): LocalTime {
  const parts: Record<string, number> = {};
  for (const p of berlinFormat.formatToParts(instantMs)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

function assertValidDate(date: Date, name: string): number {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`${name} is an invalid Date`);
  return ms;
}

/** A calendar date as a day number: days since 1970-01-01 (no time zone attached). */
type DayNumber = number;

const dayNumber = (year: number, month: number, day: number): DayNumber => Date.UTC(year, month - 1, day) / DAY_MS;

function berlinDayNumber(date: Date, name: string): DayNumber {
  const t = berlinTime(assertValidDate(date, name));
  return dayNumber(t.year, t.month, t.day);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function isoDate(day: DayNumber): string {
  const d = new Date(day * DAY_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
function easterSunday(year: number): DayNumber {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayNumber(year, month, day);
}

function holidayDays(year: number): DayNumber[] {
  if (!Number.isInteger(year) || year < 1583 || year > 9999) {
    throw new RangeError(`year must be an integer between 1583 and 9999, got ${year}`);
  }
  const easter = easterSunday(year);
  return [
    dayNumber(year, 1, 1), // Neujahr
    easter - 2, // Karfreitag
    easter + 1, // Ostermontag
    dayNumber(year, 5, 1), // Tag der Arbeit
    easter + 39, // Christi Himmelfahrt
    easter + 50, // Pfingstmontag
    easter + 60, // Fronleichnam
    dayNumber(year, 10, 3), // Tag der Deutschen Einheit
    dayNumber(year, 11, 1), // Allerheiligen
    dayNumber(year, 12, 25), // 1. Weihnachtstag
    dayNumber(year, 12, 26), // 2. Weihnachtstag
  ].sort((x, y) => x - y);
}

// Memoised per year; a pure cache, so it does not affect determinism.
const holidayCache = new Map<number, ReadonlySet<DayNumber>>();

function isHoliday(day: DayNumber): boolean {
  const year = new Date(day * DAY_MS).getUTCFullYear();
  let set = holidayCache.get(year);
  if (!set) {
    set = new Set(holidayDays(year));
    holidayCache.set(year, set);
  }
  return set.has(day);
}

function isWorkingDayNumber(day: DayNumber): boolean {
  const weekday = new Date(day * DAY_MS).getUTCDay(); // 0 = Sunday, 6 = Saturday
  return weekday !== 0 && weekday !== 6 && !isHoliday(day);
}

/** The instant of 23:59:59.999 Berlin time on the given calendar day (DST-aware). */
function endOfBerlinDay(day: DayNumber): Date {
  const wallMs = (day + 1) * DAY_MS - 1; // 23:59:59.999 as if Berlin were UTC
  const offsetAt = (instantMs: number): number => {
    const t = berlinTime(instantMs);
    const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
    return wall - Math.floor(instantMs / 1000) * 1000;
  };
  // Two passes settle the offset: the first guess may sit on the other side of a DST switch.
  let instant = wallMs - offsetAt(wallMs);
  instant = wallMs - offsetAt(instant);
  return new Date(instant);
}

/**
 * ISO dates (YYYY-MM-DD), in calendar order, of the 11 statutory public holidays in NRW.
 * One-off holidays (e.g. Reformationstag 2017) are not modelled.
 */
export function nrwHolidays(year: number): string[] {
  return holidayDays(year).map(isoDate);
}

/** Whether the Berlin calendar date of `date` is Monday–Friday and not an NRW public holiday. */
export function isWorkingDay(date: Date): boolean {
  return isWorkingDayNumber(berlinDayNumber(date, 'date'));
}

/**
 * Deadline `days` working days after `start`: 23:59:59.999 Berlin time on the `days`-th
 * working day after the start's Berlin calendar date. `days = 0` means the end of the start
 * day if it is a working day, else the end of the next working day.
 * @throws RangeError if `days` is not a non-negative integer or `start` is invalid.
 */
export function addWorkingDays(start: Date, days: number): Date {
  assertDays(days);
  let day = berlinDayNumber(start, 'start');
  if (days === 0) {
    while (!isWorkingDayNumber(day)) day++;
  } else {
    for (let counted = 0; counted < days;) {
      day++;
      if (isWorkingDayNumber(day)) counted++;
    }
  }
  return endOfBerlinDay(day);
}

/**
 * Deadline with an optional time scale for tests and demos. If `workingDaySeconds` is a
 * positive number, one working day lasts that many seconds and the result is
 * `start + days * workingDaySeconds` (no calendar logic); otherwise `addWorkingDays`.
 * @throws RangeError if `days` is not a non-negative integer or `start` is invalid.
 */
export function scaledDeadline(start: Date, days: number, workingDaySeconds?: number): Date {
  if (workingDaySeconds !== undefined && Number.isFinite(workingDaySeconds) && workingDaySeconds > 0) {
    assertDays(days);
    return new Date(assertValidDate(start, 'start') + days * workingDaySeconds * 1000);
  }
  return addWorkingDays(start, days);
}

/**
 * The last instant (23:59:59.999 Berlin time) of a calendar date given as "YYYY-MM-DD" — e.g. a
 * handoff due on the move-in date. +01:00 in winter, +02:00 in summer.
 * @throws RangeError if `isoDate` is not a valid calendar date.
 */
export function endOfBerlinDate(isoDate: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const [year, month, day] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [NaN, NaN, NaN];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (!m || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`isoDate must be a calendar date YYYY-MM-DD, got ${isoDate}`);
  }
  return endOfBerlinDay(dayNumber(year, month, day));
}

/** German date "DD.MM.YYYY" of the Berlin calendar date, e.g. "03.12.2026". */
export function formatGermanDate(date: Date): string {
  const t = berlinTime(assertValidDate(date, 'date'));
  return `${pad(t.day)}.${pad(t.month)}.${pad(t.year, 4)}`;
}

function assertDays(days: number): void {
  if (!Number.isInteger(days) || days < 0) {
    throw new RangeError(`days must be a non-negative integer, got ${days}`);
  }
}

/**
 * Working days from `start` to `end`, counted as deadlines count them: the working days after the
 * start's Berlin calendar date up to and including the end's (so `workingDaysBetween(s, addWorkingDays(s, n))`
 * is `n`). 0 when the end falls on the start's date or before. Analytics measure step durations with it.
 * @throws RangeError if either date is invalid.
 */
export function workingDaysBetween(start: Date, end: Date): number {
  const from = berlinDayNumber(start, 'start');
  const to = berlinDayNumber(end, 'end');
  let n = 0;
  for (let day = from + 1; day <= to; day++) if (isWorkingDayNumber(day)) n++;
  return n;
}

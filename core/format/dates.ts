// German dates and times, always in Europe/Berlin (the server's own time zone does not matter): the
// pages, the CSV exports, the Art. 15 PDF and the e-mails all format with these. Pure (Intl only).
export const TIME_ZONE = 'Europe/Berlin';

type DateLike = Date | string | number;
const toDate = (d: DateLike) => (d instanceof Date ? d : new Date(d));
const isEmpty = (d: DateLike | null | undefined): d is null | undefined => d === null || d === undefined || d === '';

const dateFmt = new Intl.DateTimeFormat('de-DE', { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });
const dateTimeParts: Intl.DateTimeFormatOptions = {
  timeZone: TIME_ZONE,
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
};
const dateTimeFmt = new Intl.DateTimeFormat('de-DE', dateTimeParts);
const dateTimeSecondsFmt = new Intl.DateTimeFormat('de-DE', { ...dateTimeParts, second: '2-digit' });
const isoDayFmt = new Intl.DateTimeFormat('sv-SE', { timeZone: TIME_ZONE }); // yyyy-mm-dd

/** dd.mm.yyyy; `empty` for null/undefined */
export const formatDate = (d: DateLike | null | undefined, empty = '') => (isEmpty(d) ? empty : dateFmt.format(toDate(d)));
/** dd.mm.yyyy, hh:mm; `empty` for null/undefined */
export const formatDateTime = (d: DateLike | null | undefined, empty = '') => (isEmpty(d) ? empty : dateTimeFmt.format(toDate(d)));
/** dd.mm.yyyy, hh:mm:ss (audit log); `empty` for null/undefined */
export const formatDateTimeSeconds = (d: DateLike | null | undefined, empty = '') =>
  isEmpty(d) ? empty : dateTimeSecondsFmt.format(toDate(d));
/** yyyy-mm-dd of the Berlin calendar day (file names, the default of a date input) */
export const isoDay = (d: DateLike = new Date()) => isoDayFmt.format(toDate(d));
/** a calendar day without time ("2026-05-01", a birth date or a date field) → 01.05.2026, whatever the time zone */
export function formatDay(day: string | null | undefined, empty = ''): string {
  const m = day?.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : day ? day : empty;
}

/** A local date-time input (Europe/Berlin, "YYYY-MM-DDTHH:mm" with optional seconds) → ISO instant. */
export function berlinLocalToIso(local: string): string | undefined {
  const m = local.match(/^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?$/);
  if (!m) return undefined;
  const asUtc = new Date(`${m[1]}T${m[2]}${m[3] ?? ':00'}Z`);
  if (Number.isNaN(asUtc.getTime()) || !asUtc.toISOString().startsWith(m[1])) return undefined; // e.g. 2026-02-30
  // The offset at the wall-clock time read as UTC can be the wrong one for the hours around a DST switch;
  // the offset at the first guess is right (a wall-clock time skipped in spring maps to one hour later).
  const guess = asUtc.getTime() - berlinOffsetMinutes(asUtc) * 60_000;
  return new Date(asUtc.getTime() - berlinOffsetMinutes(new Date(guess)) * 60_000).toISOString();
}

const offsetFmt = new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, timeZoneName: 'shortOffset' });
function berlinOffsetMinutes(at: Date): number {
  const tz = offsetFmt.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT+1';
  const m = tz.match(/GMT([+-]\d+)(?::(\d+))?/);
  return m ? Number(m[1]) * 60 + Math.sign(Number(m[1])) * Number(m[2] ?? 0) : 60;
}

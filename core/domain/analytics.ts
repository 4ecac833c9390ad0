// Bottleneck analytics, the pure part (issue: reports): the period a request asks for, the months it
// spans, and the German sentence naming the slowest steps. Durations are WORKING days (Mon–Fri without
// NRW public holidays, Europe/Berlin dates), counted as deadlines count them (working-days.ts
// workingDaysBetween), so a median can be set against the step's deadline ("Frist 5").
// The SQL that aggregates lives in api/services/analytics.ts. Pure: no Node imports.

export interface StepFigure {
  step: string;
  title: string;
  department: string | null;
  count: number;
  medianDays: number | null;
  p90Days: number | null;
  onTimeShare: number | null;
  deadlineDays: number | null;
}

/** A period of Berlin calendar dates, both inclusive ("YYYY-MM-DD"). */
export interface Period {
  from: string;
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/** The default period: the last 12 calendar months including the current one (up to `today`). */
export function lastTwelveMonths(today: string): Period {
  const [y, m] = today.split('-').map(Number);
  const start = new Date(Date.UTC(y, m - 1 - 11, 1));
  return { from: iso(start.getUTCFullYear(), start.getUTCMonth() + 1, 1), to: today };
}

/** Every month ("YYYY-MM") the period touches, in order. */
export function monthsOf(p: Period): string[] {
  const [fy, fm] = p.from.split('-').map(Number);
  const [ty, tm] = p.to.split('-').map(Number);
  const out: string[] = [];
  for (let y = fy, m = fm; y < ty || (y === ty && m <= tm); m === 12 ? ((m = 1), y++) : m++) out.push(`${y}-${pad(m)}`);
  return out;
}

/** "9" / "2,5" — German number, at most one decimal. */
export const deNumber = (n: number) => n.toLocaleString('de-DE', { maximumFractionDigits: 1 });
const days = (n: number) => `${deNumber(n)} ${n === 1 ? 'Arbeitstag' : 'Arbeitstage'}`;

/** Where a step lies, in the dative: "beim Jobcenter", "bei der Ausländerbehörde", "im Fallmanagement". */
const AT_DEPARTMENT: Record<string, string> = {
  jobcenter: 'beim Jobcenter',
  wohnungsamt: 'beim Wohnungsamt',
  auslaenderbehoerde: 'bei der Ausländerbehörde',
  '5-50': 'bei der Sozialen Förderung (5-50)',
  '5-53': 'im Fallmanagement (5-53)',
  'agentur-fuer-arbeit': 'bei der Agentur für Arbeit',
  schulamt: 'beim Schulamt',
  bildungstraeger: 'beim Bildungsträger',
  anerkennungsberatung: 'bei der Anerkennungsberatung',
};
export const atDepartment = (id: string | null, name?: string) => (id ? (AT_DEPARTMENT[id] ?? `bei ${name ?? id}`) : 'im Fallmanagement');

/** The three slowest steps (by median, then 90th percentile) of figures with at least one case. */
export function slowestSteps(items: StepFigure[], n = 3): StepFigure[] {
  return items
    .filter((i) => i.medianDays !== null && i.count > 0)
    .sort((a, b) => b.medianDays! - a.medianDays! || (b.p90Days ?? 0) - (a.p90Days ?? 0) || a.step.localeCompare(b.step))
    .slice(0, n);
}

/** „Mietübernahme beim Jobcenter dauert im Median 9 Arbeitstage, Frist 5.“ — one sentence per step. */
export function slowestSentence(items: StepFigure[], deptName: (id: string) => string = (id) => id): string {
  const top = slowestSteps(items);
  if (!top.length) return 'Im gewählten Zeitraum wurde noch kein Schritt abgeschlossen.';
  return top
    .map(
      (s) =>
        `${s.title} ${atDepartment(s.department, s.department ? deptName(s.department) : undefined)} dauert im Median ${days(s.medianDays!)}` +
        (s.deadlineDays !== null ? `, Frist ${deNumber(s.deadlineDays)}.` : ' (ohne Frist).'),
    )
    .join(' ');
}

/** The months lying wholly inside the period (read from the monthly rollup) and the rest (read raw). */
export function splitByMonths(p: Period): { months: string[]; partial: Period[] } {
  const lastDay = (m: string) => {
    const [y, mo] = m.split('-').map(Number);
    return `${m}-${pad(new Date(Date.UTC(y, mo, 0)).getUTCDate())}`;
  };
  const all = monthsOf(p);
  const whole = all.filter((m) => p.from <= `${m}-01` && lastDay(m) <= p.to);
  const partial: Period[] = [];
  if (whole.length === 0) partial.push(p);
  else {
    if (p.from < `${whole[0]}-01`) partial.push({ from: p.from, to: lastDay(all[0]) });
    const last = whole[whole.length - 1];
    if (lastDay(last) < p.to) partial.push({ from: `${all[all.length - 1]}-01`, to: p.to });
  }
  return { months: whole, partial };
}

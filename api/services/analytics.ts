// Bottleneck analytics over the read model's step history (ProcessStep.activeAt/completedAt/
// workingDays/deadlineAt/holderDepartment, migration 20261129150000_step_history): per step and
// department the median and 90th percentile of working days, the share on time, per month, and the
// throughput (steps entering and leaving). Aggregated in PostgreSQL (percentile_cont); Node only
// shapes the few result rows. Supervisors and admins see all chains, caseworkers their own cases'.
import type { Response } from 'express';
import { z } from 'zod';
import { audit, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import { Prisma } from '../../core/db/generated/client';
import { lastTwelveMonths, monthsOf, slowestSentence, slowestSteps, type Period, type StepFigure } from '../../core/domain/analytics';
import { isoDay } from '../../core/format/dates';
import { chainTitle } from '../../core/format/labels';
import type { AuthUser } from '../auth';
import { forbidden } from '../errors';
import { csvLine } from './dashboard';
import { departmentName, listDepartments } from './departments';
import { monthRowsRollup, stepFiguresRollup, throughputRollup } from './analytics-rollup';

/** who sees analytics: supervisors and admins everything, caseworkers their own cases' figures */
export const ANALYTICS_ROLES = ['supervisor', 'admin', 'caseworker'] as const;

const isoDate = (field: string) =>
  z
    .string({ error: `${field}: Datum JJJJ-MM-TT erwartet` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${field}: Datum JJJJ-MM-TT erwartet`)
    .refine(
      (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
      `${field}: kein gültiges Datum`,
    );

export const analyticsQuery = z
  .strictObject({
    type: z
      .string()
      .regex(/^[a-z0-9-]{1,64}$/, 'type: unbekannte Kettenart')
      .optional(),
    department: z
      .string()
      .regex(/^[a-z0-9-]{1,64}$/, 'department: unbekannte Stelle')
      .optional(),
    from: isoDate('from').optional(),
    to: isoDate('to').optional(),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from: muss vor oder gleich to liegen', path: ['from'] })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) - Date.parse(q.from) <= 5 * 366 * 86_400_000, {
    message: 'to: Zeitraum höchstens 5 Jahre',
    path: ['to'],
  });
export type AnalyticsQuery = z.infer<typeof analyticsQuery>;

export interface AnalyticsFilter {
  type?: string;
  department?: string;
  period: Period;
}

export function filterOf(q: AnalyticsQuery, today = isoDay()): AnalyticsFilter {
  const def = lastTwelveMonths(today);
  const to = q.to ?? (q.from && q.from > def.to ? q.from : def.to);
  return { type: q.type, department: q.department, period: { from: q.from ?? (to < def.from ? to : def.from), to } };
}

function requireAnalytics(user: AuthUser) {
  if (!(ANALYTICS_ROLES as readonly string[]).includes(user.role))
    throw forbidden('Auswertungen nur für Leitung, Administration und Fallmanagement.');
}

/** a Berlin calendar date's midnight as the UTC timestamp the read model stores */
const berlinStart = (day: string) => Prisma.sql`((${day}::date)::timestamp AT TIME ZONE 'Europe/Berlin' AT TIME ZONE 'UTC')`;
const berlinEnd = (day: string) => Prisma.sql`(((${day}::date) + 1)::timestamp AT TIME ZONE 'Europe/Berlin' AT TIME ZONE 'UTC')`;

/** Conditions on a "ProcessStep" s: filters and the user's scope (caseworkers: their own cases). */
function where(user: AuthUser, f: AnalyticsFilter, column: 'completedAt' | 'activeAt'): Prisma.Sql {
  const col = Prisma.raw(`s."${column}"`);
  const parts = [Prisma.sql`${col} >= ${berlinStart(f.period.from)} AND ${col} < ${berlinEnd(f.period.to)}`];
  if (f.type) parts.push(Prisma.sql`s."chainType" = ${f.type}`);
  if (f.department) parts.push(Prisma.sql`s."holderDepartment" = ${f.department}`);
  if (user.role === 'caseworker') {
    parts.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "Process" p JOIN "Case" c ON c."id" = p."caseId" WHERE p."id" = s."processId" AND c."caseworkerId" = ${user.id})`,
    );
  }
  return Prisma.join(parts, ' AND ');
}

/** the unscoped view reads whole months from the rollup (analytics-rollup.ts); `raw` reads every row */
const rolledUp = (user: AuthUser) => user.role !== 'caseworker';

const DONE = Prisma.sql`s."status" = 'done' AND s."workingDays" IS NOT NULL`;
const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);
const share = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 1000) / 1000);

/** per step and department: count, median/p90 working days, share on time, typical deadline */
export async function stepFigures(db: Db, user: AuthUser, f: AnalyticsFilter, raw = false): Promise<StepFigure[]> {
  requireAnalytics(user);
  if (!raw && rolledUp(user)) return stepFiguresRollup(db, f);
  const rows = await db.$queryRaw<
    Array<{
      step: string;
      title: string;
      department: string | null;
      n: bigint;
      median: number | null;
      p90: number | null;
      on_time: unknown;
      deadline: number | null;
    }>
  >`
    SELECT s."key" AS step, max(s."title") AS title, s."holderDepartment" AS department, count(*) AS n,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY s."workingDays") AS median,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY s."workingDays") AS p90,
      avg(CASE WHEN s."completedAt" <= s."deadlineAt" THEN 1.0 ELSE 0.0 END) FILTER (WHERE s."deadlineAt" IS NOT NULL) AS on_time,
      percentile_disc(0.5) WITHIN GROUP (ORDER BY s."deadlineDays") AS deadline
    FROM "ProcessStep" s
    WHERE ${DONE} AND ${where(user, f, 'completedAt')}
    GROUP BY s."key", s."holderDepartment"
    ORDER BY median DESC, p90 DESC, s."key", s."holderDepartment"`;
  return rows.map((r) => ({
    step: r.step,
    title: r.title,
    department: r.department,
    count: Number(r.n),
    medianDays: num(r.median),
    p90Days: num(r.p90),
    onTimeShare: share(r.on_time),
    deadlineDays: r.deadline === null ? null : Number(r.deadline),
  }));
}

export interface MonthFigure {
  month: string;
  count: number;
  medianDays: number | null;
  p90Days: number | null;
  onTimeShare: number | null;
}

/** per Berlin calendar month of leaving: count, median/p90 working days, share on time (every month of the period) */
export async function monthFigures(db: Db, user: AuthUser, f: AnalyticsFilter, raw = false): Promise<MonthFigure[]> {
  requireAnalytics(user);
  if (!raw && rolledUp(user)) {
    const byMonth = await monthRowsRollup(db, f);
    return monthsOf(f.period).map((month) => byMonth.get(month) ?? { month, count: 0, medianDays: null, p90Days: null, onTimeShare: null });
  }
  const rows = await db.$queryRaw<Array<{ month: string; n: bigint; median: number | null; p90: number | null; on_time: unknown }>>`
    SELECT to_char(s."completedAt" AT TIME ZONE 'UTC' AT TIME ZONE 'Europe/Berlin', 'YYYY-MM') AS month, count(*) AS n,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY s."workingDays") AS median,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY s."workingDays") AS p90,
      avg(CASE WHEN s."completedAt" <= s."deadlineAt" THEN 1.0 ELSE 0.0 END) FILTER (WHERE s."deadlineAt" IS NOT NULL) AS on_time
    FROM "ProcessStep" s
    WHERE ${DONE} AND ${where(user, f, 'completedAt')}
    GROUP BY 1 ORDER BY 1`;
  const byMonth = new Map(rows.map((r) => [r.month, r]));
  return monthsOf(f.period).map((month) => {
    const r = byMonth.get(month);
    return r
      ? { month, count: Number(r.n), medianDays: num(r.median), p90Days: num(r.p90), onTimeShare: share(r.on_time) }
      : { month, count: 0, medianDays: null, p90Days: null, onTimeShare: null };
  });
}

export interface Throughput {
  step: string;
  title: string;
  department: string | null;
  entered: number;
  left: number;
}

/** per step and department: how many step instances became active and how many were done in the period */
export async function throughput(db: Db, user: AuthUser, f: AnalyticsFilter, raw = false): Promise<Throughput[]> {
  requireAnalytics(user);
  if (!raw && rolledUp(user)) return throughputRollup(db, f);
  const rows = await db.$queryRaw<Array<{ step: string; title: string; department: string | null; entered: bigint; left: bigint }>>`
    SELECT step, max(title) AS title, department, sum(entered) AS entered, sum("left") AS "left" FROM (
      SELECT s."key" AS step, s."title" AS title, s."holderDepartment" AS department, 1 AS entered, 0 AS "left"
        FROM "ProcessStep" s WHERE ${where(user, f, 'activeAt')}
      UNION ALL
      SELECT s."key", s."title", s."holderDepartment", 0, 1
        FROM "ProcessStep" s WHERE ${DONE} AND ${where(user, f, 'completedAt')}
    ) x GROUP BY step, department ORDER BY step, department`;
  return rows.map((r) => ({ step: r.step, title: r.title, department: r.department, entered: Number(r.entered), left: Number(r.left) }));
}

/** Everything the analytics section and GET /api/analytics/steps answer. */
export async function stepAnalytics(db: Db, user: AuthUser, f: AnalyticsFilter, opts: { raw?: boolean } = {}) {
  requireAnalytics(user);
  const [items, months, flow, departments] = await Promise.all([
    stepFigures(db, user, f, opts.raw),
    monthFigures(db, user, f, opts.raw),
    throughput(db, user, f, opts.raw),
    listDepartments(db),
  ]);
  const name = (id: string) => departmentName(departments, id);
  return {
    scope: (user.role === 'caseworker' ? 'own' : 'all') as 'all' | 'own',
    unit: 'Arbeitstage' as const,
    from: f.period.from,
    to: f.period.to,
    type: f.type ?? null,
    department: f.department ?? null,
    items,
    months,
    throughput: flow,
    slowest: slowestSteps(items).map((s) => ({ step: s.step, department: s.department })),
    summary: slowestSentence(items, name),
    departments,
  };
}
export type StepAnalytics = Awaited<ReturnType<typeof stepAnalytics>>;

const de = (n: number | null, digits = 1) => (n === null ? '' : n.toLocaleString('de-DE', { maximumFractionDigits: digits }));

/** The step figures as CSV for German Excel: `;`, UTF-8 BOM, CRLF, decimal comma. */
export async function writeAnalyticsCsv(db: Db, user: AuthUser, actor: Actor, f: AnalyticsFilter, res: Response) {
  const a = await stepAnalytics(db, user, f);
  await audit(db, actor, 'analytics.export', { type: 'ProcessStep' }, { format: 'csv', from: f.period.from, to: f.period.to });
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="engpaesse-${f.period.from}-${f.period.to}.csv"`);
  res.setHeader('Cache-Control', 'no-store');
  const name = (id: string | null) => (id ? departmentName(a.departments, id) : 'Fallmanagement');
  let out = `\uFEFF${csvLine(['Zeitraum von', 'bis', 'Kette', 'Schritt', 'Stelle', 'Abgeschlossen', 'Median (Arbeitstage)', '90. Perzentil (Arbeitstage)', 'Frist (Arbeitstage)', 'Anteil fristgerecht (%)'])}`;
  for (const i of a.items) {
    out += csvLine([
      a.from,
      a.to,
      f.type ? chainTitle(f.type) : 'alle',
      i.title,
      name(i.department),
      i.count,
      de(i.medianDays),
      de(i.p90Days),
      de(i.deadlineDays),
      i.onTimeShare === null ? '' : de(i.onTimeShare * 100),
    ]);
  }
  res.end(out);
}

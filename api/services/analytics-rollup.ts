// The bottleneck analytics read from the monthly rollup "StepMonth" (kept equal to "ProcessStep" by
// triggers, migration 20261129210300_step_month_rollup): whole months of the period come from the
// rollup's histograms, the partial months at either end from the raw rows, bucketed the same way. The
// percentiles are computed from the histograms exactly as percentile_cont / percentile_disc compute them
// over the rows (same interpolation, in float8), so the figures equal the raw queries' (test/analytics/
// step-rollup.test.ts). Only for the unscoped view (supervisors, admins): a caseworker's own cases are
// few and read raw.
import type { Db } from '../../core/db/client';
import { Prisma } from '../../core/db/generated/client';
import { splitByMonths, type StepFigure } from '../../core/domain/analytics';
import type { AnalyticsFilter, MonthFigure, Throughput } from './analytics';

const berlinStart = (day: string) => Prisma.sql`((${day}::date)::timestamp AT TIME ZONE 'Europe/Berlin' AT TIME ZONE 'UTC')`;
const berlinEnd = (day: string) => Prisma.sql`(((${day}::date) + 1)::timestamp AT TIME ZONE 'Europe/Berlin' AT TIME ZONE 'UTC')`;
const MONTH = (col: string) => Prisma.raw(`to_char(s."${col}" AT TIME ZONE 'UTC' AT TIME ZONE 'Europe/Berlin', 'YYYY-MM')`);

/** histogram buckets (month, key, title, department, wd, dd, ot, n) of one kind for the filter */
function buckets(f: AnalyticsFilter, kind: 'left' | 'entered'): Prisma.Sql {
  const { months, partial } = splitByMonths(f.period);
  const col = kind === 'left' ? 'completedAt' : 'activeAt';
  const rolled = [Prisma.sql`m."kind" = ${kind}`, Prisma.sql`m."month" = ANY(${months}::text[])`, Prisma.sql`m."n" <> 0`];
  const raw: Prisma.Sql[] = [
    partial.length
      ? Prisma.sql`(${Prisma.join(
          partial.map(
            (p) => Prisma.sql`(s.${Prisma.raw(`"${col}"`)} >= ${berlinStart(p.from)} AND s.${Prisma.raw(`"${col}"`)} < ${berlinEnd(p.to)})`,
          ),
          ' OR ',
        )})`
      : Prisma.sql`false`,
    kind === 'left'
      ? Prisma.sql`s."status" = 'done' AND s."workingDays" IS NOT NULL AND s."completedAt" IS NOT NULL`
      : Prisma.sql`s."activeAt" IS NOT NULL`,
  ];
  if (f.type) {
    rolled.push(Prisma.sql`m."chainType" = ${f.type}`);
    raw.push(Prisma.sql`s."chainType" = ${f.type}`);
  }
  if (f.department) {
    rolled.push(Prisma.sql`m."department" = ${f.department}`);
    raw.push(Prisma.sql`s."holderDepartment" = ${f.department}`);
  }
  const rawCols =
    kind === 'left'
      ? Prisma.sql`s."workingDays", COALESCE(s."deadlineDays", -1),
          (CASE WHEN s."deadlineAt" IS NULL THEN -1 WHEN s."completedAt" <= s."deadlineAt" THEN 1 ELSE 0 END)`
      : Prisma.sql`-1, -1, -1`;
  return Prisma.sql`
    SELECT m."month", m."key", m."title", m."department", m."workingDays" AS wd, m."deadlineDays" AS dd, m."onTime"::int AS ot, m."n"::bigint AS n
      FROM "StepMonth" m WHERE ${Prisma.join(rolled, ' AND ')}
    UNION ALL
    SELECT ${MONTH(col)}, s."key", s."title", COALESCE(s."holderDepartment", ''), ${rawCols}, 1::bigint
      FROM "ProcessStep" s WHERE ${Prisma.join(raw, ' AND ')}`;
}

/** count, percentile_cont(0.5/0.9) of wd, on-time share and percentile_disc(0.5) of dd per group */
function stats(b: Prisma.Sql, group: string[]) {
  const g = Prisma.raw(group.map((c) => `"${c}"`).join(', '));
  const using = Prisma.raw(`USING (${group.map((c) => `"${c}"`).join(', ')})`);
  const pc = (p: number) =>
    Prisma.raw(`(min(wd) FILTER (WHERE cum > floor(${p}::float8 * (total - 1)))
      + (${p}::float8 * (total - 1) - floor(${p}::float8 * (total - 1)))
      * (min(wd) FILTER (WHERE cum > ceil(${p}::float8 * (total - 1))) - min(wd) FILTER (WHERE cum > floor(${p}::float8 * (total - 1)))))`);
  return Prisma.sql`
    WITH b AS (${b}),
    h AS (SELECT ${g}, wd, sum(n)::float8 AS n FROM b GROUP BY ${g}, wd),
    c AS (SELECT *, sum(n) OVER (PARTITION BY ${g} ORDER BY wd) AS cum, sum(n) OVER (PARTITION BY ${g}) AS total FROM h),
    p AS (SELECT ${g}, max(total)::bigint AS n, ${pc(0.5)} AS median, ${pc(0.9)} AS p90 FROM c GROUP BY ${g}, total),
    dh AS (SELECT ${g}, dd, sum(n)::float8 AS n FROM b WHERE dd >= 0 GROUP BY ${g}, dd),
    dc AS (SELECT *, sum(n) OVER (PARTITION BY ${g} ORDER BY dd) AS cum, sum(n) OVER (PARTITION BY ${g}) AS total FROM dh),
    d AS (SELECT ${g}, min(dd) FILTER (WHERE cum >= 0.5::float8 * total) AS deadline FROM dc GROUP BY ${g}),
    o AS (SELECT ${g}, max(title) AS title,
            COALESCE(sum(n) FILTER (WHERE ot = 1), 0)::numeric / NULLIF(sum(n) FILTER (WHERE ot >= 0), 0) AS on_time FROM b GROUP BY ${g})
    SELECT p.*, o.title, o.on_time, d.deadline FROM p JOIN o ${using} LEFT JOIN d ${using}`;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);
const share = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 1000) / 1000);
type StatRow = { n: bigint; median: number | null; p90: number | null; on_time: unknown; deadline: number | null; title: string };

export async function stepFiguresRollup(db: Db, f: AnalyticsFilter): Promise<StepFigure[]> {
  const rows = await db.$queryRaw<Array<StatRow & { key: string; department: string }>>`
    SELECT * FROM (${stats(buckets(f, 'left'), ['key', 'department'])}) r
    ORDER BY median DESC, p90 DESC, "key", NULLIF(department, '')`;
  return rows.map((r) => ({
    step: r.key,
    title: r.title,
    department: r.department || null,
    count: Number(r.n),
    medianDays: num(r.median),
    p90Days: num(r.p90),
    onTimeShare: share(r.on_time),
    deadlineDays: r.deadline === null ? null : Number(r.deadline),
  }));
}

/** per month that has steps (the caller fills the empty months) */
export async function monthRowsRollup(db: Db, f: AnalyticsFilter): Promise<Map<string, MonthFigure>> {
  const rows = await db.$queryRaw<Array<StatRow & { month: string }>>`
    SELECT * FROM (${stats(buckets(f, 'left'), ['month'])}) r ORDER BY month`;
  return new Map(
    rows.map((r) => [
      r.month,
      { month: r.month, count: Number(r.n), medianDays: num(r.median), p90Days: num(r.p90), onTimeShare: share(r.on_time) },
    ]),
  );
}

export async function throughputRollup(db: Db, f: AnalyticsFilter): Promise<Throughput[]> {
  const rows = await db.$queryRaw<Array<{ step: string; title: string; department: string; entered: unknown; left: unknown }>>`
    SELECT "key" AS step, max(title) AS title, department,
      COALESCE(sum(n) FILTER (WHERE k = 'entered'), 0) AS entered, COALESCE(sum(n) FILTER (WHERE k = 'left'), 0) AS "left"
    FROM (SELECT 'entered' AS k, e.* FROM (${buckets(f, 'entered')}) e UNION ALL SELECT 'left', l.* FROM (${buckets(f, 'left')}) l) x
    GROUP BY "key", department ORDER BY "key", NULLIF(department, '')`;
  return rows.map((r) => ({
    step: r.step,
    title: r.title,
    department: r.department || null,
    entered: Number(r.entered),
    left: Number(r.left),
  }));
}

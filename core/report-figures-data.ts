// Computes the report figures (core/domain/report-figures.ts) for a period in SQL over the read model
// and publishes them with small-cell suppression (core/domain/suppression.ts): counts 1–4 as „< 5“
// (with secondary suppression where a total is shown), statistics only over 5 or more cases. Aggregates
// only: no reference numbers, no names. Figures not computable yet print „noch nicht erfasst“.
// (Lives in core/ since the scheduled run (activities/reports.ts) computes them too.)
import type { Db } from './db/client';
import { Prisma } from './db/generated/client';
import { FIGURES, NOT_YET_RECORDED, type FigureId, type FigureTable } from './domain/report-figures';
import { statisticOver, suppressCount, suppressTable, SUPPRESSED } from './domain/suppression';
import { CHAIN_TITLES } from './domain/chains';
import { GROUP_OFFER_KIND_LABELS, PARTNER_KIND_LABELS, TOPIC_LABELS } from './format/labels';

const listDepartments = (db: Db) => db.department.findMany({ orderBy: { name: 'asc' }, select: { id: true, name: true } });
const departmentName = (departments: Array<{ id: string; name: string }>, id?: string | null) =>
  id ? (departments.find((d) => d.id === id)?.name ?? id) : '';

const start = (day: string) => Prisma.sql`((${day}::date)::timestamp AT TIME ZONE 'Europe/Berlin' AT TIME ZONE 'UTC')`;
const end = (day: string) => Prisma.sql`(((${day}::date) + 1)::timestamp AT TIME ZONE 'Europe/Berlin' AT TIME ZONE 'UTC')`;
const n = (v: unknown) => Number(v ?? 0);
const r1 = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);

type P = { from: string; to: string };

/** a table of counts with a "Summe" row (column totals), suppressed */
function countTable(id: FigureId, columns: string[], labels: string[], cells: number[][], withTotals = true): FigureTable {
  const s = suppressTable({ cells, colTotals: withTotals });
  const rows: FigureTable['rows'] = labels.map((label, i) => ({ label, cells: s.cells[i] }));
  if (withTotals && s.colTotals) rows.push({ label: 'Summe', cells: s.colTotals, total: true });
  return { ...FIGURES[id], columns, rows };
}

function pendingTable(id: FigureId): FigureTable {
  return { ...FIGURES[id], columns: ['Wert'], rows: [{ label: FIGURES[id].title, cells: [NOT_YET_RECORDED] }] };
}

async function casesByTopic(db: Db, p: P) {
  const rows = await db.$queryRaw<Array<{ topic: string; opened: bigint; closed: bigint; open_end: bigint }>>`
    SELECT t.topic::text AS topic,
      count(c."id") FILTER (WHERE c."createdAt" >= ${start(p.from)} AND c."createdAt" < ${end(p.to)}) AS opened,
      count(c."id") FILTER (WHERE c."closedAt" >= ${start(p.from)} AND c."closedAt" < ${end(p.to)}) AS closed,
      count(c."id") FILTER (WHERE c."createdAt" < ${end(p.to)} AND (c."closedAt" IS NULL OR c."closedAt" >= ${end(p.to)})) AS open_end
    FROM unnest(enum_range(NULL::"CaseTopic")) AS t(topic) LEFT JOIN "Case" c ON c."topic" = t.topic
    GROUP BY t.topic ORDER BY t.topic`;
  return countTable(
    'cases_by_topic',
    ['eröffnet', 'abgeschlossen', 'offen am Ende'],
    rows.map((r) => TOPIC_LABELS[r.topic as keyof typeof TOPIC_LABELS] ?? r.topic),
    rows.map((r) => [n(r.opened), n(r.closed), n(r.open_end)]),
  );
}

async function chainsByType(db: Db, p: P) {
  const rows = await db.$queryRaw<Array<{ type: string; started: bigint; completed: bigint; cancelled: bigint }>>`
    SELECT t.type,
      count(x."id") FILTER (WHERE x."startedAt" >= ${start(p.from)} AND x."startedAt" < ${end(p.to)}) AS started,
      count(x."id") FILTER (WHERE x."status" = 'completed' AND x."completedAt" >= ${start(p.from)} AND x."completedAt" < ${end(p.to)}) AS completed,
      count(x."id") FILTER (WHERE x."status" = 'cancelled' AND x."completedAt" >= ${start(p.from)} AND x."completedAt" < ${end(p.to)}) AS cancelled
    FROM unnest(${Object.keys(CHAIN_TITLES)}::text[]) AS t(type) LEFT JOIN "Process" x ON x."type" = t.type
    GROUP BY t.type ORDER BY t.type`;
  return countTable(
    'chains_by_type',
    ['gestartet', 'abgeschlossen', 'ohne Ergebnis beendet'],
    rows.map((r) => CHAIN_TITLES[r.type as keyof typeof CHAIN_TITLES] ?? r.type),
    rows.map((r) => [n(r.started), n(r.completed), n(r.cancelled)]),
  );
}

async function moves(db: Db, p: P) {
  const [r] = await db.$queryRaw<Array<{ households: bigint; people: bigint | null }>>`
    SELECT count(*) AS households, sum(CASE WHEN mc.n > 0 THEN mc.n + 1 ELSE COALESCE(pe."householdSize", 1) END) AS people FROM (
      SELECT DISTINCT s."processId" FROM "ProcessStep" s
      WHERE s."chainType" = 'move-out' AND s."key" = 'move' AND s."status" = 'done'
        AND s."completedAt" >= ${start(p.from)} AND s."completedAt" < ${end(p.to)}) m
    JOIN "Process" x ON x."id" = m."processId" JOIN "Case" c ON c."id" = x."caseId" JOIN "Person" pe ON pe."id" = c."personId"
    LEFT JOIN LATERAL (SELECT count(*) AS n FROM "HouseholdMember" hm WHERE hm."personId" = pe."id" AND hm."removedAt" IS NULL) mc ON true`;
  return countTable('moves', ['Haushalte', 'Personen'], ['in eine Wohnung gezogen'], [[n(r.households), n(r.people)]], false);
}

async function moveOutDuration(db: Db, p: P) {
  const [r] = await db.$queryRaw<Array<{ chains: bigint; median: number | null; p90: number | null }>>`
    SELECT count(*) AS chains, percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS median, percentile_cont(0.9) WITHIN GROUP (ORDER BY d) AS p90
    FROM (
      SELECT m."processId", (SELECT sum(s2."workingDays") FROM "ProcessStep" s2 WHERE s2."processId" = m."processId" AND s2."status" = 'done') AS d
      FROM (SELECT DISTINCT s."processId" FROM "ProcessStep" s
        WHERE s."chainType" = 'move-out' AND s."key" = 'move' AND s."status" = 'done'
          AND s."completedAt" >= ${start(p.from)} AND s."completedAt" < ${end(p.to)}) m) x`;
  const chains = n(r.chains);
  return {
    ...FIGURES.move_out_duration,
    columns: ['Ketten', 'Median (Arbeitstage)', '90. Perzentil (Arbeitstage)'],
    rows: [
      {
        label: 'Auszugskette bis zum Umzug',
        cells: [suppressCount(chains), statisticOver(chains, r1(r.median)), statisticOver(chains, r1(r.p90))],
      },
    ],
  } satisfies FigureTable;
}

async function stepDurations(db: Db, p: P) {
  const [rows, departments] = await Promise.all([
    db.$queryRaw<
      Array<{ title: string; department: string | null; cnt: bigint; median: number | null; p90: number | null; on_time: unknown }>
    >`
      SELECT max(s."title") AS title, s."holderDepartment" AS department, count(*) AS cnt,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY s."workingDays") AS median,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY s."workingDays") AS p90,
        avg(CASE WHEN s."completedAt" <= s."deadlineAt" THEN 1.0 ELSE 0.0 END) FILTER (WHERE s."deadlineAt" IS NOT NULL) AS on_time
      FROM "ProcessStep" s
      WHERE s."status" = 'done' AND s."workingDays" IS NOT NULL AND s."completedAt" >= ${start(p.from)} AND s."completedAt" < ${end(p.to)}
      GROUP BY s."chainType", s."key", s."holderDepartment" ORDER BY s."chainType", min(s."seq"), s."key", s."holderDepartment"`,
    listDepartments(db),
  ]);
  return {
    ...FIGURES.step_durations,
    columns: ['Stelle', 'erledigt', 'Median', '90. Perzentil', 'fristgerecht (%)'],
    rows: rows.map((r) => {
      const c = n(r.cnt);
      return {
        label: r.title,
        cells: [
          r.department ? departmentName(departments, r.department) : 'Fallmanagement',
          suppressCount(c),
          statisticOver(c, r1(r.median)),
          statisticOver(c, r1(r.p90)),
          statisticOver(c, r.on_time === null ? null : r1(Number(r.on_time) * 100)),
        ],
      };
    }),
  } satisfies FigureTable;
}

async function handoffsByDepartment(db: Db, p: P) {
  const [rows, departments] = await Promise.all([
    db.$queryRaw<Array<{ department: string; cnt: bigint; on_time: bigint }>>`
      SELECT t."departmentId" AS department, count(*) AS cnt,
        count(*) FILTER (WHERE t."status" = 'completed' AND t."completedAt" <= COALESCE(t."dueAt", t."completedAt")) AS on_time
      FROM "Task" t WHERE t."createdAt" >= ${start(p.from)} AND t."createdAt" < ${end(p.to)}
      GROUP BY t."departmentId" ORDER BY t."departmentId"`,
    listDepartments(db),
  ]);
  const t = countTable(
    'handoffs_by_department',
    ['Übergaben', 'fristgerecht erledigt'],
    rows.map((r) => departmentName(departments, r.department)),
    rows.map((r) => [n(r.cnt), n(r.on_time)]),
  );
  t.columns.push('Anteil (%)');
  t.rows.forEach((row, i) => {
    const [cnt, ok] =
      i < rows.length
        ? [n(rows[i].cnt), n(rows[i].on_time)]
        : [rows.reduce((a, r) => a + n(r.cnt), 0), rows.reduce((a, r) => a + n(r.on_time), 0)];
    row.cells.push(row.cells.includes(SUPPRESSED) ? null : statisticOver(cnt, cnt ? r1((ok / cnt) * 100) : null));
  });
  return t;
}

const PLACEMENTS: Array<[string, string]> = [
  ['training', 'Ausbildung'],
  ['study', 'Studium'],
  ['work', 'Arbeit'],
  ['none', 'keine Vermittlung'],
];

async function placements(db: Db, p: P) {
  const rows = await db.$queryRaw<Array<{ outcome: string; cnt: bigint }>>`
    SELECT s."outcome", count(*) AS cnt FROM "ProcessStep" s
    WHERE s."chainType" = 'education-work' AND s."key" = 'placement' AND s."status" = 'done'
      AND s."completedAt" >= ${start(p.from)} AND s."completedAt" < ${end(p.to)}
    GROUP BY s."outcome"`;
  const by = new Map(rows.map((r) => [r.outcome, n(r.cnt)]));
  const s = suppressTable({ cells: [PLACEMENTS.map(([k]) => by.get(k) ?? 0)], rowTotals: true });
  return {
    ...FIGURES.placements,
    columns: [...PLACEMENTS.map(([, l]) => l), 'Summe'],
    rows: [{ label: 'Vermittlungen', cells: [...s.cells[0], s.rowTotals![0]] }],
  } satisfies FigureTable;
}

async function ageGroups(db: Db, p: P) {
  const rows = await db.$queryRaw<Array<{ topic: string; minor: bigint; young: bigint; older: bigint; unknown: bigint }>>`
    SELECT t.topic::text AS topic,
      count(DISTINCT x.pid) FILTER (WHERE x.age < 18) AS minor,
      count(DISTINCT x.pid) FILTER (WHERE x.age >= 18 AND x.age < 27) AS young,
      count(DISTINCT x.pid) FILTER (WHERE x.age >= 27) AS older,
      count(DISTINCT x.pid) FILTER (WHERE x.age IS NULL) AS unknown
    FROM unnest(enum_range(NULL::"CaseTopic")) AS t(topic) LEFT JOIN (
      SELECT c."topic", pe."id" AS pid,
        CASE WHEN pe."birthDate" IS NOT NULL THEN extract(year FROM age(${p.to}::date, pe."birthDate"))
             WHEN pe."birthYear" IS NOT NULL THEN extract(year FROM ${p.to}::date) - pe."birthYear" - 1 END AS age
      FROM "Case" c JOIN "Person" pe ON pe."id" = c."personId"
      WHERE c."createdAt" < ${end(p.to)} AND (c."closedAt" IS NULL OR c."closedAt" >= ${start(p.from)})) x ON x."topic" = t.topic
    GROUP BY t.topic ORDER BY t.topic`;
  const s = suppressTable({ cells: rows.map((r) => [n(r.minor), n(r.young), n(r.older), n(r.unknown)]), rowTotals: true, colTotals: true });
  return {
    ...FIGURES.age_groups,
    columns: ['unter 18', '18 bis unter 27', '27 und älter', 'unbekannt', 'Summe'],
    rows: [
      ...rows.map((r, i) => ({
        label: TOPIC_LABELS[r.topic as keyof typeof TOPIC_LABELS] ?? r.topic,
        cells: [...s.cells[i], s.rowTotals![i]],
      })),
      { label: 'Summe', cells: [...s.colTotals!, s.total!], total: true },
    ],
  } satisfies FigureTable;
}

/** Group offers of the KIM staff (issue 15) with a session in the period: offers, sessions, persons present. */
async function groupOffers(db: Db, p: P) {
  const rows = await db.$queryRaw<Array<{ kind: string; offers: bigint; sessions: bigint; participants: bigint }>>`
    SELECT o."kind", count(DISTINCT o."id") AS offers, count(DISTINCT s."id") AS sessions,
      count(DISTINCT a."enrolmentId") FILTER (WHERE a."present") AS participants
    FROM "GroupOffer" o JOIN "GroupSession" s ON s."groupOfferId" = o."id"
      LEFT JOIN "GroupAttendance" a ON a."sessionId" = s."id"
    WHERE s."at" >= ${start(p.from)} AND s."at" < ${end(p.to)}
    GROUP BY o."kind"`;
  const by = new Map(rows.map((r) => [r.kind, [n(r.offers), n(r.sessions), n(r.participants)]]));
  const kinds = Object.keys(GROUP_OFFER_KIND_LABELS);
  return countTable(
    'group_offers',
    ['Angebote', 'Termine', 'Teilnehmende'],
    kinds.map((k) => GROUP_OFFER_KIND_LABELS[k]),
    kinds.map((k) => by.get(k) ?? [0, 0, 0]),
  );
}

/** Partners registered by the period's end, by kind, and their contacts logged in the period (issue 15). */
async function partners(db: Db, p: P) {
  const rows = await db.$queryRaw<Array<{ kind: string; partners: bigint; contacts: bigint }>>`
    SELECT pa."kind"::text AS kind, count(DISTINCT pa."id") AS partners,
      count(c."id") FILTER (WHERE c."at" >= ${start(p.from)} AND c."at" < ${end(p.to)}) AS contacts
    FROM "Partner" pa LEFT JOIN "PartnerContact" c ON c."partnerId" = pa."id"
    WHERE pa."createdAt" < ${end(p.to)}
    GROUP BY pa."kind"`;
  const by = new Map(rows.map((r) => [r.kind, [n(r.partners), n(r.contacts)]]));
  const kinds = Object.keys(PARTNER_KIND_LABELS);
  return countTable(
    'partners',
    ['Partner', 'Kontakte im Zeitraum'],
    kinds.map((k) => PARTNER_KIND_LABELS[k]),
    kinds.map((k) => by.get(k) ?? [0, 0]),
  );
}

/**
 * Open flats at the period's end: the monthly situation snapshot of that month (issue 15) keeps them;
 * for a period not over yet the flats open now; an earlier month without a snapshot is not recorded.
 */
async function openFlatsAt(db: Db, p: P, now: Date): Promise<FigureTable['rows'][number]['cells'][number]> {
  const snapshot = await db.situationSnapshot.findUnique({ where: { month: p.to.slice(0, 7) } });
  const total = (snapshot?.figures as { openTotal?: number } | undefined)?.openTotal;
  if (typeof total === 'number') return suppressCount(total);
  if (p.to >= now.toISOString().slice(0, 10)) return suppressCount(await db.housingOffer.count({ where: { status: 'open' } }));
  return NOT_YET_RECORDED;
}

async function housingSituation(db: Db, p: P) {
  const [r] = await db.$queryRaw<Array<{ waiting: bigint }>>`
    SELECT count(DISTINCT s."processId") AS waiting FROM "ProcessStep" s
    WHERE s."chainType" = 'move-out' AND s."key" = 'offer' AND s."activeAt" < ${end(p.to)}
      AND (s."completedAt" IS NULL OR s."completedAt" >= ${end(p.to)}) AND s."status" <> 'cancelled'`;
  return {
    ...FIGURES.housing_situation,
    columns: ['Anzahl'],
    rows: [
      { label: 'wartende Haushalte', cells: [suppressCount(n(r.waiting))] },
      { label: 'freie Wohnungen', cells: [await openFlatsAt(db, p, new Date())] },
    ],
  } satisfies FigureTable;
}

const COMPUTE: Record<FigureId, (db: Db, p: P) => Promise<FigureTable>> = {
  cases_by_topic: casesByTopic,
  chains_by_type: chainsByType,
  moves,
  move_out_duration: moveOutDuration,
  step_durations: stepDurations,
  handoffs_by_department: handoffsByDepartment,
  placements,
  age_groups: ageGroups,
  group_offers: groupOffers,
  partners,
  housing_situation: housingSituation,
};

/** The figures of the given sections for the period, published (suppressed). Unknown ids are skipped. */
export async function computeFigures(db: Db, sections: string[], p: P): Promise<FigureTable[]> {
  const ids = sections.filter((s): s is FigureId => s in COMPUTE);
  const out: FigureTable[] = [];
  for (const id of ids) out.push(FIGURES[id].pending ? pendingTable(id) : await COMPUTE[id](db, p));
  return out;
}

// Supervisor views over the read model: the process list as CSV for German Excel, key figures
// (dashboard), workload per department and caseworker, and bulk reassignment of running chains.
// Caseworkers see the same figures restricted to their own scope (own cases + their team's).
import { closureReasonCounts } from './case-closure';
import type { Response } from 'express';
import { audit, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import { Prisma } from '../../core/db/generated/client';
import { formatDate, isoDay } from '../../core/format/dates';
import { chainTitle, processStatusLabel } from '../../core/format/labels';
import { reassignsInBulk, seesDashboard } from '../access';
import type { AuthUser } from '../auth';
import { badRequest, forbidden } from '../errors';
import { endCodeLabel } from '../../core/format/end-codes';
import { chainAction, listProcesses, pageProcesses, type ChainDeps, type ProcessFilters, type ProcessRow } from './chains';
import { listDepartments } from './departments';

// ---------------------------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------------------------

export const CSV_MAX_ROWS = 50_000;
export const CSV_HEADER = [
  'Aktenzeichen',
  'Kette',
  'Status',
  'Aktueller Schritt',
  'Stelle',
  'Zuständig',
  'Fällig am',
  'Überfällig',
  'Gestartet am',
];

/** One CSV cell: formula injection neutralised (= + - @ and tab/CR at the start), quoted when needed. */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[;"\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
export const csvLine = (cells: unknown[]) => `${cells.map(csvCell).join(';')}\r\n`;

function csvRow(p: ProcessRow, names: Map<string, string>) {
  return csvLine([
    p.case.reference,
    chainTitle(p.type),
    processStatusLabel(p.status),
    p.currentStep ? (p.currentTitle ?? p.currentStep) : '',
    p.currentStep ? (p.currentDepartment ?? 'Fallmanagement') : '',
    names.get(p.assigneeId) ?? p.assigneeId,
    formatDate(p.dueAt),
    p.overdue ? 'ja' : 'nein',
    formatDate(p.startedAt),
  ]);
}

/** Streams every matching process (all pages, at most CSV_MAX_ROWS) as CSV: `;`, UTF-8 BOM, CRLF. */
export async function writeProcessCsv(db: Db, user: AuthUser, actor: Actor, f: Omit<ProcessFilters, 'limit' | 'cursor'>, res: Response) {
  // validate (and check the role) before anything is sent
  const first = await pageProcesses(db, user, { ...f, limit: 1000 });
  const names = new Map<string, string>();
  const resolveNames = async (rows: ProcessRow[]) => {
    const missing = [...new Set(rows.map((r) => r.assigneeId))].filter((id) => !names.has(id));
    if (!missing.length) return;
    for (const u of await db.user.findMany({ where: { id: { in: missing } }, select: { id: true, name: true } })) names.set(u.id, u.name);
  };
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="prozesse-${isoDay()}.csv"`);
  res.setHeader('X-Total-Count', String(first.total));
  res.setHeader('X-Truncated', first.total > CSV_MAX_ROWS ? 'true' : 'false');
  res.setHeader('Cache-Control', 'no-store');
  await audit(
    db,
    actor,
    'process.export',
    { type: 'Process' },
    {
      format: 'csv',
      rows: Math.min(first.total, CSV_MAX_ROWS),
      filters: Object.keys(f).filter((k) => (f as Record<string, unknown>)[k] !== undefined),
    },
  );
  res.write(`\uFEFF${csvLine(CSV_HEADER)}`);
  let written = 0;
  let page: { rows: ProcessRow[]; nextCursor: string | null } = first;
  for (;;) {
    const rows = page.rows.slice(0, CSV_MAX_ROWS - written);
    await resolveNames(rows);
    const chunk = rows.map((r) => csvRow(r, names)).join('');
    written += rows.length;
    if (chunk && !res.write(chunk)) await new Promise<void>((r) => res.once('drain', () => r()));
    if (!page.nextCursor || written >= CSV_MAX_ROWS) break;
    page = await pageProcesses(db, user, { ...f, limit: 1000, cursor: page.nextCursor }, { total: false });
  }
  res.end();
}

// ---------------------------------------------------------------------------------------------
// Key figures
// ---------------------------------------------------------------------------------------------

function requireReader(user: AuthUser) {
  if (!seesDashboard(user)) throw forbidden();
}

/** SQL condition on a "Case" alias: the cases the user may see (access.ts caseListFilter). */
function caseScope(user: AuthUser, alias: string): Prisma.Sql {
  if (user.role === 'supervisor') return Prisma.sql`TRUE`;
  const c = Prisma.raw(`"${alias}"`);
  return user.departmentId
    ? Prisma.sql`(${c}."caseworkerId" = ${user.id} OR ${c}."departmentId" = ${user.departmentId})`
    : Prisma.sql`${c}."caseworkerId" = ${user.id}`;
}

const OPEN_TASK = Prisma.sql`('created', 'notified', 'accepted')`;
const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);

export async function dashboard(db: Db, user: AuthUser) {
  requireReader(user);
  const scope = caseScope(user, 'c');
  const monthStart = Prisma.sql`(date_trunc('month', now() AT TIME ZONE 'Europe/Berlin') AT TIME ZONE 'Europe/Berlin')`;
  const [byType, overdue, month, move, oldest, ended] = await Promise.all([
    db.$queryRaw<Array<{ type: string; running: bigint; on_hold: bigint }>>`
      SELECT p."type", count(*) FILTER (WHERE p."status" = 'running') AS running, count(*) FILTER (WHERE p."status" = 'on_hold') AS on_hold
      FROM "Process" p JOIN "Case" c ON c."id" = p."caseId"
      WHERE p."status" IN ('running', 'on_hold') AND ${scope} GROUP BY p."type" ORDER BY p."type"`,
    db.$queryRaw<Array<{ department: string; overdue: bigint }>>`
      SELECT t."departmentId" AS department, count(*) AS overdue
      FROM "Task" t JOIN "Case" c ON c."id" = t."caseId"
      WHERE t."overdue" AND t."status" IN ${OPEN_TASK} AND ${scope} GROUP BY t."departmentId" ORDER BY count(*) DESC, t."departmentId"`,
    db.$queryRaw<Array<{ started: bigint; completed: bigint; since: Date }>>`
      SELECT (SELECT count(*) FROM "Process" p JOIN "Case" c ON c."id" = p."caseId" WHERE p."startedAt" >= ${monthStart} AND ${scope}) AS started,
             (SELECT count(*) FROM "Process" p JOIN "Case" c ON c."id" = p."caseId" WHERE p."status" = 'completed' AND p."completedAt" >= ${monthStart} AND ${scope}) AS completed,
             ${monthStart} AS since`,
    db.$queryRaw<Array<{ median: number | null; n: bigint }>>`
      SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS median, count(*) AS n FROM (
        SELECT extract(epoch FROM min(s."completedAt") - p."startedAt") / 86400 AS d
        FROM "ProcessStep" s JOIN "Process" p ON p."id" = s."processId" JOIN "Case" c ON c."id" = p."caseId"
        WHERE s."key" = 'move' AND s."status" = 'done' AND s."completedAt" IS NOT NULL AND p."type" = 'move-out' AND ${scope}
        GROUP BY p."id", p."startedAt") x`,
    db.$queryRaw<
      Array<{
        processId: string;
        caseId: string;
        reference: string;
        type: string;
        key: string;
        title: string;
        status: string;
        department: string | null;
        startedAt: Date;
        dueAt: Date | null;
      }>
    >`
      SELECT s."processId", p."caseId", c."reference", p."type", s."key", s."title", s."status", s."department", s."startedAt", s."dueAt"
      FROM "ProcessStep" s JOIN "Process" p ON p."id" = s."processId" JOIN "Case" c ON c."id" = p."caseId"
      WHERE s."status" IN ('waiting', 'active', 'handoff', 'returned', 'consent') AND s."completedAt" IS NULL
        AND p."status" IN ('running', 'on_hold') AND ${scope}
      ORDER BY s."startedAt" ASC, s."id" ASC LIMIT 10`,
    // chains v2: ended chains by how they ended ("moved into a flat" is not "ended")
    db.$queryRaw<Array<{ type: string; code: string; n: bigint }>>`
      SELECT p."type", COALESCE(p."endCode", p."status"::text) AS code, count(*) AS n
      FROM "Process" p JOIN "Case" c ON c."id" = p."caseId"
      WHERE p."status" IN ('completed', 'cancelled') AND ${scope}
      GROUP BY p."type", code ORDER BY p."type", count(*) DESC, code`,
  ]);
  const now = Date.now();
  const closureReasons = await closureReasonCounts(db, scope);
  return {
    closureReasons,
    scope: (user.role === 'supervisor' ? 'all' : 'own') as 'all' | 'own',
    runningByType: byType.map((r) => ({ type: r.type, title: chainTitle(r.type), running: Number(r.running), onHold: Number(r.on_hold) })),
    overdueHandoffsByDepartment: overdue.map((r) => ({ department: r.department, overdue: Number(r.overdue) })),
    thisMonth: { since: month[0].since.toISOString(), started: Number(month[0].started), completed: Number(month[0].completed) },
    medianDaysToMove: { days: num(move[0]?.median), chains: Number(move[0]?.n ?? 0) },
    endedByEndCode: ended.map((r) => ({ type: r.type, endCode: r.code, label: endCodeLabel(r.type, r.code), count: Number(r.n) })),
    oldestWaitingSteps: oldest.map((s) => ({
      processId: s.processId,
      caseId: s.caseId,
      caseReference: s.reference,
      type: s.type,
      key: s.key,
      title: s.title,
      status: s.status,
      department: s.department,
      startedAt: s.startedAt.toISOString(),
      dueAt: s.dueAt?.toISOString() ?? null,
      waitingDays: Math.floor((now - s.startedAt.getTime()) / 86_400_000),
    })),
  };
}

export async function workload(db: Db, user: AuthUser) {
  requireReader(user);
  const scope = caseScope(user, 'c');
  const [departments, caseworkers] = await Promise.all([
    db.$queryRaw<Array<{ department: string; name: string; open: bigint; overdue: bigint; median_hours: number | null }>>`
      SELECT d."id" AS department, d."name",
        count(t."id") FILTER (WHERE t."status" IN ${OPEN_TASK}) AS open,
        count(t."id") FILTER (WHERE t."status" IN ${OPEN_TASK} AND t."overdue") AS overdue,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t."acceptedAt" - t."createdAt") / 3600)
          FILTER (WHERE t."acceptedAt" IS NOT NULL) AS median_hours
      FROM "Department" d
      LEFT JOIN ("Task" t JOIN "Case" c ON c."id" = t."caseId" AND ${scope}) ON t."departmentId" = d."id"
      GROUP BY d."id", d."name" ORDER BY d."id"`,
    db.$queryRaw<Array<{ id: string; name: string; running: bigint; overdue: bigint }>>`
      SELECT u."id", u."name",
        count(p."id") AS running, count(p."id") FILTER (WHERE p."overdue") AS overdue
      FROM "Process" p JOIN "Case" c ON c."id" = p."caseId" JOIN "User" u ON u."id" = p."assigneeId"
      WHERE p."status" IN ('running', 'on_hold') AND ${scope}
      GROUP BY u."id", u."name" ORDER BY count(p."id") DESC, u."name"`,
  ]);
  return {
    departments: departments.map((d) => ({
      department: d.department,
      name: d.name,
      openTasks: Number(d.open),
      overdueTasks: Number(d.overdue),
      medianHoursToAccept: num(d.median_hours),
    })),
    caseworkers: caseworkers.map((c) => ({ id: c.id, name: c.name, runningChains: Number(c.running), overdue: Number(c.overdue) })),
  };
}

// ---------------------------------------------------------------------------------------------
// Bulk reassignment
// ---------------------------------------------------------------------------------------------

export interface BulkReassign {
  fromCaseworkerId: string;
  toCaseworkerId: string;
  reason: string;
  processIds?: string[];
}

export async function bulkReassign(deps: ChainDeps, user: AuthUser, actor: Actor, body: BulkReassign) {
  if (!reassignsInBulk(user)) throw forbidden('Nur die Leitung kann Ketten gesammelt übertragen.');
  if (body.fromCaseworkerId === body.toCaseworkerId) {
    throw badRequest('Bisherige und neue Zuständigkeit sind gleich.', [
      { field: 'toCaseworkerId', message: 'muss sich von fromCaseworkerId unterscheiden' },
    ]);
  }
  const target = await deps.db.user.findUnique({ where: { id: body.toCaseworkerId } });
  if (!target || target.role !== 'caseworker' || !target.active) {
    throw badRequest('Unbekannte/r oder inaktive/r Fallmanager/in.', [{ field: 'toCaseworkerId', message: 'unbekannt oder inaktiv' }]);
  }
  const candidates = await deps.db.process.findMany({
    where: {
      assigneeId: body.fromCaseworkerId,
      status: { in: ['running', 'on_hold'] },
      ...(body.processIds ? { id: { in: body.processIds } } : {}),
    },
    select: { id: true },
    orderBy: { startedAt: 'asc' },
  });
  const reassigned: string[] = [];
  const failed: Array<{ id: string; message: string }> = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(8, candidates.length) }, async () => {
      while (next < candidates.length) {
        const { id } = candidates[next++];
        try {
          await chainAction(deps, user, id, 'reassign', { caseworkerId: target.id, reason: body.reason });
          reassigned.push(id);
        } catch (err) {
          failed.push({ id, message: err instanceof Error ? err.message : String(err) });
        }
      }
    }),
  );
  const skipped = body.processIds ? body.processIds.filter((id) => !candidates.some((c) => c.id === id)) : [];
  await audit(
    deps.db,
    actor,
    'process.bulk_reassign',
    { type: 'User', id: body.fromCaseworkerId },
    {
      from: body.fromCaseworkerId,
      to: target.id,
      matched: candidates.length,
      reassigned: reassigned.length,
      failed: failed.length,
      skipped: skipped.length,
      processIds: reassigned,
    },
  );
  return { matched: candidates.length, reassigned: reassigned.length, failed, skipped };
}

// ---------------------------------------------------------------------------------------------
// The dashboard page
// ---------------------------------------------------------------------------------------------

/**
 * Everything /leitung shows: key figures, workload, one page of processes, the filter choices
 * (departments, the caseworkers in scope) and for the listed processes the assignees' names and the
 * open handoff of each (a handoff's deadlines and overdue flag live on its task).
 */
export async function dashboardPage(db: Db, user: AuthUser, filters: ProcessFilters) {
  const [figures, load, list, departments, caseworkers] = await Promise.all([
    dashboard(db, user),
    workload(db, user),
    listProcesses(db, user, filters),
    listDepartments(db),
    db.user.findMany({
      where: {
        role: 'caseworker',
        ...(user.role === 'supervisor'
          ? {}
          : user.departmentId
            ? { OR: [{ id: user.id }, { departmentId: user.departmentId }] }
            : { id: user.id }),
      },
      select: { id: true, name: true, active: true },
      orderBy: { name: 'asc' },
    }),
  ]);
  const assigneeIds = [...new Set(list.items.map((p) => p.currentStep?.assignee).filter((x): x is string => Boolean(x)))];
  const handoffIds = list.items.filter((p) => p.currentStep?.status === 'handoff').map((p) => p.id);
  const [assignees, openTasks] = await Promise.all([
    assigneeIds.length ? db.user.findMany({ where: { id: { in: assigneeIds } }, select: { id: true, name: true } }) : [],
    handoffIds.length
      ? db.task.findMany({
          where: { processId: { in: handoffIds }, status: { in: ['created', 'notified', 'accepted'] } },
          select: { processId: true, status: true, ackDueAt: true, dueAt: true, overdue: true },
          orderBy: { createdAt: 'desc' },
        })
      : [],
  ]);
  return { figures, load, list, departments, caseworkers, assignees, openTasks };
}
export type DashboardPage = Awaited<ReturnType<typeof dashboardPage>>;

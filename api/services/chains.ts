// Chains from the API's side: start one for a case (row + workflow together; one running per case
// and type), list and read processes (read model + live query), and the caseworker's actions.
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  WorkflowNotFoundError,
  type Client,
} from '@temporalio/client';
import { audit, auditRefused, type Actor } from '../../core/audit';
import { sql, type Db } from '../../core/db/client';
import { Prisma } from '../../core/db/generated/client';
import { chainDefinitionFor, type ChainDefinition } from '../../core/domain/chains';
import { processMessages } from './handoff-context';
import { plannedFirstStep } from '../../core/domain/chains/engine';
import { chainWorkflowId, type ChainActor, type ChainState } from '../../core/domain/chains/state';
import { KimCaseId, KimKind, KimStatus } from '../../core/domain/search-attributes';
import {
  cancelUpdate,
  chainStateQuery,
  chainWorkflow,
  completeStepUpdate,
  holdUpdate,
  reassignUpdate,
  resumeUpdate,
} from '../../workflows/chain';
import { cancelsChains, canChangeCase, canReadCase, caseListFilter, recordsStepOutcomes, seesCaseFiles } from '../access';
import type { AuthUser } from '../auth';
import { badRequest, conflict, forbidden, isTemporalDown, notFound } from '../errors';
import { refuseAnonymized } from './anonymized';
import { definitionInForce } from './chain-definitions';
import { listDepartments } from './departments';
import { requireStepDocument } from './case-documents';
import { callUpdate } from './workflow-calls';
import { releaseOfferAfterDeclinedViewing } from './offer-release';
import { definitionSteps } from './process-steps';
import { chainFactsOf } from './process-facts';

export interface ChainDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  workingDaySeconds: number;
  continueAfterEvents?: number;
}

/** a chain in one of these states is running (one per case and type) */
const RUNNING_STATUSES: ('running' | 'on_hold')[] = ['running', 'on_hold'];
const runningFilter = { status: { in: RUNNING_STATUSES } };

/**
 * Starts a chain: the process row, its first step and the audit entry in ONE statement (atomic, one
 * round-trip), then the workflow — no transaction is held open around the gRPC call (issue 17, P1: it
 * kept a pool connection busy for the whole start and cost BEGIN/COMMIT round-trips). A read right after
 * the 201 shows the first step. Double submit: the unique index "one running per case and type" lets
 * one insert through (the other gets 409 with its id), and the workflow id (one running per case and
 * type) refuses a second workflow. If the start fails (Temporal down, or the previous chain's workflow
 * still closing), the rows are removed again and the failure is audited — nothing half-written stays.
 */
export async function startChain(
  deps: ChainDeps,
  user: AuthUser,
  actor: Actor,
  caseId: string,
  type: string,
  definition?: ChainDefinition,
) {
  const running = async () => deps.db.process.findFirst({ where: { caseId, type, ...runningFilter }, select: { id: true } });
  const c = await startReads(deps.db, caseId, type);
  if (!c) throw notFound('Fall');
  const def = definition ?? (await definitionInForce(deps.db, type, c.definitions)); // newest published version
  if (!canChangeCase(user, c)) throw forbidden('Keine Berechtigung, für diesen Fall eine Kette zu starten.');
  refuseAnonymized(c);
  if (c.status === 'closed') throw conflict('Der Fall ist abgeschlossen.');
  if (!def) throw badRequest(`Unbekannte Kette: ${type}`, [{ field: 'type', message: 'Kette unbekannt' }]);
  if (c.runningId) throw conflict('Für diesen Fall läuft bereits eine Kette dieser Art.', { id: c.runningId });
  const workflowId = chainWorkflowId(caseId, type);
  const alreadyRunning = async (attempt: number) => {
    const r = await running();
    // the previous chain is recorded as ended but its workflow is still closing: try again shortly
    if (!r && attempt < 10) {
      await new Promise((res) => setTimeout(res, 200));
      return undefined;
    }
    throw conflict('Für diesen Fall läuft bereits eine Kette dieser Art.', { id: r?.id });
  };
  for (let attempt = 0; ; attempt++) {
    const id = crypto.randomUUID();
    const first = plannedFirstStep(def, Date.now(), deps.workingDaySeconds);
    try {
      await insertStart(deps.db, actor, {
        id,
        caseId,
        type,
        version: def.version,
        workflowId,
        assigneeId: c.caseworkerId,
        startedById: user.id,
        first,
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      if ((await alreadyRunning(attempt)) === undefined) continue;
    }
    try {
      await deps.temporal.workflow.start(chainWorkflow, {
        workflowId,
        taskQueue: deps.taskQueue,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        args: [
          {
            processId: id,
            caseId,
            definition: def,
            daySeconds: deps.workingDaySeconds,
            assigneeId: c.caseworkerId,
            continueAfterEvents: deps.continueAfterEvents,
          },
        ],
        typedSearchAttributes: [
          { key: KimCaseId, value: caseId },
          { key: KimKind, value: type },
          { key: KimStatus, value: 'running' },
        ],
      });
      return { id, workflowId };
    } catch (err) {
      await undoStart(deps.db, actor, id, caseId, err);
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      await alreadyRunning(attempt);
    }
  }
}

/** What a chain start checks, in ONE statement (it runs before every start, issue 17 P1): the case, a chain
 *  of this type running on it, and the stored versions of the type's definition. */
async function startReads(db: Db, caseId: string, type: string) {
  const [c] = await sql<{
    caseworkerId: string;
    departmentId: string | null;
    status: string;
    anonymizedAt: Date | null;
    runningId: string | null;
    definitions: Array<{ id: string; version: number; source: string }>;
  }>(
    db,
    Prisma.sql`SELECT c."caseworkerId", c."departmentId", c."status", c."anonymizedAt",
        (SELECT p."id" FROM "Process" p WHERE p."caseId" = c."id" AND p."type" = ${type}
          AND p."status"::text = ANY (${RUNNING_STATUSES}::text[]) LIMIT 1) AS "runningId",
        COALESCE((SELECT json_agg(json_build_object('id', d."id", 'version', d."version", 'source', d."source"))
          FROM "ChainDefinitionVersion" d WHERE d."type" = ${type}), '[]') AS "definitions"
      FROM "Case" c WHERE c."id" = ${caseId}`,
  );
  return c;
}

/** Process row, first step (a read right after the 201 shows it; the workflow's first record then
 *  overwrites both with what really happened) and the audit entry: one statement, all or nothing. */
async function insertStart(
  db: Db,
  actor: Actor,
  p: {
    id: string;
    caseId: string;
    type: string;
    version: number;
    workflowId: string;
    assigneeId: string;
    startedById: string;
    first: ReturnType<typeof plannedFirstStep>;
  },
) {
  const due = p.first.dueAt ? new Date(p.first.dueAt) : null;
  const details = JSON.stringify({ type: p.type, version: p.version });
  await sql(
    db,
    Prisma.sql`
    WITH p AS (
      INSERT INTO "Process" ("id", "caseId", "type", "version", "workflowId", "assigneeId", "startedById", "currentStep", "currentTitle", "currentStatus", "dueAt", "updatedAt")
      VALUES (${p.id}, ${p.caseId}, ${p.type}, ${p.version}, ${p.workflowId}, ${p.assigneeId}, ${p.startedById}, ${p.first.key}, ${p.first.title}, ${p.first.phase}, ${due}, CURRENT_TIMESTAMP)
      RETURNING "id"
    ), s AS (
      INSERT INTO "ProcessStep" ("id", "processId", "seq", "key", "title", "status", "dueAt")
      SELECT ${crypto.randomUUID()}, p."id", 1, ${p.first.key}, ${p.first.title}, ${p.first.phase}, ${due} FROM p
    )
    INSERT INTO "AuditEvent" ("actorId", "actorRole", "ip", "requestId", "action", "entityType", "entityId", "caseId", "details")
    SELECT ${actor.id}, ${actor.role}, ${actor.ip ?? null}, ${actor.requestId ?? null}, 'process.start', 'Process', p."id", ${p.caseId}, ${details}::jsonb FROM p`,
  );
}

/** The start did not happen: the rows go again (the audit log keeps the attempt and says why). */
async function undoStart(db: Db, actor: Actor, id: string, caseId: string, err: unknown) {
  await db.$transaction([db.processStep.deleteMany({ where: { processId: id } }), db.process.deleteMany({ where: { id } })]);
  await audit(
    db,
    actor,
    'process.start.failed',
    { type: 'Process', id, caseId },
    {
      reason: err instanceof WorkflowExecutionAlreadyStartedError ? 'already-started' : 'temporal',
    },
  );
}

/** 23505 from the raw insert (the one-running-per-case-and-type index), or Prisma's P2002. */
function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; message?: string; meta?: unknown };
  return (
    e?.code === 'P2002' || e?.code === '23505' || /23505|unique constraint/i.test(`${e?.message ?? ''} ${JSON.stringify(e?.meta ?? '')}`)
  );
}

/** an open step row of a running chain (the fork step itself excluded) */
const OPEN_BRANCH: Prisma.ProcessStepWhereInput = { completedAt: null, status: { not: 'forked' } };
/** a running chain with an open step matching `step` */
const anyOpenStep = (step: Prisma.ProcessStepWhereInput): Prisma.ProcessWhereInput => ({
  status: { in: ['running', 'on_hold'] },
  steps: { some: { ...OPEN_BRANCH, ...step } },
});
/** the open step rows of a process (parallel branches: one each), for `currentSteps` */
export const OPEN_STEPS = { where: { completedAt: null, status: { not: 'forked' } }, orderBy: { seq: 'asc' } } as const;
export type ProcessRow = Prisma.ProcessGetPayload<{ include: { case: { select: { reference: true } } } }> & {
  steps?: Array<{
    seq: number;
    key: string;
    title: string;
    status: string;
    department: string | null;
    dueAt: Date | null;
    completedAt: Date | null;
    heldAt?: Date | null;
  }>;
};

export function processView(p: ProcessRow, now = new Date()) {
  const openRow = (key: string) => (p.steps ?? []).find((s) => s.key === key && s.completedAt === null && s.status !== 'forked');
  /** one branch held on its own (hold per branch): since when */
  const heldSince = (key: string) => openRow(key)?.heldAt?.toISOString() ?? null;
  const current = p.currentStep
    ? {
        key: p.currentStep,
        title: p.currentTitle ?? p.currentStep,
        department: p.currentDepartment,
        assignee: p.assigneeId,
        status: p.currentStatus ?? 'active',
        dueAt: p.dueAt?.toISOString() ?? null,
        overdue: p.overdue,
        heldSince: heldSince(p.currentStep),
      }
    : null;
  const ended = p.status === 'completed' || p.status === 'cancelled';
  // every step open now: the current step and, while parallel branches run, the other branches' steps
  const others = ended
    ? []
    : (p.steps ?? [])
        .filter((s) => s.completedAt === null && s.status !== 'forked' && s.key !== p.currentStep)
        .map((s) => ({
          key: s.key,
          title: s.title,
          department: s.status === 'handoff' ? s.department : null,
          assignee: p.assigneeId,
          status: s.status,
          dueAt: s.dueAt?.toISOString() ?? null,
          overdue: s.dueAt !== null && s.dueAt < now && !s.heldAt, // a held branch's deadline rests
          heldSince: s.heldAt?.toISOString() ?? null,
        }));
  return {
    id: p.id,
    caseId: p.caseId,
    caseReference: p.case.reference,
    type: p.type,
    version: p.version,
    status: p.status,
    startedAt: p.startedAt.toISOString(),
    completedAt: p.completedAt?.toISOString() ?? null,
    currentStep: current,
    currentSteps: current ? [current, ...others] : others,
    endCode: p.endCode ?? null,
  };
}

export type ProcessSort = 'startedAt' | 'dueAt';
export type SortOrder = 'asc' | 'desc';

export interface ProcessFilters {
  type?: string;
  status?: 'running' | 'on_hold' | 'completed' | 'cancelled';
  department?: string;
  overdue?: boolean;
  caseId?: string;
  limit: number;
  cursor?: string;
  /** the responsible caseworker (Process.assigneeId) */
  caseworker?: string;
  /** key of the current step */
  step?: string;
  /** chains started more than this many (calendar) days ago */
  olderThanDays?: number;
  /** case reference, contains, case-insensitive */
  q?: string;
  /** default startedAt; order default: desc for startedAt (newest first), asc for dueAt (most urgent first) */
  sort?: ProcessSort;
  order?: SortOrder;
}

const DAY_MS = 86_400_000;

/** LIKE wildcards in a search term are matched literally. */
export const likeLiteral = (q: string) => q.replace(/[\\%_]/g, (c) => `\\${c}`);

export function processWhere(user: AuthUser, f: Omit<ProcessFilters, 'limit'>, now = new Date()): Prisma.ProcessWhereInput {
  if (!seesCaseFiles(user)) throw forbidden();
  const q = f.q?.trim();
  const scope = caseListFilter(user);
  const caseFilter: Prisma.CaseWhereInput[] = [
    ...(Object.keys(scope).length ? [scope] : []), // supervisors: every case — no join to Case at all
    ...(q ? [{ reference: { contains: likeLiteral(q), mode: 'insensitive' as const } }] : []),
  ];
  return {
    ...(caseFilter.length ? { case: { AND: caseFilter } } : {}),
    ...(f.type ? { type: f.type } : {}),
    ...(f.status ? { status: f.status } : {}),
    // per-step filters match a chain if ANY of its open steps matches (parallel branches: two or more);
    // `overdue` needs no join — the read model sets Process.overdue when any open step is overdue
    ...(f.department || f.step
      ? {
          AND: [
            ...(f.department
              ? [{ departments: { has: f.department } }] // current step's and other branches' (GIN index)
              : []),
            ...(f.step ? [{ OR: [{ currentStep: f.step }, anyOpenStep({ key: f.step })] }] : []),
          ],
        }
      : {}),
    ...(f.overdue !== undefined ? { overdue: f.overdue } : {}),
    ...(f.caseId ? { caseId: f.caseId } : {}),
    ...(f.caseworker ? { assigneeId: f.caseworker } : {}),
    ...(f.olderThanDays !== undefined ? { startedAt: { lt: new Date(now.getTime() - f.olderThanDays * DAY_MS) } } : {}),
  };
}

/** The effective sort of a filter set. */
export function processSort(f: Pick<ProcessFilters, 'sort' | 'order'>): { sort: ProcessSort; order: SortOrder } {
  const sort = f.sort ?? 'startedAt';
  return { sort, order: f.order ?? (sort === 'startedAt' ? 'desc' : 'asc') };
}

interface CursorData {
  s: ProcessSort;
  o: SortOrder;
  v: string | null;
  id: string;
}

export function encodeCursor(c: CursorData): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

const cursorError = (message = 'ungültig') => badRequest(`cursor ${message}`, [{ field: 'cursor', message }]);

/** The cursor carries the sort it was made for (key, order, last value, last id). */
export function decodeCursor(cursor: string, sort: ProcessSort, order: SortOrder): CursorData {
  let c: Partial<CursorData>;
  try {
    c = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as Partial<CursorData>;
  } catch {
    throw cursorError();
  }
  if (!c || typeof c !== 'object' || typeof c.id !== 'string' || !c.id || (c.v !== null && typeof c.v !== 'string')) throw cursorError();
  if (c.v !== null && Number.isNaN(new Date(c.v).getTime())) throw cursorError();
  if (c.s !== sort || c.o !== order) throw cursorError('passt nicht zur Sortierung (sort/order geändert?)');
  if (c.s === 'startedAt' && c.v === null) throw cursorError();
  return c as CursorData;
}

/** Keyset condition "after the cursor" for (key, id) ordered by `order`, NULL keys last. */
function afterCursor(c: CursorData): Prisma.ProcessWhereInput {
  const cmp = c.o === 'asc' ? 'gt' : 'lt';
  const idAfter = { id: { [cmp]: c.id } };
  if (c.v === null) return { AND: [{ [c.s]: null }, idAfter] };
  const v = new Date(c.v);
  return {
    OR: [{ [c.s]: { [cmp]: v } }, { AND: [{ [c.s]: v }, idAfter] }, ...(c.s === 'dueAt' ? [{ dueAt: null }] : [])],
  };
}

function processOrder(sort: ProcessSort, order: SortOrder): Prisma.ProcessOrderByWithRelationInput[] {
  return sort === 'dueAt' ? [{ dueAt: { sort: order, nulls: 'last' } }, { id: order }] : [{ startedAt: order }, { id: order }];
}

/** One page in the requested sort; the cursor is the last item's (sort key, id). */
export async function pageProcesses(db: Db, user: AuthUser, f: ProcessFilters, opts: { total?: boolean } = {}) {
  const where = processWhere(user, f);
  const { sort, order } = processSort(f);
  const after = f.cursor ? afterCursor(decodeCursor(f.cursor, sort, order)) : {};
  const [rows, total] = await Promise.all([
    db.process.findMany({
      where: { AND: [where, after] },
      orderBy: processOrder(sort, order),
      take: f.limit + 1,
      include: { case: { select: { reference: true } }, steps: OPEN_STEPS },
    }),
    opts.total === false ? Promise.resolve(-1) : db.process.count({ where }),
  ]);
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  const v = last ? (sort === 'dueAt' ? last.dueAt : last.startedAt) : null;
  return {
    rows: page,
    total,
    nextCursor: rows.length > f.limit && last ? encodeCursor({ s: sort, o: order, v: v ? v.toISOString() : null, id: last.id }) : null,
  };
}

/** Newest first by default; see ProcessFilters for filters and sorts. */
export async function listProcesses(db: Db, user: AuthUser, f: ProcessFilters) {
  const r = await pageProcesses(db, user, f);
  return { items: r.rows.map((p) => processView(p)), total: r.total, nextCursor: r.nextCursor };
}

/** The process as the read model holds it (read, audited): what GET /api/processes/{id} answers. */
export async function readProcess(db: Db, user: AuthUser, actor: Actor, id: string) {
  // the process row, its steps and events as of one moment: Prisma reads them with separate statements, and a
  // chain record committed between them showed an open step's row with no current step on the process
  const p = await db.$transaction(
    (tx) =>
      tx.process.findUnique({
        where: { id },
        include: {
          case: { select: { reference: true, caseworkerId: true, departmentId: true } },
          steps: { orderBy: { seq: 'asc' } },
          events: { orderBy: { seq: 'asc' } },
        },
      }),
    { isolationLevel: 'RepeatableRead' },
  );
  if (!p) throw notFound('Prozess');
  if (!canReadCase(user, p.case)) {
    await auditRefused(db, actor, { type: 'Process', id, caseId: p.caseId }, 'process.read');
    throw notFound('Prozess');
  }
  await audit(db, actor, 'process.read', { type: 'Process', id, caseId: p.caseId });
  return p;
}

/** The process page's read: the read model and, while the chain runs, its live state (a Temporal query). */
export async function getProcess(deps: ChainDeps, user: AuthUser, actor: Actor, id: string) {
  const p = await readProcess(deps.db, user, actor, id);
  let live: ChainState | undefined;
  if (p.status === 'running' || p.status === 'on_hold') {
    try {
      live = await deps.temporal.connection.withDeadline(Date.now() + 3_000, () =>
        deps.temporal.workflow.getHandle(p.workflowId).query(chainStateQuery),
      );
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError) && !isTemporalDown(err)) throw err; // the read model then
    }
  }
  return { process: p, live };
}

export function processDetail(p: Awaited<ReturnType<typeof readProcess>>) {
  const runs = p.steps.map((s) => ({
    seq: s.seq,
    key: s.key,
    title: s.title,
    status: s.status,
    department: s.department,
    dueAt: s.dueAt?.toISOString() ?? null,
    completedAt: s.completedAt?.toISOString() ?? null,
    outcome: s.outcome,
    taskId: s.taskId,
  }));
  const def = chainDefinitionFor(p.type, p.version);
  return {
    ...processView(p),
    steps: definitionSteps(def, runs),
    facts: chainFactsOf(def, p.steps),
    stepRuns: runs,
    history: p.events.map((e) => ({ at: e.at.toISOString(), actor: e.actor, event: e.event, step: e.step, details: e.details ?? null })),
  };
}

async function processForChange(db: Db, user: AuthUser, id: string) {
  const p = await db.process.findUnique({ where: { id }, include: { case: { select: { caseworkerId: true, departmentId: true } } } });
  if (!p) throw notFound('Prozess');
  if (user.role === 'supervisor' && canReadCase(user, p.case)) return p; // supervisors may hold, resume, reassign
  if (!canChangeCase(user, p.case)) {
    await auditRefused(db, { id: user.id, role: user.role }, { type: 'Process', id, caseId: p.caseId }, 'process.change', 403);
    throw forbidden('Keine Berechtigung für diesen Prozess.');
  }
  return p;
}

const chainActor = (user: AuthUser): ChainActor => ({ kind: 'user', userId: user.id, role: user.role });

/** `updateId` (api/submission.ts): the same submission again gets the first one's result, never a second step. */
export async function completeStep(
  deps: ChainDeps,
  user: AuthUser,
  id: string,
  stepKey: string,
  body: { outcome: string; data?: Record<string, unknown> },
  updateId?: string,
) {
  const p = await processForChange(deps.db, user, id);
  if (!recordsStepOutcomes(user)) throw forbidden('Nur das Fallmanagement erfasst Ergebnisse.');
  const step = chainDefinitionFor(p.type, p.version)?.steps[stepKey];
  if (step?.requiresDocument) await requireStepDocument(deps.db, p.id, stepKey, step.title);
  const state = await callUpdate(() =>
    deps.temporal.workflow.getHandle(p.workflowId).executeUpdate(completeStepUpdate, {
      args: [{ stepKey, outcome: body.outcome, data: body.data, actor: chainActor(user) }],
      updateId,
    }),
  );
  // issue 15: a declined viewing (however recorded) returns the flat proposed to this household to open
  if (p.type === 'move-out' && stepKey === 'viewing' && body.outcome === 'declined')
    await releaseOfferAfterDeclinedViewing(deps, { id: user.id, role: user.role }, p.id, p.caseId);
  return state;
}

export async function chainAction(
  deps: ChainDeps,
  user: AuthUser,
  id: string,
  action: 'hold' | 'resume' | 'cancel' | 'reassign',
  body: { reason?: string; caseworkerId?: string; step?: string },
  updateId?: string,
) {
  const p = await processForChange(deps.db, user, id);
  const handle = deps.temporal.workflow.getHandle(p.workflowId);
  const actor = chainActor(user);
  if (action === 'cancel' && !cancelsChains(user)) throw forbidden('Nur das Fallmanagement kann eine Kette abbrechen.');
  if (action === 'reassign') {
    const target = await deps.db.user.findUnique({ where: { id: body.caseworkerId ?? '' } });
    if (!target || target.role !== 'caseworker' || !target.active)
      throw badRequest('Unbekannte/r Fallmanager/in.', [{ field: 'caseworkerId', message: 'unbekannt' }]);
    return callUpdate(() =>
      handle.executeUpdate(reassignUpdate, { args: [{ assigneeId: target.id, reason: body.reason, actor }], updateId }),
    );
  }
  // a step given: only that open step (a branch of a fork) is held / resumed
  const step = body.step ? { step: body.step } : {};
  if (action === 'hold')
    return callUpdate(() => handle.executeUpdate(holdUpdate, { args: [{ reason: body.reason ?? '', actor, ...step }], updateId }));
  if (action === 'resume') return callUpdate(() => handle.executeUpdate(resumeUpdate, { args: [{ actor, ...step }], updateId }));
  return callUpdate(() => handle.executeUpdate(cancelUpdate, { args: [{ reason: body.reason ?? '', actor }], updateId }));
}

/**
 * The start writes the first step with the process row; the workflow records the start and the step's
 * beginning in the history a moment later: wait briefly for that (up to 3 s), so that the process page
 * the form leads to shows the history at once (if the worker is slow, the page says so).
 */
export async function waitForFirstStep(db: Db, processId: string) {
  for (let i = 0; i < 30; i++) {
    const [row, started] = await Promise.all([
      db.process.findUnique({ where: { id: processId }, select: { status: true } }),
      db.processEvent.count({ where: { processId, event: 'step.started' } }),
    ]);
    if (started > 0 || row?.status !== 'running') return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The definition of one step of a process's chain (in the version it runs), if both exist. */
export async function stepDefinitionOf(db: Db, processId: string, stepKey: string) {
  const p = await db.process.findUnique({ where: { id: processId }, select: { type: true, version: true } });
  return p ? chainDefinitionFor(p.type, p.version)?.steps[stepKey] : undefined;
}

/**
 * The process page: the process (read, audited) with live state, the departments, the chain's handoffs
 * with every e-mail sent for them or the chain, the names of everyone in its history, and the
 * caseworkers of the case's team it can be reassigned to.
 */
export async function processPage(deps: ChainDeps, user: AuthUser, actor: Actor, id: string) {
  const { process: p, live } = await getProcess(deps, user, actor, id);
  const userIds = new Set<string>([p.assigneeId, p.startedById]);
  for (const e of p.events) {
    if (e.actor.startsWith('user:')) userIds.add(e.actor.slice(5));
    const d = (e.details ?? {}) as Record<string, unknown>;
    for (const k of ['from', 'to']) if (typeof d[k] === 'string') userIds.add(d[k] as string);
  }
  const caseDept = p.case.departmentId;
  const [departments, tasks, users, caseworkers, messages] = await Promise.all([
    listDepartments(deps.db),
    deps.db.task.findMany({
      where: { processId: p.id },
      orderBy: { createdAt: 'asc' },
      include: { department: { select: { name: true } } },
    }),
    deps.db.user.findMany({ where: { id: { in: [...userIds] } }, select: { id: true, name: true } }),
    deps.db.user.findMany({
      where: { role: 'caseworker', active: true, ...(caseDept ? { departmentId: caseDept } : {}) },
      orderBy: { name: 'asc' },
      select: { id: true, name: true },
    }),
    processMessages(deps.db, p.id), // the caseworker's messages to departments (issue 14)
  ]);
  const mails = await deps.db.mail.findMany({
    where: {
      OR: [
        { idempotencyKey: { startsWith: `process:${p.id}:` } },
        ...tasks.map((t) => ({ idempotencyKey: { startsWith: `task:${t.id}:` } })),
      ],
    },
    orderBy: { createdAt: 'asc' },
    select: { subject: true, to: true, status: true, attempts: true, createdAt: true, sentAt: true },
  });
  return { process: p, live, departments, tasks, users, caseworkers, mails, messages };
}
export type ProcessPage = Awaited<ReturnType<typeof processPage>>;

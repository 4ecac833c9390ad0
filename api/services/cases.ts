// Persons and cases: the operations behind both the JSON API and the HTML forms.
// A case row and its workflow are created together: the workflow is started inside the database
// transaction (ID from the case id, conflict policy USE_EXISTING), so a failure leaves nothing behind
// and a double submit (same idempotency key) returns the first case.
import { WorkflowIdConflictPolicy, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { audit, auditRefused, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import type { Prisma } from '../../core/db/generated/client';
import { caseWorkflowId, type CaseState } from '../../core/domain/case-state';
import type { CaseInput, CaseStatus, CaseStatusInput, ClosureCode, FollowUpInput, PersonInput } from '../../core/domain/records';
import { KimCaseId, KimKind, KimStatus } from '../../core/domain/search-attributes';
import { caseStateQuery, caseWorkflow, setFollowUpSignal, setStatusUpdate } from '../../workflows/case';
import { canChangeCase, canReadCase, caseListFilter, seesCaseFiles, type CaseScope } from '../access';
import type { AuthUser } from '../auth';
import { conflict, forbidden, HttpError, isTemporalDown, notFound } from '../errors';
import { refuseAnonymized } from './anonymized';
import { prepareClosing, reopenCase } from './case-closure';
import { caseHousehold } from './person-file';
import { likeLiteral } from './chains';
import { listDepartments } from './departments';
import { callUpdate } from './workflow-calls';

export interface CaseDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
}

const TX = { timeout: 20_000, maxWait: 5_000 };

const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === 'P2002';

/** A double submit racing the first one loses on the unique (creator, key) index: answer with the winner. */
async function onceByKey<T>(
  key: string | undefined,
  find: () => Promise<T | null>,
  create: () => Promise<T>,
): Promise<T & { created: boolean }> {
  if (key) {
    const existing = await find();
    if (existing) return { ...existing, created: false };
  }
  try {
    return { ...(await create()), created: true };
  } catch (err) {
    if (key && isUniqueViolation(err)) {
      const existing = await find();
      if (existing) return { ...existing, created: false };
    }
    throw err;
  }
}

export async function createPerson({ db }: CaseDeps, user: AuthUser, actor: Actor, input: PersonInput, idempotencyKey?: string) {
  return onceByKey(
    idempotencyKey,
    () =>
      db.person.findUnique({
        where: { createdById_idempotencyKey: { createdById: user.id, idempotencyKey: idempotencyKey! } },
        select: { id: true },
      }),
    () =>
      db.$transaction(async (tx) => {
        const person = await tx.person.create({
          data: {
            firstName: input.firstName,
            lastName: input.lastName,
            birthDate: input.birthDate ? new Date(input.birthDate + 'T00:00:00Z') : null,
            householdSize: input.householdSize ?? null,
            shelterId: input.shelterId ?? null,
            benefitType: input.benefitType,
            createdById: user.id,
            idempotencyKey: idempotencyKey ?? null,
          },
        });
        await audit(tx, actor, 'person.create', { type: 'Person', id: person.id }, { fields: Object.keys(input) });
        return { id: person.id };
      }, TX),
  );
}

export async function createCase(deps: CaseDeps, user: AuthUser, actor: Actor, input: CaseInput, idempotencyKey?: string) {
  const { db, temporal, taskQueue } = deps;
  const find = () =>
    db.case.findUnique({
      where: { createdById_idempotencyKey: { createdById: user.id, idempotencyKey: idempotencyKey! } },
      select: { id: true, reference: true },
    });
  if (idempotencyKey) {
    const existing = await find();
    if (existing) return { ...existing, created: false };
  }
  const person = await db.person.findUnique({
    where: { id: input.personId },
    select: { id: true, anonymizedAt: true, createdById: true, cases: { select: { caseworkerId: true, departmentId: true } } },
  });
  // unknown and out of scope look the same: 404, the person's existence is not revealed
  if (!person || !(await personInScope(db, user, person))) {
    await auditRefused(db, actor, { type: 'Person', id: input.personId }, 'case.create');
    throw notFound('Person');
  }
  refuseAnonymized(person, 'Person');

  const year = new Date().getFullYear();
  return onceByKey(idempotencyKey, find, () =>
    db.$transaction(async (tx) => {
      const [{ last }] = await tx.$queryRaw<{ last: number }[]>`
      INSERT INTO "CaseCounter" (year, last) VALUES (${year}, 1)
      ON CONFLICT (year) DO UPDATE SET last = "CaseCounter".last + 1 RETURNING last`;
      const reference = `KIM-${year}-${String(last).padStart(4, '0')}`;
      const id = crypto.randomUUID();
      const workflowId = caseWorkflowId(id);
      // the person's household (a first member added at the same moment waits for this row: FOR SHARE)
      const [{ householdId }] = await tx.$queryRaw<{ householdId: string | null }[]>`
      SELECT "householdId" FROM "Person" WHERE "id" = ${input.personId} FOR SHARE`;
      await tx.case.create({
        data: {
          id,
          reference,
          personId: input.personId,
          householdId,
          topic: input.topic,
          caseworkerId: user.id,
          departmentId: user.departmentId,
          workflowId,
          createdById: user.id,
          idempotencyKey: idempotencyKey ?? null,
        },
      });
      await audit(tx, actor, 'case.create', { type: 'Case', id, caseId: id }, { topic: input.topic });
      await temporal.workflow.start(caseWorkflow, {
        workflowId,
        taskQueue,
        args: [{ caseId: id, topic: input.topic }],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        typedSearchAttributes: [
          { key: KimCaseId, value: id },
          { key: KimKind, value: 'case' },
          { key: KimStatus, value: 'open' },
        ],
      });
      return { id, reference };
    }, TX),
  );
}

async function loadCase(db: Db, id: string) {
  const c = await db.case.findUnique({
    where: { id },
    include: {
      person: true,
      caseworker: { select: { id: true, name: true, email: true } },
      followUps: { orderBy: { dueAt: 'desc' }, take: 20 },
      consents: { orderBy: { givenAt: 'desc' } },
      statusChanges: { orderBy: [{ changedAt: 'desc' }, { id: 'desc' }], take: 50 },
    },
  });
  if (!c) throw notFound('Fall');
  return c;
}

/** Live state from the workflow; the read model if Temporal is unreachable. */
async function liveState(temporal: Client, workflowId: string): Promise<CaseState | undefined> {
  try {
    return await temporal.connection.withDeadline(Date.now() + 3_000, () => temporal.workflow.getHandle(workflowId).query(caseStateQuery));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || isTemporalDown(err)) return undefined;
    throw err;
  }
}

/** 403 for a case outside the user's scope, the attempt audited (access.refused). */
async function refuseUnlessReadable(db: Db, user: AuthUser, actor: Actor, id: string, c: CaseScope) {
  if (canReadCase(user, c)) return;
  await auditRefused(db, actor, { type: 'Case', id, caseId: id }, 'case.read', 403);
  throw forbidden('Kein Zugriff auf diesen Fall.');
}

/** One case as stored, audited as case.read; a refused attempt is audited (access.refused). */
async function readCase(db: Db, user: AuthUser, actor: Actor, id: string) {
  const c = await loadCase(db, id);
  await refuseUnlessReadable(db, user, actor, id, c);
  await audit(db, actor, 'case.read', { type: 'Case', id, caseId: id });
  return c;
}

/** One case with its live state (GET /api/cases/{id}: `live` says whether Temporal answered). */
export async function getCase(deps: CaseDeps, user: AuthUser, actor: Actor, id: string) {
  const c = await readCase(deps.db, user, actor, id);
  const live = await liveState(deps.temporal, c.workflowId);
  return { record: c, live, status: (live?.status ?? c.status) as CaseStatus };
}

/**
 * The case page's 5-second status poll: the stored status only. A status change writes it before its
 * update answers (workflows/case.ts), so the workflow need not be asked — that was a Temporal query
 * (a workflow task on a worker, a replay if the case workflow was evicted) per open case page every
 * 5 seconds. Not a read of its own (the view was audited); a refused attempt is audited.
 */
export async function storedCaseStatus(db: Db, user: AuthUser, actor: Actor, id: string): Promise<CaseStatus> {
  const c = await db.case.findUnique({ where: { id }, select: { status: true, caseworkerId: true, departmentId: true } });
  if (!c) throw notFound('Fall');
  await refuseUnlessReadable(db, user, actor, id, c);
  return c.status;
}

export async function listCases({ db }: CaseDeps, where: object, take = 100) {
  return db.case.findMany({
    where,
    orderBy: { createdAt: 'desc' },
    take,
    include: { person: { select: { firstName: true, lastName: true } }, caseworker: { select: { name: true } } },
  });
}

export async function caseForChange(db: Db, user: AuthUser, id: string) {
  const c = await db.case.findUnique({ where: { id } });
  if (!c) throw notFound('Fall');
  if (!canChangeCase(user, c)) {
    await auditRefused(db, { id: user.id, role: user.role }, { type: 'Case', id, caseId: id }, 'case.change', 403);
    throw forbidden('Keine Berechtigung, diesen Fall zu ändern.');
  }
  refuseAnonymized(c);
  return c;
}

export async function setFollowUp(deps: CaseDeps, user: AuthUser, actor: Actor, id: string, input: FollowUpInput) {
  const c = await caseForChange(deps.db, user, id);
  if (c.status === 'closed') throw conflict('Der Fall ist abgeschlossen.');
  return deps.db.$transaction(async (tx) => {
    await tx.followUp.updateMany({ where: { caseId: id, remindedAt: null, cancelledAt: null }, data: { cancelledAt: new Date() } });
    const f = await tx.followUp.create({
      data: { caseId: id, dueAt: new Date(input.dueAt), note: input.note ?? null, createdById: user.id },
    });
    await audit(tx, actor, 'case.followup.set', { type: 'FollowUp', id: f.id, caseId: id }, { dueAt: f.dueAt.toISOString() });
    await deps.temporal.workflow.getHandle(c.workflowId).signal(setFollowUpSignal, { followUpId: f.id, dueAt: f.dueAt.toISOString() });
    return f;
  }, TX);
}

/** The workflow decides (a closed case stays closed); the change is then kept with its reason and closure code. */
export async function setStatus(deps: CaseDeps, user: AuthUser, actor: Actor, id: string, input: CaseStatusInput) {
  const c = await caseForChange(deps.db, user, id);
  if (c.status === 'closed' && input.status !== 'closed') return reopenCase(deps, user, actor, c, input);
  await prepareClosing(deps, user, id, input);
  const { status, reason, closureCode } = input;
  const state = await callUpdate(() =>
    deps.temporal.workflow.getHandle(c.workflowId).executeUpdate(setStatusUpdate, { args: [{ status }] }),
  );
  await deps.db.$transaction(async (tx) => {
    const change = await tx.caseStatusChange.create({
      data: {
        caseId: id,
        fromStatus: c.status,
        toStatus: status,
        reason: reason ?? null,
        closureCode: closureCode ?? null,
        changedById: user.id,
      },
    });
    // the audit log names that a reason was given, not the reason (it is free text about the person)
    await audit(
      tx,
      actor,
      'case.status',
      { type: 'Case', id, caseId: id },
      {
        from: c.status,
        to: status,
        change: change.id,
        reason: Boolean(reason),
        ...(closureCode ? { closureCode } : {}),
      },
    );
  }, TX);
  return state;
}

/** The latest reason, and for a closed case the closing's code and reason (GET /api/cases/{id}, API.md). */
export function statusSummary(
  changes: Array<{ toStatus: CaseStatus; reason: string | null; closureCode: string | null }>,
  status: CaseStatus,
) {
  const latest = changes[0];
  const closing = status === 'closed' ? changes.find((ch) => ch.toStatus === 'closed') : undefined;
  // closureCode is validated against CLOSURE_CODES on the way in
  return {
    statusReason: latest?.reason ?? null,
    closureCode: (closing?.closureCode ?? null) as ClosureCode | null,
    closureReason: closing?.reason ?? null,
  };
}

export { HttpError };

// ---------------------------------------------------------------------------------------------
// Reads for the pages and the API
// ---------------------------------------------------------------------------------------------

export const CASE_PAGE_SIZE = 50;

export interface CaseListQuery {
  q?: string;
  page?: number;
  pageSize?: number;
}

/** Every term must match the reference — or, for those who see names, the person's first or last name. */
function caseSearch(user: AuthUser, q?: string): { where: Prisma.CaseWhereInput[]; fields: string[] } {
  const terms = (q ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 5);
  const byName = seesCaseFiles(user);
  const like = (t: string) => ({ contains: likeLiteral(t), mode: 'insensitive' as const });
  return {
    fields: terms.length ? ['reference', ...(byName ? ['name'] : [])] : [],
    where: terms.map((t) => ({
      OR: [
        { reference: like(t) },
        // an anonymised person is „Anonymisiert“: not found by that
        ...(byName ? [{ anonymizedAt: null, person: { OR: [{ firstName: like(t) }, { lastName: like(t) }] } }] : []),
      ],
    })),
  };
}

/**
 * One page of the cases the user may list, newest first, optionally searched. A search shows names
 * in answer to a query: it is audited as a read of every case it shows (`case.search`, the query
 * itself is not logged).
 */
export async function pageCases({ db }: CaseDeps, user: AuthUser, actor: Actor, query: CaseListQuery) {
  const pageSize = query.pageSize ?? CASE_PAGE_SIZE;
  const search = caseSearch(user, query.q);
  const where: Prisma.CaseWhereInput = { AND: [caseListFilter(user), ...search.where] };
  const total = await db.case.count({ where });
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.floor(query.page ?? 1)), pages);
  const items = await db.case.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    skip: (page - 1) * pageSize,
    take: pageSize,
    include: { person: { select: { firstName: true, lastName: true } }, caseworker: { select: { name: true } } },
  });
  // a list that shows names is a read: one row per list view (ids only), besides the per-case search rows
  if (items.length)
    await audit(db, actor, 'case.list', { type: 'Case' }, { count: items.length, page, total, caseIds: items.map((c) => c.id) });
  if (search.fields.length && items.length) {
    await db.$transaction(async (tx) => {
      for (const c of items)
        await audit(tx, actor, 'case.search', { type: 'Case', id: c.id, caseId: c.id }, { fields: search.fields, results: total });
    }, TX);
  }
  return {
    items,
    total,
    page,
    pages,
    pageSize,
    from: items.length ? (page - 1) * pageSize + 1 : 0,
    to: (page - 1) * pageSize + items.length,
  };
}

/** The persons a caseworker recorded (the new-case form's choice), newest first. */
export function personsForNewCase({ db }: CaseDeps, user: AuthUser) {
  return db.person.findMany({
    where: { createdById: user.id, anonymizedAt: null },
    orderBy: { createdAt: 'desc' },
    take: 200,
    select: { id: true, firstName: true, lastName: true, birthDate: true },
  });
}

/** GET /api/persons/{id}: the creator and whoever may read one of the person's cases; audited. */
/**
 * A person is in a caseworker's scope if the user or the user's team (department) created it, or it has a
 * case the user may read (own or team). Two users without a department are different teams.
 */
export async function personInScope(db: Db, user: AuthUser, p: { createdById: string; cases: CaseScope[] }): Promise<boolean> {
  if (p.createdById === user.id || p.cases.some((c) => canReadCase(user, c))) return true;
  if (user.role !== 'caseworker' || !user.departmentId) return false;
  const creator = await db.user.findUnique({ where: { id: p.createdById }, select: { departmentId: true } });
  return creator?.departmentId === user.departmentId;
}

export async function readPerson({ db }: CaseDeps, user: AuthUser, actor: Actor, id: string) {
  const p = await db.person.findUnique({ where: { id }, include: { cases: { select: { caseworkerId: true, departmentId: true } } } });
  if (!p || !(await personInScope(db, user, p))) {
    await auditRefused(db, actor, { type: 'Person', id }, 'person.read');
    throw notFound('Person');
  }
  await audit(db, actor, 'person.read', { type: 'Person', id: p.id });
  return p;
}

/** The chains of a case, newest first (GET /api/cases/{id}). */
export function caseChains({ db }: CaseDeps, caseId: string) {
  return db.process.findMany({ where: { caseId }, orderBy: { startedAt: 'desc' } });
}

/**
 * The case page: the case (read, audited), its chains with their steps, its handoffs and the departments.
 * Its status is the stored one, as for the page's poll (storedCaseStatus): no Temporal query per view.
 */
export async function caseOverview(deps: CaseDeps, user: AuthUser, actor: Actor, id: string) {
  const record = await readCase(deps.db, user, actor, id);
  const c = { record, status: record.status };
  const [processes, tasks, departments] = await Promise.all([
    deps.db.process.findMany({
      where: { caseId: id },
      orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
      include: { steps: { orderBy: { seq: 'asc' } } },
    }),
    deps.db.task.findMany({ where: { caseId: id }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 200 }),
    listDepartments(deps.db),
  ]);
  return { ...c, processes, tasks, departments, household: await caseHousehold(deps.db, c.record) };
}
export type CaseOverview = Awaited<ReturnType<typeof caseOverview>>;

// Persons and cases: the operations behind both the JSON API and the HTML forms.
// A case row and its workflow are created together: the workflow is started inside the database
// transaction (ID from the case id, conflict policy USE_EXISTING), so a failure leaves nothing behind
// and a double submit (same idempotency key) returns the first case.
import { WorkflowIdConflictPolicy, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { audit, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import { caseWorkflowId, type CaseState } from '../../core/domain/case-state';
import type { CaseInput, CaseStatus, FollowUpInput, PersonInput } from '../../core/domain/records';
import { KimCaseId, KimKind, KimStatus } from '../../core/domain/search-attributes';
import { caseStateQuery, caseWorkflow, setFollowUpSignal, setStatusUpdate } from '../../workflows/case';
import { canChangeCase, canReadCase } from '../access';
import type { AuthUser } from '../auth';
import { badRequest, conflict, forbidden, HttpError, isTemporalDown, notFound } from '../errors';
import { refuseAnonymized } from './anonymized';
import { callUpdate } from './workflow-calls';

export interface CaseDeps { db: Db; temporal: Client; taskQueue: string }

const TX = { timeout: 20_000, maxWait: 5_000 };

const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === 'P2002';

/** A double submit racing the first one loses on the unique (creator, key) index: answer with the winner. */
async function onceByKey<T>(key: string | undefined, find: () => Promise<T | null>, create: () => Promise<T>): Promise<T & { created: boolean }> {
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
  return onceByKey(idempotencyKey,
    () => db.person.findUnique({ where: { createdById_idempotencyKey: { createdById: user.id, idempotencyKey: idempotencyKey! } }, select: { id: true } }),
    () => db.$transaction(async (tx) => {
    const person = await tx.person.create({
      data: {
        firstName: input.firstName, lastName: input.lastName,
        birthDate: input.birthDate ? new Date(input.birthDate + 'T00:00:00Z') : null,
        householdSize: input.householdSize ?? null, shelterId: input.shelterId ?? null, benefitType: input.benefitType,
        createdById: user.id, idempotencyKey: idempotencyKey ?? null,
      },
    });
    await audit(tx, actor, 'person.create', { type: 'Person', id: person.id }, { fields: Object.keys(input) });
    return { id: person.id };
  }, TX));
}

export async function createCase(deps: CaseDeps, user: AuthUser, actor: Actor, input: CaseInput, idempotencyKey?: string) {
  const { db, temporal, taskQueue } = deps;
  const find = () => db.case.findUnique({ where: { createdById_idempotencyKey: { createdById: user.id, idempotencyKey: idempotencyKey! } }, select: { id: true, reference: true } });
  if (idempotencyKey) {
    const existing = await find();
    if (existing) return { ...existing, created: false };
  }
  const person = await db.person.findUnique({ where: { id: input.personId }, select: { id: true, anonymizedAt: true } });
  if (!person) throw badRequest('Person nicht gefunden.', [{ field: 'personId', message: 'Person: nicht gefunden' }]);
  refuseAnonymized(person, 'Person');

  const year = new Date().getFullYear();
  return onceByKey(idempotencyKey, find, () => db.$transaction(async (tx) => {
    const [{ last }] = await tx.$queryRaw<{ last: number }[]>`
      INSERT INTO "CaseCounter" (year, last) VALUES (${year}, 1)
      ON CONFLICT (year) DO UPDATE SET last = "CaseCounter".last + 1 RETURNING last`;
    const reference = `KIM-${year}-${String(last).padStart(4, '0')}`;
    const id = crypto.randomUUID();
    const workflowId = caseWorkflowId(id);
    await tx.case.create({
      data: {
        id, reference, personId: input.personId, topic: input.topic, caseworkerId: user.id,
        departmentId: user.departmentId, workflowId, createdById: user.id, idempotencyKey: idempotencyKey ?? null,
      },
    });
    await audit(tx, actor, 'case.create', { type: 'Case', id, caseId: id }, { topic: input.topic });
    await temporal.workflow.start(caseWorkflow, {
      workflowId, taskQueue, args: [{ caseId: id, topic: input.topic }],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      typedSearchAttributes: [
        { key: KimCaseId, value: id }, { key: KimKind, value: 'case' }, { key: KimStatus, value: 'open' },
      ],
    });
    return { id, reference };
  }, TX));
}

async function loadCase(db: Db, id: string) {
  const c = await db.case.findUnique({
    where: { id },
    include: {
      person: true,
      caseworker: { select: { id: true, name: true, email: true } },
      followUps: { orderBy: { dueAt: 'desc' }, take: 20 },
      consents: { orderBy: { givenAt: 'desc' } },
    },
  });
  if (!c) throw notFound('Fall');
  return c;
}

/** Live state from the workflow; the read model if Temporal is unreachable. */
async function liveState(temporal: Client, workflowId: string): Promise<CaseState | undefined> {
  try {
    return await temporal.connection.withDeadline(Date.now() + 3_000, () =>
      temporal.workflow.getHandle(workflowId).query(caseStateQuery));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError || isTemporalDown(err)) return undefined;
    throw err;
  }
}

export async function getCase(deps: CaseDeps, user: AuthUser, actor: Actor, id: string) {
  const c = await loadCase(deps.db, id);
  if (!canReadCase(user, c)) throw forbidden('Kein Zugriff auf diesen Fall.');
  await audit(deps.db, actor, 'case.read', { type: 'Case', id, caseId: id });
  const live = await liveState(deps.temporal, c.workflowId);
  return { record: c, live, status: (live?.status ?? c.status) as CaseStatus };
}

export async function listCases({ db }: CaseDeps, where: object, take = 100) {
  return db.case.findMany({
    where, orderBy: { createdAt: 'desc' }, take,
    include: { person: { select: { firstName: true, lastName: true } }, caseworker: { select: { name: true } } },
  });
}

export async function caseForChange(db: Db, user: AuthUser, id: string) {
  const c = await db.case.findUnique({ where: { id } });
  if (!c) throw notFound('Fall');
  if (!canChangeCase(user, c)) throw forbidden('Keine Berechtigung, diesen Fall zu ändern.');
  refuseAnonymized(c);
  return c;
}

export async function setFollowUp(deps: CaseDeps, user: AuthUser, actor: Actor, id: string, input: FollowUpInput) {
  const c = await caseForChange(deps.db, user, id);
  if (c.status === 'closed') throw conflict('Der Fall ist abgeschlossen.');
  return deps.db.$transaction(async (tx) => {
    await tx.followUp.updateMany({ where: { caseId: id, remindedAt: null, cancelledAt: null }, data: { cancelledAt: new Date() } });
    const f = await tx.followUp.create({ data: { caseId: id, dueAt: new Date(input.dueAt), note: input.note ?? null, createdById: user.id } });
    await audit(tx, actor, 'case.followup.set', { type: 'FollowUp', id: f.id, caseId: id }, { dueAt: f.dueAt.toISOString() });
    await deps.temporal.workflow.getHandle(c.workflowId).signal(setFollowUpSignal, { followUpId: f.id, dueAt: f.dueAt.toISOString() });
    return f;
  }, TX);
}

export async function setStatus(deps: CaseDeps, user: AuthUser, actor: Actor, id: string, status: CaseStatus) {
  const c = await caseForChange(deps.db, user, id);
  const state = await callUpdate(() => deps.temporal.workflow.getHandle(c.workflowId)
    .executeUpdate(setStatusUpdate, { args: [{ status }] }));
  await audit(deps.db, actor, 'case.status', { type: 'Case', id, caseId: id }, { from: c.status, to: status });
  return state;
}

export { HttpError };

// Handoffs with context (issue 14): what a department sees behind the task's link besides step and
// deadline — the facts of earlier steps the chain step names (`contextFacts`) and the caseworker's
// messages — only while the task is open and a consent covers the department; and the typed result
// fields the department fills (`results`). Everything is read from PostgreSQL by the task's id; the
// messages never enter a workflow. The e-mail is not touched: it keeps reference, step and deadline.
import crypto from 'node:crypto';
import { audit, type Actor } from '../../core/audit';
import { consentCovers } from '../../core/consent';
import type { Db } from '../../core/db/client';
import { chainDefinitionFor, type ChainDefinition, type StepDefinition } from '../../core/domain/chains';
import { factType } from '../../core/domain/chains/validation';
import { OPEN_TASK_STATUSES, type TaskStatus } from '../../core/domain/handoff';
import { formatFactValue, type ResultField } from '../../core/domain/result-fields';
import { canChangeCase } from '../access';
import type { AuthUser } from '../auth';
import { badRequest, conflict, forbidden, notFound } from '../errors';
import { refuseAnonymized } from './anonymized';

export interface ContextFact {
  ref: string;
  label: string;
  value: string;
}
export interface TaskContext {
  /** the chain step's typed result fields (the completion form asks for them) */
  resultFields: ResultField[];
  /** shown only while the task is open and a consent covers its department */
  shown: boolean;
  facts: ContextFact[];
  messages: Array<{ id: string; text: string; at: Date }>;
}

/** The chain step a task was handed over for (its ProcessStep names the task), with its definition. */
async function chainStepOfTask(
  db: Db,
  taskId: string,
): Promise<{ def: ChainDefinition; stepKey: string; step: StepDefinition; processId: string } | undefined> {
  const row = await db.processStep.findFirst({ where: { taskId }, select: { key: true, processId: true } });
  if (!row) return undefined;
  const p = await db.process.findUnique({ where: { id: row.processId }, select: { type: true, version: true } });
  const def = p ? chainDefinitionFor(p.type, p.version) : undefined;
  const step = def?.steps[row.key];
  return def && step ? { def, stepKey: row.key, step, processId: row.processId } : undefined;
}

/** The typed result fields of the chain step a task belongs to (none for ad-hoc handoffs). */
export async function taskResultFields(db: Db, taskId: string): Promise<ResultField[]> {
  return (await chainStepOfTask(db, taskId))?.step.results ?? [];
}

/** The chain's facts as the read model holds them: the latest completed run of each step, its data. */
export async function chainFacts(db: Db, processId: string, def: ChainDefinition, refs: readonly string[]): Promise<ContextFact[]> {
  if (!refs.length) return [];
  const keys = [...new Set(refs.map((r) => r.slice(0, r.indexOf('.'))))];
  const rows = await db.processStep.findMany({
    where: { processId, key: { in: keys }, status: 'done' },
    orderBy: { seq: 'desc' },
    select: { key: true, data: true },
  });
  const out: ContextFact[] = [];
  for (const ref of refs) {
    const dot = ref.indexOf('.');
    const row = rows.find((r) => r.key === ref.slice(0, dot));
    const v = row?.data && typeof row.data === 'object' ? (row.data as Record<string, unknown>)[ref.slice(dot + 1)] : undefined;
    const t = factType(def, ref);
    if (v === undefined || v === null || 'error' in t) continue;
    const field = def.steps[ref.slice(0, dot)]?.fields.find((f) => f.key === ref.slice(dot + 1));
    const value = t.type === 'select' && field?.options ? (field.options[String(v)] ?? String(v)) : formatFactValue(t.type, v);
    out.push({ ref, label: `${t.label} (${def.steps[ref.slice(0, dot)].title})`, value });
  }
  return out;
}

/**
 * What the task page and the link page show besides the summary. Facts and messages only while the
 * task is open and a valid consent covers its department (core/consent.ts); showing them is audited.
 */
export async function taskContext(
  db: Db,
  actor: Actor,
  task: { id: string; caseId: string; departmentId: string; status: TaskStatus },
): Promise<TaskContext> {
  const chain = await chainStepOfTask(db, task.id);
  const resultFields = chain?.step.results ?? [];
  const open = OPEN_TASK_STATUSES.includes(task.status);
  const shown = open && (await consentCovers(db, task.caseId, task.departmentId));
  if (!shown) return { resultFields, shown, facts: [], messages: [] };
  const [facts, messages] = await Promise.all([
    chain ? chainFacts(db, chain.processId, chain.def, chain.step.contextFacts ?? []) : Promise.resolve([]),
    db.handoffMessage.findMany({
      where: { taskId: task.id },
      orderBy: { createdAt: 'asc' },
      select: { id: true, text: true, createdAt: true },
    }),
  ]);
  if (facts.length || messages.length)
    await audit(
      db,
      actor,
      'task.context.read',
      { type: 'Task', id: task.id, caseId: task.caseId },
      { facts: facts.map((f) => f.ref), messageIds: messages.map((m) => m.id) },
    );
  return { resultFields, shown, facts, messages: messages.map((m) => ({ id: m.id, text: m.text, at: m.createdAt })) };
}

const uuidFrom = (name: string) => {
  const h = crypto.createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/** The handoff steps of a process's chain a message can be written for (key → title). */
export function handoffStepsOf(def: ChainDefinition | undefined): Array<[string, string]> {
  return Object.entries(def?.steps ?? {})
    .filter(([, s]) => s.actor.kind === 'handoff')
    .map(([k, s]) => [k, s.title]);
}

/**
 * The caseworker's message to the department for a handoff step: to the open handoff of that step, or
 * — before it is sent — waiting for the step's next handoff (attached when the chain hands it over).
 * `key` (form `_key` / Idempotency-Key): the same submission again returns the first message.
 */
export async function addHandoffMessage(
  db: Db,
  user: AuthUser,
  actor: Actor,
  processId: string,
  input: { step: string; text: string },
  key?: string,
) {
  const p = await db.process.findUnique({
    where: { id: processId },
    include: { case: { select: { caseworkerId: true, departmentId: true, anonymizedAt: true } } },
  });
  if (!p) throw notFound('Prozess');
  if (!canChangeCase(user, p.case)) throw forbidden('Nur das Fallmanagement des Falls schreibt der Stelle.');
  refuseAnonymized(p.case);
  if (p.status === 'completed' || p.status === 'cancelled')
    throw conflict('Die Kette ist beendet; eine Nachricht an die Stelle ist nicht mehr möglich.');
  const def = chainDefinitionFor(p.type, p.version);
  const steps = handoffStepsOf(def);
  if (!steps.some(([k]) => k === input.step))
    throw badRequest(`„${input.step}“ ist kein Übergabe-Schritt dieser Kette.`, [
      { field: 'step', message: `Schritt: erlaubt sind ${steps.map(([k]) => k).join(', ')}` },
    ]);
  const id = key ? uuidFrom(`${user.id}:handoff-message:${processId}:${key}`) : crypto.randomUUID();
  const existing = await db.handoffMessage.findUnique({ where: { id } });
  if (existing) return { message: existing, created: false };
  // the step's handoff is open now: the message goes with it
  const open = await db.processStep.findFirst({
    where: { processId, key: input.step, completedAt: null, taskId: { not: null } },
    orderBy: { seq: 'desc' },
    select: { taskId: true },
  });
  const task = open?.taskId
    ? await db.task.findFirst({ where: { id: open.taskId, status: { in: OPEN_TASK_STATUSES } }, select: { id: true } })
    : null;
  return db.$transaction(async (tx) => {
    const m = await tx.handoffMessage.create({
      data: { id, caseId: p.caseId, processId, stepKey: input.step, taskId: task?.id ?? null, text: input.text, authorId: user.id },
    });
    await audit(
      tx,
      actor,
      'handoff.message.create',
      { type: 'HandoffMessage', id, caseId: p.caseId },
      { step: input.step, taskId: m.taskId },
    );
    return { message: m, created: true };
  });
}

/** The messages of a process (the caseworker's view on the process page). */
export function processMessages(db: Db, processId: string) {
  return db.handoffMessage.findMany({ where: { processId }, orderBy: { createdAt: 'asc' } });
}

// Handoffs from the API's side: create one for a case (row committed, then its workflow), list and
// read tasks, act on them (workflow update → validator decides), resolve deadline rules.
import { WorkflowIdConflictPolicy, type Client } from '@temporalio/client';
import { audit, auditRefused, type Actor } from '../../core/audit';
import { consentCovers, missingConsentMessage } from '../../core/consent';
import type { Db } from '../../core/db/client';
import { resolveDeadlines } from '../../core/deadlines';
import type { Prisma } from '../../core/db/generated/client';
import {
  HANDOFF_STEPS,
  OPEN_TASK_STATUSES,
  handoffWorkflowId,
  type HandoffAction,
  type HandoffActor,
  type HandoffState,
  type TaskStatus,
} from '../../core/domain/handoff';
import { KimCaseId, KimDepartment, KimKind, KimStep } from '../../core/domain/search-attributes';
import { handoffActionUpdate, handoffWorkflow } from '../../workflows/handoff';
import { canChangeCase, canSeeTask, seesCaseFiles, taskFilter } from '../access';
import type { AuthUser } from '../auth';
import { badRequest, conflict, forbidden, notFound } from '../errors';
import { refuseAnonymized } from './anonymized';
import { listDepartments } from './departments';
import { callUpdate } from './workflow-calls';

export interface TaskDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  workingDaySeconds: number;
}

export async function createHandoff(
  deps: TaskDeps,
  user: AuthUser,
  actor: Actor,
  caseId: string,
  input: { step: string; department: string },
  parentWorkflowId?: string,
) {
  const c = await deps.db.case.findUnique({ where: { id: caseId } });
  if (!c) throw notFound('Fall');
  if (!canChangeCase(user, c)) {
    await auditRefused(deps.db, actor, { type: 'Case', id: caseId, caseId }, 'task.create', 403);
    throw forbidden('Keine Berechtigung, für diesen Fall Aufgaben zu übergeben.');
  }
  refuseAnonymized(c);
  if (c.status === 'closed') throw conflict('Der Fall ist abgeschlossen.');
  const department = await deps.db.department.findUnique({ where: { id: input.department } });
  if (!department) throw badRequest(`Unbekannte Stelle: ${input.department}`, [{ field: 'department', message: 'Stelle: unbekannt' }]);
  if (!(await consentCovers(deps.db, caseId, department.id))) {
    throw conflict(`${await missingConsentMessage(deps.db, department.id)}: Bitte zuerst die Einwilligung im Fall erfassen.`, {
      field: 'department',
    });
  }
  const { ackDays, completeDays } = await resolveDeadlines(deps.db, department.id, input.step);
  const step = HANDOFF_STEPS[input.step];
  const processId = parentWorkflowId ?? c.workflowId;
  const id = crypto.randomUUID();
  const workflowId = handoffWorkflowId(id);

  // the row and its audit entry are committed BEFORE the workflow starts: its first record then finds the
  // task (inside the transaction it hit the foreign key and waited for a retry). A lock per case and step
  // makes "one open handoff per step" hold for requests at the same moment (double click: one 201, 409s).
  await deps.db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`handoff:${caseId}:${input.step}`}))`;
      const open = await tx.task.findFirst({ where: { caseId, stepKey: input.step, status: { in: OPEN_TASK_STATUSES } } });
      if (open) throw conflict(`Für diesen Schritt läuft bereits eine Übergabe (an ${open.departmentId}).`, { taskId: open.id });
      await tx.task.create({
        data: {
          id,
          caseId,
          processId,
          stepKey: input.step,
          title: step.title,
          departmentId: department.id,
          workflowId,
          createdById: user.id,
        },
      });
      await audit(tx, actor, 'task.create', { type: 'Task', id, caseId }, { step: input.step, department: department.id });
    },
    { timeout: 20_000, maxWait: 5_000 },
  );
  try {
    await deps.temporal.workflow.start(handoffWorkflow, {
      workflowId,
      taskQueue: deps.taskQueue,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      args: [
        {
          taskId: id,
          caseId,
          stepKey: input.step,
          departmentId: department.id,
          ackDays,
          completeDays,
          workingDaySeconds: deps.workingDaySeconds,
          parentWorkflowId: processId,
        },
      ],
      typedSearchAttributes: [
        { key: KimCaseId, value: caseId },
        { key: KimKind, value: 'handoff' },
        { key: KimDepartment, value: department.id },
        { key: KimStep, value: input.step },
      ],
    });
  } catch (err) {
    // not started (Temporal down): the row goes again, the audit log keeps the attempt — nothing half-written
    await deps.db.task.deleteMany({ where: { id } });
    await audit(deps.db, actor, 'task.create.failed', { type: 'Task', id, caseId }, { step: input.step, department: department.id });
    throw err;
  }
  return { id, workflowId };
}

export function taskView(t: {
  id: string;
  processId: string | null;
  stepKey: string;
  title: string;
  departmentId: string;
  status: TaskStatus;
  dueAt: Date | null;
  ackDueAt: Date | null;
  overdue: boolean;
  caseId: string;
}) {
  const due = t.status === 'accepted' ? t.dueAt : t.ackDueAt;
  return {
    id: t.id,
    processId: t.processId,
    caseId: t.caseId,
    step: t.stepKey,
    title: t.title,
    department: t.departmentId,
    status: t.status,
    dueAt: due?.toISOString() ?? null,
    overdue: t.overdue,
  };
}

/** The tasks a user may list; with `actor`, the list view is audited (task.list, ids only). */
export async function listTasks(db: Db, user: AuthUser, q: { department?: string; status?: TaskStatus; open?: boolean }, actor?: Actor) {
  const where: Prisma.TaskWhereInput = {
    ...taskFilter(user, q.department),
    ...(q.status ? { status: q.status } : q.open ? { status: { in: OPEN_TASK_STATUSES } } : {}),
  };
  const tasks = await db.task.findMany({
    where,
    orderBy: [{ overdue: 'desc' }, { createdAt: 'asc' }],
    take: 500,
    include: { case: { select: { reference: true } } },
  });
  if (actor && tasks.length)
    await audit(db, actor, 'task.list', { type: 'Task' }, { count: tasks.length, taskIds: tasks.map((t) => t.id) });
  return tasks;
}

export async function getTask(deps: TaskDeps, user: AuthUser, actor: Actor, id: string) {
  const t = await deps.db.task.findUnique({
    where: { id },
    include: {
      case: { select: { id: true, reference: true, caseworkerId: true, departmentId: true } },
      events: { orderBy: { seq: 'asc' } },
    },
  });
  if (!t || !canSeeTask(user, t)) {
    await auditRefused(deps.db, actor, { type: 'Task', id, caseId: t?.caseId }, 'task.read');
    throw notFound('Aufgabe');
  }
  await audit(deps.db, actor, 'task.read', { type: 'Task', id, caseId: t.caseId });
  return { task: t }; // the read model is written in the same step as the state change
}

/** Runs an action as a workflow update; the workflow's validator decides (409/400/403). */
/** `task`: its id, or the row the caller has read already (the e-mail link's check) */
export async function actOnTask(
  deps: TaskDeps,
  task: string | { workflowId: string; caseId: string },
  action: HandoffAction,
  updateId?: string,
): Promise<HandoffState> {
  const t =
    typeof task === 'string' ? await deps.db.task.findUnique({ where: { id: task }, select: { workflowId: true, caseId: true } }) : task;
  if (!t) throw notFound('Aufgabe');
  if (action.action === 'forward') {
    const target = await deps.db.department.findUnique({ where: { id: action.departmentId } });
    if (!target) throw badRequest(`Unbekannte Stelle: ${action.departmentId}`, [{ field: 'department', message: 'Stelle: unbekannt' }]);
    if (!(await consentCovers(deps.db, t.caseId, target.id))) {
      throw conflict(
        `${await missingConsentMessage(deps.db, target.id)}: Weiterleiten ist erst möglich, wenn das Fallmanagement sie erfasst hat.`,
        { field: 'department' },
      );
    }
  }
  return callUpdate(() => deps.temporal.workflow.getHandle(t.workflowId).executeUpdate(handoffActionUpdate, { args: [action], updateId }));
}

export function userActor(user: AuthUser): HandoffActor {
  return { kind: 'user', userId: user.id, departmentId: user.departmentId };
}

/** Department members act for their department; the case's caseworker may only cancel. */
export async function assertMayAct(db: Db, user: AuthUser, taskId: string, action: HandoffAction['action']) {
  const t = await db.task.findUnique({ where: { id: taskId }, include: { case: { select: { caseworkerId: true, departmentId: true } } } });
  if (!t) throw notFound('Aufgabe');
  if (action === 'cancel') {
    if (!canChangeCase(user, t.case)) throw forbidden('Nur das Fallmanagement kann eine Übergabe abbrechen.');
    return t;
  }
  if (user.role !== 'department_member') throw forbidden('Nur Mitglieder der zuständigen Stelle können diese Aufgabe bearbeiten.');
  return t; // the department itself is checked by the workflow's validator (403)
}

/**
 * The task page: the task (read, audited), its department, the person, and the departments it can be
 * forwarded to. The person (name, birth date) only while the case is not anonymised and — for roles
 * without the case file (department members) — only while the task is open and a valid consent covers
 * its department: the right to the data ends with the task or the consent.
 */
export async function taskPage(deps: TaskDeps, user: AuthUser, actor: Actor, id: string) {
  const { task } = await getTask(deps, user, actor, id);
  const [full, departments] = await Promise.all([
    deps.db.task.findUniqueOrThrow({
      where: { id },
      include: {
        department: true,
        case: { select: { anonymizedAt: true, person: { select: { firstName: true, lastName: true, birthDate: true } } } },
      },
    }),
    listDepartments(deps.db, { except: task.departmentId }),
  ]);
  const mayReadPerson =
    !full.case.anonymizedAt &&
    (seesCaseFiles(user) || (OPEN_TASK_STATUSES.includes(task.status) && (await consentCovers(deps.db, task.caseId, task.departmentId))));
  return { task, departmentName: full.department.name, person: mayReadPerson ? full.case.person : undefined, departments };
}

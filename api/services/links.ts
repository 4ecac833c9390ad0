// E-mail action links (/t/<token>): the signed single-use token is checked against its row (forged →
// 403, expired or used → 410, audited as link.rejected) and against its task: a link stops working
// (410) once the task ended, moved to another department (forward) or no valid consent covers the
// link's department any more (withdrawn). The task it acts on is read (audited as task.read by the
// link's recipient) and the token is spent once its action took effect.
import type { Client } from '@temporalio/client';
import { audit, type Actor } from '../../core/audit';
import { sql, type Db } from '../../core/db/client';
import { Prisma } from '../../core/db/generated/client';
import { OPEN_TASK_STATUSES, type HandoffState } from '../../core/domain/handoff';
import { parseToken, verifyLink, type LinkKey } from '../../core/links';
import { handoffStateQuery } from '../../workflows/handoff';
import { isTemporalDown, unavailable } from '../errors';
import { listDepartments } from './departments';

export interface LinkDeps {
  db: Db;
  linkKeys: LinkKey[];
  /** asked when the read model says the task ended but the link is unspent (see checkTaskOfLink) */
  temporal?: Client;
}
export interface LinkToken {
  id: string;
  taskId: string;
  action: string;
  recipient: string;
  departmentId: string;
}
/** forged → 403; the others → 410: expired, used, task ended, task forwarded to another department, consent withdrawn */
export type LinkRejection = 'forged' | 'expired' | 'used' | 'ended' | 'forwarded' | 'consent';
/** the link's task as the check read it: the action needs no second read of it */
export interface LinkTaskRow {
  id: string;
  stepKey: string;
  workflowId: string;
  caseId: string;
}
export type CheckedLink = { ok: true; token: LinkToken; task: LinkTaskRow } | { ok: false; status: 403 | 410; reason: LinkRejection };

interface LinkRow {
  id: string;
  taskId: string;
  action: string;
  recipient: string;
  departmentId: string;
  expiresAt: Date;
  usedAt: Date | null;
  createdAt: Date;
  status: Parameters<typeof OPEN_TASK_STATUSES.includes>[0];
  taskDepartmentId: string;
  caseId: string;
  workflowId: string;
  stepKey: string;
  /** a valid consent of the task's case covers the link's department (validConsentWhere's rule) */
  covered: boolean;
}

/** `actor`: the request's origin (ip, request id) with role 'link' */
export async function checkLink(deps: LinkDeps, actor: Actor, raw: string, method: string): Promise<CheckedLink> {
  const parsed = parseToken(raw);
  // token, task and consent in one statement (bench:handoffs P2); the task counts only once the token is valid
  const rows = parsed
    ? await sql<LinkRow>(
        deps.db,
        Prisma.sql`
        SELECT a."id", a."taskId", a."action", a."recipient", a."departmentId", a."expiresAt", a."usedAt", a."createdAt",
          t."status"::text AS "status", t."departmentId" AS "taskDepartmentId", t."caseId", t."workflowId", t."stepKey",
          EXISTS (
            SELECT 1 FROM "Consent" c
            WHERE c."caseId" = t."caseId" AND a."departmentId" = ANY (c."departments")
              AND c."withdrawnAt" IS NULL AND c."givenAt" <= ${new Date()}
          ) AS "covered"
        FROM "ActionToken" a JOIN "Task" t ON t."id" = a."taskId"
        WHERE a."id" = ${parsed.nonce}`,
      )
    : [];
  const row = rows[0];
  const token: LinkToken | undefined = row && {
    id: row.id,
    taskId: row.taskId,
    action: row.action,
    recipient: row.recipient,
    departmentId: row.departmentId,
  };
  let result: CheckedLink;
  if (
    !parsed ||
    !row ||
    !token ||
    !verifyLink(deps.linkKeys, parsed, { taskId: row.taskId, action: row.action, recipient: row.recipient })
  ) {
    result = { ok: false, status: 403, reason: 'forged' };
  } else if (row.expiresAt.getTime() < Date.now() || parsed.exp * 1000 < Date.now()) {
    result = { ok: false, status: 410, reason: 'expired' };
  } else if (row.usedAt) {
    result = { ok: false, status: 410, reason: 'used' };
  } else {
    result = await checkTaskOfLink(deps, token, row);
  }
  if (!result.ok)
    await audit(
      deps.db,
      actor,
      'link.rejected',
      { type: 'ActionToken', id: row?.id, caseId: undefined },
      { reason: result.reason, method },
    );
  return result;
}

/**
 * The right to the data ends with the task: ended, forwarded elsewhere, or its consent withdrawn → 410.
 * The read model decides — except when it says "ended"/"forwarded" while this link is still unspent: an
 * action's transaction (the handoff's local activity) can commit while the Temporal server loses the
 * update itself (restarted before the update was accepted; the link POST answered 503). The workflow
 * then still waits, and only this link's retry (same update id) can carry the action again — so the
 * workflow, the source of truth, is asked. Temporal down → 503 (the link stays usable).
 */
async function checkTaskOfLink(deps: LinkDeps, token: LinkToken, t: LinkRow): Promise<CheckedLink> {
  let { status, taskDepartmentId: departmentId } = t;
  if ((!OPEN_TASK_STATUSES.includes(status) || departmentId !== token.departmentId) && deps.temporal) {
    const live = await liveHandoff(deps.temporal, t.workflowId);
    if (live) ({ status, departmentId } = live);
  }
  if (!OPEN_TASK_STATUSES.includes(status)) return { ok: false, status: 410, reason: 'ended' };
  if (departmentId !== token.departmentId) return { ok: false, status: 410, reason: 'forwarded' };
  if (!t.covered) return { ok: false, status: 410, reason: 'consent' };
  return { ok: true, token, task: { id: t.taskId, stepKey: t.stepKey, workflowId: t.workflowId, caseId: t.caseId } };
}

/** The state of the handoff workflow while it runs; undefined when it has ended (the read model is then right) or is gone. */
async function liveHandoff(temporal: Client, workflowId: string): Promise<HandoffState | undefined> {
  try {
    return await temporal.connection.withDeadline(Date.now() + 5_000, async () => {
      const handle = temporal.workflow.getHandle(workflowId);
      if ((await handle.describe()).status.name !== 'RUNNING') return undefined;
      return handle.query(handoffStateQuery);
    });
  } catch (err) {
    if (isTemporalDown(err)) throw unavailable('Der Prozess-Server (Temporal)');
    if ((err as Error).name === 'WorkflowNotFoundError') return undefined;
    throw err;
  }
}

/** The task of a valid link with case and person (the recipient's department has a consent), audited as read. */
export async function linkTask(deps: LinkDeps, actor: Actor, token: LinkToken) {
  const t = await deps.db.task.findUniqueOrThrow({
    where: { id: token.taskId },
    include: {
      case: { select: { reference: true, person: { select: { firstName: true, lastName: true, birthDate: true } } } },
      department: true,
    },
  });
  const departments = await listDepartments(deps.db, { except: t.departmentId });
  await audit(deps.db, actor, 'task.read', { type: 'Task', id: t.id, caseId: t.caseId }, { recipient: token.recipient });
  return { task: t, departments };
}

/** Single use: the link is spent once its action took effect. */
export async function spendLink(db: Db, tokenId: string) {
  await sql(db, Prisma.sql`UPDATE "ActionToken" SET "usedAt" = ${new Date()} WHERE "id" = ${tokenId} AND "usedAt" IS NULL`);
}

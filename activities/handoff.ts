// The handoff workflow's one side effect: record an event. In ONE database transaction it updates the
// task's read model, appends the event, writes the e-mails into the outbox (with fresh single-use
// action links) and the audit entry. Idempotent per (task, seq): a retried activity changes nothing.
import { sql, type Db } from '../core/db/client';
import { Prisma } from '../core/db/generated/client';
import { HANDOFF_STEPS, type HandoffActor, type HandoffState } from '../core/domain/handoff';
import { newNonce, signLink, type LinkKey } from '../core/links';
import { CONSENT_WITHDRAWN_REASON } from '../core/consent';
import { releasePlaceOnShelterRelease } from './shelter-release';
import { CONSENT_WITHDRAWN_LINES, taskMails, type MailContent, type TaskMailParams } from '../core/mail/templates';

export interface HandoffActivityDeps {
  db: Db;
  publicUrl: string;
  linkKeys: LinkKey[];
  linkTtlDays: number;
}

export interface RecordTaskInput {
  taskId: string;
  seq: number;
  event: string;
  actor: HandoffActor | { kind: 'system' };
  details?: Record<string, unknown>;
  state: HandoffState;
}

const ACTION_LABELS: Record<string, string> = {
  accept: 'Eingang bestätigen (annehmen)',
  complete: 'Erledigen und Ergebnis melden',
  decline: 'Ablehnen (mit Begründung)',
  forward: 'An andere Stelle weiterleiten',
};

type Tx = Prisma.TransactionClient;

/**
 * The event, the task's read model (and the waiting chain's deadline), and the audit entry in ONE
 * statement; the task (with what the mails need) comes back — nothing when this (task, seq) was
 * recorded before (a retried activity changes nothing).
 */
async function recordEvent(q: Pick<Db, '$queryRaw'>, input: RecordTaskInput): Promise<RecordedTask | undefined> {
  const { taskId, seq, event, actor, state } = input;
  const now = new Date();
  const actorLabel = actor.kind === 'user' ? `user:${actor.userId}` : actor.kind === 'link' ? `link:${actor.recipient}` : 'system';
  const actorId = actor.kind === 'user' ? (actor.userId ?? null) : null;
  const actorRole = actor.kind === 'link' ? 'link' : actor.kind === 'user' ? 'user' : 'system';
  const details = input.details == null ? null : JSON.stringify(input.details);
  const data = state.data === undefined || state.data === null ? null : JSON.stringify(state.data);
  const auditDetails = JSON.stringify({
    seq,
    department: state.departmentId,
    ...(actor.kind === 'link' ? { recipient: actor.recipient } : {}),
  });
  const ended = ['completed', 'declined', 'cancelled'].includes(event);
  const open = !['completed', 'declined', 'cancelled'].includes(state.status);
  const due = state.status === 'accepted' ? state.dueAt : state.ackDueAt;
  // (parallel branches: the process row only when this handoff is its current step; a chain record shows the others.
  // A forward moves the handoff: its new department joins the chain's departments — the department filter)
  const rows = await sql<RecordedRow>(
    q,
    Prisma.sql`
    WITH ev AS (
      INSERT INTO "TaskEvent" ("taskId", "seq", "event", "actorId", "actor", "details", "at")
      VALUES (${taskId}, ${seq}, ${event}, ${actorId}, ${actorLabel}, ${details}::jsonb, ${now})
      ON CONFLICT DO NOTHING
      RETURNING "taskId"
    ), t AS (
      UPDATE "Task" SET
        "status" = ${state.status}::"TaskStatus",
        "departmentId" = ${state.departmentId},
        "ackDueAt" = ${state.ackDueAt ? new Date(state.ackDueAt) : null},
        "dueAt" = ${state.dueAt ? new Date(state.dueAt) : null},
        "overdue" = ${state.overdue},
        "reminders" = ${state.reminders},
        "escalated" = ${state.escalated},
        "outcome" = ${state.outcome ?? null},
        "data" = COALESCE(${data}::jsonb, "data"),
        "reason" = ${state.reason ?? null},
        "acceptedAt" = CASE WHEN ${event === 'accepted'} THEN ${now} ELSE "acceptedAt" END,
        "completedAt" = CASE WHEN ${ended} THEN ${now} ELSE "completedAt" END,
        "updatedAt" = ${now}
      FROM ev WHERE "Task"."id" = ev."taskId"
      RETURNING "Task"."id", "Task"."caseId", "Task"."processId", "Task"."stepKey", "Task"."title"
    ), p AS (
      UPDATE "Process" SET "overdue" = ${state.overdue}, "dueAt" = ${due ? new Date(due) : null},
        "currentDepartment" = ${state.departmentId}, "updatedAt" = ${now},
        "departments" = CASE WHEN ${state.departmentId} = ANY ("Process"."departments") THEN "Process"."departments"
          ELSE array_append("Process"."departments", ${state.departmentId}::text) END
      FROM t
      WHERE ${open} AND "Process"."id" = t."processId" AND "Process"."currentStatus" = 'handoff'
        AND "Process"."currentStep" = (
          SELECT s."key" FROM "ProcessStep" s
          WHERE s."processId" = t."processId" AND s."taskId" = t."id" AND s."completedAt" IS NULL
          ORDER BY s."seq" LIMIT 1)
    ), a AS (
      INSERT INTO "AuditEvent" ("actorId", "actorRole", "action", "entityType", "entityId", "caseId", "details", "at")
      SELECT ${actorId}, ${actorRole}, ${'task.' + event}, 'Task', t."id", t."caseId", ${auditDetails}::jsonb, ${now} FROM t
    )
    SELECT t."id", t."caseId", t."processId", t."stepKey", t."title", c."reference", c."personId",
      u."email" AS "caseworkerEmail", u."departmentId" AS "caseworkerDepartmentId"
    FROM t JOIN "Case" c ON c."id" = t."caseId" JOIN "User" u ON u."id" = c."caseworkerId"`,
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    id: r.id,
    caseId: r.caseId,
    processId: r.processId,
    stepKey: r.stepKey,
    title: r.title,
    case: {
      reference: r.reference,
      personId: r.personId,
      caseworker: { email: r.caseworkerEmail, departmentId: r.caseworkerDepartmentId },
    },
  };
}

interface RecordedRow {
  id: string;
  caseId: string;
  processId: string | null;
  stepKey: string;
  title: string;
  reference: string;
  personId: string;
  caseworkerEmail: string;
  caseworkerDepartmentId: string | null;
}
interface RecordedTask {
  id: string;
  caseId: string;
  processId: string | null;
  stepKey: string;
  title: string;
  case: { reference: string; personId: string; caseworker: { email: string; departmentId: string | null } };
}

export function createHandoffActivities({ db, publicUrl, linkKeys, linkTtlDays }: HandoffActivityDeps) {
  async function links(tx: Tx, taskId: string, departmentId: string, recipient: string, actions: string[]) {
    const expiresAt = new Date(Date.now() + linkTtlDays * 86_400_000);
    const out: Array<{ label: string; href: string }> = [];
    for (const action of actions) {
      const nonce = newNonce();
      await tx.actionToken.create({ data: { id: nonce, taskId, action, recipient, departmentId, expiresAt } });
      out.push({
        label: ACTION_LABELS[action] ?? action,
        href: `${publicUrl}/t/${signLink(linkKeys, { nonce, taskId, action, recipient, expiresAt })}`,
      });
    }
    return out;
  }

  async function queue(tx: Tx, key: string, to: string[], caseId: string, mail: MailContent) {
    const recipients = [...new Set(to.filter(Boolean).map((t) => t.toLowerCase()))];
    if (!recipients.length) return;
    await tx.mail.create({ data: { idempotencyKey: key, to: recipients, caseId, ...mail } });
  }

  return {
    async recordTask(input: RecordTaskInput): Promise<'recorded' | 'duplicate'> {
      const { taskId, seq, event, state } = input;
      // an acceptance mails nobody: its one statement is its transaction (one round-trip, bench:handoffs P2)
      if (event === 'accepted') return (await recordEvent(db, input)) ? 'recorded' : 'duplicate';
      return db.$transaction(
        async (tx) => {
          const task = await recordEvent(tx, input);
          if (!task) return 'duplicate';
          const stepTitle = HANDOFF_STEPS[task.stepKey]?.title ?? task.title;
          const base = { reference: task.case.reference, stepTitle };
          const taskPage = { label: 'Aufgabe in KIM Flow öffnen', href: `${publicUrl}/aufgaben/${taskId}` };
          const casePage = { label: 'Fall öffnen', href: `${publicUrl}/faelle/${task.caseId}` };
          const key = (to: string) => `task:${taskId}:${seq}:${to}`;
          // the department (mailbox, members) only for the events that mail it: accept/complete/decline skip the reads
          const mailsDepartment = ['notified', 'forwarded', 'reminder', 'escalation', 'cancelled'].includes(event);
          const department = mailsDepartment ? await tx.department.findUniqueOrThrow({ where: { id: state.departmentId } }) : undefined;
          const mailbox = department?.email ?? '';
          const members =
            department?.notifyMembers && (event === 'notified' || event === 'forwarded')
              ? (
                  await tx.user.findMany({
                    where: { departmentId: department.id, role: 'department_member', active: true },
                    select: { email: true },
                  })
                ).map((u) => u.email)
              : [];
          const p = (x: Partial<TaskMailParams>): TaskMailParams => ({ ...base, links: [], ...x });

          switch (event) {
            case 'notified':
            case 'forwarded':
              // each recipient gets links of their own (a link is bound to its recipient)
              for (const to of [mailbox, ...members.filter((m) => m !== mailbox)]) {
                const l = await links(tx, taskId, state.departmentId, to, ['accept', 'complete', 'decline', 'forward']);
                await queue(
                  tx,
                  key(to),
                  [to],
                  task.caseId,
                  taskMails.notify(p({ due: state.ackDueAt ? new Date(state.ackDueAt) : undefined, links: [...l, taskPage] })),
                );
              }
              break;
            case 'reminder': {
              const actions = state.status === 'accepted' ? ['complete', 'decline'] : ['accept', 'complete', 'decline', 'forward'];
              const l = await links(tx, taskId, state.departmentId, mailbox, actions);
              const due = state.status === 'accepted' ? state.dueAt : state.ackDueAt;
              await queue(
                tx,
                key(mailbox),
                [mailbox],
                task.caseId,
                taskMails.reminder(p({ due: due ? new Date(due) : undefined, links: [...l, taskPage] })),
              );
              break;
            }
            case 'escalation': {
              const supervisors = await tx.user.findMany({
                where: { role: 'supervisor', active: true, departmentId: task.case.caseworker.departmentId ?? '__none__' },
                select: { email: true },
              });
              const to = [department?.leadEmail ?? '', ...supervisors.map((s) => s.email)];
              await queue(tx, key('escalation'), to, task.caseId, taskMails.escalation(p({ links: [taskPage] })));
              break;
            }
            case 'declined':
              await queue(
                tx,
                key(task.case.caseworker.email),
                [task.case.caseworker.email],
                task.caseId,
                taskMails.declined(p({ links: [casePage] })),
              );
              break;
            case 'completed':
              await releasePlaceOnShelterRelease(tx, task, state.outcome);
              await queue(
                tx,
                key(task.case.caseworker.email),
                [task.case.caseworker.email],
                task.caseId,
                taskMails.completed(p({ links: [casePage] })),
              );
              break;
            case 'cancelled':
              await queue(
                tx,
                key(mailbox),
                [mailbox],
                task.caseId,
                taskMails.cancelled(p({ links: [], extra: state.reason === CONSENT_WITHDRAWN_REASON ? CONSENT_WITHDRAWN_LINES : [] })),
              );
              break;
          }
          return 'recorded';
        },
        { timeout: 20_000 },
      );
    },
  };
}

export type HandoffActivities = ReturnType<typeof createHandoffActivities>;

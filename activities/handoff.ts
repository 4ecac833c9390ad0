// The handoff workflow's one side effect: record an event. In ONE database transaction it updates the
// task's read model, appends the event, writes the e-mails into the outbox (with fresh single-use
// action links) and the audit entry. Idempotent per (task, seq): a retried activity changes nothing.
import { audit } from '../core/audit';
import type { Db } from '../core/db/client';
import type { Prisma } from '../core/db/generated/client';
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
      const { taskId, seq, event, actor, state } = input;
      return db.$transaction(
        async (tx) => {
          if (await tx.taskEvent.findUnique({ where: { taskId_seq: { taskId, seq } } })) return 'duplicate';
          const task = await tx.task.findUniqueOrThrow({
            where: { id: taskId },
            include: { case: { include: { caseworker: { select: { email: true, departmentId: true } } } } },
          });
          const department = await tx.department.findUniqueOrThrow({ where: { id: state.departmentId } });
          const now = new Date();
          await tx.task.update({
            where: { id: taskId },
            data: {
              status: state.status,
              departmentId: state.departmentId,
              ackDueAt: state.ackDueAt ? new Date(state.ackDueAt) : null,
              dueAt: state.dueAt ? new Date(state.dueAt) : null,
              overdue: state.overdue,
              reminders: state.reminders,
              escalated: state.escalated,
              outcome: state.outcome ?? null,
              data: (state.data ?? undefined) as Prisma.InputJsonValue | undefined,
              reason: state.reason ?? null,
              ...(event === 'accepted' ? { acceptedAt: now } : {}),
              ...(['completed', 'declined', 'cancelled'].includes(event) ? { completedAt: now } : {}),
            },
          });
          // a chain waiting on this handoff shows its deadline and overdue state (lists, dashboard, CSV)
          if (task.processId && !['completed', 'declined', 'cancelled'].includes(state.status)) {
            const due = state.status === 'accepted' ? state.dueAt : state.ackDueAt;
            // (parallel branches: only when this handoff is the process's first open step; a chain record shows the others)
            const step = await tx.processStep.findFirst({
              where: { processId: task.processId, taskId, completedAt: null },
              select: { key: true },
            });
            if (step)
              await tx.process.updateMany({
                where: { id: task.processId, currentStatus: 'handoff', currentStep: step.key },
                data: { overdue: state.overdue, dueAt: due ? new Date(due) : null, currentDepartment: state.departmentId },
              });
          }
          const actorLabel = actor.kind === 'user' ? `user:${actor.userId}` : actor.kind === 'link' ? `link:${actor.recipient}` : 'system';
          await tx.taskEvent.create({
            data: {
              taskId,
              seq,
              event,
              actorId: actor.kind === 'user' ? (actor.userId ?? null) : null,
              actor: actorLabel,
              details: (input.details ?? undefined) as Prisma.InputJsonValue | undefined,
            },
          });
          await audit(
            tx,
            {
              id: actor.kind === 'user' ? (actor.userId ?? null) : null,
              role: actor.kind === 'link' ? 'link' : actor.kind === 'user' ? 'user' : 'system',
            },
            `task.${event}`,
            { type: 'Task', id: taskId, caseId: task.caseId },
            { seq, department: state.departmentId, ...(actor.kind === 'link' ? { recipient: actor.recipient } : {}) },
          );

          const stepTitle = HANDOFF_STEPS[task.stepKey]?.title ?? task.title;
          const base = { reference: task.case.reference, stepTitle };
          const taskPage = { label: 'Aufgabe in KIM Flow öffnen', href: `${publicUrl}/aufgaben/${taskId}` };
          const casePage = { label: 'Fall öffnen', href: `${publicUrl}/faelle/${task.caseId}` };
          const key = (to: string) => `task:${taskId}:${seq}:${to}`;
          const mailbox = department.email;
          const members = department.notifyMembers
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
                const l = await links(tx, taskId, department.id, to, ['accept', 'complete', 'decline', 'forward']);
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
              const l = await links(tx, taskId, department.id, mailbox, actions);
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
              const to = [department.leadEmail ?? '', ...supervisors.map((s) => s.email)];
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

// Side effects of the chain workflow: the read model (Process, ProcessStep, ProcessEvent) written on
// every transition with its reminder/escalation/review mails in one transaction (idempotent per
// (process, seq)); preparing a handoff (department by rule, deadlines, task row); automatic rules.
import crypto from 'node:crypto';
import { audit } from '../core/audit';
import { consentCovers } from '../core/consent';
import type { Db } from '../core/db/client';
import type { Prisma } from '../core/db/generated/client';
import { resolveDeadlines } from '../core/deadlines';
import { chainDepartments, openSteps } from '../core/domain/chains/state';
import type { ConsentGate, HandoffRequest, HandoffTarget, PreparedHandoff, ProcessRecord, RuleName } from '../core/domain/chains/effects';
import { HANDOFF_STEPS, handoffWorkflowId } from '../core/domain/handoff';
import { chainMails } from '../core/mail/templates';
import { leftStep, openStepRow, stepHistory } from './step-history';
import { recordInOneStatement } from './chain-record';

export interface ChainActivityDeps {
  db: Db;
  publicUrl: string;
}

/** A stable UUID from a name: a retried activity creates the same task, never a second one. */
function uuidFrom(name: string): string {
  const h = crypto.createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Step rows the workflow's state lists as done but the read model still shows open (after a lost run). */
async function closeDoneSteps(tx: Prisma.TransactionClient, processId: string, state: ProcessRecord['state']) {
  for (const d of state.done)
    await tx.processStep.updateMany({
      where: { processId, seq: d.seq, completedAt: null },
      data: { status: d.skipped ? 'skipped' : 'done', outcome: d.outcome, completedAt: new Date(d.completedAt) },
    });
}

export function createChainActivities({ db, publicUrl }: ChainActivityDeps) {
  /** The department a handoff step goes to: fixed, or by the person's benefit type. */
  async function targetDepartment(t: HandoffTarget) {
    const c = await db.case.findUniqueOrThrow({ where: { id: t.caseId }, include: { person: { select: { benefitType: true } } } });
    const departmentId = t.byBenefit?.[c.person.benefitType] ?? t.department;
    if (!departmentId) throw new Error(`Keine Stelle für ${t.stepKey}`);
    return { departmentId, caseworkerId: c.caseworkerId };
  }

  /** The transaction path: transitions that mail or cancel steps, and a record under a seq a lost run used. */
  async function recordInTransaction(input: ProcessRecord): Promise<'recorded' | 'duplicate'> {
    const { processId, seq, event, actor, state } = input;
    return db.$transaction(
      async (tx) => {
        // the steps open now: the current step, or one per parallel branch (the first one is "the" current step)
        const open = openSteps(state);
        const cur = open[0];
        const stepKey = (input.details?.step as string | undefined) ?? cur?.key ?? null;
        const prior = await tx.processEvent.findUnique({ where: { processId_seq: { processId, seq } } });
        if (prior && prior.event === event && prior.step === stepKey) return 'duplicate'; // a retried activity
        // another record under this seq: written by a run of the workflow task the Temporal server then lost
        // (restarted before it stored the task's result). The workflow went on differently from there, so the
        // records from this seq on belong to the lost run: they go, this one counts (issue 17, cluster fault run)
        if (prior) {
          await tx.processEvent.deleteMany({ where: { processId, seq: { gte: seq } } });
          await closeDoneSteps(tx, processId, state);
        }
        const about = open.find((c) => c.key === stepKey) ?? cur;
        const titleOf = (key: string) => input.titles.open?.[key] ?? (key === state.current?.key ? input.titles.current : undefined) ?? key;
        const now = new Date();
        // two records of one chain can be written at the same time (parallel branches): an older one
        // arriving late must not overwrite the newer state
        const stale = Boolean(await tx.processEvent.findFirst({ where: { processId, seq: { gt: seq } }, select: { id: true } }));
        // while a handoff holds the step, its deadline and overdue state come from the task
        const task = cur?.phase === 'handoff' && cur.taskId ? await tx.task.findUnique({ where: { id: cur.taskId } }) : null;
        const taskDue = task ? (task.status === 'accepted' ? task.dueAt : task.ackDueAt) : null;
        // chain.started comes before the first step is entered: the step the start wrote stays
        const keepCurrent = event === 'chain.started' && !cur;
        const otherTaskIds = open.filter((c) => c.phase === 'handoff' && c.taskId && c !== cur).map((c) => c.taskId!);
        // (no other handoff open — the common case: no round-trip for an empty list; bench:chains P1)
        const openTasks = otherTaskIds.length
          ? await tx.task.findMany({ where: { id: { in: otherTaskIds } }, select: { overdue: true } })
          : [];
        const anyOverdue = openTasks.some((t) => t.overdue) || open.some((c) => c !== cur && c.phase !== 'handoff' && c.overdue);
        const process = await tx.process.update({
          where: { id: processId },
          data: stale
            ? {}
            : {
                status: state.status,
                reason: state.reason ?? null,
                assigneeId: state.assigneeId,
                ...(keepCurrent
                  ? {}
                  : {
                      currentStep: cur?.key ?? null,
                      currentTitle: cur ? titleOf(cur.key) : null,
                      currentDepartment: cur?.phase === 'handoff' ? (cur.department ?? null) : null,
                      departments: chainDepartments(state), // issue 17 P3: the department filter's column
                      currentStatus: cur?.phase ?? null,
                      dueAt: cur?.dueAt
                        ? new Date(cur.dueAt)
                        : (taskDue ?? (cur?.activeFrom && cur.phase === 'waiting' ? new Date(cur.activeFrom) : null)),
                      overdue: (task ? task.overdue : (cur?.overdue ?? false)) || anyOverdue,
                    }),
                completedAt: state.status === 'completed' || state.status === 'cancelled' ? now : null,
                endCode: state.endCode ?? null,
              },
          include: { case: { select: { reference: true, departmentId: true } } },
        });
        for (const c of stale ? [] : open) {
          const taskDueAt = c === cur ? (task?.dueAt ?? null) : null;
          const history = await stepHistory(tx, processId, c, taskDueAt, process.type, process.case.departmentId, now);
          const { seq, key, title, ...changing } = openStepRow(c, titleOf);
          await tx.processStep.upsert({
            where: { processId_seq: { processId, seq } },
            create: { processId, seq, key, title, ...changing, ...history },
            update: { ...changing, ...history },
          });
        }
        // a fork step stays open ("forked") while its branches run
        if (state.fork && !stale) {
          const f = state.fork;
          await tx.processStep.upsert({
            where: { processId_seq: { processId, seq: f.seq } },
            create: { processId, seq: f.seq, key: f.key, title: titleOf(f.key), status: 'forked' },
            update: {},
          });
        }
        if (event === 'step.cancelled' && typeof input.details?.seq === 'number') {
          await tx.processStep.updateMany({
            where: { processId, seq: input.details.seq, completedAt: null },
            data: { status: 'cancelled', completedAt: now },
          });
        }
        if (event === 'step.completed' || event === 'step.skipped') {
          const done = state.done[state.done.length - 1];
          const left = await leftStep(tx, processId, done.seq, process.type, process.case.departmentId, now);
          await tx.processStep.upsert({
            where: { processId_seq: { processId, seq: done.seq } },
            create: {
              processId,
              seq: done.seq,
              key: done.key,
              title: input.titles.step ?? done.key,
              status: event === 'step.skipped' ? 'skipped' : 'done',
              outcome: done.outcome,
              completedAt: now,
              data: (input.stepData ?? undefined) as Prisma.InputJsonValue | undefined,
              ...left,
            },
            update: {
              status: event === 'step.skipped' ? 'skipped' : 'done',
              outcome: done.outcome,
              completedAt: now,
              data: (input.stepData ?? undefined) as Prisma.InputJsonValue | undefined,
              ...left,
            },
          });
        }
        if (event === 'chain.cancelled') {
          await tx.processStep.updateMany({ where: { processId, completedAt: null }, data: { status: 'cancelled', completedAt: now } });
        }
        const actorLabel = actor.kind === 'user' ? `user:${actor.userId}` : actor.role === 'department' ? 'department' : 'system';
        await tx.processEvent.create({
          data: {
            processId,
            seq,
            event,
            actor: actorLabel,
            step: stepKey,
            details: (input.details ?? undefined) as Prisma.InputJsonValue | undefined,
          },
        });
        await audit(
          tx,
          { id: actor.kind === 'user' ? (actor.userId ?? null) : null, role: actor.kind === 'user' ? (actor.role ?? 'user') : 'system' },
          `process.${event}`,
          { type: 'Process', id: processId, caseId: state.caseId },
          { seq, step: stepKey },
        );

        // mails to the caseworker (reminders) and to supervisors (escalation, review)
        if (['step.reminder', 'step.escalation', 'step.review'].includes(event) && about) {
          const assignee = await tx.user.findUnique({ where: { id: state.assigneeId ?? '' }, select: { email: true } });
          const supervisors = await tx.user.findMany({
            where: { role: 'supervisor', active: true, departmentId: process.case.departmentId ?? '__none__' },
            select: { email: true },
          });
          const link = `${publicUrl}/faelle/${state.caseId}`;
          const p = {
            reference: process.case.reference,
            stepTitle: titleOf(about.key),
            due: about.dueAt ? new Date(about.dueAt) : undefined,
            links: [{ label: 'Fall öffnen', href: link }],
          };
          const to =
            event === 'step.reminder'
              ? [assignee?.email ?? '']
              : event === 'step.escalation'
                ? [assignee?.email ?? '', ...supervisors.map((s) => s.email)]
                : supervisors.map((s) => s.email);
          const content =
            event === 'step.reminder'
              ? chainMails.reminder(p)
              : event === 'step.escalation'
                ? chainMails.escalation(p)
                : chainMails.review(p);
          const recipients = [...new Set(to.filter(Boolean))];
          if (recipients.length)
            await tx.mail.create({
              data: { idempotencyKey: `process:${processId}:${seq}`, to: recipients, caseId: state.caseId, ...content },
            });
        }
        return 'recorded';
      },
      { timeout: 20_000 },
    );
  }

  /** One transition: the common ones in one statement (chain-record.ts); the rest in one transaction. */
  async function recordProcess(input: ProcessRecord): Promise<'recorded' | 'duplicate'> {
    return (await recordInOneStatement(db, input)) ?? recordInTransaction(input);
  }

  return {
    recordProcess,

    /**
     * The records of one piece of engine work, in their order, as one local activity (workflows/chain.ts:
     * a chain start or a step change is one local activity instead of two or three). Each record is
     * idempotent per (process, seq): a retry writes again only what did not land.
     */
    async recordProcesses(inputs: ProcessRecord[]): Promise<void> {
      for (const input of inputs) await recordProcess(input);
    },

    async prepareHandoff(input: HandoffRequest): Promise<PreparedHandoff> {
      const { departmentId, caseworkerId } = await targetDepartment(input);
      const { ackDays, completeDays } = await resolveDeadlines(db, departmentId, input.handoffStep);
      const taskId = uuidFrom(`${input.processId}:${input.stepKey}:${input.instance}`);
      await db.task.upsert({
        where: { id: taskId },
        create: {
          id: taskId,
          caseId: input.caseId,
          processId: input.processId,
          stepKey: input.handoffStep,
          title: HANDOFF_STEPS[input.handoffStep]?.title ?? input.stepKey,
          departmentId,
          workflowId: handoffWorkflowId(taskId),
          createdById: input.createdById ?? caseworkerId,
        },
        update: {},
      });
      // the caseworker's messages written before the step was handed over go with this handoff (issue 14)
      await db.handoffMessage.updateMany({ where: { processId: input.processId, stepKey: input.stepKey, taskId: null }, data: { taskId } });
      return { taskId, departmentId, ackDays, completeDays };
    },

    /** Does a valid consent of the case cover the step's department? (core/consent.ts) */
    async checkConsent(input: HandoffTarget): Promise<ConsentGate> {
      const { departmentId } = await targetDepartment(input);
      return { departmentId, covered: await consentCovers(db, input.caseId, departmentId) };
    },

    async evaluateRule({ caseId, rule }: { caseId: string; rule: RuleName }): Promise<string> {
      const c = await db.case.findUniqueOrThrow({ where: { id: caseId }, include: { person: { select: { birthDate: true } } } });
      if (rule === 'hasChildren') {
        // a child under 18 in the person's household (case file: household members, issue 13)
        const adultsBorn = new Date();
        adultsBorn.setUTCFullYear(adultsBorn.getUTCFullYear() - 18);
        const children = await db.householdMember.count({
          where: { person: { cases: { some: { id: caseId } } }, relationship: 'child', removedAt: null, birthDate: { gt: adultsBorn } },
        });
        return children > 0 ? 'yes' : 'no';
      }
      if (rule === 'isMinor') {
        const b = c.person.birthDate;
        if (!b) return 'no';
        const adult = new Date(b);
        adult.setUTCFullYear(adult.getUTCFullYear() + 18);
        return adult > new Date() ? 'yes' : 'no';
      }
      return 'no';
    },
  };
}

export type ChainActivities = ReturnType<typeof createChainActivities>;

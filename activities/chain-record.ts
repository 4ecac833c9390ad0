// The chain record (activities/chain.ts recordProcess) as ONE SQL statement for the common transitions
// (issue 17, P1: it ran ≈2.7 times per chain start on the worker, ≈11 statements each, beside the API on the
// same cores). Like the handoff record (activities/handoff.ts): the event insert is the idempotency key —
// ON CONFLICT (process, seq) DO NOTHING, and every other write reads from it, so a retried activity writes
// nothing twice. What the transaction path read first (a newer record there? the current handoff's task,
// the other open handoffs' overdue, the stored step rows' activeAt) is read inside the statement; the
// working days are counted in SQL (kim_working_days, migration 20261130200000_working_days_sql).
// Transitions that mail (reminder, escalation, review), cancel steps, or find another record under their
// seq (a lost run) keep the transaction path in chain.ts — `undefined` sends them there.
import crypto from 'node:crypto';
import { sql, type Db } from '../core/db/client';
import { Prisma } from '../core/db/generated/client';
import type { ProcessRecord } from '../core/domain/chains/effects';
import { chainDepartments, openSteps } from '../core/domain/chains/state';
import { ACTIVE_PHASES, openStepRow } from './step-history';

/** events the one statement does not write: they mail, or close steps the open-step writes may also touch */
const TRANSACTION_EVENTS = new Set(['step.reminder', 'step.escalation', 'step.review', 'step.cancelled', 'chain.cancelled']);

const iso = (d: string | Date | null | undefined) => (d == null ? null : new Date(d).toISOString());

/**
 * 'recorded' / 'duplicate' (this (process, seq) was written before with the same event and step), or
 * undefined: not for this path (a transaction-path event, or another record under this seq) — nothing written.
 */
export async function recordInOneStatement(db: Db, input: ProcessRecord): Promise<'recorded' | 'duplicate' | undefined> {
  const { processId, seq, event, actor, state } = input;
  if (TRANSACTION_EVENTS.has(event)) return undefined;
  const open = openSteps(state);
  const cur = open[0];
  const stepKey = (input.details?.step as string | undefined) ?? cur?.key ?? null;
  const left = event === 'step.completed' || event === 'step.skipped' ? state.done[state.done.length - 1] : undefined;
  // each step row is written by one part of the statement only (PostgreSQL cannot change a row twice in one)
  const seqs = [...open.map((c) => c.seq), ...(state.fork ? [state.fork.seq] : []), ...(left ? [left.seq] : [])];
  if (new Set(seqs).size !== seqs.length) return undefined;

  const now = new Date().toISOString();
  const titleOf = (key: string) => input.titles.open?.[key] ?? (key === state.current?.key ? input.titles.current : undefined) ?? key;
  // chain.started comes before the first step is entered: the step the start wrote stays
  const keepCurrent = event === 'chain.started' && !cur;
  const curTaskId = cur?.phase === 'handoff' && cur.taskId ? cur.taskId : null;
  const otherTaskIds = open.filter((c) => c.phase === 'handoff' && c.taskId && c !== cur).map((c) => c.taskId!);
  const othersOverdue = open.some((c) => c !== cur && c.phase !== 'handoff' && c.overdue);
  const waitingFrom = cur?.activeFrom && cur.phase === 'waiting' ? iso(cur.activeFrom) : null;
  const ended = state.status === 'completed' || state.status === 'cancelled';
  const openRows = JSON.stringify(
    open.map((c) => ({
      id: crypto.randomUUID(),
      ...openStepRow(c, titleOf), // (dates as JSON: ISO strings, UTC)
      active: ACTIVE_PHASES.has(c.phase),
      current: c === cur,
    })),
  );
  const fork = state.fork;
  const actorLabel = actor.kind === 'user' ? `user:${actor.userId}` : actor.role === 'department' ? 'department' : 'system';
  const actorId = actor.kind === 'user' ? (actor.userId ?? null) : null;
  const actorRole = actor.kind === 'user' ? (actor.role ?? 'user') : 'system';
  const details = input.details == null ? null : JSON.stringify(input.details);
  const stepData = input.stepData == null ? null : JSON.stringify(input.stepData);

  const rows = await sql<{ recorded: number }>(
    db,
    Prisma.sql`
    WITH ev AS (
      INSERT INTO "ProcessEvent" ("processId", "seq", "event", "actor", "step", "details")
      VALUES (${processId}, ${seq}, ${event}, ${actorLabel}, ${stepKey}, ${details}::jsonb)
      ON CONFLICT ("processId", "seq") DO NOTHING
      RETURNING "processId"
    ), ctx AS (
      -- what the writes read: a newer record of this chain (parallel branches: an older record arriving late
      -- leaves the process row and the open steps as the newer one wrote them), the chain type and the case's
      -- team, the current step's handoff task (its deadline and overdue), any other open handoff overdue
      SELECT p."type", c."departmentId" AS "caseDepartment",
        EXISTS (SELECT 1 FROM "ProcessEvent" e WHERE e."processId" = p."id" AND e."seq" > ${seq}) AS "stale",
        t."id" IS NOT NULL AS "hasTask", t."overdue" AS "taskOverdue", t."dueAt" AS "taskDueAt",
        CASE WHEN t."status" = 'accepted' THEN t."dueAt" ELSE t."ackDueAt" END AS "taskDue",
        EXISTS (SELECT 1 FROM "Task" ot WHERE ot."id" = ANY (${otherTaskIds}::text[]) AND ot."overdue") AS "otherTaskOverdue"
      FROM ev JOIN "Process" p ON p."id" = ev."processId" JOIN "Case" c ON c."id" = p."caseId"
      LEFT JOIN "Task" t ON t."id" = ${curTaskId}
    ), o AS (
      -- the steps open now: the current step, or one per parallel branch
      SELECT x.*, x."dueAt" AT TIME ZONE 'UTC' AS "due", x."heldAt" AT TIME ZONE 'UTC' AS "held",
        CASE WHEN x."active" THEN ${now}::timestamptz AT TIME ZONE 'UTC' END AS "activeNow",
        COALESCE(x."dueAt" AT TIME ZONE 'UTC', CASE WHEN x."current" THEN ctx."taskDueAt" END) AS "deadlineAt",
        ctx."type" AS "chainType", COALESCE(x."department", ctx."caseDepartment") AS "holderDepartment"
      FROM ctx CROSS JOIN jsonb_to_recordset(${openRows}::jsonb) AS x("id" text, "seq" int, "key" text, "title" text,
        "status" text, "department" text, "taskId" text, "dueAt" timestamptz, "heldAt" timestamptz, "active" boolean, "current" boolean)
      WHERE NOT ctx."stale"
    ), proc AS (
      -- the process row; "departments": every department holding an open step (the department filter, P3)
      UPDATE "Process" SET
        "status" = ${state.status}::"ProcessStatus",
        "reason" = ${state.reason ?? null},
        "assigneeId" = COALESCE(${state.assigneeId ?? null}, "Process"."assigneeId"),
        "currentStep" = CASE WHEN ${keepCurrent} THEN "Process"."currentStep" ELSE ${cur?.key ?? null} END,
        "currentTitle" = CASE WHEN ${keepCurrent} THEN "Process"."currentTitle" ELSE ${cur ? titleOf(cur.key) : null} END,
        "currentDepartment" = CASE WHEN ${keepCurrent} THEN "Process"."currentDepartment"
          ELSE ${cur?.phase === 'handoff' ? (cur.department ?? null) : null} END,
        "departments" = CASE WHEN ${keepCurrent} THEN "Process"."departments" ELSE ${chainDepartments(state)}::text[] END,
        "currentStatus" = CASE WHEN ${keepCurrent} THEN "Process"."currentStatus" ELSE ${cur?.phase ?? null} END,
        "dueAt" = CASE WHEN ${keepCurrent} THEN "Process"."dueAt"
          ELSE COALESCE(${iso(cur?.dueAt)}::timestamptz AT TIME ZONE 'UTC', ctx."taskDue", ${waitingFrom}::timestamptz AT TIME ZONE 'UTC') END,
        "overdue" = CASE WHEN ${keepCurrent} THEN "Process"."overdue"
          ELSE (CASE WHEN ctx."hasTask" THEN ctx."taskOverdue" ELSE ${cur?.overdue ?? false} END) OR ctx."otherTaskOverdue" OR ${othersOverdue} END,
        "completedAt" = ${ended ? now : null}::timestamptz AT TIME ZONE 'UTC',
        "endCode" = ${state.endCode ?? null},
        "updatedAt" = ${now}::timestamptz AT TIME ZONE 'UTC'
      FROM ctx
      WHERE "Process"."id" = ${processId} AND NOT ctx."stale"
    ), steps AS (
      -- activeAt is set once, when the step first is active; deadlineDays count from it (step-history.ts)
      INSERT INTO "ProcessStep" ("id", "processId", "seq", "key", "title", "status", "department", "taskId", "dueAt", "heldAt",
        "chainType", "activeAt", "holderDepartment", "deadlineAt", "deadlineDays")
      SELECT o."id", ${processId}, o."seq", o."key", o."title", o."status", o."department", o."taskId", o."due", o."held",
        o."chainType", o."activeNow", o."holderDepartment", o."deadlineAt", kim_working_days(o."activeNow", o."deadlineAt")
      FROM o
      ON CONFLICT ("processId", "seq") DO UPDATE SET
        "status" = EXCLUDED."status", "department" = EXCLUDED."department", "taskId" = EXCLUDED."taskId",
        "dueAt" = EXCLUDED."dueAt", "heldAt" = EXCLUDED."heldAt", "chainType" = EXCLUDED."chainType",
        "activeAt" = COALESCE("ProcessStep"."activeAt", EXCLUDED."activeAt"),
        "holderDepartment" = EXCLUDED."holderDepartment", "deadlineAt" = EXCLUDED."deadlineAt",
        "deadlineDays" = kim_working_days(COALESCE("ProcessStep"."activeAt", EXCLUDED."activeAt"), EXCLUDED."deadlineAt")
    ), forked AS (
      -- a fork step stays open ("forked") while its branches run
      INSERT INTO "ProcessStep" ("id", "processId", "seq", "key", "title", "status")
      SELECT ${crypto.randomUUID()}, ${processId}, ${fork?.seq ?? 0}, ${fork?.key ?? ''}, ${fork ? titleOf(fork.key) : ''}, 'forked'
      FROM ctx WHERE ${Boolean(fork)} AND NOT ctx."stale"
      ON CONFLICT ("processId", "seq") DO NOTHING
    ), leaving AS (
      -- the step done or skipped: its outcome and the working days it took (from activeAt, else its start)
      INSERT INTO "ProcessStep" ("id", "processId", "seq", "key", "title", "status", "outcome", "completedAt", "data",
        "chainType", "activeAt", "holderDepartment", "workingDays")
      SELECT ${crypto.randomUUID()}, ${processId}, ${left?.seq ?? 0}, ${left?.key ?? ''}, ${input.titles.step ?? left?.key ?? ''},
        ${event === 'step.skipped' ? 'skipped' : 'done'}, ${left?.outcome ?? null}, ${now}::timestamptz AT TIME ZONE 'UTC', ${stepData}::jsonb,
        ctx."type", ${now}::timestamptz AT TIME ZONE 'UTC', ctx."caseDepartment", 0
      FROM ctx WHERE ${Boolean(left)}
      ON CONFLICT ("processId", "seq") DO UPDATE SET
        "status" = EXCLUDED."status", "outcome" = EXCLUDED."outcome", "completedAt" = EXCLUDED."completedAt",
        "data" = COALESCE(EXCLUDED."data", "ProcessStep"."data"), "chainType" = EXCLUDED."chainType",
        "activeAt" = COALESCE("ProcessStep"."activeAt", "ProcessStep"."startedAt", EXCLUDED."activeAt"),
        "holderDepartment" = COALESCE("ProcessStep"."department", EXCLUDED."holderDepartment"),
        "workingDays" = kim_working_days(COALESCE("ProcessStep"."activeAt", "ProcessStep"."startedAt", EXCLUDED."activeAt"), EXCLUDED."completedAt")
    ), audited AS (
      INSERT INTO "AuditEvent" ("actorId", "actorRole", "action", "entityType", "entityId", "caseId", "details")
      SELECT ${actorId}, ${actorRole}, ${`process.${event}`}, 'Process', ${processId}, ${state.caseId}, ${JSON.stringify({ seq, step: stepKey })}::jsonb
      FROM ev
    )
    SELECT count(*)::int AS "recorded" FROM ev`,
  );
  if (rows[0]?.recorded) return 'recorded';
  // nothing written: this seq was recorded before — by this very record (a retried activity), or by a lost run
  const prior = await db.processEvent.findUnique({ where: { processId_seq: { processId, seq } }, select: { event: true, step: true } });
  return prior && prior.event === event && prior.step === stepKey ? 'duplicate' : undefined;
}

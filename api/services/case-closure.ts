// Closing and reopening a case (issue 13). A case closes only when no chain of it runs — or, confirmed
// in the same request (`cancelChains: true`), after its running chains are cancelled. A closed case
// reopens: its workflow (completed at the closing) starts a new run with the same id, and the change
// is kept with its reason and audited. Closure reasons are counted for the dashboard.
import { WorkflowIdReusePolicy } from '@temporalio/client';
import { audit, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import { Prisma } from '../../core/db/generated/client';
import { caseWorkflowId } from '../../core/domain/case-state';
import { CLOSURE_CODES, type CaseStatusInput } from '../../core/domain/records';
import { KimCaseId, KimKind, KimStatus } from '../../core/domain/search-attributes';
import { caseWorkflow } from '../../workflows/case';
import { cancelUpdate } from '../../workflows/chain';
import type { AuthUser } from '../auth';
import { conflict } from '../errors';
import type { CaseDeps } from './cases';
import { callUpdate } from './workflow-calls';

const TX = { timeout: 20_000, maxWait: 5_000 };
export const CLOSURE_CANCEL_REASON = 'Fall abgeschlossen';

export function runningChainsOf(db: Db, caseId: string) {
  return db.process.findMany({
    where: { caseId, status: { in: ['running', 'on_hold'] } },
    select: { id: true, type: true, workflowId: true },
  });
}

/**
 * Before a closing: running chains refuse it (409 naming them) unless the request confirms their
 * cancellation; then they are cancelled first, each through its workflow (audited there).
 */
export async function prepareClosing(deps: CaseDeps, user: AuthUser, caseId: string, input: CaseStatusInput) {
  if (input.status !== 'closed') return;
  const running = await runningChainsOf(deps.db, caseId);
  if (!running.length) return;
  if (!input.cancelChains)
    throw conflict(
      `Der Fall kann nicht abgeschlossen werden: ${running.length === 1 ? 'eine Kette läuft' : `${running.length} Ketten laufen`} noch. ` +
        'Bitte die Ketten zuerst abbrechen oder beim Abschließen bestätigen, dass sie abgebrochen werden (cancelChains).',
      { processIds: running.map((p) => p.id) },
    );
  for (const p of running)
    await callUpdate(() =>
      deps.temporal.workflow.getHandle(p.workflowId).executeUpdate(cancelUpdate, {
        args: [{ reason: CLOSURE_CANCEL_REASON, actor: { kind: 'user', userId: user.id, role: user.role } }],
        updateId: `closure:${p.id}`,
      }),
    );
}

/** A closed case opens again (status open / in_progress / on_hold): new workflow run, change kept, audited. */
export async function reopenCase(
  deps: CaseDeps,
  user: AuthUser,
  actor: Actor,
  c: { id: string; topic: 'housing' | 'education_work' | 'health' },
  input: CaseStatusInput,
) {
  await deps.db.$transaction(async (tx) => {
    const r = await tx.case.updateMany({ where: { id: c.id, status: 'closed' }, data: { status: input.status, closedAt: null } });
    if (r.count === 0) throw conflict('Der Fall ist nicht (mehr) abgeschlossen.');
    const change = await tx.caseStatusChange.create({
      data: { caseId: c.id, fromStatus: 'closed', toStatus: input.status, reason: input.reason ?? null, changedById: user.id },
    });
    await audit(
      tx,
      actor,
      'case.reopen',
      { type: 'Case', id: c.id, caseId: c.id },
      { to: input.status, change: change.id, reason: Boolean(input.reason) },
    );
    await deps.temporal.workflow.start(caseWorkflow, {
      workflowId: caseWorkflowId(c.id),
      taskQueue: deps.taskQueue,
      args: [{ caseId: c.id, topic: c.topic, status: input.status }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      typedSearchAttributes: [
        { key: KimCaseId, value: c.id },
        { key: KimKind, value: 'case' },
        { key: KimStatus, value: input.status },
      ],
    });
  }, TX);
  return { status: input.status };
}

/** Closed cases by closure code (the latest closing of each case that is closed now), in the user's scope. */
export async function closureReasonCounts(db: Db, scope: Prisma.Sql) {
  const rows = await db.$queryRaw<Array<{ code: string | null; n: bigint }>>`
    SELECT x."closureCode" AS code, count(*) AS n FROM "Case" c
    JOIN LATERAL (SELECT ch."closureCode" FROM "CaseStatusChange" ch WHERE ch."caseId" = c."id" AND ch."toStatus" = 'closed'
                  ORDER BY ch."changedAt" DESC, ch."id" DESC LIMIT 1) x ON TRUE
    WHERE c."status" = 'closed' AND ${scope} GROUP BY x."closureCode"`;
  const count = (code: string | null) => Number(rows.find((r) => r.code === code)?.n ?? 0);
  return [...CLOSURE_CODES.map((code) => ({ code, count: count(code) })), { code: 'none' as const, count: count(null) }];
}

// Reconciliation of the read model with the workflows (Temporal is the source of truth): for every
// running / on-hold Process row, the chain workflow's live state (chainStateQuery) — or, if the
// workflow has ended, its result — is compared with the row, and differing fields are repaired and
// audited. Optimistic: a row changed by the workflow's own activity meanwhile is left alone.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { audit, SYSTEM, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import { chainDepartments, openSteps, type ChainState } from '../../core/domain/chains/state';
import { chainStateQuery } from '../../workflows/chain';
import { reconcileConsents } from './consents';

type Fields = {
  status: ChainState['status'];
  currentStep: string | null;
  currentStatus: string | null;
  currentDepartment: string | null;
  departments: string[];
  dueAt: Date | null;
  overdue: boolean;
  assigneeId: string;
};
const FIELDS = ['status', 'currentStep', 'currentStatus', 'currentDepartment', 'departments', 'dueAt', 'overdue', 'assigneeId'] as const;

/** The read-model fields for a chain state — the same mapping as the chain record (activities/chain.ts, chain-record.ts). */
export function expectedFields(
  state: ChainState,
  fallbackAssignee: string,
  task?: { status: string; dueAt: Date | null; ackDueAt: Date | null; overdue: boolean } | null,
  otherTasksOverdue = false,
): Fields {
  // "the" current step: the first open one — in a fork the first branch (state.current is empty there)
  const open = openSteps(state);
  const cur = open[0];
  const taskDue = task ? (task.status === 'accepted' ? task.dueAt : task.ackDueAt) : null;
  return {
    status: state.status,
    currentStep: cur?.key ?? null,
    currentStatus: cur?.phase ?? null,
    currentDepartment: cur?.phase === 'handoff' ? (cur.department ?? null) : null,
    departments: chainDepartments(state),
    dueAt: cur?.dueAt ? new Date(cur.dueAt) : (taskDue ?? (cur?.activeFrom && cur.phase === 'waiting' ? new Date(cur.activeFrom) : null)),
    // a handoff's deadline state comes from its task; any other branch overdue makes the chain overdue
    overdue:
      (task ? task.overdue : (cur?.overdue ?? false)) ||
      otherTasksOverdue ||
      open.some((c) => c !== cur && c.phase !== 'handoff' && c.overdue),
    assigneeId: state.assigneeId ?? fallbackAssignee,
  };
}

/** arrays (departments) compare as sets: the handoff record appends a forwarded department unsorted */
const sameSet = (a: string[], b: string[]) => new Set(a).size === new Set(b).size && b.every((x) => a.includes(x));
const same = (a: unknown, b: unknown) =>
  Array.isArray(a) && Array.isArray(b)
    ? sameSet(a as string[], b as string[])
    : a instanceof Date || b instanceof Date
      ? (a as Date | null)?.getTime() === (b as Date | null)?.getTime()
      : a === b;
type Shown = string | string[] | number | boolean | null;
const show = (v: Date | Shown | undefined): Shown => (v instanceof Date ? v.toISOString() : (v ?? null));

export interface ReconcileResult {
  checked: number;
  repaired: number;
  skipped: number;
  repairs: Array<{ id: string; fields: string[] }>;
}

export async function reconcileProcesses(
  db: Db,
  temporal: Client,
  actor: Actor = SYSTEM,
  opts: { batch?: number; timeoutMs?: number } = {},
): Promise<ReconcileResult> {
  const result: ReconcileResult = { checked: 0, repaired: 0, skipped: 0, repairs: [] };
  const batch = opts.batch ?? 200;
  let after: string | undefined;
  for (;;) {
    const rows = await db.process.findMany({
      where: { status: { in: ['running', 'on_hold'] }, ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: 'asc' },
      take: batch,
    });
    if (!rows.length) break;
    after = rows[rows.length - 1].id;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(8, rows.length) }, async () => {
        while (next < rows.length) {
          const p = rows[next++];
          result.checked++;
          const state = await workflowState(temporal, p.workflowId, opts.timeoutMs ?? 5_000);
          // not found, or the workflow id now runs a later chain of the same case and type
          if (!state || state.processId !== p.id) {
            result.skipped++;
            continue;
          }
          const [cur, ...others] = openSteps(state);
          const task = cur?.phase === 'handoff' && cur.taskId ? await db.task.findUnique({ where: { id: cur.taskId } }) : null;
          const otherTaskIds = others.filter((c) => c.phase === 'handoff' && c.taskId).map((c) => c.taskId!);
          const otherOverdue = otherTaskIds.length > 0 && (await db.task.count({ where: { id: { in: otherTaskIds }, overdue: true } })) > 0;
          const want = expectedFields(state, p.assigneeId, task, otherOverdue);
          const changed = FIELDS.filter((k) => !same(p[k], want[k]));
          if (!changed.length) continue;
          const data: Record<string, unknown> = Object.fromEntries(changed.map((k) => [k, want[k]]));
          if (changed.includes('currentStep')) {
            const step =
              cur &&
              (await db.processStep.findUnique({
                where: { processId_seq: { processId: p.id, seq: cur.seq } },
                select: { title: true },
              }));
            data.currentTitle = cur ? (step?.title ?? cur.key) : null;
          }
          if (want.status === 'completed' || want.status === 'cancelled') data.completedAt = p.completedAt ?? new Date();
          const done = await db.$transaction(async (tx) => {
            // only if the workflow's own activity has not written the row since we read it
            const u = await tx.process.updateMany({ where: { id: p.id, updatedAt: p.updatedAt }, data });
            if (!u.count) return false;
            await audit(
              tx,
              actor,
              'process.reconcile',
              { type: 'Process', id: p.id, caseId: p.caseId },
              {
                fields: changed,
                before: Object.fromEntries(changed.map((k) => [k, show(p[k])])),
                after: Object.fromEntries(changed.map((k) => [k, show(want[k])])),
              },
            );
            return true;
          });
          if (done) {
            result.repaired++;
            result.repairs.push({ id: p.id, fields: changed });
          } else result.skipped++;
        }
      }),
    );
    if (rows.length < batch) break;
  }
  return result;
}

/** Live state of a running chain, or the result of an ended one; undefined if unknown. */
async function workflowState(temporal: Client, workflowId: string, timeoutMs: number): Promise<ChainState | undefined> {
  const handle = temporal.workflow.getHandle(workflowId);
  try {
    return await temporal.connection.withDeadline(Date.now() + timeoutMs, async () => {
      const d = await handle.describe();
      if (d.status.name === 'RUNNING') return handle.query(chainStateQuery);
      if (d.status.name === 'COMPLETED') return (await handle.result()) as ChainState;
      return undefined; // failed / terminated / timed out: needs a human, not an automatic repair
    });
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/**
 * The reconcile job: every `intervalMs` one API instance (a PostgreSQL advisory lock decides which)
 * compares the read model with the workflows and repairs drift. Returns stop().
 */
export function startReconcileJob(opts: {
  db: Db;
  temporal: Client;
  intervalMs: number;
  log: { info: (o: object, m: string) => void; warn: (o: object, m: string) => void };
}) {
  const LOCK = 72_450_002;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = async () => {
    try {
      await opts.db.$transaction(
        async (tx) => {
          const [{ locked }] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(${LOCK}) AS locked`;
          if (!locked) return; // another instance is reconciling
          const r = await reconcileProcesses(opts.db, opts.temporal);
          if (r.repaired) opts.log.info({ checked: r.checked, repaired: r.repaired }, 'Lesemodell abgeglichen');
          const k = await reconcileConsents({ db: opts.db, temporal: opts.temporal });
          if (k.cancelledTasks) opts.log.info(k, 'Übergaben nach Widerruf der Einwilligung abgebrochen');
        },
        { timeout: 10 * 60_000, maxWait: 5_000 },
      );
    } catch (err) {
      opts.log.warn({ err: (err as Error).message }, 'Abgleich des Lesemodells fehlgeschlagen');
    }
  };
  const loop = () => {
    running = tick().finally(() => {
      if (!stopped) timer = setTimeout(loop, opts.intervalMs);
    });
  };
  timer = setTimeout(loop, opts.intervalMs);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}

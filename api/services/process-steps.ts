// `steps` of GET /api/processes/{id}: every step of the chain's definition (in the version the chain
// runs) in the definition's order, each with its status — done, current, waiting, skipped, not yet
// reached (or cancelled with the chain) — from the latest run of that step in the read model. The runs
// themselves (loops repeat a step) are `stepRuns`.
import type { ChainDefinition } from '../../core/domain/chains';

export interface StepRun {
  seq: number;
  key: string;
  title: string;
  status: string;
  department: string | null;
  dueAt: string | null;
  completedAt: string | null;
  outcome: string | null;
  taskId: string | null;
}

export const STEP_STATUSES = ['done', 'current', 'waiting', 'skipped', 'not_reached', 'cancelled'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** A run's phase in the read model → the step's status in the list. */
function statusOf(run: StepRun | undefined): StepStatus {
  if (!run) return 'not_reached';
  if (run.status === 'done' || run.status === 'skipped' || run.status === 'cancelled') return run.status;
  return run.status === 'waiting' || run.status === 'consent' ? 'waiting' : 'current';
}

export function definitionSteps(def: ChainDefinition | undefined, runs: StepRun[]) {
  const latest = new Map<string, StepRun>();
  for (const r of runs) if ((latest.get(r.key)?.seq ?? -1) < r.seq) latest.set(r.key, r);
  // a definition no longer known (should not happen): the steps reached, in the order reached
  const keys = def ? Object.keys(def.steps) : [...new Set(runs.map((r) => r.key))];
  return keys.map((key) => {
    const run = latest.get(key);
    return {
      key,
      title: def?.steps[key]?.title ?? run?.title ?? key,
      status: statusOf(run),
      /** the run's own phase (active, handoff, returned, consent, waiting, done, …); null if never reached */
      phase: run?.status ?? null,
      department: run?.department ?? null,
      dueAt: run?.dueAt ?? null,
      completedAt: run?.completedAt ?? null,
      outcome: run?.outcome ?? null,
      taskId: run?.taskId ?? null,
      runs: runs.filter((r) => r.key === key).length,
    };
  });
}

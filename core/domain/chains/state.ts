// Messages of the chain workflow, shared by workflow, activities and API. IDs, keys, dates only.
import type { ChainDefinition } from './schema';

export const chainWorkflowId = (caseId: string, type: string) => `chain-${caseId}-${type}`;

export interface ChainInput {
  processId: string;
  caseId: string;
  /** the definition the chain started with: a running chain keeps it, whatever is deployed later */
  definition: ChainDefinition;
  /** >0: one (working) day lasts this many seconds — tests and demos */
  daySeconds: number;
  /** the caseworker responsible (a user id) */
  assigneeId: string;
  /** continue-as-new after this many history events (default: when Temporal suggests it) */
  continueAfterEvents?: number;
  carried?: ChainState;
}

/** consent: a handoff step waits for a consent covering its department (`department`) */
export type StepPhase = 'waiting' | 'active' | 'handoff' | 'returned' | 'consent';

export interface CurrentStep {
  key: string;
  /** the parallel branch it runs in (the branch's first step key); none outside a fork */
  branch?: string;
  seq: number; // n-th step instance (loops repeat keys)
  phase: StepPhase;
  startedAt: string;
  activeFrom?: string;
  dueAt?: string;
  department?: string;
  taskId?: string;
  reminders: number;
  pings: number; // periodic reminders sent (offer: weekly)
  escalated: boolean;
  reviewed: boolean;
  overdue: boolean;
  declineReason?: string;
  /** this step alone is held (one branch of a fork, issue 14): its timers rest, it takes no result, the others run on */
  heldAt?: string;
  heldReason?: string;
}

export interface ForkState {
  key: string;
  seq: number;
  startedAt: string;
  branches: CurrentStep[];
  /** branches done (their start keys) */
  joined: string[];
}

/** Every step open now: the current step, or the open step of each parallel branch. */
export function openSteps(s: ChainState): CurrentStep[] {
  return s.current ? [s.current] : (s.fork?.branches ?? []);
}

/**
 * The departments a chain sits at (read model `Process.departments`, the process list's department
 * filter): the first open step's while it is handed over (= `currentDepartment`) and, while the chain
 * runs, every other parallel branch's handed-over step's. Sorted, each once.
 */
export function chainDepartments(s: ChainState): string[] {
  const open = openSteps(s);
  const steps = s.status === 'running' || s.status === 'on_hold' ? open : open.slice(0, 1);
  return [...new Set(steps.flatMap((c) => (c.phase === 'handoff' && c.department ? [c.department] : [])))].sort();
}

export interface DoneStep {
  key: string;
  seq: number;
  outcome: string;
  completedAt: string;
  skipped?: boolean;
}

export interface ChainState {
  processId: string;
  caseId: string;
  type: string;
  version: number;
  status: 'running' | 'on_hold' | 'completed' | 'cancelled';
  /** the one current step — none while parallel branches run (then `fork.branches`) */
  current?: CurrentStep;
  /** parallel branches running (a fork step): the open step of each branch not yet joined */
  fork?: ForkState;
  done: DoneStep[];
  /** how the chain ended (definition's end code; `completed` / `cancelled` when it names none) */
  endCode?: string;
  /** values of date and number fields later steps refer to (e.g. lease.moveInDate); no free text */
  facts: Record<string, string | number>;
  reason?: string;
  assigneeId?: string;
  seq: number; // events recorded
  stepSeq: number; // step instances started
  runs: number; // continue-as-new count
}

export interface ChainActor {
  kind: 'user' | 'system';
  userId?: string;
  role?: string;
}

export interface CompleteStepArgs {
  stepKey: string;
  outcome: string;
  data?: Record<string, unknown>;
  actor: ChainActor;
}

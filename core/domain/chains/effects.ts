// What the chain engine (engine.ts) asks of its host. The engine is pure: instead of calling Temporal
// or the database it yields one of these effects and receives the answer. The chain workflow
// (workflows/chain.ts) runs them as local activities, child workflows and signals; unit tests answer
// them with plain values. IDs, keys and dates only — no personal data.
import type { HandoffInput } from '../handoff';
import type { ChainActor, ChainState } from './state';

/** One transition for the read model (Process, ProcessStep, ProcessEvent), idempotent per (process, seq). */
export interface ProcessRecord {
  processId: string;
  seq: number;
  event: string;
  actor: ChainActor;
  details?: Record<string, unknown>;
  stepData?: Record<string, unknown>;
  state: ChainState;
  /** `open`: titles of every open step (and the fork step) while parallel branches run */
  titles: { current?: string; step?: string; open?: Record<string, string> };
}

/** Which department a handoff step goes to: fixed, or by the person's benefit type. */
export interface HandoffTarget {
  caseId: string;
  stepKey: string;
  department?: string;
  byBenefit?: Partial<Record<string, string>>;
}

export interface HandoffRequest extends HandoffTarget {
  processId: string;
  handoffStep: string;
  createdById?: string;
  /** unique per step instance and attempt: names the task, so a retried activity makes no second one */
  instance: string;
}

export interface PreparedHandoff {
  taskId: string;
  departmentId: string;
  ackDays: number;
  completeDays: number;
}
export interface ConsentGate {
  departmentId: string;
  covered: boolean;
}
export type RuleName = 'isMinor' | 'hasChildren';

export type Effect =
  | { kind: 'record'; record: ProcessRecord }
  | { kind: 'evaluateRule'; caseId: string; rule: RuleName }
  | { kind: 'checkConsent'; target: HandoffTarget }
  | { kind: 'prepareHandoff'; request: HandoffRequest }
  | { kind: 'startHandoff'; input: HandoffInput }
  | { kind: 'cancelHandoff'; taskId: string; reason: string }
  /** is this change to the workflow's command sequence in force? (Temporal `patched`) */
  | { kind: 'patched'; patchId: string };

export interface EffectResults {
  record: unknown;
  evaluateRule: string;
  checkConsent: ConsentGate;
  prepareHandoff: PreparedHandoff;
  startHandoff: void;
  cancelHandoff: void;
  patched: boolean;
}

/** A piece of engine work: yields effects, receives their results, returns T. */
export type Run<T = void> = Generator<Effect, T, unknown>;

/** Yield one effect and return its typed result. */
export function* perform<K extends Effect['kind']>(effect: Extract<Effect, { kind: K }>): Run<EffectResults[K]> {
  return (yield effect) as EffectResults[K];
}

// The state a case workflow holds and answers to queries. IDs and enums only: no names.
import type { CaseStatus, CaseTopic } from './records';
import type { PlanTimerRef } from './plan-timers';

export interface CaseWorkflowInput {
  caseId: string;
  topic: CaseTopic;
  status?: CaseStatus;
  followUp?: FollowUpRef;
  handoffs?: CaseHandoffResult[];
  /** the current help plan's ids and dates, and the keys of its timers that fired */
  plan?: PlanTimerRef;
  planFired?: string[];
}

export interface CaseHandoffResult {
  taskId: string;
  stepKey: string;
  status: string;
  outcome?: string;
}

export interface FollowUpRef {
  followUpId: string;
  dueAt: string; // ISO
  remindedAt?: string;
}

export interface CaseState {
  caseId: string;
  topic: CaseTopic;
  status: CaseStatus;
  followUp?: FollowUpRef;
  handoffs?: CaseHandoffResult[];
  plan?: PlanTimerRef;
  planFired?: string[];
  updatedAt: string;
}

export const caseWorkflowId = (caseId: string) => `case-${caseId}`;

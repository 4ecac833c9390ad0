// The state a case workflow holds and answers to queries. IDs and enums only: no names.
import type { CaseStatus, CaseTopic } from './records';

export interface CaseWorkflowInput {
  caseId: string;
  topic: CaseTopic;
  status?: CaseStatus;
  followUp?: FollowUpRef;
  handoffs?: CaseHandoffResult[];
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
  updatedAt: string;
}

export const caseWorkflowId = (caseId: string) => `case-${caseId}`;

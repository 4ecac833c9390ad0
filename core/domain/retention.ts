// The retention run's input and result: numbers only (no personal data in Temporal). Shared by the
// workflow (workflows/retention.ts), its activities and the schedule that starts it (core/retention.ts).
export interface RetentionInput {
  /** a case is due when it was closed longer ago than this */
  retentionSeconds: number;
  /** cases per activity (each case is its own transaction inside it) */
  batchSize?: number;
  /** carried over continue-as-new: the same cut-off for the whole run */
  cutoff?: string;
  carried?: RetentionResult;
}

export interface RetentionResult {
  cases: number;
  persons: number;
}

/** How long the first answer to a request with an Idempotency-Key is kept for a repeat (api/idempotency.ts). */
export const IDEMPOTENT_RESPONSE_HOURS = 24;

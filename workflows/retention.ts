// Retention (Löschfrist): started by a Temporal Schedule (core/retention.ts), it finds closed cases
// whose retention period has passed and anonymises them in bounded batches. Numbers and counts only
// in input and output; the work (and every name) stays in the activities and PostgreSQL.
import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { RetentionActivities } from '../activities/retention';
import type { RetentionInput, RetentionResult } from '../core/domain/retention';

const { findDueCases, anonymizeCases } = proxyActivities<RetentionActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

/** batches before the run continues as new (keeps the history short) */
export const BATCHES_PER_RUN = 20;

export async function retentionWorkflow(input: RetentionInput): Promise<RetentionResult> {
  // workflow time is deterministic: the cut-off is fixed once per run (and kept across continue-as-new)
  const cutoff = input.cutoff ?? new Date(Date.now() - input.retentionSeconds * 1000).toISOString();
  const limit = Math.min(Math.max(Math.floor(input.batchSize ?? 50), 1), 500);
  const done: RetentionResult = { cases: input.carried?.cases ?? 0, persons: input.carried?.persons ?? 0 };
  for (let i = 0; i < BATCHES_PER_RUN; i++) {
    const caseIds = await findDueCases({ cutoff, limit });
    if (caseIds.length === 0) return done;
    const r = await anonymizeCases({ caseIds, cutoff });
    done.cases += r.cases;
    done.persons += r.persons;
    // found due but none changed (changed meanwhile): leave the rest to the next scheduled run
    if (r.cases === 0) return done;
  }
  return continueAsNew<typeof retentionWorkflow>({ ...input, cutoff, carried: done });
}

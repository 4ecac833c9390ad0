// The committee reports' routine, started daily by a Temporal Schedule (core/report-schedule.ts): each
// definition's period that ended last is archived and linked to its recipients once (the activity is
// idempotent by the report's id). `at` fixes "now" (tests); else the workflow's start time, kept for
// every retry so a retry after midnight still means the same period.
import { proxyActivities } from '@temporalio/workflow';
import type { ReportActivities } from '../activities/reports';

const acts = proxyActivities<ReportActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '15 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes' },
});

export async function scheduledReportsWorkflow(input?: { at?: string }) {
  return acts.produceScheduledReports({ at: input?.at ?? new Date().toISOString() });
}

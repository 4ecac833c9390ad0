// The scheduled committee reports (core/reports-archive.ts runScheduledReports): heartbeats while it
// works, so a worker killed mid-run hands the activity to the next worker within the heartbeat timeout;
// the retry finds what the first attempt committed (report and mails share one transaction).
import { Context } from '@temporalio/activity';
import type { Db } from '../core/db/client';
import { runScheduledReports } from '../core/reports-archive';

export function createReportActivities({ db, publicUrl }: { db: Db; publicUrl: string }) {
  return {
    async produceScheduledReports({ at }: { at: string }) {
      const ctx = Context.current();
      ctx.heartbeat();
      const beat = setInterval(() => ctx.heartbeat(), 2_000);
      try {
        return await runScheduledReports(db, publicUrl, new Date(at));
      } finally {
        clearInterval(beat);
      }
    },
  };
}
export type ReportActivities = ReturnType<typeof createReportActivities>;

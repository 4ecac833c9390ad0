// The committee reports' Temporal Schedule (issue 16), created idempotently at boot (app/boot.ts): daily
// at 03:00 Europe/Berlin the routine checks every report definition and archives and links the report
// of the period (quarter, half year, year) that ended last — on the day after the period's end, or at
// the next run if that one was missed. One schedule per task queue.
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleSpec } from '@temporalio/client';

export const reportScheduleId = (taskQueue: string) => `kim-reports-${taskQueue}`;

export async function ensureReportSchedule(client: Client, s: { taskQueue: string; everySeconds?: number }) {
  const scheduleId = reportScheduleId(s.taskQueue);
  const spec: ScheduleSpec = s.everySeconds
    ? { intervals: [{ every: s.everySeconds * 1000 }] }
    : { calendars: [{ hour: 3, minute: 0 }], timezone: 'Europe/Berlin' };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'scheduledReportsWorkflow',
    workflowId: `${scheduleId}-run`,
    taskQueue: s.taskQueue,
    args: [],
  };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies: { overlap: ScheduleOverlapPolicy.SKIP } });
    return 'created' as const;
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(scheduleId).update((prev) => ({ ...prev, spec, action }));
  return 'updated' as const;
}

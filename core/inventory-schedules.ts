// The inventory's Temporal Schedules (issue 15), created idempotently at boot: partner contact
// reminders every day, the situation snapshot monthly (1st, 02:00 Europe/Berlin). Tests and demos
// give intervals in seconds instead. One pair per task queue (two installations never share one).
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleSpec } from '@temporalio/client';

export const contactScheduleId = (taskQueue: string) => `kim-partner-contacts-${taskQueue}`;
export const snapshotScheduleId = (taskQueue: string) => `kim-situation-${taskQueue}`;

export interface InventoryScheduleSettings {
  taskQueue: string;
  /** seconds between contact checks (default a day) */
  contactEverySeconds?: number;
  /** seconds between snapshots (tests); default: monthly on the 1st */
  snapshotEverySeconds?: number;
}

async function ensure(client: Client, scheduleId: string, spec: ScheduleSpec, workflowType: string, taskQueue: string) {
  const action = { type: 'startWorkflow' as const, workflowType, workflowId: `${scheduleId}-run`, taskQueue, args: [] };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies: { overlap: ScheduleOverlapPolicy.SKIP } });
    return 'created' as const;
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(scheduleId).update((prev) => ({ ...prev, spec, action }));
  return 'updated' as const;
}

export async function ensureInventorySchedules(client: Client, s: InventoryScheduleSettings) {
  const contacts = await ensure(
    client,
    contactScheduleId(s.taskQueue),
    { intervals: [{ every: (s.contactEverySeconds ?? 86_400) * 1000 }] },
    'partnerContactRemindersWorkflow',
    s.taskQueue,
  );
  const snapshot = await ensure(
    client,
    snapshotScheduleId(s.taskQueue),
    s.snapshotEverySeconds
      ? { intervals: [{ every: s.snapshotEverySeconds * 1000 }] }
      : { calendars: [{ dayOfMonth: 1, hour: 2, minute: 0 }], timezone: 'Europe/Berlin' },
    'situationSnapshotWorkflow',
    s.taskQueue,
  );
  return { contacts, snapshot };
}

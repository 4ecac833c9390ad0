// Retention (Löschfrist): KIM_RETENTION_DAYS after a case's closure, the retention workflow
// (workflows/retention.ts) anonymises it. A Temporal Schedule starts that workflow every
// KIM_RETENTION_CHECK_HOURS; this file turns the configuration into its settings and creates the
// schedule idempotently at boot (or updates it when the settings changed; pauses it when off).
import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
  type ScheduleSpec,
} from '@temporalio/client';
import type { Config } from './config';
import type { RetentionInput } from './domain/retention';

export interface RetentionSettings {
  enabled: boolean;
  retentionSeconds: number;
  intervalSeconds: number;
  batchSize: number;
  taskQueue: string;
  scheduleId: string;
}

/** One schedule per task queue: two installations (or two test stacks) on one cluster never share one. */
export const retentionScheduleId = (taskQueue: string) => `kim-retention-${taskQueue}`;
export const RETENTION_BATCH_SIZE = 50;

export function retentionSettings(
  config: Pick<Config, 'KIM_RETENTION_DAYS' | 'KIM_RETENTION_CHECK_HOURS' | 'KIM_RETENTION_DAY_SECONDS' | 'TEMPORAL_TASK_QUEUE'>,
): RetentionSettings {
  const day = config.KIM_RETENTION_DAY_SECONDS > 0 ? config.KIM_RETENTION_DAY_SECONDS : 86_400;
  return {
    enabled: config.KIM_RETENTION_DAYS > 0,
    retentionSeconds: config.KIM_RETENTION_DAYS * day,
    // Temporal schedules count in whole seconds
    intervalSeconds: Math.max(1, Math.round((config.KIM_RETENTION_CHECK_HOURS / 24) * day)),
    batchSize: RETENTION_BATCH_SIZE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    scheduleId: retentionScheduleId(config.TEMPORAL_TASK_QUEUE),
  };
}

export type ScheduleOutcome = 'created' | 'updated' | 'unchanged' | 'paused' | 'absent';

const OFF_NOTE = 'Löschfrist aus (KIM_RETENTION_DAYS=0)';

function matches(d: ScheduleDescription, s: RetentionSettings, input: RetentionInput): boolean {
  const intervals = d.spec.intervals ?? [];
  return (
    intervals.length === 1 &&
    intervals[0].every === s.intervalSeconds * 1000 &&
    !intervals[0].offset &&
    !d.spec.calendars?.length &&
    d.action.type === 'startWorkflow' &&
    d.action.workflowType === 'retentionWorkflow' &&
    d.action.taskQueue === s.taskQueue &&
    JSON.stringify(d.action.args) === JSON.stringify([input]) &&
    d.policies.overlap === ScheduleOverlapPolicy.SKIP &&
    !d.state.paused
  );
}

/**
 * Create the schedule, or bring an existing one in line with the settings. Safe to run from every
 * worker at every boot, also at the same time: a lost create race finds the schedule and compares.
 * The client must carry the payload codec (the workflow's input is encrypted like every payload).
 */
export async function ensureRetentionSchedule(client: Client, s: RetentionSettings): Promise<ScheduleOutcome> {
  const handle = client.schedule.getHandle(s.scheduleId);
  if (!s.enabled) {
    try {
      const d = await handle.describe();
      if (d.state.paused) return 'unchanged';
      await handle.pause(OFF_NOTE);
      return 'paused';
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) return 'absent';
      throw err;
    }
  }
  const input: RetentionInput = { retentionSeconds: s.retentionSeconds, batchSize: s.batchSize };
  const spec: ScheduleSpec = { intervals: [{ every: s.intervalSeconds * 1000 }] };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'retentionWorkflow',
    workflowId: `retention-${s.taskQueue}`,
    taskQueue: s.taskQueue,
    args: [input],
  };
  try {
    await client.schedule.create({ scheduleId: s.scheduleId, spec, action, policies: { overlap: ScheduleOverlapPolicy.SKIP } });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  const d = await handle.describe();
  if (matches(d, s, input)) return 'unchanged';
  await handle.update((prev) => ({ ...prev, spec, action, policies: { ...prev.policies, overlap: ScheduleOverlapPolicy.SKIP } }));
  if (d.state.paused) await handle.unpause('Löschfrist wieder an');
  return 'updated';
}

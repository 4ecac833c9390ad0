// core/retention.ts: the retention period and check interval from the configuration — days, or
// seconds per "day" for tests and demos (KIM_RETENTION_DAY_SECONDS), one schedule per task queue.
import { ConfigError, loadConfig } from '../../core/config';
import { retentionScheduleId, retentionSettings } from '../../core/retention';

test('defaults: three years after closure, checked daily, on for the default task queue', () => {
  expect(retentionSettings(loadConfig({}))).toEqual({
    enabled: true,
    retentionSeconds: 1095 * 86_400,
    intervalSeconds: 86_400,
    batchSize: 50,
    taskQueue: 'kim-flow',
    scheduleId: 'kim-retention-kim-flow',
  });
});

test('days, hours and the seconds-per-day override scale period and interval together', () => {
  expect(retentionSettings(loadConfig({ KIM_RETENTION_DAYS: '30', KIM_RETENTION_CHECK_HOURS: '6' }))).toMatchObject({
    retentionSeconds: 30 * 86_400,
    intervalSeconds: 6 * 3600,
  });
  expect(retentionSettings(loadConfig({ KIM_RETENTION_DAYS: '30', KIM_RETENTION_DAY_SECONDS: '2' }))).toMatchObject({
    retentionSeconds: 60,
    intervalSeconds: 2,
  });
  // never below Temporal's one second
  expect(retentionSettings(loadConfig({ KIM_RETENTION_CHECK_HOURS: '1', KIM_RETENTION_DAY_SECONDS: '1' })).intervalSeconds).toBe(1);
  expect(retentionSettings(loadConfig({ KIM_RETENTION_DAYS: '0' })).enabled).toBe(false);
  expect(retentionScheduleId('test-ab12')).toBe('kim-retention-test-ab12');
});

test('invalid values are named in German', () => {
  let message = '';
  try {
    loadConfig({ KIM_RETENTION_DAYS: '-1', KIM_RETENTION_CHECK_HOURS: '0', KIM_RETENTION_DAY_SECONDS: 'bald' });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    message = (err as Error).message;
  }
  expect(message).toMatch(/KIM_RETENTION_DAYS: /);
  expect(message).toMatch(/KIM_RETENTION_CHECK_HOURS: /);
  expect(message).toMatch(/KIM_RETENTION_DAY_SECONDS: /);
  expect(message).not.toMatch(/Invalid|expected|received/);
});

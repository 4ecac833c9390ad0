// The committee reports' schedule (issue 16): a worker process that runs the routine is SIGKILLed while
// the run waits (on a row held by the test) inside the transaction of the second report with recipients;
// the first report with recipients was committed with its mails before the kill. A second worker process
// takes the retried activity: every report exists once and every recipient gets exactly one link mail
// per report (counted in the SMTP capture). Both worker starts create the schedule at boot (one schedule,
// no failure); the schedule's own trigger archives the last periods and a second trigger sends nothing new.
import type { ChildProcess } from 'node:child_process';
import { lastCompletePeriod, type Period } from '../../core/domain/report-figures';
import { isoDay } from '../../core/format/dates';
import { ensureReportSchedule, reportScheduleId } from '../../core/report-schedule';
import { reportId } from '../../core/reports-archive';
import type { scheduledReportsWorkflow } from '../../workflows/report-routines';
import { eventually, startStack, type Stack } from '../support/stack';
import { killProcess, startWorkerProcess } from '../support/worker-process';

let stack: Stack;
let worker: ChildProcess | undefined;
beforeAll(async () => {
  stack = await startStack({ worker: false }); // the stack's outbox sender delivers (as would a worker's)
});
afterAll(async () => {
  if (worker) await killProcess(worker);
  await stack?.stop();
});

const AT = '2026-04-02T06:00:00Z'; // → KI: 1st quarter 2026, ASWDG: 2nd half of 2025, JHA: 2025
const KI = reportId('ki', '2026-01-01', '2026-03-31');
const ASWDG = reportId('aswdg', '2025-07-01', '2025-12-31');
const JHA = reportId('jha', '2025-01-01', '2025-12-31');

const mailsTo = (address: string) => stack.capture.list({ to: address }).filter((m) => m.subject.startsWith('[KIM] Bericht bereit'));
const allSent = () =>
  eventually(async () => ((await stack.db.mail.count({ where: { status: { not: 'sent' } } })) === 0 ? true : undefined), 60_000);
const waitingOnLock = async () =>
  (
    await stack.db.$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`
  )[0].n > 0n;

it('worker killed mid-run: after the restart each report exists once and each recipient has exactly one link mail', async () => {
  await stack.db.reportDefinition.update({
    where: { id: 'aswdg' },
    data: { recipients: ['ausschuss@stadt.example', 'geschaeftsstelle@stadt.example'] },
  });
  await stack.db.reportDefinition.update({ where: { id: 'ki' }, data: { recipients: ['ki@stadt.example', 'ausschuss@stadt.example'] } });

  // an uncommitted row with KI's id: the run's insert of the KI report (and its mails) waits on it
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const blocker = stack.db
    .$transaction(
      async (tx) => {
        await tx.report.create({
          data: { id: KI, definitionId: 'ki', from: '2026-01-01', to: '2026-03-31', trigger: 'test', figures: [] },
        });
        locked();
        await held;
        throw new Error('rolled back on purpose');
      },
      { timeout: 600_000 },
    )
    .catch(() => undefined);
  await isLocked;

  worker = await startWorkerProcess(stack);
  const handle = await stack.client.workflow.start<typeof scheduledReportsWorkflow>('scheduledReportsWorkflow', {
    taskQueue: stack.taskQueue,
    workflowId: `reports-restart-${Date.now()}`,
    args: [{ at: AT }],
  });
  // ASWDG (with its two mails) and JHA are committed; the run now waits inside KI's transaction
  await eventually(async () => ((await stack.db.report.count({ where: { id: { in: [ASWDG, JHA] } } })) === 2 ? true : undefined), 180_000);
  expect(await stack.db.mail.count({ where: { idempotencyKey: { startsWith: `report:${ASWDG}:` } } })).toBe(2);
  await eventually(() => waitingOnLock().then((w) => w || undefined), 60_000);
  // (its outbox has delivered ASWDG's mails: a kill mid-delivery is the outbox's case, test/handoffs/durability.test.ts)
  await allSent();
  await killProcess(worker); // SIGKILL: the attempt never reports back
  worker = undefined;
  release();
  await blocker;
  expect(await stack.db.mail.count({ where: { idempotencyKey: { startsWith: `report:${KI}:` } } })).toBe(0);

  worker = await startWorkerProcess(stack); // a second start: the schedule exists already
  const result = await handle.result(); // the retried activity on the new worker
  expect(result.map((r) => [r.definition, r.id])).toEqual([
    ['aswdg', ASWDG],
    ['jha', JHA],
    ['ki', KI],
  ]);
  expect(result.find((r) => r.definition === 'aswdg')).toMatchObject({ created: false, mails: 0 }); // found, not again
  expect(result.find((r) => r.definition === 'ki')).toMatchObject({ created: true, mails: 2 });
  const attempts = (await handle.fetchHistory())
    .events!.filter((e) => e.activityTaskStartedEventAttributes)
    .map((e) => e.activityTaskStartedEventAttributes!.attempt);
  expect(attempts).toEqual([2]); // the first attempt died with its worker (a start is recorded with the final attempt)

  await allSent();
  expect(await stack.db.report.count()).toBe(3);
  expect(await stack.db.report.count({ where: { trigger: 'schedule' } })).toBe(3);
  expect(
    mailsTo('ausschuss@stadt.example')
      .map((m) => m.text.match(/\/berichte\/([0-9a-f-]{36})/)![1])
      .sort(),
  ).toEqual([ASWDG, KI].sort());
  expect(mailsTo('geschaeftsstelle@stadt.example')).toHaveLength(1);
  const ki = mailsTo('ki@stadt.example');
  expect(ki).toHaveLength(1);
  // a link to the report, no figures in the mail
  expect(ki[0].links).toContain(`${stack.url}/berichte/${KI}`);
  expect(ki[0].subject).toBe('[KIM] Bericht bereit: Bericht an das Kommunale Integrationszentrum (KI) (01.01.2026 – 31.03.2026)');
  expect(ki[0].text).not.toMatch(/Fälle nach Thema|Summe|< 5/);

  // the link opens the report for the supervisor
  const token = await stack.token('leitung@kim.example');
  const page = await fetch(`${stack.url}/berichte/${KI}`, { headers: { authorization: `Bearer ${token}` } });
  expect(page.status).toBe(200);
  expect(await page.text()).toContain(`/api/reports/${KI}.pdf`);

  // both worker starts ensured the schedule: exactly one, and ensuring again neither fails nor adds one
  expect(await ensureReportSchedule(stack.client, { taskQueue: stack.taskQueue })).toBe('updated');
  const ids: string[] = [];
  for await (const s of stack.client.schedule.list())
    if (s.scheduleId.startsWith(reportScheduleId(stack.taskQueue))) ids.push(s.scheduleId);
  expect(ids).toEqual([reportScheduleId(stack.taskQueue)]);
}, 420_000);

it('the schedule, triggered: archives each definition’s last period and links it once; a second trigger sends nothing new', async () => {
  const schedule = stack.client.schedule.getHandle(reportScheduleId(stack.taskQueue));
  const desc = await schedule.describe();
  expect(desc.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 3, end: 3, step: 1 }] });
  const runs = async (n: number) => {
    const d = await eventually(async () => {
      const x = await schedule.describe();
      return x.info.recentActions.length >= n ? x : undefined;
    }, 60_000);
    await stack.client.workflow.getHandle(d.info.recentActions[n - 1].action.workflow.workflowId).result();
  };
  const before = mailsTo('ki@stadt.example').length;
  await schedule.trigger();
  await runs(1);
  const today = isoDay();
  for (const d of await stack.db.reportDefinition.findMany()) {
    const p = lastCompletePeriod(d.period as Period, today);
    expect(await stack.db.report.findUnique({ where: { id: reportId(d.id, p.from, p.to) } })).not.toBeNull();
  }
  await allSent();
  const sentOnce = mailsTo('ki@stadt.example').length;
  expect(sentOnce).toBe(before + 1);
  await schedule.trigger();
  await runs(2);
  await allSent();
  expect(mailsTo('ki@stadt.example').length).toBe(sentOnce);
  expect(await stack.db.mail.count({ where: { idempotencyKey: { startsWith: 'report:' } } })).toBe(
    stack.capture.list().filter((m) => m.subject.startsWith('[KIM] Bericht bereit')).length,
  );
}, 240_000);

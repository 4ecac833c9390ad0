// The analytics' monthly rollup ("StepMonth", kept by triggers on "ProcessStep") equals the raw
// computation: steps of known timings across months (and on a Berlin month boundary) are seeded, and for
// whole, partial and mixed periods, with and without filters, every figure read through the rollup
// equals the figure computed over every row — also after steps are completed, moved, deleted and
// inserted several at once. The known figures are checked exactly, and the rollup path is proved to be
// the one read (a changed bucket changes the answer).
import type { AuthUser } from '../../api/auth';
import { stepAnalytics, type AnalyticsFilter } from '../../api/services/analytics';
import { splitByMonths } from '../../core/domain/analytics';
import { seedChain } from '../support/analytics-seed';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let supervisor: AuthUser;
let cwId: string;

beforeAll(async () => {
  stack = await startStack({ worker: false, outbox: false });
  const u = await stack.db.user.findUniqueOrThrow({ where: { email: 'leitung@kim.example' } });
  supervisor = { id: u.id, email: u.email, name: u.name, role: 'supervisor', departmentId: u.departmentId };
  cwId = (await stack.db.user.findUniqueOrThrow({ where: { email: 'fallmanagement@kim.example' } })).id;
  // known: cost approval at the Jobcenter in February, deadline 5: 3, 5, 9, 9, 12 working days
  for (const days of [3, 5, 9, 9, 12])
    await seedChain(stack.db, {
      type: 'known',
      caseworkerId: cwId,
      steps: [
        {
          key: 'cost-approval',
          title: 'Mietübernahme',
          department: 'jobcenter',
          handoff: true,
          activeAt: '2026-02-02T09:00:00+01:00',
          days,
          deadlineDays: 5,
        },
      ],
    });
  // many more, spread over November 2025 to June 2026, some open, some without a deadline
  const keys = [
    ['readiness', 'Wohnfähigkeit einschätzen', '5-53'],
    ['wbs', 'Wohnberechtigungsschein', 'wohnungsamt'],
    ['residence', 'Aufenthalt prüfen', 'auslaenderbehoerde'],
    ['cost-approval', 'Mietübernahme', 'jobcenter'],
  ] as const;
  for (let i = 0; i < 60; i++) {
    const [key, title, department] = keys[i % 4];
    const month = 11 + (i % 8); // 11..18 → 2025-11 .. 2026-06
    const y = month > 12 ? 2026 : 2025;
    const m = String(month > 12 ? month - 12 : month).padStart(2, '0');
    await seedChain(stack.db, {
      type: i % 3 === 0 ? 'education-work' : 'move-out',
      caseworkerId: cwId,
      steps: [
        {
          key,
          title,
          department,
          handoff: department !== '5-53',
          activeAt: `${y}-${m}-${String(1 + ((i * 7) % 20)).padStart(2, '0')}T09:00:00+01:00`,
          days: i % 11 === 5 ? undefined : (i * 5) % 17,
          deadlineDays: i % 5 === 0 ? undefined : i % 2 ? 5 : 10,
        },
        { key: 'move', title: 'Umzug', department: '5-53', activeAt: `${y}-${m}-25T09:00:00+01:00`, days: i % 4 },
      ],
    });
  }
  // on the boundary: done at 00:30 Berlin on 1 March (still 28 February in UTC) — a March step
  await stack.db.processStep.updateMany({
    where: { key: 'move', completedAt: { gte: new Date('2026-02-01T00:00:00Z'), lt: new Date('2026-03-01T00:00:00Z') } },
    data: { completedAt: new Date('2026-02-28T23:30:00Z') },
  });
}, 120_000);
afterAll(() => stack?.stop());

const FILTERS: AnalyticsFilter[] = [
  { period: { from: '2025-12-01', to: '2026-11-29' } }, // the default: 11 whole months and the current one
  { period: { from: '2026-02-01', to: '2026-02-28' } }, // one whole month
  { period: { from: '2026-01-15', to: '2026-05-20' } }, // partial at both ends
  { period: { from: '2026-03-01', to: '2026-03-01' } }, // one day (the boundary)
  { period: { from: '2025-11-10', to: '2026-06-30' }, type: 'move-out' },
  { period: { from: '2025-11-01', to: '2026-06-30' }, department: 'jobcenter' },
  { period: { from: '2025-11-01', to: '2026-04-30' }, type: 'education-work', department: '5-53' },
];

async function expectEqualToRaw() {
  for (const f of FILTERS) {
    const [rolled, raw] = [await stepAnalytics(stack.db, supervisor, f), await stepAnalytics(stack.db, supervisor, f, { raw: true })];
    expect({ f, ...rolled }).toEqual({ f, ...raw });
  }
  // and the table itself equals a fresh recomputation from every row
  const diff = await stack.db.$queryRawUnsafe<Array<{ n: bigint }>>(
    `
    WITH fresh AS (SELECT kind, month, "chainType", department, "key", "title", "workingDays", "deadlineDays", "onTime", sum(d)::int AS n
                     FROM (SELECT * FROM step_rows) x GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9),
         kept AS (SELECT kind, month, "chainType", department, "key", "title", "workingDays", "deadlineDays", "onTime", n FROM "StepMonth" WHERE n <> 0)
    SELECT count(*) AS n FROM ((SELECT * FROM fresh EXCEPT SELECT * FROM kept) UNION ALL (SELECT * FROM kept EXCEPT SELECT * FROM fresh)) d`.replace(
      'SELECT * FROM step_rows',
      await stack.db.$queryRaw<Array<{ q: string }>>`SELECT "step_month_buckets_sql"('"ProcessStep"', 1) AS q`.then((r) => r[0].q),
    ),
  );
  expect(Number(diff[0].n)).toBe(0);
}

it('splits a period into whole months (rollup) and partial ends (raw rows)', () => {
  expect(splitByMonths({ from: '2026-01-15', to: '2026-05-20' })).toEqual({
    months: ['2026-02', '2026-03', '2026-04'],
    partial: [
      { from: '2026-01-15', to: '2026-01-31' },
      { from: '2026-05-01', to: '2026-05-20' },
    ],
  });
  expect(splitByMonths({ from: '2026-02-01', to: '2026-02-28' })).toEqual({ months: ['2026-02'], partial: [] });
  expect(splitByMonths({ from: '2026-02-03', to: '2026-02-10' })).toEqual({
    months: [],
    partial: [{ from: '2026-02-03', to: '2026-02-10' }],
  });
  expect(splitByMonths({ from: '2024-02-01', to: '2024-02-29' }).months).toEqual(['2024-02']);
});

it('every figure through the rollup equals the raw computation; the known figures exactly', async () => {
  await expectEqualToRaw();
  const feb = await stepAnalytics(stack.db, supervisor, { period: { from: '2026-02-01', to: '2026-02-28' }, type: 'known' });
  expect(feb.items).toEqual([
    {
      step: 'cost-approval',
      title: 'Mietübernahme',
      department: 'jobcenter',
      count: 5,
      medianDays: 9,
      p90Days: 10.8,
      onTimeShare: 0.4,
      deadlineDays: 5,
    },
  ]);
  expect(feb.months).toEqual([{ month: '2026-02', count: 5, medianDays: 9, p90Days: 10.8, onTimeShare: 0.4 }]);
  expect(feb.throughput).toEqual([{ step: 'cost-approval', title: 'Mietübernahme', department: 'jobcenter', entered: 5, left: 5 }]);
});

it('the rollup is what is read: a changed bucket changes the answer', async () => {
  const f: AnalyticsFilter = { period: { from: '2026-02-01', to: '2026-02-28' } };
  const before = await stepAnalytics(stack.db, supervisor, f);
  const total = before.items.reduce((s, i) => s + i.count, 0);
  await stack.db.$executeRaw`UPDATE "StepMonth" SET n = n * 2 WHERE kind = 'left' AND month = '2026-02'`;
  try {
    const doubled = await stepAnalytics(stack.db, supervisor, f);
    expect(doubled.items.reduce((s, i) => s + i.count, 0)).toBe(2 * total);
  } finally {
    await stack.db.$executeRaw`UPDATE "StepMonth" SET n = n / 2 WHERE kind = 'left' AND month = '2026-02'`;
  }
  expect(await stepAnalytics(stack.db, supervisor, f)).toEqual(before);
});

it('stays equal after steps are completed, moved, deleted and inserted several at once', async () => {
  // complete every open step
  const open = await stack.db.processStep.findMany({ where: { completedAt: null } });
  expect(open.length).toBeGreaterThan(0);
  for (const s of open)
    await stack.db.processStep.update({
      where: { id: s.id },
      data: { status: 'done', completedAt: new Date('2026-04-14T10:00:00Z'), workingDays: 7 },
    });
  // move all Wohnungsamt steps to the Ausländerbehörde, one without a holder, one changes its title
  await stack.db.processStep.updateMany({ where: { holderDepartment: 'wohnungsamt' }, data: { holderDepartment: 'auslaenderbehoerde' } });
  const some = await stack.db.processStep.findFirstOrThrow({ where: { key: 'readiness' } });
  await stack.db.processStep.update({ where: { id: some.id }, data: { holderDepartment: null, title: 'Wohnfähigkeit' } });
  // delete one chain's steps
  const victim = await stack.db.processStep.findFirstOrThrow({ where: { key: 'residence' } });
  await stack.db.processStep.deleteMany({ where: { processId: victim.processId } });
  // several at once
  await stack.db.processStep.createMany({
    data: [1, 2, 3].map((n) => ({
      processId: victim.processId,
      seq: 100 + n,
      key: 'wbs',
      title: 'Wohnberechtigungsschein',
      status: 'done',
      startedAt: new Date('2026-03-02T08:00:00Z'),
      activeAt: new Date('2026-03-02T08:00:00Z'),
      completedAt: new Date(`2026-03-1${n}T08:00:00Z`),
      deadlineAt: new Date('2026-03-12T08:00:00Z'),
      deadlineDays: 8,
      workingDays: 7 + n,
      chainType: 'move-out',
      holderDepartment: 'wohnungsamt',
    })),
  });
  await expectEqualToRaw();
});

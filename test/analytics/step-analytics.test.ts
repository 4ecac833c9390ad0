// Bottleneck analytics against known timings: chains with steps of known working-day durations across
// months, inserted directly into the read model, and every figure of GET /api/analytics/steps (items,
// months, throughput, the sentence, filters, scope, CSV) checked exactly. One real chain checks that
// the workflow's read-model writes fill the step history (activeAt, holder, deadline, working days).
import { chainDriver } from '../support/chain-helpers';
import { seedChain } from '../support/analytics-seed';
import { eventually, startStack, type Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

let stack: Stack;
let caseworker: string;
let supervisor: string;
let member: string;
let admin: string;
let cwId: string;
let otherId: string;
const PERIOD = 'from=2026-01-01&to=2026-06-30';

beforeAll(async () => {
  stack = await startStack({ workingDaySeconds: 0.05 });
  [caseworker, supervisor, member, admin] = await Promise.all(
    ['fallmanagement@kim.example', 'leitung@kim.example', 'soziale-foerderung@kim.example', 'admin@kim.example'].map((e) => stack.token(e)),
  );
  cwId = (await stack.db.user.findUniqueOrThrow({ where: { email: 'fallmanagement@kim.example' } })).id;
  otherId = (
    await stack.db.user.create({ data: { email: 'andere@kim.example', name: 'Andere', role: 'caseworker', departmentId: '5-53' } })
  ).id;
  const db = stack.db;
  // cost approval at the Jobcenter, deadline 5: 3, 5, 9, 9, 12 working days (February) + one still open (March)
  for (const days of [3, 5, 9, 9, 12]) {
    await seedChain(db, {
      type: 'move-out',
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
  }
  await seedChain(db, {
    type: 'move-out',
    caseworkerId: cwId,
    steps: [
      {
        key: 'cost-approval',
        title: 'Mietübernahme',
        department: 'jobcenter',
        handoff: true,
        activeAt: '2026-03-10T09:00:00+01:00',
        deadlineDays: 5,
      },
    ],
  });
  // readiness in case management, deadline 10: 2, 4, 6 (January)
  for (const days of [2, 4, 6]) {
    await seedChain(db, {
      type: 'move-out',
      caseworkerId: cwId,
      steps: [
        {
          key: 'readiness',
          title: 'Wohnfähigkeit einschätzen',
          department: '5-53',
          activeAt: '2026-01-05T09:00:00+01:00',
          days,
          deadlineDays: 10,
        },
      ],
    });
  }
  // residence check at the Ausländerbehörde, deadline 10: 18, 20 (March) — another caseworker's cases
  for (const days of [18, 20]) {
    await seedChain(db, {
      type: 'move-out',
      caseworkerId: otherId,
      steps: [
        {
          key: 'residence-check',
          title: 'Aufenthaltsstatus',
          department: 'auslaenderbehoerde',
          handoff: true,
          activeAt: '2026-03-02T09:00:00+01:00',
          days,
          deadlineDays: 10,
        },
      ],
    });
  }
  // education/work: one step of 1 working day without deadline (February)
  await seedChain(db, {
    type: 'education-work',
    caseworkerId: cwId,
    steps: [
      { key: 'education-history', title: 'Bildungsweg erfassen', department: '5-53', activeAt: '2026-02-10T09:00:00+01:00', days: 1 },
    ],
  });
  // outside the period (December 2025): must not count
  await seedChain(db, {
    type: 'move-out',
    caseworkerId: cwId,
    steps: [
      {
        key: 'cost-approval',
        title: 'Mietübernahme',
        department: 'jobcenter',
        handoff: true,
        activeAt: '2025-12-01T09:00:00+01:00',
        days: 10,
        deadlineDays: 5,
      },
    ],
  });
}, 120_000);

afterAll(() => stack?.stop());

const get = (token: string, q: string) => stack.api('GET', `/api/analytics/steps?${q}`, { token });

describe('GET /api/analytics/steps on known timings', () => {
  it('per step and department: count, median, 90th percentile (working days), share on time, deadline', async () => {
    const r = await get(supervisor, PERIOD);
    expect(r.status).toBe(200);
    expect(r.body.unit).toBe('Arbeitstage');
    expect(r.body.items).toEqual([
      {
        step: 'residence-check',
        title: 'Aufenthaltsstatus',
        department: 'auslaenderbehoerde',
        count: 2,
        medianDays: 19,
        p90Days: 19.8,
        onTimeShare: 0,
        deadlineDays: 10,
      },
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
      {
        step: 'readiness',
        title: 'Wohnfähigkeit einschätzen',
        department: '5-53',
        count: 3,
        medianDays: 4,
        p90Days: 5.6,
        onTimeShare: 1,
        deadlineDays: 10,
      },
      {
        step: 'education-history',
        title: 'Bildungsweg erfassen',
        department: '5-53',
        count: 1,
        medianDays: 1,
        p90Days: 1,
        onTimeShare: null,
        deadlineDays: null,
      },
    ]);
    expect(r.body.summary).toBe(
      'Aufenthaltsstatus bei der Ausländerbehörde dauert im Median 19 Arbeitstage, Frist 10. ' +
        'Mietübernahme beim Jobcenter dauert im Median 9 Arbeitstage, Frist 5. ' +
        'Wohnfähigkeit einschätzen im Fallmanagement (5-53) dauert im Median 4 Arbeitstage, Frist 10.',
    );
    expect(r.body.slowest.map((s: { step: string }) => s.step)).toEqual(['residence-check', 'cost-approval', 'readiness']);
  });

  it('per month: every month of the period, empty months included', async () => {
    const r = await get(supervisor, PERIOD);
    expect(r.body.months).toEqual([
      { month: '2026-01', count: 3, medianDays: 4, p90Days: 5.6, onTimeShare: 1 },
      { month: '2026-02', count: 6, medianDays: 7, p90Days: 10.5, onTimeShare: 0.4 },
      { month: '2026-03', count: 2, medianDays: 19, p90Days: 19.8, onTimeShare: 0 },
      { month: '2026-04', count: 0, medianDays: null, p90Days: null, onTimeShare: null },
      { month: '2026-05', count: 0, medianDays: null, p90Days: null, onTimeShare: null },
      { month: '2026-06', count: 0, medianDays: null, p90Days: null, onTimeShare: null },
    ]);
  });

  it('throughput: steps entering (became active) and leaving (done) in the period', async () => {
    const r = await get(supervisor, PERIOD);
    expect(r.body.throughput).toEqual([
      { step: 'cost-approval', title: 'Mietübernahme', department: 'jobcenter', entered: 6, left: 5 },
      { step: 'education-history', title: 'Bildungsweg erfassen', department: '5-53', entered: 1, left: 1 },
      { step: 'readiness', title: 'Wohnfähigkeit einschätzen', department: '5-53', entered: 3, left: 3 },
      { step: 'residence-check', title: 'Aufenthaltsstatus', department: 'auslaenderbehoerde', entered: 2, left: 2 },
    ]);
  });

  it('filters by chain type, department and period', async () => {
    const edu = await get(supervisor, `${PERIOD}&type=education-work`);
    expect(edu.body.items.map((i: { step: string }) => i.step)).toEqual(['education-history']);
    const jc = await get(supervisor, `${PERIOD}&department=jobcenter`);
    expect(jc.body.items.map((i: { step: string; count: number }) => [i.step, i.count])).toEqual([['cost-approval', 5]]);
    const dec = await get(supervisor, 'from=2025-12-01&to=2025-12-31');
    expect(dec.body.items).toEqual([
      {
        step: 'cost-approval',
        title: 'Mietübernahme',
        department: 'jobcenter',
        count: 1,
        medianDays: 10,
        p90Days: 10,
        onTimeShare: 0,
        deadlineDays: 5,
      },
    ]);
    const jan = await get(supervisor, 'from=2026-01-01&to=2026-01-31');
    expect(jan.body.items.map((i: { step: string }) => i.step)).toEqual(['readiness']);
  });

  it('access: admins see all, caseworkers only their own cases, department members nothing', async () => {
    expect((await get(admin, PERIOD)).body.items).toHaveLength(4);
    const own = await get(caseworker, PERIOD);
    expect(own.status).toBe(200);
    expect(own.body.scope).toBe('own');
    expect(own.body.items.map((i: { step: string }) => i.step)).toEqual(['cost-approval', 'readiness', 'education-history']);
    expect((await get(member, PERIOD)).status).toBe(403);
  });

  it('bad filters → 400 naming the field', async () => {
    const r = await get(supervisor, 'from=2026-13-01');
    expect(r.status).toBe(400);
    expect(r.body.error.details[0].field).toBe('from');
    const r2 = await get(supervisor, 'from=2026-05-01&to=2026-01-01');
    expect(r2.status).toBe(400);
    expect(r2.body.error.details[0].field).toBe('from');
    expect((await get(supervisor, 'type=%3Cscript%3E')).status).toBe(400);
  });

  it('CSV for German Excel: BOM, semicolons, decimal comma', async () => {
    const res = await fetch(`${stack.url}/api/analytics/steps.csv?${PERIOD}`, { headers: { authorization: `Bearer ${supervisor}` } });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe(
      'Zeitraum von;bis;Kette;Schritt;Stelle;Abgeschlossen;Median (Arbeitstage);90. Perzentil (Arbeitstage);Frist (Arbeitstage);Anteil fristgerecht (%)',
    );
    expect(lines[2]).toBe('2026-01-01;2026-06-30;alle;Mietübernahme;Jobcenter;5;9;10,8;5;40');
  });

  it('the real chain fills the step history when it runs', async () => {
    const d = chainDriver(stack, caseworker);
    const c = await d.newCase();
    const started = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
    expect(started.status).toBe(201);
    await d.complete(started.body.id, 'readiness', 'ready');
    const row = await eventually(() =>
      stack.db.processStep.findFirst({ where: { processId: started.body.id, key: 'readiness', status: 'done' } }),
    );
    expect(row.chainType).toBe('move-out');
    expect(row.holderDepartment).toBe('5-53');
    expect(row.activeAt).toBeInstanceOf(Date);
    expect(row.workingDays).toBe(0);
    expect(row.deadlineAt).toBeInstanceOf(Date);
    const next = await eventually(() =>
      stack.db.processStep.findFirst({ where: { processId: started.body.id, key: 'residence-check', activeAt: { not: null } } }),
    );
    expect(next.holderDepartment).toBe('auslaenderbehoerde');
  }, 60_000);
});

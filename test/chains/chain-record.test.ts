// The chain record as one statement (issue 17, P1; activities/chain-record.ts): the read model's writes of
// a transition — process row, step rows with their history, event, audit — in ONE round-trip, written once
// however often the activity runs (retried, or a retry while the first attempt still runs), and the working
// days counted in SQL exactly as core/domain/working-days.ts counts them. The records here are written
// straight through the activity against a chain whose workflow has no worker, so nothing else writes.
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { createChainActivities } from '../../activities/chain';
import { PrismaClient } from '../../core/db/generated/client';
import type { ProcessRecord } from '../../core/domain/chains/effects';
import type { ChainState, CurrentStep } from '../../core/domain/chains/state';
import { addWorkingDays, workingDaysBetween } from '../../core/domain/working-days';
import { chainDriver } from '../support/chain-helpers';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let caseworker: string;
let counted: PrismaClient;
let pool: pg.Pool;
/** round-trips to PostgreSQL through `counted` (every query of a pool client, BEGIN and COMMIT included) */
let roundTrips = 0;

beforeAll(async () => {
  stack = await startStack({ worker: false });
  caseworker = await stack.token('fallmanagement@kim.example');
  pool = new pg.Pool({ connectionString: stack.databaseUrl, max: 4 });
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...a: unknown[]) => unknown;
    (client as unknown as { query: (...a: unknown[]) => unknown }).query = (...a: unknown[]) => {
      roundTrips++;
      return query(...a);
    };
  });
  counted = new PrismaClient({ adapter: new PrismaPg(pool) });
});
afterAll(async () => {
  await counted?.$disconnect();
  await pool?.end().catch(() => {});
  await stack?.stop();
});

/** a chain started through the API (its row and first step written by the start); no worker runs its workflow */
async function newChain() {
  const d = chainDriver(stack, caseworker);
  const c = await d.newCase();
  const r = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
  expect(r.status).toBe(201);
  return { processId: r.body.id as string, caseId: c.id };
}

function step(key: string, seq: number, extra: Partial<CurrentStep> = {}): CurrentStep {
  return {
    key,
    seq,
    phase: 'active',
    startedAt: new Date().toISOString(),
    reminders: 0,
    pings: 0,
    escalated: false,
    reviewed: false,
    overdue: false,
    ...extra,
  };
}

function record(
  processId: string,
  caseId: string,
  seq: number,
  event: string,
  s: Partial<ChainState>,
  details?: Record<string, unknown>,
): ProcessRecord {
  const state: ChainState = {
    processId,
    caseId,
    type: 'move-out',
    version: 1,
    status: 'running',
    done: [],
    facts: {},
    assigneeId: undefined,
    seq,
    stepSeq: 0,
    runs: 0,
    ...s,
  };
  return {
    processId,
    seq,
    event,
    actor: { kind: 'system' },
    details,
    state,
    titles: { current: state.current ? `Titel ${state.current.key}` : undefined, step: 'Bereitschaft' },
  };
}

async function readModel(processId: string) {
  const [p, steps, events, audits] = await Promise.all([
    stack.db.process.findUniqueOrThrow({ where: { id: processId } }),
    stack.db.processStep.findMany({ where: { processId }, orderBy: { seq: 'asc' } }),
    stack.db.processEvent.findMany({ where: { processId }, orderBy: { seq: 'asc' } }),
    stack.db.auditEvent.findMany({ where: { entityId: processId, action: { startsWith: 'process.' } }, orderBy: { id: 'asc' } }),
  ]);
  return { p, steps, events, audits };
}

it('kim_working_days counts as workingDaysBetween (Berlin calendar, NRW holidays, DST), NULL in → NULL out', async () => {
  // a fixed pseudo-random sample over 1990–2060, plus instants around midnight in Berlin and around the DST switches
  let x = 17;
  const rnd = () => (x = (x * 48_271) % 2_147_483_647) / 2_147_483_647;
  const pairs: Array<[Date, Date]> = [];
  for (let i = 0; i < 600; i++) {
    const a = new Date(Date.UTC(1990, 0, 1) + rnd() * 70 * 365 * 86_400_000);
    const b = new Date(a.getTime() + (rnd() - 0.1) * (i % 3 === 0 ? 800 : 40) * 86_400_000);
    pairs.push([a, b]);
  }
  for (const t of [
    '2026-03-28T22:59:59.999Z',
    '2026-03-28T23:00:00.000Z',
    '2026-10-24T21:59:59.999Z',
    '2026-10-24T22:00:00.000Z',
    '2026-12-31T23:30:00.000Z',
  ])
    for (const days of [0, 1, 3, 11])
      pairs.push([new Date(t), addWorkingDays(new Date(t), days)], [new Date(t), new Date(Date.parse(t) + days * 3_600_000)]);
  const rows = await stack.db.$queryRaw<Array<{ n: number }>>`
    SELECT kim_working_days(a::timestamptz AT TIME ZONE 'UTC', b::timestamptz AT TIME ZONE 'UTC') AS n
    FROM unnest(${pairs.map((p) => p[0].toISOString())}::text[], ${pairs.map((p) => p[1].toISOString())}::text[]) WITH ORDINALITY AS x(a, b, i)
    ORDER BY i`;
  expect(rows.map((r) => r.n)).toEqual(pairs.map(([a, b]) => workingDaysBetween(a, b)));
  const [nulls] = await stack.db.$queryRaw<Array<{ n: number | null }>>`SELECT kim_working_days(NULL, now()::timestamp) AS n`;
  expect(nulls.n).toBeNull();
});

it('a transition is one round-trip; a retry — also while the first attempt runs — writes nothing twice', async () => {
  const { processId, caseId } = await newChain();
  const activities = createChainActivities({ db: counted, publicUrl: stack.url });
  const due = addWorkingDays(new Date(), 5).toISOString();
  const readiness = step('readiness', 1, { dueAt: due });
  const check = step('residence-check', 2);
  const recs = [
    record(processId, caseId, 1, 'chain.started', {}, { type: 'move-out', version: 1 }),
    record(processId, caseId, 2, 'step.started', { current: readiness, stepSeq: 1 }),
    record(
      processId,
      caseId,
      3,
      'step.completed',
      {
        current: check,
        stepSeq: 2,
        done: [{ key: 'readiness', seq: 1, outcome: 'ready', completedAt: new Date().toISOString() }],
      },
      { step: 'readiness', outcome: 'ready' },
    ),
  ];
  recs[2].stepData = { note: 1 };
  for (const r of recs) {
    roundTrips = 0;
    expect(await activities.recordProcess(r)).toBe('recorded');
    expect(roundTrips).toBe(1);
    const once = await readModel(processId);
    // the same record again, twice at the same time: nothing written, both answered
    roundTrips = 0;
    expect(await Promise.all([activities.recordProcess(r), activities.recordProcess(r)])).toEqual(['duplicate', 'duplicate']);
    expect(roundTrips).toBe(4); // each: its statement, then the read of the record under its seq
    expect(await readModel(processId)).toEqual(once);
  }
  const { p, steps, events, audits } = await readModel(processId);
  expect(events.map((e) => `${e.seq}:${e.event}:${e.step}`)).toEqual([
    '1:chain.started:null',
    '2:step.started:readiness',
    '3:step.completed:readiness',
  ]);
  expect(audits.map((a) => a.action)).toEqual(['process.start', 'process.chain.started', 'process.step.started', 'process.step.completed']);
  expect(audits[3].details).toEqual({ seq: 3, step: 'readiness' });
  expect(p).toMatchObject({
    status: 'running',
    currentStep: 'residence-check',
    currentTitle: 'Titel residence-check',
    currentStatus: 'active',
    dueAt: null,
    overdue: false,
  });
  const [first, second] = steps;
  expect(steps).toHaveLength(2);
  expect(first).toMatchObject({
    seq: 1,
    key: 'readiness',
    status: 'done',
    outcome: 'ready',
    data: { note: 1 },
    chainType: 'move-out',
    workingDays: 0,
    deadlineDays: 5,
  });
  expect(first.deadlineAt?.toISOString()).toBe(due);
  expect(first.activeAt).not.toBeNull();
  expect(second).toMatchObject({
    seq: 2,
    key: 'residence-check',
    status: 'active',
    completedAt: null,
    deadlineAt: null,
    deadlineDays: null,
  });
  expect(second.activeAt).not.toBeNull();
});

it('first attempt and its retry at the same time: one records, the other is told it is a duplicate', async () => {
  const { processId, caseId } = await newChain();
  const activities = createChainActivities({ db: counted, publicUrl: stack.url });
  const r = record(processId, caseId, 1, 'step.started', { current: step('readiness', 1), stepSeq: 1 });
  const results = await Promise.all([activities.recordProcess(r), activities.recordProcess(r), activities.recordProcess(r)]);
  expect(results.sort()).toEqual(['duplicate', 'duplicate', 'recorded']);
  const { steps, events, audits } = await readModel(processId);
  expect(events).toHaveLength(1);
  expect(audits.map((a) => a.action)).toEqual(['process.start', 'process.step.started']);
  expect(steps.map((s) => `${s.seq}:${s.key}:${s.status}`)).toEqual(['1:readiness:active']);
});

it('an older record arriving after a newer one leaves the process row and the open steps as the newer one wrote them', async () => {
  const { processId, caseId } = await newChain();
  const activities = createChainActivities({ db: counted, publicUrl: stack.url });
  expect(
    await activities.recordProcess(
      record(processId, caseId, 2, 'chain.held', { status: 'on_hold', current: step('readiness', 1, { phase: 'active' }), reason: 'x' }),
    ),
  ).toBe('recorded');
  const newer = await readModel(processId);
  expect(
    await activities.recordProcess(record(processId, caseId, 1, 'step.started', { current: step('readiness', 1, { phase: 'waiting' }) })),
  ).toBe('recorded');
  const after = await readModel(processId);
  expect(after.p).toEqual(newer.p);
  expect(after.steps).toEqual(newer.steps);
  expect(after.events.map((e) => e.seq)).toEqual([1, 2]);
});

// The move-out chain walked end to end on the real stack with short days: every loop (readiness
// re-assessment, viewing declined → offer, cost approval rejected → offer), the § 12a branch, the
// weekly offer reminder and the supervisor review, routing by benefit type, the shelter-place release
// due on the move-in date, after-care check-ins, closure. Departments act through e-mail links.
import { chainDriver } from '../support/chain-helpers';
import { recordHistory } from '../support/histories';
import { eventually, startStack, type Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

const DAY = 0.1; // seconds per (working) day
let stack: Stack;
let caseworker: string;
let d: ReturnType<typeof chainDriver>;

beforeAll(async () => {
  stack = await startStack({ workingDaySeconds: DAY });
  caseworker = await stack.token('fallmanagement@kim.example');
  d = chainDriver(stack, caseworker);
});
afterAll(() => stack?.stop());

it('walks every loop and branch of the move-out chain to closure', async () => {
  const c = await d.newCase({ benefitType: 'sgb2' });
  const start = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
  expect(start.status).toBe(201);
  const id = start.body.id as string;
  const again = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
  expect(again.status).toBe(409);
  expect(again.body.error.id).toBe(id);

  // readiness → support needed → training phase (a wait) → re-assessment
  await d.complete(id, 'readiness', 'support-needed', { assessment: 'Training Haushaltsführung' });
  const waiting = await d.at(id, 'training', 'waiting');
  const early = await stack.api('POST', `/api/processes/${id}/steps/training/complete`, { token: caseworker, body: { outcome: 'done' } });
  expect(early.status).toBe(409); // not active yet
  expect(waiting.currentStep.dueAt).not.toBeNull();
  await d.complete(id, 'training', 'done');
  await d.complete(id, 'readiness', 'ready');

  // § 12a branch: residence obligation blocks → application to lift it → lifted
  await d.departmentActs(id, 'residence-check', 'accept');
  await d.departmentActs(id, 'residence-check', 'complete', { outcome: 'blocked' });
  await d.departmentActs(id, 'residence-application', 'complete', { outcome: 'lifted' });
  await d.departmentActs(id, 'wbs', 'complete', { outcome: 'issued', 'data.rooms': '3' });

  // invalid input and wrong step
  await d.at(id, 'search-profile');
  const missing = await stack.api('POST', `/api/processes/${id}/steps/search-profile/complete`, {
    token: caseworker,
    body: { outcome: 'done', data: { rooms: 3 } },
  });
  expect(missing.status).toBe(400);
  expect(missing.body.error.details.map((x: { field: string }) => x.field)).toContain('data.rentCap');
  const badOutcome = await stack.api('POST', `/api/processes/${id}/steps/search-profile/complete`, {
    token: caseworker,
    body: { outcome: 'maybe' },
  });
  expect(badOutcome.status).toBe(400);
  const notCurrent = await stack.api('POST', `/api/processes/${id}/steps/lease/complete`, {
    token: caseworker,
    body: { outcome: 'signed', data: { moveInDate: '2027-01-01' } },
  });
  expect(notCurrent.status).toBe(409);
  await d.complete(id, 'search-profile', 'done', { rooms: 3, rentCap: 720, area: 'Bensberg' });

  // offer: weekly reminder to the caseworker, supervisor review after 3 months without offer
  await d.at(id, 'offer');
  await eventually(
    () =>
      stack.capture
        .list({ to: 'fallmanagement@kim.example' })
        .some((m) => m.subject.startsWith('[KIM] Erinnerung: Wohnungsangebot abwarten') && m.subject.includes(c.reference)),
    30_000,
  );
  await eventually(
    () =>
      stack.capture
        .list({ to: 'leitung@kim.example' })
        .some((m) => m.subject.startsWith('[KIM] Fallbesprechung: Wohnungsangebot abwarten') && m.subject.includes(c.reference)),
    30_000,
  );
  await d.complete(id, 'offer', 'received', { landlord: 'GWG' });
  await d.complete(id, 'viewing', 'declined', { date: '2026-12-01' }); // back to offer
  await d.complete(id, 'offer', 'received');
  await d.complete(id, 'viewing', 'accepted', { date: '2026-12-08' });
  await d.complete(id, 'rent-offer', 'received', { rent: 650 });

  // cost approval goes to the Jobcenter (SGB II); rejected → back to offer
  const p1 = await d.at(id, 'cost-approval', 'handoff');
  expect(p1.currentStep.department).toBe('jobcenter');
  await d.departmentActs(id, 'cost-approval', 'complete', { outcome: 'rejected', 'data.note': 'zu teuer' });
  await d.complete(id, 'offer', 'received');
  await d.complete(id, 'viewing', 'accepted', { date: '2026-12-15' });
  await d.complete(id, 'rent-offer', 'received', { rent: 610 });
  await d.departmentActs(id, 'cost-approval', 'accept');
  await d.departmentActs(id, 'cost-approval', 'complete', { outcome: 'approved', 'data.approvedRent': '610' });
  await d.departmentActs(id, 'deposit', 'complete', { outcome: 'approved' });
  await d.complete(id, 'lease', 'signed', { moveInDate: '2027-01-15' });
  await d.departmentActs(id, 'furnishing', 'complete', { outcome: 'approved' });

  // move: the shelter place release goes to 5-50, due on the move-in date
  const move = await d.at(id, 'move', 'handoff');
  expect(move.currentStep.department).toBe('5-50');
  const taskId = await d.departmentActs(id, 'move', 'accept');
  const task = await stack.db.task.findUniqueOrThrow({ where: { id: taskId } });
  expect(task.dueAt?.toISOString().slice(0, 10)).toBe('2027-01-15');
  await d.departmentActs(id, 'move', 'complete', { outcome: 'released' });
  await d.complete(id, 'registration', 'done', { registeredOn: '2027-01-20' });

  // after-care: check-ins after 2, 6 and 12 weeks (waits), then closure
  for (const [key, outcome] of [
    ['aftercare-2w', 'ok'],
    ['aftercare-6w', 'needs-support'],
    ['aftercare-12w', 'closed'],
  ]) {
    await d.at(id, key, 'waiting');
    await d.complete(id, key, outcome);
  }
  const done = await eventually(async () => {
    const p = await d.process(id);
    return p.status === 'completed' ? p : undefined;
  });
  expect(done.currentStep).toBeNull();
  const keys = done.stepRuns.filter((s: { status: string }) => s.status === 'done').map((s: { key: string }) => s.key);
  expect(keys).toEqual([
    'readiness',
    'training',
    'readiness',
    'residence-check',
    'residence-application',
    'wbs',
    'search-profile',
    'offer',
    'viewing',
    'offer',
    'viewing',
    'rent-offer',
    'cost-approval',
    'offer',
    'viewing',
    'rent-offer',
    'cost-approval',
    'deposit',
    'lease',
    'furnishing',
    'move',
    'registration',
    'aftercare-2w',
    'aftercare-6w',
    'aftercare-12w',
  ]);
  // no step repeated by the engine: each step instance was recorded once
  const completedEvents = done.history.filter((h: { event: string }) => h.event === 'step.completed');
  expect(completedEvents).toHaveLength(keys.length);
  expect(done.history.map((h: { event: string }) => h.event)).toEqual(
    expect.arrayContaining(['chain.started', 'step.reminder', 'step.review', 'chain.completed']),
  );

  // a new chain of the same type may start once the first is completed
  const finished = await stack.client.workflow.getHandle(`chain-${c.id}-move-out`).result();
  expect(finished.status).toBe('completed');
  await recordHistory(stack, `chain-${c.id}-move-out`, 'move-out-v1-complete');
  await recordHistory(stack, `handoff-${taskId}`, 'handoff-shelter-release');
  const second = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
  expect(second.body).toEqual({ id: expect.any(String) });
  expect(second.status).toBe(201);
  const caseView = await stack.api('GET', `/api/cases/${c.id}`, { token: caseworker });
  expect(caseView.body.chains.map((x: { status: string }) => x.status).sort()).toEqual(['completed', 'running']);
}, 180_000);

// Every caseworker and department action is idempotent: the form submission (its one-time `_key`) or
// the API's Idempotency-Key header becomes the Temporal update id, so a double submit — two clicks,
// a retried request — runs the action once and answers both with its result. Two different actions
// arriving together: the first wins, the second is refused (the engine changes state before awaiting).
import { chainDriver } from '../support/chain-helpers';
import { FormClient, hidden } from '../support/form-client';
import { hashPassword } from '../../core/passwords';
import { DEMO_PASSWORD, eventually, startStack, type Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

let stack: Stack;
let caseworker: string;
let d: ReturnType<typeof chainDriver>;

beforeAll(async () => {
  stack = await startStack({ workingDaySeconds: 60 });
  caseworker = await stack.token('fallmanagement@kim.example');
  d = chainDriver(stack, caseworker);
});
afterAll(() => stack?.stop());

async function newChain() {
  const c = await d.newCase({ benefitType: 'sgb2' });
  const r = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
  expect(r.status).toBe(201);
  await d.at(r.body.id, 'readiness');
  return r.body.id as string;
}

const completedEvents = async (processId: string, step: string) =>
  stack.db.processEvent.count({ where: { processId, step, event: { in: ['step.completed', 'step.skipped'] } } });

it('the same Idempotency-Key twice at once: both answered 200 with the same state, the step completed once', async () => {
  const id = await newChain();
  const send = () =>
    stack.api('POST', `/api/processes/${id}/steps/readiness/complete`, {
      token: caseworker,
      body: { outcome: 'ready' },
      headers: { 'idempotency-key': `twice-${id}` },
    });
  const [a, b] = await Promise.all([send(), send()]);
  expect([a.status, b.status]).toEqual([200, 200]);
  expect(b.body.current?.key ?? b.body.currentStep?.key).toBe(a.body.current?.key ?? a.body.currentStep?.key);
  const later = await send(); // a retry after the answer: still the first result, nothing new
  expect(later.status).toBe(200);
  await d.at(id, 'residence-check', ['handoff', 'consent']);
  expect(await completedEvents(id, 'readiness')).toBe(1);
});

it('two different submissions of the same step at once: one completes it, the other gets 409', async () => {
  const id = await newChain();
  const send = (key: string) =>
    stack.api('POST', `/api/processes/${id}/steps/readiness/complete`, {
      token: caseworker,
      body: { outcome: 'ready' },
      headers: { 'idempotency-key': key },
    });
  const replies = await Promise.all([send(`one-${id}`), send(`two-${id}`)]);
  expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
  expect(await completedEvents(id, 'readiness')).toBe(1);
});

it('a double-clicked form on the process page: both posts end on the process page, the step completed once', async () => {
  const id = await newChain();
  const browser = new FormClient(stack.url);
  await browser.login('fallmanagement@kim.example');
  const page = await browser.get(`/prozesse/${id}`);
  expect(page.status).toBe(200);
  const form = { _csrf: hidden(page.text, '_csrf'), _key: hidden(page.text, '_key'), outcome: 'ready' };
  const [a, b] = await Promise.all([
    browser.post(`/prozesse/${id}/schritte/readiness`, form),
    browser.post(`/prozesse/${id}/schritte/readiness`, form),
  ]);
  expect([a.status, b.status]).toEqual([303, 303]);
  expect(a.location).toBe(`/prozesse/${id}?ok=schritt`);
  expect(b.location).toBe(a.location);
  await eventually(async () => ((await completedEvents(id, 'readiness')) === 1 ? true : undefined));
  await d.at(id, 'residence-check', ['handoff', 'consent']);
  expect(await completedEvents(id, 'readiness')).toBe(1);
});

it('a department accepting twice with the same key (API): one acceptance, both answered 200', async () => {
  const id = await newChain();
  await d.complete(id, 'readiness', 'ready');
  const p = await d.at(id, 'residence-check', 'handoff');
  const taskId = [...p.steps].reverse().find((s: { key: string }) => s.key === 'residence-check').taskId as string;
  await stack.db.user.create({
    data: {
      email: 'abh.idem@kim.example',
      name: 'ABH',
      role: 'department_member',
      departmentId: 'auslaenderbehoerde',
      passwordHash: await hashPassword(DEMO_PASSWORD),
    },
  });
  const token = await stack.token('abh.idem@kim.example');
  const send = () => stack.api('POST', `/api/tasks/${taskId}/accept`, { token, headers: { 'idempotency-key': `accept-${taskId}` } });
  const [a, b] = await Promise.all([send(), send()]);
  expect([a.status, b.status]).toEqual([200, 200]);
  expect(await stack.db.taskEvent.count({ where: { taskId, event: 'accepted' } })).toBe(1);
});

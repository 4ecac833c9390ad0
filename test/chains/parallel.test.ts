// Chains v2 (issue 14): parallel branches and end codes, end to end on the real stack. Move-out v2
// forks into the residence check and the WBS; both handoffs go out at once and the departments act
// through their mail links. One branch is declined and retried while the other completes; the chain
// joins when both are done. A refused residence application ends the chain at once with its end code
// (the WBS branch cancelled); the dashboard counts ended chains by end code. A v1 chain started before
// v2 was published keeps running on v1 beside them.
import { chainWorkflowId } from '../../core/domain/chains/state';
import { chainDriver } from '../support/chain-helpers';
import { shipAllVersions, startNewChainsOnV1 } from '../support/chain-versions';
import { recordHistory } from '../support/histories';
import { FormClient } from '../support/form-client';
import { eventually, startStack, type Stack } from '../support/stack';

let stack: Stack;
let caseworker: string;
let supervisor: string;
let d: ReturnType<typeof chainDriver>;
let v1: { id: string; caseId: string };

beforeAll(async () => {
  stack = await startStack({ workingDaySeconds: 0.5 });
  [caseworker, supervisor] = await Promise.all([stack.token('fallmanagement@kim.example'), stack.token('leitung@kim.example')]);
  d = chainDriver(stack, caseworker);
  // a chain started on v1 before v2 is shipped
  startNewChainsOnV1();
  const c = await d.newCase();
  const r = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
  v1 = { id: r.body.id, caseId: c.id };
  shipAllVersions();
});
afterAll(() => stack?.stop());

async function startV2() {
  const c = await d.newCase();
  const r = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
  expect(r.status).toBe(201);
  return r.body.id as string;
}
const keys = (steps: Array<{ key: string }>) => steps.map((s) => s.key).sort();
const stepOf = (p: { steps: Array<{ key: string }> }, key: string) => p.steps.find((s) => s.key === key) as Record<string, unknown>;

it('fork/join via mail links: one branch declined and retried while the other completes; joins when both are done', async () => {
  const id = await startV2();
  await d.complete(id, 'readiness', 'ready');
  // both branches are handed off at the same time: two current steps
  const both = await eventually(async () => {
    const p = await d.process(id);
    return p.currentSteps.filter((s: { status: string }) => s.status === 'handoff').length === 2 ? p : undefined;
  });
  expect(both.version).toBe(2);
  expect(keys(both.currentSteps)).toEqual(['residence-check', 'wbs']);
  expect(both.currentStep.key).toBe('residence-check');
  expect(both.currentSteps.find((s: { key: string }) => s.key === 'wbs').department).toBe('wohnungsamt');
  expect(stepOf(both, 'checks')).toMatchObject({ status: 'current', phase: 'forked' });
  // the process page shows both branches (the first with its actions, the other listed)
  const browser = new FormClient(stack.url);
  await browser.login('fallmanagement@kim.example');
  const page = await browser.get(`/prozesse/${id}`);
  expect(page.status).toBe(200);
  expect(page.text).toContain('Weitere offene Schritte (parallel)');
  expect(page.text).toContain('Wohnberechtigungsschein');
  const list = await stack.api('GET', `/api/processes?type=move-out&status=running&limit=200`, { token: caseworker });
  expect(keys(list.body.items.find((p: { id: string }) => p.id === id).currentSteps)).toEqual(['residence-check', 'wbs']);

  // the Wohnungsamt declines: only the WBS branch returns to the caseworker
  const firstWbsTask = await d.departmentActs(id, 'wbs', 'decline', { reason: 'Unterlagen fehlen' });
  const returned = await d.at(id, 'wbs', 'returned');
  expect(returned.currentSteps.find((s: { key: string }) => s.key === 'residence-check').status).toBe('handoff');
  // meanwhile the Ausländerbehörde completes its branch
  await d.departmentActs(id, 'residence-check', 'complete', { outcome: 'clear' });
  const one = await eventually(async () => {
    const p = await d.process(id);
    return p.currentSteps.length === 1 ? p : undefined;
  });
  expect(one.currentStep).toMatchObject({ key: 'wbs', status: 'returned' });
  expect(stepOf(one, 'residence-check')).toMatchObject({ status: 'done', outcome: 'clear' });
  expect(one.status).toBe('running');

  // the caseworker hands the WBS over again; the department completes it; the branches join
  await d.complete(id, 'wbs', 'retry');
  const secondWbsTask = await d.departmentActs(id, 'wbs', 'complete', { outcome: 'issued' });
  expect(secondWbsTask).not.toBe(firstWbsTask);
  const joined = await d.at(id, 'search-profile', 'active');
  expect(joined.currentSteps).toHaveLength(1);
  expect(stepOf(joined, 'checks')).toMatchObject({ status: 'done', outcome: 'joined' });
  expect(stepOf(joined, 'wbs')).toMatchObject({ status: 'done', outcome: 'issued', runs: 1 });
  const events = joined.history.map((h: { event: string; step: string | null }) => `${h.event}:${h.step ?? ''}`);
  expect(events).toEqual(
    expect.arrayContaining([
      'step.forked:checks',
      'step.returned:wbs',
      'step.retry:wbs',
      'step.completed:checks',
      'step.started:search-profile',
    ]),
  );
  expect(await stack.db.task.count({ where: { processId: id } })).toBe(3); // residence-check, wbs, wbs again
});

it('a refused residence application ends the chain at once with its end code; the WBS branch is cancelled; the dashboard counts by end code', async () => {
  const id = await startV2();
  await d.complete(id, 'readiness', 'ready');
  await d.at(id, 'wbs', 'handoff');
  await d.departmentActs(id, 'residence-check', 'complete', { outcome: 'blocked' });
  await d.departmentActs(id, 'residence-application', 'complete', { outcome: 'refused' });
  const ended = await eventually(async () => {
    const p = await d.process(id);
    return p.status === 'completed' ? p : undefined;
  });
  expect(ended.endCode).toBe('not-moved-residence-obligation');
  expect(ended.currentSteps).toEqual([]);
  expect(stepOf(ended, 'wbs')).toMatchObject({ status: 'cancelled' });
  expect(stepOf(ended, 'checks')).toMatchObject({ status: 'done', outcome: 'blocked' });
  // the v2 history (fork, early join, end code) is replayed by test/replay.test.ts
  const workflowId = chainWorkflowId(ended.caseId, 'move-out');
  await stack.client.workflow.getHandle(workflowId).result();
  await recordHistory(stack, workflowId, 'move-out-v2-fork-blocked-batched');
  const wbsTask = await stack.db.task.findFirstOrThrow({ where: { processId: id, stepKey: 'wbs' } });
  await eventually(async () =>
    (await stack.db.task.findUnique({ where: { id: wbsTask.id } }))?.status === 'cancelled' ? true : undefined,
  );

  // another person withdraws: end code `withdrawn`
  const other = await startV2();
  await d.complete(other, 'readiness', 'withdrawn');
  await eventually(async () => ((await d.process(other)).endCode === 'withdrawn' ? true : undefined));

  const dash = await stack.api('GET', '/api/dashboard', { token: supervisor });
  expect(dash.status).toBe(200);
  const byCode = Object.fromEntries(
    dash.body.endedByEndCode
      .filter((r: { type: string }) => r.type === 'move-out')
      .map((r: { endCode: string; count: number; label: string }) => [r.endCode, r]),
  );
  expect(byCode['not-moved-residence-obligation']).toMatchObject({ count: 1, label: 'nicht ausgezogen: Wohnsitzauflage' });
  expect(byCode.withdrawn).toMatchObject({ count: 1, label: 'von der Person zurückgezogen' });
  const browser = new FormClient(stack.url);
  await browser.login('leitung@kim.example');
  const page = await browser.get('/leitung');
  expect(page.status).toBe(200);
  expect(page.text).toContain('Beendete Ketten nach Abschluss');
  expect(page.text).toContain('nicht ausgezogen: Wohnsitzauflage');
});

it('v1 and v2 side by side: the chain started on v1 keeps v1 (no fork), new chains run v2', async () => {
  const v2 = await startV2();
  await d.complete(v2, 'readiness', 'ready');
  await d.complete(v1.id, 'readiness', 'ready');
  const old = await d.at(v1.id, 'residence-check', 'handoff');
  expect(old.version).toBe(1);
  expect(old.currentSteps).toHaveLength(1); // v1: one step at a time, the WBS after the residence check
  expect(old.steps.map((s: { key: string }) => s.key)).not.toContain('checks');
  const neu = await d.at(v2, 'wbs', 'handoff');
  expect(neu.version).toBe(2);
  expect(neu.steps.map((s: { key: string }) => s.key).slice(0, 3)).toEqual(['readiness', 'training', 'checks']);
  await d.departmentActs(v1.id, 'residence-check', 'complete', { outcome: 'clear' });
  await d.at(v1.id, 'wbs', 'handoff');
  expect((await d.process(v1.id)).endCode).toBeNull();
});

// The education/work chain: adult path (optional recognition skipped, counselling routed by benefit
// type, measure, placement, follow-up), the school-place branch for minors with its retry loop, and a
// declined handoff returned to the caseworker and handed over again.
import { chainDriver } from '../support/chain-helpers';
import { recordHistory } from '../support/histories';
import { eventually, startStack, type Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

let stack: Stack;
let caseworker: string;
let d: ReturnType<typeof chainDriver>;

beforeAll(async () => {
  stack = await startStack({ workingDaySeconds: 0.05 });
  caseworker = await stack.token('fallmanagement@kim.example');
  d = chainDriver(stack, caseworker);
});
afterAll(() => stack?.stop());

async function start(person: Record<string, unknown>) {
  const c = await d.newCase(person);
  const r = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'education-work' } });
  expect(r.status).toBe(201);
  return { c, id: r.body.id as string };
}

const ended = (id: string) =>
  eventually(async () => {
    const p = await d.process(id);
    return p.status === 'completed' ? p : undefined;
  });
const doneKeys = (p: { stepRuns: Array<{ key: string; status: string }> }) =>
  p.stepRuns.filter((s) => s.status === 'done' || s.status === 'skipped').map((s) => `${s.key}:${s.status}`);

it('adult: optional recognition skipped (its handoff cancelled), counselling at the Agentur, measure, placement, follow-up', async () => {
  const { c, id } = await start({ benefitType: 'asylblg', birthDate: '1995-03-01' });
  await d.complete(id, 'education-history', 'recognition-needed', { qualification: 'Bachelor Informatik' });
  const rec = await d.at(id, 'recognition', 'handoff');
  expect(rec.currentStep.department).toBe('anerkennungsberatung');
  const notOptional = await stack.api('POST', `/api/processes/${id}/steps/recognition/complete`, {
    token: caseworker,
    body: { outcome: 'recognised' },
  });
  expect(notOptional.status).toBe(409); // the result comes from the department
  await d.complete(id, 'recognition', 'skip');
  await eventually(() =>
    stack.capture
      .list({ to: 'anerkennung@kim.example' })
      .some((m) => m.subject.startsWith('[KIM] Abgebrochen') && m.subject.includes(c.reference)),
  );
  await d.complete(id, 'language-course', 'enrolled', { provider: 'VHS', start: '2027-02-01' });
  const counselling = await d.at(id, 'counselling', 'handoff');
  expect(counselling.currentStep.department).toBe('agentur-fuer-arbeit');
  await d.departmentActs(id, 'counselling', 'complete', { outcome: 'done' });
  await d.departmentActs(id, 'measure', 'complete', { outcome: 'finished' });
  await d.complete(id, 'placement', 'work', { employer: 'Stadtwerke' });
  await d.at(id, 'follow-up', 'waiting');
  await d.complete(id, 'follow-up', 'stable');
  const p = await ended(id);
  expect(doneKeys(p)).toEqual([
    'education-history:done',
    'recognition:skipped',
    'language-course:done',
    'counselling:done',
    'age-check:done',
    'measure:done',
    'placement:done',
    'follow-up:done',
  ]);
  expect(p.steps.find((s: { key: string }) => s.key === 'age-check').outcome).toBe('no');
  await stack.client.workflow.getHandle(`chain-${c.id}-education-work`).result();
  await recordHistory(stack, `chain-${c.id}-education-work`, 'education-work-v1-adult');
}, 120_000);

it('minor: school-place branch (no place → again → assigned); counselling at the Jobcenter for SGB II', async () => {
  const { id } = await start({ benefitType: 'sgb2', birthDate: '2012-05-01' });
  await d.complete(id, 'education-history', 'done');
  await d.complete(id, 'language-course', 'skip');
  expect((await d.at(id, 'counselling', 'handoff')).currentStep.department).toBe('jobcenter');
  await d.departmentActs(id, 'counselling', 'complete', { outcome: 'done' });
  expect((await d.at(id, 'school-place', 'handoff')).currentStep.department).toBe('schulamt');
  await d.departmentActs(id, 'school-place', 'complete', { outcome: 'none-available' });
  await eventually(async () => (await d.process(id)).stepRuns.filter((s: { key: string }) => s.key === 'school-place').length === 2);
  await d.departmentActs(id, 'school-place', 'complete', { outcome: 'assigned', 'data.school': 'Gesamtschule' });
  await d.complete(id, 'follow-up', 'stable');
  const p = await ended(id);
  expect(doneKeys(p)).toEqual([
    'education-history:done',
    'language-course:skipped',
    'counselling:done',
    'age-check:done',
    'school-place:done',
    'school-place:done',
    'follow-up:done',
  ]);
}, 120_000);

it('a declined handoff returns the step to the caseworker with the reason; "retry" hands it over again', async () => {
  const { id } = await start({ benefitType: 'sgb2', birthDate: '1990-01-01' });
  await d.complete(id, 'education-history', 'done');
  await d.complete(id, 'language-course', 'completed', { start: '2026-01-01', end: '2026-10-01' });
  await d.departmentActs(id, 'counselling', 'decline', { reason: 'Termin wurde nicht wahrgenommen' });
  const returned = await d.at(id, 'counselling', 'returned');
  expect(returned.history.find((h: { event: string }) => h.event === 'step.returned').details.reason).toBe(
    'Termin wurde nicht wahrgenommen',
  );
  const live = (await stack.client.workflow.getHandle(`chain-${returned.caseId}-education-work`).query('chainState')) as {
    current: { declineReason: string };
  };
  expect(live.current.declineReason).toBe('Termin wurde nicht wahrgenommen');
  await d.complete(id, 'counselling', 'retry');
  await d.departmentActs(id, 'counselling', 'complete', { outcome: 'done' });
  await d.at(id, 'measure', 'handoff');
  const tasks = await stack.db.task.findMany({ where: { processId: id, stepKey: 'counselling' }, orderBy: { createdAt: 'asc' } });
  expect(tasks.map((t) => t.status)).toEqual(['declined', 'completed']);
}, 120_000);

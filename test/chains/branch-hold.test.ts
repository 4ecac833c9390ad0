// Chains v2 (issue 14), the rest: hold per branch, filters over every open step, facts in the JSON and
// the step order of a city definition — on the real stack with a city-published health chain whose
// step ids are not in alphabetical order (test/support/chain-variants.ts parallelHealthVariant):
// zeta-intake → paths ‖ (mid-forms with a deadline, alpha-doc with a daily reminder, cost-office handed
// to the Jobcenter returning the approved rent) → beta-close.
// - The city definition read back from PostgreSQL (as every API and worker loads it) keeps its step
//   order in GET /api/processes/{id}, the diagram and the process page.
// - The Jobcenter holds the THIRD open step: the department and step filters find the chain anyway.
// - One branch (mid-forms) is held through the API: its deadline stays silent while alpha-doc is
//   reminded day after day past it; it takes no result while alpha-doc and the Jobcenter complete; the
//   process page and the dashboard list mark it; resumed through the page, its overdue deadline fires at
//   once; it is then skipped and the fork joins.
// - The department's typed result is in `facts` of GET /api/processes/{id}.
import { reconcileProcesses } from '../../api/services/reconcile';
import { syncChainDefinitions } from '../../api/services/chain-definitions';
import { shippedChainDefinitions, useStoredChainDefinitions } from '../../core/domain/chains';
import { chainDriver } from '../support/chain-helpers';
import { parallelHealthVariant } from '../support/chain-variants';
import { FormClient, hidden } from '../support/form-client';
import { eventually, startStack, type Stack } from '../support/stack';

const DAY_S = 2; // one working day lasts 2 s
const DEADLINE_DAYS = 10; // mid-forms is due 20 s after the fork (room for a slow machine to hold it first)
const DEFINITION = parallelHealthVariant(DEADLINE_DAYS);
const ORDER = Object.keys(DEFINITION.steps);

let stack: Stack;
let caseworker: string;
let supervisor: string;
let d: ReturnType<typeof chainDriver>;

beforeAll(async () => {
  stack = await startStack({ workingDaySeconds: DAY_S });
  const admin = await stack.token('admin@kim.example');
  [caseworker, supervisor] = await Promise.all([stack.token('fallmanagement@kim.example'), stack.token('leitung@kim.example')]);
  d = chainDriver(stack, caseworker);
  await syncChainDefinitions(stack.db); // the shipped versions stored, as every worker and API does at start
  const published = await stack.api('POST', '/api/admin/chain-definitions', { token: admin, body: DEFINITION });
  expect(published.status).toBe(201);
  // an API or worker started after the publish knows the city version only from the database: this
  // process forgets it (back to the shipped health chain) and loads the stored versions as at start
  useStoredChainDefinitions(shippedChainDefinitions().filter((x) => x.type === 'health'));
  await syncChainDefinitions(stack.db);
});
afterAll(() => stack?.stop());

const history = async (id: string) =>
  (await d.process(id)).history.map((h: { event: string; step: string | null }) => `${h.event}:${h.step ?? ''}`) as string[];
/** the step titles in the order the diagram's step list gives them */
const diagramOrder = (page: string) =>
  [
    ...(/<ol class="visually-hidden" aria-label="Schritte der Kette[^"]*">([\s\S]*?)<\/ol>/.exec(page)?.[1] ?? '').matchAll(
      /<li[^>]*>([^:<]+):/g,
    ),
  ].map((m) => m[1]);

it('a city definition keeps its step order; filters find a chain by any open step; one branch held while the others run; facts in the JSON', async () => {
  const c = await d.newCase();
  const started = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'health' } });
  expect(started.status).toBe(201);
  const id = started.body.id as string;

  // step order: the definition's, not jsonb's (which would begin with `paths`, then `alpha-doc`, …)
  const first = await d.at(id, 'zeta-intake', 'active');
  expect(first.version).toBeGreaterThan(1);
  expect(first.steps.map((s: { key: string }) => s.key)).toEqual(ORDER);
  const stored = await stack.db.chainDefinitionVersion.findFirstOrThrow({ where: { type: 'health', source: 'city' } });
  expect(Object.keys((stored.definition as { steps: object }).steps)).toEqual(ORDER);
  const browser = new FormClient(stack.url);
  await browser.login('fallmanagement@kim.example');
  expect(diagramOrder((await browser.get(`/prozesse/${id}`)).text)).toEqual(ORDER.map((k) => DEFINITION.steps[k].title));

  await d.complete(id, 'zeta-intake', 'done', { visitDate: '2026-12-01' });
  const forked = await eventually(async () => {
    const p = await d.process(id);
    return p.currentSteps.length === 3 &&
      p.currentSteps.some((s: { key: string; status: string }) => s.key === 'cost-office' && s.status === 'handoff')
      ? p
      : undefined;
  });
  expect(forked.currentStep.key).toBe('mid-forms');

  // the page's branch form without a reason: 400, the German message at that branch's field, nothing held
  const formPage = await browser.get(`/prozesse/${id}`);
  const noReason = await browser.post(`/prozesse/${id}/anhalten`, { _csrf: hidden(formPage.text, '_csrf'), step: 'mid-forms', reason: '' });
  expect(noReason.status).toBe(400);
  expect(noReason.text).toMatch(
    /id="f-hold-mid-forms-reason"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="f-hold-mid-forms-reason"/,
  );
  expect(noReason.text).toContain('<details class="branch-hold" open>');
  expect((await history(id)).some((e) => e.startsWith('step.held'))).toBe(false);

  // one branch held through the API (the step named); the chain runs on
  const held = await stack.api('POST', `/api/processes/${id}/hold`, {
    token: caseworker,
    body: { reason: 'Formulare beim Dolmetscher', step: 'mid-forms' },
  });
  expect(held.status).toBe(200);
  expect(held.body.status).toBe('running');
  const heldStep = held.body.currentSteps.find((s: { key: string }) => s.key === 'mid-forms');
  expect(heldStep.heldSince).toEqual(expect.any(String));
  expect(held.body.currentSteps.find((s: { key: string }) => s.key === 'alpha-doc').heldSince).toBeNull();
  // refused: the same step again, a step not open, a step that is no text
  const again = await stack.api('POST', `/api/processes/${id}/hold`, { token: caseworker, body: { reason: 'nochmal', step: 'mid-forms' } });
  expect(again.status).toBe(409);
  const notOpen = await stack.api('POST', `/api/processes/${id}/hold`, {
    token: caseworker,
    body: { reason: 'später', step: 'beta-close' },
  });
  expect(notOpen.status).toBe(409);
  const bad = await stack.api('POST', `/api/processes/${id}/hold`, { token: caseworker, body: { reason: 'später', step: 7 } });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details[0]).toMatchObject({ field: 'step', message: expect.stringContaining('Schritt muss Text sein') });

  // the Jobcenter holds the third open step: the department and step filters find the chain, and the
  // count agrees (the filter reads Process.departments, written by the chain record — issue 17 P3)
  expect((await stack.db.process.findUniqueOrThrow({ where: { id } })).departments).toEqual(['jobcenter']);
  const byDept = await stack.api('GET', '/api/processes?type=health&department=jobcenter&limit=200', { token: supervisor });
  expect(byDept.body.items.map((p: { id: string }) => p.id)).toEqual([id]);
  expect(byDept.body.total).toBe(1);
  expect(byDept.body.items[0].currentStep.key).toBe('mid-forms'); // found by another branch than the current step
  // the reconciliation agrees with the chain record inside a fork (it compared state.current, empty in a
  // fork, and "repaired" the current step, its department and deadline to null)
  const reconciled = await reconcileProcesses(stack.db, stack.client);
  expect(reconciled.repairs.filter((r) => r.id === id)).toEqual([]);
  const byOther = await stack.api('GET', '/api/processes?type=health&department=wohnungsamt&limit=200', { token: supervisor });
  expect(byOther.body.items.map((p: { id: string }) => p.id)).not.toContain(id);
  const byStep = await stack.api('GET', '/api/processes?type=health&step=alpha-doc&limit=200', { token: supervisor });
  expect(byStep.body.items.map((p: { id: string }) => p.id)).toContain(id);
  const leitung = new FormClient(stack.url);
  await leitung.login('leitung@kim.example');
  const list = await leitung.get('/leitung?department=jobcenter&type=health');
  expect(list.status).toBe(200);
  expect(list.text).toContain(c.reference);
  expect(list.text).toContain('Formulare ausfüllen (angehalten)');
  // the process page marks the held branch and offers to resume it
  const page = await browser.get(`/prozesse/${id}`);
  expect(page.text).toContain('dieser Zweig angehalten seit');
  expect(page.text).toContain('Formulare beim Dolmetscher');
  expect(page.text).toContain('Diesen Zweig fortsetzen');
  expect(page.text).toContain('Nur diesen Zweig anhalten'); // the branches still running
  expect(page.text).toMatch(/<li aria-current="step">Formulare ausfüllen: Zweig angehalten · /); // the diagram's step list

  // alpha-doc is reminded every day, well past mid-forms' deadline: mid-forms stays silent
  const events = await eventually(
    async () => {
      const h = await history(id);
      return h.filter((e) => e === 'step.reminder:alpha-doc').length >= DEADLINE_DAYS + 1 ? h : undefined;
    },
    90_000,
    250,
  );
  expect(events).not.toContain('step.reminder:mid-forms');
  expect(events.indexOf('step.held:mid-forms')).toBeGreaterThan(events.indexOf('step.forked:paths'));

  // the held branch takes no result; the others complete meanwhile
  const refused = await stack.api('POST', `/api/processes/${id}/steps/mid-forms/complete`, {
    token: caseworker,
    body: { outcome: 'done' },
  });
  expect(refused.status).toBe(409);
  expect(refused.body.error.message).toMatch(/angehalten/);
  await d.complete(id, 'alpha-doc', 'done');
  await d.departmentActs(id, 'cost-office', 'complete', { outcome: 'approved', 'data.approvedRent': '480,00' });
  const one = await eventually(async () => {
    const p = await d.process(id);
    return p.currentSteps.length === 1 ? p : undefined;
  });
  expect(one.currentStep).toMatchObject({ key: 'mid-forms' });
  // the Jobcenter's branch is done: the chain is no longer at the Jobcenter
  expect((await stack.db.process.findUniqueOrThrow({ where: { id } })).departments).toEqual([]);
  const noLonger = await stack.api('GET', '/api/processes?type=health&department=jobcenter&limit=200', { token: supervisor });
  expect([noLonger.body.items, noLonger.body.total]).toEqual([[], 0]);
  expect(one.currentStep.heldSince).toEqual(expect.any(String));
  expect(one.currentStep.overdue).toBe(false); // past its due date, but its deadline rests while held

  // the chain's facts in the JSON: the caseworker's date and the Jobcenter's typed result
  expect(one.facts).toEqual([
    expect.objectContaining({
      ref: 'zeta-intake.visitDate',
      type: 'date',
      value: '2026-12-01',
      display: '01.12.2026',
      source: 'caseworker',
    }),
    expect.objectContaining({
      ref: 'cost-office.approvedRent',
      step: 'cost-office',
      stepTitle: 'Kostenübernahme beim Jobcenter',
      label: 'Bewilligte Miete (EUR)',
      type: 'money',
      value: 480,
      display: '480,00 EUR',
      source: 'department',
    }),
  ]);
  const read = await stack.db.auditEvent.count({ where: { action: 'process.read', entityId: id } });
  expect(read).toBeGreaterThan(0);

  // resumed through the process page's form: its deadline, long passed, fires at once
  const before = await browser.get(`/prozesse/${id}`);
  const resumed = await browser.post(`/prozesse/${id}/fortsetzen`, { _csrf: hidden(before.text, '_csrf'), step: 'mid-forms' });
  expect(resumed.status).toBe(303);
  await eventually(async () => ((await history(id)).includes('step.reminder:mid-forms') ? true : undefined), 30_000, 250);
  const after = await d.process(id);
  expect(after.currentStep.heldSince).toBeNull();
  expect(after.history.map((h: { event: string }) => h.event)).toContain('step.resumed');
  // skipped (optional): the fork joins and the chain goes on
  await d.complete(id, 'mid-forms', 'skip');
  const joined = await d.at(id, 'beta-close', 'active');
  expect(joined.steps.map((s: { key: string }) => s.key)).toEqual(ORDER);
  expect(joined.steps.find((s: { key: string }) => s.key === 'mid-forms')).toMatchObject({ status: 'skipped' });
  expect(joined.steps.find((s: { key: string }) => s.key === 'paths')).toMatchObject({ status: 'done', outcome: 'joined' });
}, 180_000);

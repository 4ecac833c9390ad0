// Chains v2 content (issue 14) on the real stack — app, worker, Temporal, PostgreSQL, SMTP capture —
// with short days. Departments act through the links of their notification mails.
// - Move-out v1 and v2 side by side: a chain started on v1 before v2 shipped keeps v1 and finishes on
//   it; a chain started after runs v2 through its new steps (funding fork, lease document, direct rent,
//   handover with meter readings, address fork with one branch skipped, children → school/Kita change,
//   after-care and landlord contact from the move-in date) and ends with `moved`.
// - Education/work v2: a minor goes to the school place first, "no place" waits and asks again, then on
//   to vocational guidance and training; never the Jobcenter counselling.
// - Health v1: offered on the case page; insurance, GP, referral to the PSZ; ends `care-in-place`.
// - The dashboard counts the ended chains by end code. Histories recorded for test/replay.test.ts.
import { chainWorkflowId } from '../../core/domain/chains/state';
import { chainDriver } from '../support/chain-helpers';
import { shipAllVersions, startNewChainsOnV1 } from '../support/chain-versions';
import { giveConsent } from '../support/consent';
import { FormClient } from '../support/form-client';
import { recordHistory } from '../support/histories';
import { eventually, startStack, type Stack } from '../support/stack';

const DAY = 0.1; // seconds per (working) day
/** the Berlin calendar date `days` from today, YYYY-MM-DD */
const formatBerlinDate = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Berlin' });
let stack: Stack;
let caseworker: string;
let supervisor: string;
let d: ReturnType<typeof chainDriver>;
let v1: { id: string; caseId: string };

beforeAll(async () => {
  stack = await startStack({ workingDaySeconds: DAY });
  [caseworker, supervisor] = await Promise.all([stack.token('fallmanagement@kim.example'), stack.token('leitung@kim.example')]);
  d = chainDriver(stack, caseworker);
  // an installation before v2 shipped: a move-out chain starts on v1
  startNewChainsOnV1(['move-out']);
  const c = await d.newCase({ firstName: 'Vera', lastName: 'Eins' });
  const r = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
  expect(r.status).toBe(201);
  v1 = { id: r.body.id, caseId: c.id };
  shipAllVersions(['move-out']); // the upgrade arrives
});
afterAll(() => stack?.stop());

/** A person (with these household members) and a case on `topic`, with a consent for every department. */
async function newCase(topic: string, person: Record<string, unknown>, members: Array<Record<string, string>> = []) {
  const p = await stack.api('POST', '/api/persons', { token: caseworker, body: { benefitType: 'sgb2', ...person } });
  expect(p.status).toBe(201);
  for (const m of members) {
    const r = await stack.api('POST', `/api/persons/${p.body.id}/household-members`, { token: caseworker, body: m });
    expect(r.status).toBe(201);
  }
  const c = await stack.api('POST', '/api/cases', { token: caseworker, body: { personId: p.body.id, topic } });
  expect(c.status).toBe(201);
  await giveConsent(stack, caseworker, c.body.id);
  return c.body.id as string;
}

async function start(caseId: string, type: string) {
  const r = await stack.api('POST', `/api/cases/${caseId}/chains`, { token: caseworker, body: { type } });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

const ended = (id: string) =>
  eventually(async () => {
    const p = await d.process(id);
    return p.status === 'completed' ? p : undefined;
  }, 60_000);

async function upload(caseId: string, processId: string, stepKey: string) {
  const form = new FormData();
  form.set('file', new Blob([Buffer.from('%PDF-1.4 Mietvertrag unterschrieben')]), 'Mietvertrag.pdf');
  form.set('processId', processId);
  form.set('stepKey', stepKey);
  const res = await fetch(`${stack.url}/api/cases/${caseId}/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${caseworker}` },
    body: form,
  });
  expect(res.status).toBe(201);
}

/** Move-out up to the cost approval (same in v1 and v2 except the fork of the first checks). */
async function toCostApproval(id: string, version: 1 | 2) {
  await d.complete(id, 'readiness', 'ready');
  await d.departmentActs(id, 'residence-check', 'complete', { outcome: 'clear' });
  await d.departmentActs(id, 'wbs', 'complete', { outcome: 'issued' });
  const p = await d.complete(id, 'search-profile', 'done', { rooms: 2, rentCap: 650 });
  expect(p.version ?? version).toBe(version);
  await d.complete(id, 'offer', 'received', { landlord: 'GWG Bergisch Gladbach' });
  await d.complete(id, 'viewing', 'accepted', { date: formatBerlinDate(0) });
  await d.complete(id, 'rent-offer', 'received', { rent: 610 });
  await d.departmentActs(id, 'cost-approval', 'complete', { outcome: 'approved' });
}

it('move-out v2 through its new steps; the v1 chain started before keeps v1 and finishes on it; both end', async () => {
  const caseId = await newCase('housing', { firstName: 'Amal', lastName: 'Zwei', birthDate: '1990-05-01' }, [
    { firstName: 'Rami', lastName: 'Zwei', birthDate: '2018-09-01', relationship: 'child' },
  ]);
  const id = await start(caseId, 'move-out');
  await toCostApproval(id, 2);

  // moving and flat-search costs, deposit and furnishing at the same time, all at the Jobcenter (SGB II)
  const funding = await eventually(async () => {
    const p = await d.process(id);
    return p.currentSteps.filter((s: { status: string }) => s.status === 'handoff').length === 3 ? p : undefined;
  });
  expect(funding.version).toBe(2);
  expect(funding.currentSteps.map((s: { key: string }) => s.key).sort()).toEqual(['deposit', 'furnishing', 'moving-costs']);
  expect(funding.currentSteps.every((s: { department: string }) => s.department === 'jobcenter')).toBe(true);
  await d.departmentActs(id, 'moving-costs', 'complete', { outcome: 'approved' });
  await d.departmentActs(id, 'furnishing', 'complete', { outcome: 'rejected' });
  await d.departmentActs(id, 'deposit', 'complete', { outcome: 'approved' });

  // the lease: refused until the signed lease is uploaded for the step
  await d.at(id, 'lease', 'active');
  // moved in 80 days ago (the lease recorded late): after-care counts from that date, so the contacts
  // after 2, 4 and 6 weeks are due at once and only the one after 12 weeks still waits
  const moveInDate = formatBerlinDate(-80);
  const path = `/api/processes/${id}/steps/lease/complete`;
  const body = { outcome: 'signed', data: { moveInDate } };
  const refused = await stack.api('POST', path, { token: caseworker, body });
  expect(refused.status).toBe(409);
  await upload(caseId, id, 'lease');
  expect((await stack.api('POST', path, { token: caseworker, body })).status).toBe(200);

  await d.departmentActs(id, 'rent-direct-payment', 'complete', { outcome: 'arranged' });
  // handover with the meter readings: electricity is required
  await d.at(id, 'handover', 'active');
  const noMeter = await stack.api('POST', `/api/processes/${id}/steps/handover/complete`, {
    token: caseworker,
    body: { outcome: 'done', data: { handoverDate: moveInDate } },
  });
  expect(noMeter.status).toBe(400);
  expect(JSON.stringify(noMeter.body)).toContain('Zählerstand Strom');
  await d.complete(id, 'handover', 'done', { handoverDate: moveInDate, electricity: 48_211, water: 312 });
  await d.departmentActs(id, 'move', 'complete', { outcome: 'released' });
  await d.complete(id, 'registration', 'done', { registeredOn: moveInDate });

  // the new address to the offices concerned at once; the Familienkasse branch is skipped (no child benefit)
  const address = await eventually(async () => {
    const p = await d.process(id);
    return p.currentSteps.filter((s: { status: string }) => s.status === 'handoff').length === 3 ? p : undefined;
  });
  expect(Object.fromEntries(address.currentSteps.map((s: { key: string; department: string }) => [s.key, s.department]))).toEqual({
    'address-benefit-office': 'jobcenter',
    'address-auslaenderbehoerde': 'auslaenderbehoerde',
    'address-familienkasse': 'familienkasse',
  });
  await d.complete(id, 'address-familienkasse', 'skip');
  await d.departmentActs(id, 'address-benefit-office', 'complete', { outcome: 'noted' });
  await d.departmentActs(id, 'address-auslaenderbehoerde', 'complete', { outcome: 'noted' });

  // a child in the household: the school or Kita change goes to the Schulamt
  await d.departmentActs(id, 'school-change', 'complete', { outcome: 'arranged' });
  await d.complete(id, 'aftercare-2w', 'ok');
  await d.complete(id, 'landlord-contact', 'ok', { contactedOn: formatBerlinDate(0) });
  await d.complete(id, 'aftercare-6w', 'ok');
  await d.complete(id, 'aftercare-12w', 'closed');
  const done = await ended(id);
  expect(done).toMatchObject({ version: 2, endCode: 'moved' });
  const stepOf = (key: string) => done.steps.find((s: { key: string }) => s.key === key);
  expect(stepOf('children')).toMatchObject({ status: 'done', outcome: 'yes' });
  expect(stepOf('address-familienkasse')).toMatchObject({ status: 'skipped' });
  expect(stepOf('move-funding')).toMatchObject({ status: 'done', outcome: 'joined' });
  // after-care from the move-in date: no wait before the contacts after 2, 4 and 6 weeks (counted from the
  // last step they would each have waited 14, 28 and 42 days), the 12-week contact waited
  const waits = await stack.db.processEvent.findMany({ where: { processId: id, event: 'step.waiting' }, select: { step: true } });
  expect(waits.map((w) => w.step)).toEqual(['aftercare-12w']);
  const tasks = await stack.db.task.findMany({ where: { processId: id }, select: { stepKey: true, departmentId: true } });
  expect(tasks.map((t) => `${t.stepKey}@${t.departmentId}`).sort()).toEqual(
    [
      'address-change@auslaenderbehoerde',
      'address-change@familienkasse',
      'address-change@jobcenter',
      'cost-approval@jobcenter',
      'deposit@jobcenter',
      'furnishing@jobcenter',
      'moving-costs@jobcenter',
      'rent-direct-payment@jobcenter',
      'residence-check@auslaenderbehoerde',
      'school-change@schulamt',
      'shelter-release@5-50',
      'wbs@wohnungsamt',
    ].sort(),
  );
  const workflowId = chainWorkflowId(caseId, 'move-out');
  await stack.client.workflow.getHandle(workflowId).result();
  await recordHistory(stack, workflowId, 'move-out-v2-complete-batched');

  // the v1 chain started before v2 shipped: still v1, one step at a time, finishes on v1
  await toCostApproval(v1.id, 1);
  const old = await d.departmentActs(v1.id, 'deposit', 'complete', { outcome: 'approved' }).then(() => d.process(v1.id));
  expect(old.version).toBe(1);
  expect(old.steps.map((s: { key: string }) => s.key)).not.toContain('move-funding');
  await d.complete(v1.id, 'lease', 'signed', { moveInDate }); // v1: no document needed
  await d.departmentActs(v1.id, 'furnishing', 'complete', { outcome: 'approved' });
  await d.departmentActs(v1.id, 'move', 'complete', { outcome: 'released' });
  await d.complete(v1.id, 'registration', 'done', { registeredOn: moveInDate });
  await d.complete(v1.id, 'aftercare-2w', 'ok');
  await d.complete(v1.id, 'aftercare-6w', 'ok');
  await d.complete(v1.id, 'aftercare-12w', 'closed');
  const oldDone = await ended(v1.id);
  expect(oldDone.version).toBe(1);
  expect(oldDone.endCode).toBeNull(); // v1 has no end codes
  expect(await stack.db.task.count({ where: { processId: v1.id, stepKey: { in: ['moving-costs', 'address-change'] } } })).toBe(0);
});

it('education/work v2: a minor goes to the school place first, waits when there is none, then on to training', async () => {
  const caseId = await newCase('education_work', { firstName: 'Nour', lastName: 'Schule', birthDate: '2012-02-01' });
  const id = await start(caseId, 'education-work');
  const first = await d.at(id, 'school-place', 'handoff');
  expect(first.version).toBe(2);
  expect(first.currentStep.department).toBe('schulamt');
  await d.departmentActs(id, 'school-place', 'complete', { outcome: 'none-available' });
  // no place: the chain waits (a timer) and then asks the Schulamt again
  await d.at(id, 'school-place-wait', 'waiting');
  await eventually(
    async () => ((await stack.db.task.count({ where: { processId: id, stepKey: 'school-place' } })) === 2 ? true : undefined),
    30_000,
  );
  await d.departmentActs(id, 'school-place', 'complete', { outcome: 'assigned' });
  await d.complete(id, 'school-follow-up', 'leaving-soon', { school: 'Realschule', expectedLeaving: formatBerlinDate(120) });
  const guidance = await d.at(id, 'vocational-guidance', 'handoff');
  expect(guidance.currentStep.department).toBe('agentur-fuer-arbeit');
  await d.departmentActs(id, 'vocational-guidance', 'complete', { outcome: 'done' });
  await d.complete(id, 'placement', 'training', { employer: 'Tischlerei' });
  await d.complete(id, 'follow-up', 'stable');
  const done = await ended(id);
  expect(done.endCode).toBe('training-or-work');
  const tasks = await stack.db.task.findMany({
    where: { processId: id },
    orderBy: { createdAt: 'asc' },
    select: { stepKey: true, departmentId: true },
  });
  // school before anything else, and never the Jobcenter
  expect(tasks.map((t) => t.stepKey)).toEqual(['school-place', 'school-place', 'counselling']);
  expect(tasks.map((t) => t.departmentId)).not.toContain('jobcenter');
  const workflowId = chainWorkflowId(caseId, 'education-work');
  await stack.client.workflow.getHandle(workflowId).result();
  await recordHistory(stack, workflowId, 'education-work-v2-minor-batched');
});

it('health: offered on the case page; insurance, GP, referral to the PSZ; ends with care in place; the dashboard counts by end code', async () => {
  const caseId = await newCase('health', { firstName: 'Olena', lastName: 'Gesund', birthDate: '1985-07-12' });
  const browser = new FormClient(stack.url);
  await browser.login('fallmanagement@kim.example');
  const page = await browser.get(`/faelle/${caseId}`);
  expect(page.status).toBe(200);
  expect(page.text).toMatch(/<option value="health"[^>]*>Gesundheit<\/option>/);
  const id = await start(caseId, 'health');
  await d.complete(id, 'insurance', 'application-needed', { coverage: 'none' });
  const app = await d.at(id, 'insurance-application', 'handoff');
  expect(app.currentStep.department).toBe('jobcenter');
  await d.departmentActs(id, 'insurance-application', 'complete', { outcome: 'granted' });
  await d.complete(id, 'gp', 'registered', { practice: 'Praxis am Markt', registeredOn: formatBerlinDate(0) });
  await d.complete(id, 'needs', 'referral');
  const referral = await d.at(id, 'referral', 'handoff');
  expect(referral.currentStep.department).toBe('psz');
  await d.departmentActs(id, 'referral', 'complete', { outcome: 'accepted' });
  await d.complete(id, 'follow-up', 'stable');
  const done = await ended(id);
  expect(done).toMatchObject({ type: 'health', version: 1, endCode: 'care-in-place' });
  const workflowId = chainWorkflowId(caseId, 'health');
  await stack.client.workflow.getHandle(workflowId).result();
  await recordHistory(stack, workflowId, 'health-v1-referral-batched');

  const dash = await stack.api('GET', '/api/dashboard', { token: supervisor });
  expect(dash.status).toBe(200);
  const byCode = Object.fromEntries(
    dash.body.endedByEndCode.map((r: { type: string; endCode: string; count: number; label: string }) => [`${r.type}:${r.endCode}`, r]),
  );
  expect(byCode['move-out:moved']).toMatchObject({ count: 1, label: 'in eine Wohnung gezogen' });
  expect(byCode['health:care-in-place']).toMatchObject({ count: 1, label: 'Versorgung gesichert' });
  expect(byCode['education-work:training-or-work']).toMatchObject({ count: 1, label: 'in Ausbildung, Studium oder Arbeit' });
});

it('one piece of work writes its records together: a chain start is two local activities (the rule, then its records), a step change one', async () => {
  const caseId = await newCase('education_work', { firstName: 'Lea', lastName: 'Zählt', birthDate: '1990-02-01' });
  const id = await start(caseId, 'education-work');
  await d.at(id, 'education-history', 'active');
  await d.complete(id, 'education-history', 'done');
  await d.at(id, 'integration-course-status');
  // the local activities of each completed workflow task, by type (a marker's data names its activity)
  const events = (await stack.client.workflow.getHandle(chainWorkflowId(caseId, 'education-work')).fetchHistory()).events ?? [];
  const tasks: Array<{ activities: string[]; update: boolean }> = [];
  for (const e of events) {
    if (e.workflowTaskCompletedEventAttributes) tasks.push({ activities: [], update: false });
    const task = tasks[tasks.length - 1];
    if (!task) continue;
    if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity')
      for (const p of e.markerRecordedEventAttributes.details?.data?.payloads ?? [])
        task.activities.push((JSON.parse(Buffer.from(p.data!).toString()) as { activity_type: string }).activity_type);
    if (e.workflowExecutionUpdateCompletedEventAttributes) task.update = true;
  }
  expect(tasks[0].activities).toEqual(['evaluateRule', 'recordProcesses']); // before: record, rule, record, record
  expect(tasks.find((t) => t.update)?.activities).toEqual(['recordProcesses']); // before: record (left), record (entered)
  // the read model has every record: started, the rule's step left, the next entered, the caseworker's step left, the next entered
  const seen = await stack.db.processEvent.findMany({
    where: { processId: id },
    orderBy: { seq: 'asc' },
    select: { seq: true, event: true },
  });
  expect(seen.slice(0, 5).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
  expect(seen[0].event).toBe('chain.started');
});

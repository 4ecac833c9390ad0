// Consent-gated handoffs on the real stack: a chain step waits while no consent covers its department
// ("Einwilligung für … fehlt"), goes on when one is recorded, and a withdrawal cancels the open
// handoff (the department's mailbox is told) and puts the step back to waiting. Ad-hoc handoffs and
// forwards to departments without consent are refused and change nothing.
import { chainDriver } from '../support/chain-helpers';
import { giveConsent } from '../support/consent';
import { recordHistory } from '../support/histories';
import { eventually, startStack, type Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

let stack: Stack;
let caseworker: string;
let member550: string;
let d: ReturnType<typeof chainDriver>;

const ABH = 'auslaenderbehoerde@kim.example';

beforeAll(async () => {
  stack = await startStack({ workingDaySeconds: 0 });
  [caseworker, member550] = await Promise.all([stack.token('fallmanagement@kim.example'), stack.token('soziale-foerderung@kim.example')]);
  d = chainDriver(stack, caseworker);
});
afterAll(() => stack?.stop());

const events = async (id: string) => (await d.process(id)).history as Array<{ event: string; details: Record<string, unknown> | null }>;
const mailsTo = (to: string, reference: string, subjectStart: string) =>
  stack.capture.list({ to }).filter((m) => m.subject.includes(reference) && m.subject.startsWith(subjectStart));

it('a chain step waits for the consent, goes on when it is recorded, and a withdrawal cancels the handoff and tells the department', async () => {
  const c = await d.newCase({ benefitType: 'sgb2' }, { consent: false });
  const start = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
  expect(start.status).toBe(201);
  const id = start.body.id as string;
  await d.complete(id, 'readiness', 'ready');

  // no consent: the residence check waits, no task, no mail — and says what is missing
  const waiting = await d.at(id, 'residence-check', 'consent');
  expect(waiting.currentStep.department).toBeNull(); // the caseworker holds it, not the department
  expect(await stack.db.task.count({ where: { caseId: c.id } })).toBe(0);
  const missing = (await events(id)).filter((e) => e.event === 'step.consent_missing');
  expect(missing).toEqual([expect.objectContaining({ details: { department: 'auslaenderbehoerde' } })]);
  const page = await (
    await fetch(`${stack.url}/prozesse/${id}`, { headers: { authorization: `Bearer ${caseworker}`, accept: 'text/html' } })
  ).text();
  expect(page).toContain('Einwilligung für Ausländerbehörde fehlt.');
  const early = await stack.api('POST', `/api/processes/${id}/steps/residence-check/complete`, {
    token: caseworker,
    body: { outcome: 'clear' },
  });
  expect(early.status).toBe(409);
  expect(early.body.error.message).toBe(
    '„Aufenthaltsstatus / Wohnsitzauflage (§ 12a AufenthG)“ wartet auf eine Einwilligung für die zuständige Stelle; erst danach wird übergeben.',
  );

  // "check again" without a consent: still waiting (the history shows the check and the result)
  const recheck = await stack.api('POST', `/api/processes/${id}/steps/residence-check/complete`, {
    token: caseworker,
    body: { outcome: 'retry' },
  });
  expect(recheck.status).toBe(200);
  await d.at(id, 'residence-check', 'consent');

  // a consent for another department changes nothing; one for the Ausländerbehörde starts the handoff
  await giveConsent(stack, caseworker, c.id, ['jobcenter']);
  await new Promise((r) => setTimeout(r, 500));
  expect((await d.process(id)).currentStep.status).toBe('consent');
  const consentId = await giveConsent(stack, caseworker, c.id, ['auslaenderbehoerde', 'wohnungsamt']);
  const handedOff = await d.at(id, 'residence-check', 'handoff');
  expect(handedOff.currentStep.department).toBe('auslaenderbehoerde');
  const notified = await eventually(() => {
    const m = mailsTo(ABH, c.reference, '[KIM] Bitte bestätigen');
    return m.length ? m : undefined;
  });
  expect(notified).toHaveLength(1);
  const tasks = await stack.db.task.findMany({ where: { caseId: c.id } });
  expect(tasks.map((t) => [t.departmentId, t.status])).toEqual([['auslaenderbehoerde', expect.stringMatching(/^(created|notified)$/)]]);

  // withdrawal: the open handoff is cancelled, the department's mailbox is told why, the step waits again
  const w = await stack.api('POST', `/api/cases/${c.id}/consents/${consentId}/withdraw`, { token: caseworker, body: {} });
  expect(w.status).toBe(200);
  expect(w.body).toEqual({ id: consentId, withdrawnAt: expect.any(String), cancelledTasks: [tasks[0].id], pendingTasks: [] });
  expect((await stack.db.task.findUniqueOrThrow({ where: { id: tasks[0].id } })).status).toBe('cancelled');
  const cancelMail = await eventually(() => mailsTo(ABH, c.reference, '[KIM] Abgebrochen')[0]);
  expect(cancelMail.text).toContain('Die Einwilligung (Schweigepflichtentbindung) für Ihre Stelle wurde widerrufen.');
  await d.at(id, 'residence-check', 'consent');
  expect((await events(id)).filter((e) => e.event === 'step.consent_missing').map((e) => e.details)).toEqual([
    { department: 'auslaenderbehoerde' },
    { department: 'auslaenderbehoerde' },
    { department: 'auslaenderbehoerde', cancelledTask: tasks[0].id },
  ]);
  const twice = await stack.api('POST', `/api/cases/${c.id}/consents/${consentId}/withdraw`, { token: caseworker, body: {} });
  expect(twice.status).toBe(409);
  expect(await stack.db.auditEvent.count({ where: { caseId: c.id, action: 'case.consent.withdraw' } })).toBe(1);

  // a new consent: a new handoff (a second task), the department acts, the chain goes on
  await giveConsent(stack, caseworker, c.id, ['auslaenderbehoerde']);
  await d.at(id, 'residence-check', 'handoff');
  await d.departmentActs(id, 'residence-check', 'complete', { outcome: 'clear' });
  await d.at(id, 'wbs', ['consent', 'handoff']);
  expect(await stack.db.task.count({ where: { caseId: c.id, stepKey: 'residence-check' } })).toBe(2);
  expect(mailsTo(ABH, c.reference, '[KIM] Bitte bestätigen')).toHaveLength(2);

  // ended, its history is kept for the replay test (consent gate, withdrawal, new consent)
  const cancel = await stack.api('POST', `/api/processes/${id}/cancel`, { token: caseworker, body: { reason: 'Test beendet' } });
  expect(cancel.status).toBe(200);
  await eventually(async () => (await stack.db.process.findUniqueOrThrow({ where: { id } })).status === 'cancelled');
  await recordHistory(stack, `chain-${c.id}-move-out`, 'move-out-v1-consent-gate');
});

it('withdrawing one consent keeps handoffs that another valid consent still covers', async () => {
  const c = await d.newCase({}, { consent: false });
  const first = await giveConsent(stack, caseworker, c.id, ['5-50']);
  await giveConsent(stack, caseworker, c.id, ['5-50', 'jobcenter']);
  const h = await stack.api('POST', `/api/cases/${c.id}/handoffs`, {
    token: caseworker,
    body: { step: 'cost-approval', department: '5-50' },
  });
  expect(h.status).toBe(201);
  const w = await stack.api('POST', `/api/cases/${c.id}/consents/${first}/withdraw`, { token: caseworker, body: {} });
  expect(w.status).toBe(200);
  expect(w.body.cancelledTasks).toEqual([]);
  expect(OPEN.includes((await stack.db.task.findUniqueOrThrow({ where: { id: h.body.id } })).status)).toBe(true);
});

const OPEN = ['created', 'notified', 'accepted'];

it('an ad-hoc handoff or a forward to a department without consent is refused (409, nothing changes)', async () => {
  const c = await d.newCase({}, { consent: false });
  const refused = await stack.api('POST', `/api/cases/${c.id}/handoffs`, {
    token: caseworker,
    body: { step: 'cost-approval', department: 'jobcenter' },
  });
  expect(refused.status).toBe(409);
  expect(refused.body.error.message).toBe('Einwilligung für Jobcenter fehlt: Bitte zuerst die Einwilligung im Fall erfassen.');
  expect(await stack.db.task.count({ where: { caseId: c.id } })).toBe(0);

  await giveConsent(stack, caseworker, c.id, ['5-50']);
  const h = await stack.api('POST', `/api/cases/${c.id}/handoffs`, {
    token: caseworker,
    body: { step: 'cost-approval', department: '5-50' },
  });
  expect(h.status).toBe(201);
  const taskId = h.body.id as string;
  await eventually(async () => (await stack.db.task.findUniqueOrThrow({ where: { id: taskId } })).status === 'notified');
  const forward = await stack.api('POST', `/api/tasks/${taskId}/forward`, {
    token: member550,
    body: { department: 'jobcenter', reason: 'Leistungsbezug SGB II' },
  });
  expect(forward.status).toBe(409);
  expect(forward.body.error.message).toMatch(/^Einwilligung für Jobcenter fehlt/);
  const t = await stack.db.task.findUniqueOrThrow({ where: { id: taskId } });
  expect([t.departmentId, t.status]).toEqual(['5-50', 'notified']);

  await giveConsent(stack, caseworker, c.id, ['jobcenter']);
  const ok = await stack.api('POST', `/api/tasks/${taskId}/forward`, {
    token: member550,
    body: { department: 'jobcenter', reason: 'Leistungsbezug SGB II' },
  });
  expect(ok.status).toBe(200);
  expect(ok.body.department).toBe('jobcenter');
});

it('a forwarded chain handoff: the process list finds the chain at the department it went to (issue 17 P3)', async () => {
  // a member of the Ausländerbehörde (the demo data has its mailbox only), with the demo password
  const demo = await stack.db.user.findUniqueOrThrow({ where: { email: 'soziale-foerderung@kim.example' } });
  await stack.db.user.create({
    data: {
      email: 'abh-mitglied@kim.example',
      name: 'ABH',
      role: 'department_member',
      departmentId: 'auslaenderbehoerde',
      passwordHash: demo.passwordHash,
    },
  });
  const [abh, supervisor] = await Promise.all([stack.token('abh-mitglied@kim.example'), stack.token('leitung@kim.example')]);
  const c = await d.newCase();
  const start = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
  expect(start.status).toBe(201);
  const id = start.body.id as string;
  await d.complete(id, 'readiness', 'ready');
  const p = await d.at(id, 'residence-check', 'handoff');
  const taskId = [...p.steps].reverse().find((s: { key: string }) => s.key === 'residence-check').taskId as string;
  await eventually(async () => (await stack.db.task.findUniqueOrThrow({ where: { id: taskId } })).status === 'notified');
  const f = await stack.api('POST', `/api/tasks/${taskId}/forward`, { token: abh, body: { department: '5-50', reason: 'Zuständigkeit' } });
  expect(f.status).toBe(200);
  // the handoff record moves the current department and adds it to the chain's departments (the filter's column)
  const row = await eventually(async () => {
    const r = await stack.db.process.findUniqueOrThrow({ where: { id } });
    return r.currentDepartment === '5-50' ? r : undefined;
  });
  expect(row.departments).toContain('5-50');
  const list = await stack.api('GET', '/api/processes?type=move-out&department=5-50&limit=200', { token: supervisor });
  expect(list.status).toBe(200);
  expect(list.body.items.map((x: { id: string }) => x.id)).toContain(id);
  expect(list.body.total).toBe(list.body.items.length);
});

it('withdrawing: unknown consent 404, another case’s consent 404, a department member 403', async () => {
  const a = await d.newCase({}, { consent: false });
  const b = await d.newCase({}, { consent: false });
  const k = await giveConsent(stack, caseworker, a.id, ['5-50']);
  expect((await stack.api('POST', `/api/cases/${b.id}/consents/${k}/withdraw`, { token: caseworker, body: {} })).status).toBe(404);
  expect(
    (await stack.api('POST', `/api/cases/${a.id}/consents/${crypto.randomUUID()}/withdraw`, { token: caseworker, body: {} })).status,
  ).toBe(404);
  expect((await stack.api('POST', `/api/cases/${a.id}/consents/${k}/withdraw`, { token: member550, body: {} })).status).toBe(403);
  expect((await stack.db.consent.findUniqueOrThrow({ where: { id: k } })).withdrawnAt).toBeNull();
});

it('reconcile repairs what an outage left: a withdrawal stored without its cancellation, a consent stored without its signal', async () => {
  const admin = await stack.token('admin@kim.example');
  // withdrawal written to the database only (as if Temporal had been unreachable right after it)
  const c = await d.newCase({}, { consent: false });
  const k = await giveConsent(stack, caseworker, c.id, ['5-50']);
  const h = await stack.api('POST', `/api/cases/${c.id}/handoffs`, {
    token: caseworker,
    body: { step: 'cost-approval', department: '5-50' },
  });
  expect(h.status).toBe(201);
  await stack.db.consent.update({ where: { id: k }, data: { withdrawnAt: new Date() } });

  // a chain waiting for a consent that was stored without its signal
  const c2 = await d.newCase({ benefitType: 'sgb2' }, { consent: false });
  const id = (await stack.api('POST', `/api/cases/${c2.id}/chains`, { token: caseworker, body: { type: 'move-out' } })).body.id as string;
  await d.complete(id, 'readiness', 'ready');
  await d.at(id, 'residence-check', 'consent');
  await stack.db.consent.create({
    data: {
      caseId: c2.id,
      departments: ['auslaenderbehoerde'],
      purpose: 'direkt gespeichert',
      givenAt: new Date(),
      recordedById: (await stack.db.user.findFirstOrThrow({ where: { role: 'caseworker' } })).id,
    },
  });

  const r = await stack.api('POST', '/api/admin/reconcile', { token: admin, body: {} });
  expect(r.status).toBe(200);
  expect(r.body.consents.cancelledTasks).toBeGreaterThanOrEqual(1);
  expect((await stack.db.task.findUniqueOrThrow({ where: { id: h.body.id } })).status).toBe('cancelled');
  await d.at(id, 'residence-check', 'handoff');
  // a second run finds nothing more to do for these cases
  const again = await stack.api('POST', '/api/admin/reconcile', { token: admin, body: {} });
  expect(again.body.consents.cancelledTasks).toBe(0);
});

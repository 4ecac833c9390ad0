// Handoffs with context (issue 14) on the real stack. The shipped move-out v2 with a city variant that compares the
// approved rent with the flat's rent (a `compare` step on the chain's facts). The caseworker writes a
// message for the cost approval before it is handed over; the Jobcenter sees the search profile, the
// rent and the message behind its link and on its task page — only while a consent covers it, never in
// the e-mail. Its typed result fields are validated (bad amount → 400 at the field, nothing recorded),
// become facts shown on the process page and decide the later compare step. The fork's two branches
// both get their forms on the process page and both are drawn as current in the diagram.
import { registerChainDefinition, type ChainDefinition } from '../../core/domain/chains';
import { moveOutV2 } from '../../core/domain/chains/move-out-v2';
import { chainDriver } from '../support/chain-helpers';
import { FormClient, hidden } from '../support/form-client';
import { eventually, startStack, type Stack } from '../support/stack';

const MESSAGE = 'Bitte Rueckruf-Qzwvtrk vor dem Bescheid';
const LATE_MESSAGE = 'Nachtrag-Hwpxqlm: Vermieter wartet';

/** A city variant of move-out v2: after the cost approval, does the approved rent cover the flat's rent? */
const variant: ChainDefinition = {
  ...moveOutV2,
  version: 914,
  steps: {
    ...moveOutV2.steps,
    'cost-approval': {
      ...moveOutV2.steps['cost-approval'],
      outcomes: { approved: { label: 'bewilligt', next: 'rent-covered' }, rejected: { label: 'abgelehnt', next: 'offer' } },
    },
    'rent-covered': {
      title: 'Deckt die bewilligte Miete die Miete?',
      actor: { kind: 'compare', fact: 'cost-approval.approvedRent', op: 'gte', than: 'rent-offer.rent' },
      optional: false,
      fields: [],
      outcomes: { yes: { label: 'ja', next: 'move-funding' }, no: { label: 'nein', next: 'rent-gap' } },
    },
    'rent-gap': {
      title: 'Mietdifferenz klären',
      actor: { kind: 'caseworker' },
      deadlineDays: 5,
      optional: false,
      fields: [],
      outcomes: { done: { label: 'geklärt', next: 'move-funding' } },
    },
  },
};

let stack: Stack;
let caseworker: string;
let d: ReturnType<typeof chainDriver>;

beforeAll(async () => {
  stack = await startStack({ workingDaySeconds: 0.5 });
  caseworker = await stack.token('fallmanagement@kim.example');
  d = chainDriver(stack, caseworker);
  registerChainDefinition(variant);
});
afterAll(() => stack?.stop());

const taskOf = async (processId: string, key: string) => {
  const p = await d.at(processId, key, 'handoff');
  return [...p.steps].reverse().find((s: { key: string }) => s.key === key).taskId as string;
};

/** The mail link of a task's action (the department's way in). */
async function linkFor(taskId: string, action: string) {
  const tokens = await eventually(async () => {
    const rows = await stack.db.actionToken.findMany({ where: { taskId, action } });
    return rows.length ? rows : undefined;
  });
  const mail = await eventually(() => stack.capture.list().find((m) => m.links.some((l) => tokens.some((t) => l.includes(`.${t.id}.`)))));
  return { mail, link: mail.links.find((l) => tokens.some((t) => l.includes(`.${t.id}.`)))! };
}

it('both fork branches get their forms on the process page and are drawn as current in the diagram', async () => {
  const c = await d.newCase();
  const id = (await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } })).body.id as string;
  await d.complete(id, 'readiness', 'ready');
  await d.departmentActs(id, 'residence-check', 'decline', { reason: 'Pass fehlt noch' });
  await d.departmentActs(id, 'wbs', 'decline', { reason: 'Einkommensnachweis fehlt' });
  await eventually(async () => {
    const p = await d.process(id);
    return p.currentSteps.filter((s: { status: string }) => s.status === 'returned').length === 2 ? p : undefined;
  });
  const browser = new FormClient(stack.url);
  await browser.login('fallmanagement@kim.example');
  const page = await browser.get(`/prozesse/${id}`);
  expect(page.status).toBe(200);
  // a retry form for each branch, each posting to its own step
  expect(page.text).toContain(`action="/prozesse/${id}/schritte/residence-check"`);
  expect(page.text).toContain(`action="/prozesse/${id}/schritte/wbs"`);
  expect(page.text).toContain('Paralleler Zweig: Wohnberechtigungsschein');
  expect(page.text).toContain('Einkommensnachweis fehlt'); // the second branch's decline reason
  // the diagram: both branches current, the fork named with its branches
  expect(page.text.match(/aria-current="step"/g)).toHaveLength(2);
  expect(page.text).toContain(
    'teilt sich in parallele Zweige: Aufenthaltsstatus / Wohnsitzauflage (§ 12a AufenthG) und Wohnberechtigungsschein',
  );
  expect(page.text).toContain('Aktuelle Schritte (parallel)');

  // the second branch's form works: the WBS is handed over again, the residence check stays returned
  const retried = await browser.post(`/prozesse/${id}/schritte/wbs`, { _csrf: hidden(page.text, '_csrf'), outcome: 'retry' });
  expect(retried.status).toBe(303);
  const p = await d.at(id, 'wbs', 'handoff');
  expect(p.currentSteps.find((s: { key: string }) => s.key === 'residence-check').status).toBe('returned');
}, 120_000);

it('context behind the link only with consent and never in the mail; typed results validated, kept as facts, shown and used by a later rule', async () => {
  const c = await d.newCase();
  const start = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
  const id = start.body.id as string;
  expect((await d.process(id)).version).toBe(914);

  // a message written before the handoff goes out (idempotent per key; a bad step is a German 400 naming the field)
  const headers = { 'idempotency-key': `msg-${id}` };
  const m1 = await stack.api('POST', `/api/processes/${id}/handoff-messages`, {
    token: caseworker,
    headers,
    body: { step: 'cost-approval', text: MESSAGE },
  });
  expect(m1.status).toBe(201);
  expect(m1.body.taskId).toBeNull();
  const again = await stack.api('POST', `/api/processes/${id}/handoff-messages`, {
    token: caseworker,
    headers,
    body: { step: 'cost-approval', text: MESSAGE },
  });
  expect(again.status).toBe(200);
  expect(again.body.id).toBe(m1.body.id);
  const bad = await stack.api('POST', `/api/processes/${id}/handoff-messages`, {
    token: caseworker,
    body: { step: 'readiness', text: 'x y z' },
  });
  expect(bad.status).toBe(400);
  expect(bad.body.error.details[0].field).toBe('step');
  expect(await stack.db.handoffMessage.count({ where: { processId: id } })).toBe(1);

  await d.complete(id, 'readiness', 'ready');
  await d.departmentActs(id, 'residence-check', 'complete', { outcome: 'clear' });
  await d.departmentActs(id, 'wbs', 'complete', { outcome: 'issued' });
  await d.complete(id, 'search-profile', 'done', { rooms: 2, rentCap: 650 });
  await d.complete(id, 'offer', 'received');
  await d.complete(id, 'viewing', 'accepted', { date: '2026-12-01' });
  await d.complete(id, 'rent-offer', 'received', { rent: 612.5 });
  const taskId = await taskOf(id, 'cost-approval');
  // the waiting message went with the handoff; one written now goes to the open handoff
  expect((await stack.db.handoffMessage.findUniqueOrThrow({ where: { id: m1.body.id } })).taskId).toBe(taskId);
  const m2 = await stack.api('POST', `/api/processes/${id}/handoff-messages`, {
    token: caseworker,
    body: { step: 'cost-approval', text: LATE_MESSAGE },
  });
  expect(m2.body.taskId).toBe(taskId);

  // the mail keeps to reference, step and deadline: no facts, no message
  const { mail, link } = await linkFor(taskId, 'complete');
  expect(mail.text).toContain(c.reference);
  for (const leak of ['612,5', 'Mietobergrenze', 'Bruttokaltmiete', 'Rueckruf-Qzwvtrk', 'Nachtrag-Hwpxqlm', 'Angaben aus dem Fall'])
    expect(mail.text + mail.html).not.toContain(leak);

  // behind the link: the search profile, the rent and both messages
  const linkPage = await fetch(link).then((r) => r.text());
  expect(linkPage).toContain('Angaben aus dem Fall');
  expect(linkPage).toContain('<dt>Bruttokaltmiete (EUR) (Mietangebot / Vermieterbescheinigung)</dt><dd>612,5</dd>');
  expect(linkPage).toContain('<dt>Mietobergrenze (EUR, KdU) (Suchprofil inkl. Mietobergrenze)</dt><dd>650</dd>');
  expect(linkPage).toContain('Rueckruf-Qzwvtrk');
  expect(linkPage).toContain('Nachtrag-Hwpxqlm');
  expect(linkPage).toContain('Bewilligte Miete (EUR)'); // the typed result field in the completion form
  // the department's task page (login) shows it too, and the showing is audited
  const jc = new FormClient(stack.url);
  await jc.login('jobcenter@kim.example');
  const taskPage = await jc.get(`/aufgaben/${taskId}`);
  expect(taskPage.text).toContain('<dd>612,5</dd>');
  expect(taskPage.text).toContain('Rueckruf-Qzwvtrk');
  expect(await stack.db.auditEvent.count({ where: { action: 'task.context.read', entityId: taskId } })).toBeGreaterThanOrEqual(2);

  // no consent covering the Jobcenter (the consent row withdrawn directly, so the task stays open): nothing of it
  const consents = await stack.db.consent.findMany({ where: { caseId: c.id } });
  await stack.db.consent.updateMany({ where: { caseId: c.id }, data: { withdrawnAt: new Date() } });
  const without = await jc.get(`/aufgaben/${taskId}`);
  expect(without.status).toBe(200);
  expect((await stack.db.task.findUniqueOrThrow({ where: { id: taskId } })).status).not.toBe('cancelled');
  for (const hiddenText of ['Angaben aus dem Fall', '612,5', 'Rueckruf-Qzwvtrk', 'Nachtrag-Hwpxqlm'])
    expect(without.text).not.toContain(hiddenText);
  for (const k of consents) await stack.db.consent.update({ where: { id: k.id }, data: { withdrawnAt: null } });
  expect((await jc.get(`/aufgaben/${taskId}`)).text).toContain('Rueckruf-Qzwvtrk');

  // a bad amount: 400 at the field (page keeps the input), nothing recorded — through the link and the JSON API
  const badForm = await fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ outcome: 'approved', 'data.approvedRent': 'sechshundert', 'data.decidedOn': '2026-13-45' }).toString(),
  });
  const badText = await badForm.text();
  expect(badForm.status).toBe(400);
  expect(badText).toContain('Bewilligte Miete (EUR): Betrag in Euro erwartet');
  expect(badText).toContain('Bescheid vom: kein gültiges Datum');
  expect(badText).toContain('value="sechshundert"');
  const jcToken = await stack.token('jobcenter@kim.example');
  const badApi = await stack.api('POST', `/api/tasks/${taskId}/complete`, {
    token: jcToken,
    body: { outcome: 'approved', data: { approvedRent: 550.123 } },
  });
  expect(badApi.status).toBe(400);
  expect(badApi.body.error.details).toEqual([
    { field: 'data.approvedRent', message: 'Bewilligte Miete (EUR): höchstens zwei Nachkommastellen' },
  ]);
  expect(await stack.db.taskEvent.count({ where: { taskId, event: 'completed' } })).toBe(0);
  expect((await d.process(id)).currentStep.key).toBe('cost-approval');

  // a valid answer (German amount) through the link: the results become facts of the chain
  const ok = await fetch(link, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ outcome: 'approved', 'data.approvedRent': '550,00', 'data.decidedOn': '2026-11-30' }).toString(),
  });
  expect(ok.status).toBe(200);
  // the later rule used them: 550 < 612.50 → the rent gap is to be cleared
  const gap = await d.at(id, 'rent-gap', 'active');
  expect(gap.steps.find((s: { key: string }) => s.key === 'rent-covered')).toMatchObject({ status: 'done', outcome: 'no' });
  const row = await stack.db.processStep.findFirstOrThrow({ where: { processId: id, key: 'cost-approval', status: 'done' } });
  expect(row.data).toEqual({ approvedRent: 550, decidedOn: '2026-11-30' });
  // shown on the process page
  const browser = new FormClient(stack.url);
  await browser.login('fallmanagement@kim.example');
  const page = await browser.get(`/prozesse/${id}`);
  expect(page.text).toContain('Ergebnisse der Stellen');
  expect(page.text).toContain('Bewilligte Miete (EUR) (Mietübernahme / Angemessenheitsprüfung)');
  expect(page.text).toContain('550,00 EUR');
  expect(page.text).toContain('30.11.2026');
  // the department sees its context no more once the task is done
  expect((await jc.get(`/aufgaben/${taskId}`)).text).not.toContain('Rueckruf-Qzwvtrk');
  // the deposit office sees the approved rent as context
  await d.complete(id, 'rent-gap', 'done');
  const depositTask = await taskOf(id, 'deposit');
  const depositPage = await jc.get(`/aufgaben/${depositTask}`);
  expect(depositPage.text).toContain('Bewilligte Miete (EUR) (Mietübernahme / Angemessenheitsprüfung)');
  expect(depositPage.text).toContain('550,00 EUR');
  expect(depositPage.text).not.toContain('Rueckruf-Qzwvtrk'); // messages belong to their handoff
}, 180_000);

it('the caseworker writes a message on the process page; a missing text is a German error at the field, nothing stored', async () => {
  const c = await d.newCase();
  const id = (await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } })).body.id as string;
  await d.at(id, 'readiness', 'active');
  const browser = new FormClient(stack.url);
  await browser.login('fallmanagement@kim.example');
  const page = await browser.get(`/prozesse/${id}`);
  expect(page.text).toContain(`action="/prozesse/${id}/nachricht"`);
  const csrf = hidden(page.text, '_csrf');
  const empty = await browser.post(`/prozesse/${id}/nachricht`, { _csrf: csrf, _key: 'formkey-001', step: 'cost-approval', text: '' });
  expect(empty.status).toBe(400);
  expect(empty.text).toContain('Nachricht fehlt');
  expect(await stack.db.handoffMessage.count({ where: { processId: id } })).toBe(0);
  const form = { _csrf: csrf, _key: 'formkey-002', step: 'deposit', text: 'Kaution-Lpqzvx bitte direkt an Vermieter' };
  expect((await browser.post(`/prozesse/${id}/nachricht`, form)).status).toBe(303);
  expect((await browser.post(`/prozesse/${id}/nachricht`, form)).status).toBe(303); // double submit
  expect(await stack.db.handoffMessage.count({ where: { processId: id } })).toBe(1);
  const after = await browser.get(`/prozesse/${id}`);
  expect(after.text).toContain('Kaution-Lpqzvx');
  expect(after.text).toContain('geht mit der nächsten Übergabe');
  // a department member may not write one
  const jc = await stack.token('jobcenter@kim.example');
  const denied = await stack.api('POST', `/api/processes/${id}/handoff-messages`, {
    token: jc,
    body: { step: 'deposit', text: 'abc def' },
  });
  expect(denied.status).toBe(403);
}, 120_000);

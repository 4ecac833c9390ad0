// No personal data in Temporal: a full education/work chain and part of a move-out chain run with
// persons whose names are distinctive strings, a decline reason, hold/cancel reasons and step data
// with markers. Then every workflow of the test's cases (listed by the KimCaseId search attribute, plus
// the workflow ids the database knows) is read as Temporal stores it — through a client WITHOUT the
// payload codec: no names, no free text; workflow ids and search attributes carry no names either.
// The positive control decrypts the same histories: the free text is there (so the scan scans
// something), the names are not (workflows carry IDs only, DESIGN.md §4).
import { ENCRYPTED_ENCODING } from '../../core/codec';
import { chainDriver } from '../support/chain-helpers';
import { eventually, startStack, type Stack } from '../support/stack';
import { decryptTree, historyText } from '../support/history-text';
import { giveConsent } from '../support/consent';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

const NAMES = ['Zxqwelda', 'Brombeerstrauch', 'Quixotic', 'Yrvandokles', 'Pflaumenhain'];
/** free text of the case cycle (issue 13): kept in PostgreSQL, the case workflow gets ids and dates — not even encrypted */
const CYCLE_TEXT = ['Anamnese-Qzvbnrt', 'Ziel-Hjkwmlpq', 'Massnahme-Trvcxyw', 'Bewertung-Plmokjn', 'Verlauf-Wsxedcr', 'Dokument-Yhnujmk'];
const FREE_TEXT = ['Ablehnungsgrund-Kvlmstrq', 'Daten-Wqpzhgtx', 'Anhaltegrund-Jfoqvyr', 'Abbruchgrund-Xbnmelu', 'Einschaetzung-Drgtuvw'];

let stack: Stack;
let caseworker: string;
let d: ReturnType<typeof chainDriver>;

beforeAll(async () => {
  stack = await startStack({ workingDaySeconds: 0.05 });
  caseworker = await stack.token('fallmanagement@kim.example');
  d = chainDriver(stack, caseworker);
});
afterAll(() => stack?.stop());

const hits = (text: string, needles: string[]) => needles.filter((n) => text.toLowerCase().includes(n.toLowerCase()));

it('no names and no free text in workflow histories, ids or search attributes', async () => {
  // education/work: full chain, with a declined handoff (reason) and step data
  const p1 = await stack.api('POST', '/api/persons', {
    token: caseworker,
    body: { firstName: 'Zxqwelda', lastName: 'Brombeerstrauch-Quixotic', benefitType: 'sgb2', birthDate: '1990-01-01' },
  });
  expect(p1.status).toBe(201);
  const c1 = await stack.api('POST', '/api/cases', { token: caseworker, body: { personId: p1.body.id, topic: 'education_work' } });
  await giveConsent(stack, caseworker, c1.body.id);
  expect(c1.status).toBe(201);
  const e = await stack.api('POST', `/api/cases/${c1.body.id}/chains`, { token: caseworker, body: { type: 'education-work' } });
  expect(e.status).toBe(201);
  const ew = e.body.id as string;
  await d.complete(ew, 'education-history', 'done', { qualification: 'Daten-Wqpzhgtx Zxqwelda' });
  await d.complete(ew, 'language-course', 'completed', { start: '2026-01-01', end: '2026-10-01' });
  await d.departmentActs(ew, 'counselling', 'decline', { reason: 'Ablehnungsgrund-Kvlmstrq für Frau Brombeerstrauch' });
  await d.at(ew, 'counselling', 'returned');
  await d.complete(ew, 'counselling', 'retry');
  await d.departmentActs(ew, 'counselling', 'complete', { outcome: 'done' });
  await d.departmentActs(ew, 'measure', 'complete', { outcome: 'finished' });
  await d.complete(ew, 'placement', 'work', { employer: 'Pflaumenhain GmbH' });
  await d.at(ew, 'follow-up', 'waiting');
  await d.complete(ew, 'follow-up', 'stable');
  await eventually(async () => (await d.process(ew)).status === 'completed', 30_000);

  // move-out: a few steps, a hold and a cancel with reasons
  const c2 = await d.newCase({ firstName: 'Yrvandokles', lastName: 'Pflaumenhain', benefitType: 'asylblg' });
  const m = await stack.api('POST', `/api/cases/${c2.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
  expect(m.status).toBe(201);
  const mo = m.body.id as string;
  await d.complete(mo, 'readiness', 'ready', { assessment: 'Einschaetzung-Drgtuvw Yrvandokles' });
  await d.departmentActs(mo, 'residence-check', 'accept');
  await d.departmentActs(mo, 'residence-check', 'complete', { outcome: 'clear', 'data.note': 'Daten-Wqpzhgtx zu Yrvandokles' });
  await d.at(mo, 'wbs', 'handoff');
  // the caseworker's messages to departments (issue 14): one to the open WBS handoff, one waiting for the next
  // cost approval — both stay in PostgreSQL, not even encrypted in Temporal
  for (const [step, text] of [
    ['wbs', 'Nachricht-Qmvwxyz zu Yrvandokles'],
    ['cost-approval', 'Nachricht-Rtzuipk zu Pflaumenhain'],
  ]) {
    const msg = await stack.api('POST', `/api/processes/${mo}/handoff-messages`, { token: caseworker, body: { step, text } });
    expect(msg.status).toBe(201);
    expect(msg.body.taskId === null).toBe(step !== 'wbs'); // the WBS one went with the open handoff
  }
  // the person's file (issue 13): its free text and the household's names never reach Temporal
  const personId = (await stack.db.case.findUniqueOrThrow({ where: { id: c2.id } })).personId;
  const pf = await stack.api('PATCH', `/api/persons/${personId}`, {
    token: caseworker,
    body: {
      version: 1,
      benefitType: 'sgb2',
      contact: { phone: '+49 555 7788', email: 'mail-vqzrtx@example.org', postalAddress: 'Anschrift-Hpqwzt 3' },
      residence: { obligation12a: true, obligation12aPlace: 'Wohnort-Kzqvbn' },
    },
  });
  expect(pf.status).toBe(200);
  expect(
    (
      await stack.api('POST', `/api/persons/${personId}/household-members`, {
        token: caseworker,
        body: { firstName: 'Mitglied-Wqxbnz', lastName: 'Pflaumenhain', birthDate: '2015-02-03', relationship: 'child' },
      })
    ).status,
  ).toBe(201);
  expect(
    (await stack.api('POST', `/api/processes/${mo}/hold`, { token: caseworker, body: { reason: 'Anhaltegrund-Jfoqvyr Yrvandokles' } }))
      .status,
  ).toBe(200);
  expect((await stack.api('POST', `/api/processes/${mo}/resume`, { token: caseworker, body: {} })).status).toBe(200);
  expect(
    (await stack.api('POST', `/api/processes/${mo}/cancel`, { token: caseworker, body: { reason: 'Abbruchgrund-Xbnmelu Pflaumenhain' } }))
      .status,
  ).toBe(200);
  await eventually(async () => (await d.process(mo)).status === 'cancelled', 30_000);

  // the case cycle on the education case: assessment, plan (timers run in the case workflow), review, journal, document
  const cyc = async (path: string, body: unknown) => {
    const r = await stack.api('POST', `/api/cases/${c1.body.id}/${path}`, { token: caseworker, body });
    expect(r.status).toBeLessThan(300);
    return r.body;
  };
  await cyc('assessments', { areas: [{ area: 'language', situation: 'Anamnese-Qzvbnrt Zxqwelda', need: 'some' }] });
  const plan = await cyc('plans', {
    goals: [{ area: 'education_work', text: 'Ziel-Hjkwmlpq Zxqwelda', targetDate: '2099-01-01' }],
    actions: [{ text: 'Massnahme-Trvcxyw', owner: 'caseworker', dueDate: '2020-01-01' }],
    reviewDate: '2020-01-02', // past: the reminders and the escalation run in the case workflow at once
  });
  await eventually(() => stack.db.auditEvent.findFirst({ where: { action: 'plan.review-escalation', caseId: c1.body.id } }), 30_000);
  const goalId = (await stack.api('GET', `/api/cases/${c1.body.id}/plans/${plan.id}`, { token: caseworker })).body.goals[0].id;
  await cyc(`plans/${plan.id}/review`, { ratings: [{ goalId, rating: 'partly', note: 'Bewertung-Plmokjn' }] });
  await cyc('journal', { kind: 'note', text: 'Verlauf-Wsxedcr Brombeerstrauch' });
  const form = new FormData();
  form.set('file', new Blob([Buffer.from('%PDF-1.4 Dokument-Yhnujmk')]), 'Dokument-Yhnujmk.pdf');
  const up = await fetch(`${stack.url}/api/cases/${c1.body.id}/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${caseworker}` },
    body: form,
  });
  expect(up.status).toBe(201);

  // every workflow of these cases: by search attribute, and every id the database knows
  const caseIds = [c1.body.id as string, c2.id];
  const ids = new Set<string>();
  const listed: unknown[] = [];
  for (const caseId of caseIds) {
    await eventually(async () => {
      const found: unknown[] = [];
      for await (const w of stack.rawClient.workflow.list({ query: `KimCaseId = "${caseId}"` })) found.push(w);
      return found.length >= 2 ? found : undefined; // case workflow + chain (+ handoffs), visibility is eventually consistent
    }, 20_000);
    for await (const w of stack.rawClient.workflow.list({ query: `KimCaseId = "${caseId}"` })) {
      ids.add(w.workflowId);
      listed.push(w);
    }
  }
  const fromDb = [
    ...(await stack.db.case.findMany({ where: { id: { in: caseIds } } })).map((r) => r.workflowId),
    ...(await stack.db.process.findMany({ where: { caseId: { in: caseIds } } })).map((r) => r.workflowId),
    ...(await stack.db.task.findMany({ where: { caseId: { in: caseIds } } })).map((r) => r.workflowId),
  ];
  for (const id of fromDb) ids.add(id);
  expect(fromDb.length).toBeGreaterThanOrEqual(2 + 4); // 2 cases, 2 chains, ≥ 4 handoffs
  expect([...ids].every((id) => fromDb.includes(id))).toBe(true); // nothing listed the database does not know

  // workflow ids, search attributes and memos (as listed, no codec): no names, no free text
  expect(hits([...ids].join('\n'), [...NAMES, ...FREE_TEXT])).toEqual([]);
  expect(hits(historyText(listed), [...NAMES, ...FREE_TEXT])).toEqual([]);

  let rawAll = '';
  let plainAll = '';
  for (const id of ids) {
    const history = await stack.rawClient.workflow.getHandle(id).fetchHistory();
    const raw = historyText(history);
    expect({ id, hits: hits(raw, [...NAMES, ...FREE_TEXT]) }).toEqual({ id, hits: [] });
    rawAll += raw;
    plainAll += historyText(await decryptTree(history));
  }
  expect(rawAll).toContain(ENCRYPTED_ENCODING);
  // positive control: decrypted, the free text is in the histories — so the raw scan was meaningful
  expect(hits(plainAll, FREE_TEXT).sort()).toEqual([...FREE_TEXT].sort());
  // the names do not reach Temporal at all, encrypted or not — except where a caseworker typed one into free text
  const withoutFreeText = FREE_TEXT.reduce((t, marker) => t.replace(new RegExp(`${marker}[^"\\\\]*`, 'g'), ''), plainAll).replace(
    /Pflaumenhain GmbH/g,
    '',
  );
  expect(hits(withoutFreeText, NAMES)).toEqual([]);
  // the person's file stays in PostgreSQL: not even encrypted in Temporal
  const PERSON_FILE = ['mail-vqzrtx', 'Anschrift-Hpqwzt', 'Wohnort-Kzqvbn', 'Mitglied-Wqxbnz', '555 7788'];
  expect(hits(rawAll + plainAll, PERSON_FILE)).toEqual([]);
  // the handoff messages are in no history, encrypted or not
  expect(hits(rawAll + plainAll, ['Nachricht-Qmvwxyz', 'Nachricht-Rtzuipk'])).toEqual([]);
  // the case cycle's text is in no history, encrypted or not
  expect(hits(rawAll + plainAll, CYCLE_TEXT)).toEqual([]);
}, 180_000);

// The reason given when a case's status changes is kept (CaseStatusChange), with the closure code when
// closing (API.md): on the case page (form and „Statusverlauf“), in GET /api/cases/{id} (statusReason,
// closureCode, closureReason, statusHistory), in the Art. 15 export (JSON and PDF), and anonymisation
// clears the free-text reason but keeps the statuses and the code.
import { createRetentionActivities } from '../../activities/retention';
import { FormClient, hidden } from '../support/form-client';
import { pdfText } from '../support/pdf-text';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack();
  token = await stack.token('fallmanagement@kim.example');
});
afterAll(() => stack?.stop());

async function newCase(lastName = 'Status') {
  const p = await stack.api('POST', '/api/persons', { token, body: { firstName: 'Rita', lastName } });
  const c = await stack.api('POST', '/api/cases', { token, body: { personId: p.body.id, topic: 'housing' } });
  expect(c.status).toBe(201);
  return { personId: p.body.id as string, caseId: c.body.id as string };
}

it('the case page form stores the reason; the page shows it in the status history; a closure code without closing is a 400', async () => {
  const { caseId } = await newCase();
  const b = new FormClient(stack.url);
  await b.login('fallmanagement@kim.example');
  const path = `/faelle/${caseId}`;
  const page = await b.get(path);
  expect(page.text).toContain('<label for="f-statusReason">Begründung (optional)</label>');
  expect(page.text).toContain('<h2 id="h-stv">Statusverlauf</h2>');
  expect(page.text).toContain('Der Status wurde noch nicht geändert.');

  const wrong = await b.post(`${path}/status`, {
    _csrf: hidden(page.text, '_csrf'),
    status: 'on_hold',
    reason: 'Person <b>im Urlaub</b>',
    closureCode: 'own_flat',
  });
  expect(wrong.status).toBe(400);
  expect(wrong.text).toContain('Abschlussgrund nur beim Abschließen');
  expect(wrong.text).toContain('Person &lt;b&gt;im Urlaub&lt;/b&gt;</textarea>'); // what was typed comes back, escaped
  expect(await stack.db.caseStatusChange.count({ where: { caseId } })).toBe(0);

  const ok = await b.post(`${path}/status`, {
    _csrf: hidden(page.text, '_csrf'),
    status: 'on_hold',
    reason: 'Person <b>im Urlaub</b>',
    closureCode: '',
  });
  expect(ok).toMatchObject({ status: 303, location: `${path}?ok=status` });
  const after = await b.get(path);
  expect(after.text).toMatch(/<td>offen<\/td><td>pausiert<\/td>\s*<td>Person &lt;b&gt;im Urlaub&lt;\/b&gt;<\/td>/);
  const audit = await stack.db.auditEvent.findFirstOrThrow({ where: { caseId, action: 'case.status' } });
  expect(audit.details).toMatchObject({ from: 'open', to: 'on_hold', reason: true });
  expect(JSON.stringify(audit.details)).not.toContain('Urlaub'); // the log names that a reason exists, not the text
});

it('API: closing with reason and closure code stores both; GET returns them with the history; retention clears the reason only; the Art. 15 export has it', async () => {
  const { caseId, personId } = await newCase('Abschluss');
  expect(
    (await stack.api('POST', `/api/cases/${caseId}/status`, { token, body: { status: 'in_progress', reason: 'Erstgespräch geführt' } }))
      .status,
  ).toBe(200);
  const badCode = await stack.api('POST', `/api/cases/${caseId}/status`, { token, body: { status: 'closed', closureCode: 'lottery_win' } });
  expect(badCode.status).toBe(400);
  expect(JSON.stringify(badCode.body)).toContain('closureCode');
  const closed = await stack.api('POST', `/api/cases/${caseId}/status`, {
    token,
    body: { status: 'closed', reason: 'Mietvertrag unterschrieben', closureCode: 'own_flat' },
  });
  expect(closed.status).toBe(200);

  const got = await stack.api('GET', `/api/cases/${caseId}`, { token });
  expect(got.status).toBe(200);
  expect(got.body).toMatchObject({
    status: 'closed',
    statusReason: 'Mietvertrag unterschrieben',
    closureCode: 'own_flat',
    closureReason: 'Mietvertrag unterschrieben',
    statusHistory: [
      { from: 'in_progress', to: 'closed', reason: 'Mietvertrag unterschrieben', closureCode: 'own_flat' },
      { from: 'open', to: 'in_progress', reason: 'Erstgespräch geführt', closureCode: null },
    ],
  });

  const b = new FormClient(stack.url);
  await b.login('fallmanagement@kim.example');
  const page = await b.get(`/faelle/${caseId}`);
  expect(page.text).toContain('<dt>Abschluss</dt><dd>eigene Wohnung bezogen – Mietvertrag unterschrieben</dd>');

  const x = await stack.api('GET', `/api/persons/${personId}/export`, { token });
  expect(x.body.cases[0].statusHistory).toEqual([
    expect.objectContaining({ from: 'open', to: 'in_progress', toLabel: 'in Bearbeitung', reason: 'Erstgespräch geführt' }),
    expect.objectContaining({
      from: 'in_progress',
      to: 'closed',
      reason: 'Mietvertrag unterschrieben',
      closureCode: 'own_flat',
      closureLabel: 'eigene Wohnung bezogen',
    }),
  ]);
  const pdf = await fetch(`${stack.url}/api/persons/${personId}/export.pdf`, { headers: { authorization: `Bearer ${token}` } });
  const text = pdfText(Buffer.from(await pdf.arrayBuffer()));
  expect(text).toContain('Statusänderungen');
  expect(text).toContain('Mietvertrag unterschrieben');

  // anonymisation (the retention activity, its cut-off after the closing): reasons go, statuses and code stay
  const r = await createRetentionActivities({ db: stack.db }).anonymizeCases({
    caseIds: [caseId],
    cutoff: new Date(Date.now() + 60_000).toISOString(),
  });
  expect(r.cases).toBe(1);
  const rows = await stack.db.caseStatusChange.findMany({ where: { caseId }, orderBy: { changedAt: 'asc' } });
  expect(rows.map((ch) => [ch.fromStatus, ch.toStatus, ch.reason, ch.closureCode])).toEqual([
    ['open', 'in_progress', null, null],
    ['in_progress', 'closed', null, 'own_flat'],
  ]);
  const anon = await stack.api('GET', `/api/cases/${caseId}`, { token });
  expect(anon.body).toMatchObject({ statusReason: null, closureCode: 'own_flat', closureReason: null });
});

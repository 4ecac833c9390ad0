// A chain step that requires a document, on the pages: the process page links to the case's upload form
// for that step; the upload (multipart form) is linked to the step, after which the step's outcome is taken.
import { moveOutV1 } from '../../core/domain/chains/move-out';
import { registerChainDefinition } from '../../core/domain/chains';
import { chainDriver } from '../support/chain-helpers';
import { FormClient, hidden } from '../support/form-client';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let caseworker: string;
let b: FormClient;

beforeAll(async () => {
  stack = await startStack({ outbox: false });
  caseworker = await stack.token('fallmanagement@kim.example');
  b = new FormClient(stack.url);
  await b.login('fallmanagement@kim.example');
  registerChainDefinition({
    ...moveOutV1,
    version: 91,
    steps: { ...moveOutV1.steps, readiness: { ...moveOutV1.steps.readiness, requiresDocument: true } },
  });
});
afterAll(() => stack?.stop());

it('links the process page to the upload for the step; the uploaded file counts for the step', async () => {
  const d = chainDriver(stack, caseworker);
  const c = await d.newCase({ firstName: 'Lea', lastName: 'Seite', benefitType: 'sgb2' });
  const chain = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
  const processId = chain.body.id as string;
  await d.at(processId, 'readiness');

  const processPage = await b.get(`/prozesse/${processId}`);
  const link = `/faelle/${c.id}/dokumente?kette=${processId}&amp;schritt=readiness`;
  expect(processPage.text).toContain(`href="${link}"`);
  const page = await b.get(link.replace('&amp;', '&'));
  expect(page.status).toBe(200);
  expect(page.text).toContain(
    `<input type="hidden" name="processId" value="${processId}"><input type="hidden" name="stepKey" value="readiness">`,
  );
  expect(page.text).toContain('Für den Schritt');

  const form = new FormData();
  form.append('_csrf', hidden(page.text, '_csrf'));
  form.append('_key', hidden(page.text.slice(page.text.indexOf('enctype=')), '_key'));
  form.append('processId', processId);
  form.append('stepKey', 'readiness');
  form.append('file', new Blob([Buffer.from('%PDF-1.4 Mietvertrag')], { type: 'application/pdf' }), 'Mietvertrag.pdf');
  const res = await fetch(`${stack.url}/faelle/${c.id}/dokumente`, {
    method: 'POST',
    redirect: 'manual',
    headers: { accept: 'text/html', cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    body: form,
  });
  expect(res.status).toBe(303);
  expect(await stack.db.caseDocument.findMany({ where: { caseId: c.id }, select: { processId: true, stepKey: true } })).toEqual([
    { processId, stepKey: 'readiness' },
  ]);
  const ok = await stack.api('POST', `/api/processes/${processId}/steps/readiness/complete`, {
    token: caseworker,
    body: { outcome: 'ready' },
  });
  expect(ok.status).toBe(200);
});

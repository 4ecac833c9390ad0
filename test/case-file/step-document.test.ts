// A chain step whose definition says `requiresDocument` (e.g. the signed lease): its outcome is
// refused (409, German) until a document was uploaded for that step; afterwards it is accepted.
// A version of the move-out chain with the flag on its first step is registered for this file only.
import { moveOutV1 } from '../../core/domain/chains/move-out';
import { registerChainDefinition } from '../../core/domain/chains';
import { chainDriver } from '../support/chain-helpers';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let caseworker: string;

beforeAll(async () => {
  stack = await startStack({ outbox: false });
  caseworker = await stack.token('fallmanagement@kim.example');
  registerChainDefinition({
    ...moveOutV1,
    version: 90,
    steps: { ...moveOutV1.steps, readiness: { ...moveOutV1.steps.readiness, requiresDocument: true } },
  });
});
afterAll(() => stack?.stop());

it('refuses the outcome without the document, takes it once one was uploaded for the step', async () => {
  const d = chainDriver(stack, caseworker);
  const c = await d.newCase({ firstName: 'Lea', lastName: 'Vertrag', benefitType: 'sgb2' });
  const chain = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
  expect(chain.status).toBe(201);
  const processId = chain.body.id as string;
  await d.at(processId, 'readiness');
  const path = `/api/processes/${processId}/steps/readiness/complete`;
  const refused = await stack.api('POST', path, { token: caseworker, body: { outcome: 'ready' } });
  expect(refused.status).toBe(409);
  expect(refused.body.error.message).toContain('muss zuerst ein Dokument hochgeladen werden');
  expect((await d.process(processId)).currentStep.key).toBe('readiness');

  // a document for the case but not for the step does not count
  const upload = async (extra: Record<string, string>) => {
    const form = new FormData();
    form.set('file', new Blob([Buffer.from('%PDF-1.4 Mietvertrag')]), 'Mietvertrag.pdf');
    for (const [k, v] of Object.entries(extra)) form.set(k, v);
    const res = await fetch(`${stack.url}/api/cases/${c.id}/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${caseworker}` },
      body: form,
    });
    return res.status;
  };
  expect(await upload({})).toBe(201);
  expect((await stack.api('POST', path, { token: caseworker, body: { outcome: 'ready' } })).status).toBe(409);
  expect(await upload({ processId, stepKey: 'readiness' })).toBe(201);
  const ok = await stack.api('POST', path, { token: caseworker, body: { outcome: 'ready' } });
  expect(ok.status).toBe(200);
});

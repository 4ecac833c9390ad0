// The process page links the chain's workflow in the Temporal Web UI in the configured namespace
// (TEMPORAL_NAMESPACE → AppDeps.temporalNamespace), for supervisors, not for caseworkers.
import { chainDriver } from '../support/chain-helpers';
import { FormClient } from '../support/form-client';
import { startSecondApp } from '../support/second-app';
import { startStack, type Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

let stack: Stack;
let second: Awaited<ReturnType<typeof startSecondApp>>;
let url: string;

beforeAll(async () => {
  stack = await startStack({ outbox: false });
  // the same database and Temporal client, as an installation in namespace "kim-rbk" with a Web UI
  second = await startSecondApp(stack, { temporalUiUrl: 'http://temporal-ui.example:8233', temporalNamespace: 'kim-rbk' });
  url = second.url;
});
afterAll(async () => {
  await second?.close();
  await stack?.stop();
});

it('links /namespaces/<TEMPORAL_NAMESPACE>/workflows/<id> for the supervisor; the caseworker sees no link', async () => {
  const token = await stack.token('fallmanagement@kim.example');
  const c = await chainDriver(stack, token).newCase();
  const start = await stack.api('POST', `/api/cases/${c.id}/chains`, { token, body: { type: 'move-out' } });
  expect(start.status).toBe(201);
  const p = await stack.db.process.findUniqueOrThrow({ where: { id: start.body.id } });

  const lead = new FormClient(url);
  await lead.login('leitung@kim.example');
  const page = await lead.get(`/prozesse/${p.id}`);
  expect(page.status).toBe(200);
  expect(page.text).toContain(
    `<a href="http://temporal-ui.example:8233/namespaces/kim-rbk/workflows/${p.workflowId}">Prozess in der Temporal Web UI</a>`,
  );
  expect(page.text).not.toContain('/namespaces/default/');

  const cw = new FormClient(url);
  await cw.login('fallmanagement@kim.example');
  const own = await cw.get(`/prozesse/${p.id}`);
  expect(own.status).toBe(200);
  expect(own.text).not.toContain('Temporal Web UI');
});

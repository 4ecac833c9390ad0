// The process page links the chain's workflow in the Temporal Web UI in the configured namespace
// (TEMPORAL_NAMESPACE → AppDeps.temporalNamespace), for supervisors, not for caseworkers.
import type http from 'node:http';
import { createApp } from '../../api/app';
import { createLogger } from '../../core/log';
import { chainDriver } from '../support/chain-helpers';
import { FormClient } from '../support/form-client';
import { freePort } from '../support/ports';
import { LINK_KEYS, startStack, type Stack } from '../support/stack';

let stack: Stack;
let server: http.Server;
let url: string;

beforeAll(async () => {
  stack = await startStack({ outbox: false });
  // the same database and Temporal client, as an installation in namespace "kim-rbk" with a Web UI
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  const app = createApp({
    db: stack.db,
    temporal: stack.client,
    taskQueue: stack.taskQueue,
    log: createLogger('silent'),
    publicUrl: url,
    secureCookies: false,
    sessionHours: 1,
    linkKeys: LINK_KEYS,
    workingDaySeconds: 0,
    temporalUiUrl: 'http://temporal-ui.example:8233',
    temporalNamespace: 'kim-rbk',
  });
  server = await new Promise((resolve) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
  });
});
afterAll(async () => {
  await new Promise<void>((resolve) => {
    server?.close(() => resolve());
    server?.closeAllConnections();
  });
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

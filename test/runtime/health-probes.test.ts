// /healthz under a burst of probes: one check in flight at a time (api/routes/health.ts). Each probe used
// to be a call to Temporal; a burst above the Temporal frontend's rate limit (about 1,000 calls/s on the
// dev server) got RESOURCE_EXHAUSTED, the client retried until its deadline and /healthz said 503
// although PostgreSQL and Temporal were fine (seen in bench:pages). The Temporal calls are counted by
// a gRPC interceptor on a real client against the real server.
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { InterceptingCall, type Interceptor } from '@grpc/grpc-js';
import { Client, Connection } from '@temporalio/client';
import express from 'express';
import type { AppDeps } from '../../api/deps';
import { healthRouter } from '../../api/routes/health';
import { startStack, testEnv, type Stack } from '../support/stack';

let stack: Stack;
let connection: Connection;
let server: http.Server;
let url: string;
let systemInfoCalls = 0;
let atOnce = 0;
let maxAtOnce = 0;

beforeAll(async () => {
  stack = await startStack();
  // counts the health check's calls to Temporal, and how many run at the same time
  const count: Interceptor = (options, next) => {
    if (!String(options.method_definition.path).endsWith('/GetSystemInfo')) return new InterceptingCall(next(options));
    return new InterceptingCall(next(options), {
      start(metadata, _listener, nextStart) {
        systemInfoCalls++;
        maxAtOnce = Math.max(maxAtOnce, ++atOnce);
        nextStart(metadata, {
          onReceiveStatus(status, nextStatus) {
            atOnce--;
            nextStatus(status);
          },
        });
      },
    });
  };
  connection = await Connection.connect({ address: testEnv().temporalAddress, interceptors: [count] });
  const deps = { db: stack.db, temporal: new Client({ connection }) } as AppDeps; // all the health check reads
  const app = express().use(healthRouter(deps));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`;
});
afterAll(async () => {
  server?.close();
  await connection?.close();
  await stack?.stop();
});

it('concurrent probes share one check: 100 at once → every one 200 ok, never two Temporal calls at the same time', async () => {
  systemInfoCalls = 0;
  maxAtOnce = 0;
  const answers = await Promise.all(
    Array.from({ length: 100 }, () => fetch(url).then(async (r) => ({ status: r.status, body: await r.json() }))),
  );
  expect(answers.every((a) => a.status === 200 && a.body.status === 'ok')).toBe(true);
  expect(maxAtOnce).toBe(1); // before: one call per probe, dozens at once
  expect(systemInfoCalls).toBeGreaterThanOrEqual(1);
  expect(systemInfoCalls).toBeLessThan(100);
});

it('a probe after a finished check checks again (the answer is never older than one check)', async () => {
  systemInfoCalls = 0;
  expect((await fetch(url)).status).toBe(200);
  expect((await fetch(url)).status).toBe(200);
  expect(systemInfoCalls).toBe(2);
});

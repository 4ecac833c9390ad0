// The entry in front of the API instances (core/runtime/round-robin-proxy.ts).
// Keep-alive: the entry and the API instances behind it keep connections alive.
// The side that closes an idle connection must be the entry: when an API instance closed one just as the
// entry sent the next request on it, the request failed after sending and a POST got 503 (seen in
// bench:cluster, a chain start). So the entry drops idle connections well before an instance would.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { API_KEEP_ALIVE_MS } from '../../app/boot';
import { ENTRY_IDLE_MS, startRoundRobinProxy } from '../../core/runtime/round-robin-proxy';

it('the entry closes an idle connection to an API instance itself, long before the instance would', async () => {
  expect(ENTRY_IDLE_MS).toBeLessThanOrEqual(API_KEEP_ALIVE_MS / 2);
  const backend = http.createServer((_req, res) => res.end('ok'));
  backend.keepAliveTimeout = API_KEEP_ALIVE_MS;
  const closed = new Promise<'closed'>((resolve) => backend.on('connection', (s) => s.once('close', () => resolve('closed'))));
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  const proxy = await startRoundRobinProxy({
    backends: [{ host: '127.0.0.1', port: (backend.address() as AddressInfo).port }],
    port: 0,
    host: '127.0.0.1',
    idleMs: 300,
  });
  try {
    const res = await fetch(`http://127.0.0.1:${proxy.port}/healthz`);
    expect(await res.text()).toBe('ok');
    // the instance keeps the connection for 65 s: only the entry's idle timeout can end it this soon
    expect(await closed).toBe('closed');
  } finally {
    await proxy.close();
    backend.closeAllConnections();
    await new Promise((resolve) => backend.close(resolve));
  }
});

it('a 503 of the entry says why: each instance tried and its socket error (for the operator’s log)', async () => {
  // two ports nothing listens on
  const ports = await Promise.all(
    [0, 1].map(
      () =>
        new Promise<number>((resolve) => {
          const s = net.createServer().listen(0, '127.0.0.1', () => {
            const { port } = s.address() as AddressInfo;
            s.close(() => resolve(port));
          });
        }),
    ),
  );
  const seen: Array<{ method: string; path: string; reasons: string[] }> = [];
  const proxy = await startRoundRobinProxy({
    backends: ports.map((port) => ({ host: '127.0.0.1', port })),
    port: 0,
    host: '127.0.0.1',
    onUnavailable: (u) => seen.push(u),
  });
  try {
    const res = await fetch(`http://127.0.0.1:${proxy.port}/api/cases?q=Name`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(503);
    expect(seen).toEqual([
      {
        method: 'POST',
        path: '/api/cases', // without the query: it may carry what was searched for
        reasons: expect.arrayContaining(
          ports.map((p) => expect.stringMatching(new RegExp(`^127\\.0\\.0\\.1:${p} vor dem Senden: .*ECONNREFUSED`))),
        ),
      },
    ]);
    expect(seen[0].reasons).toHaveLength(2);
  } finally {
    await proxy.close();
  }
});

// The entry (core/runtime/round-robin-proxy.ts) and the API instances behind it keep connections alive.
// The side that closes an idle connection must be the entry: when an API instance closed one just as the
// entry sent the next request on it, the request failed after sending and a POST got 503 (seen in
// bench:cluster, a chain start). So the entry drops idle connections well before an instance would.
import http from 'node:http';
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

// Issue 12, point 2: the proxies whose X-Forwarded-For is believed are configurable (KIM_TRUST_PROXY,
// default loopback, validated at start-up). An app that trusts another proxy than loopback takes the
// socket address of a loopback client, however it sets X-Forwarded-For — so it cannot dodge the
// per-address login limit by inventing addresses.
import { LOGIN_FAILURES_PER_IP } from '../../api/auth';
import { ConfigError, loadConfig } from '../../core/config';
import { startSecondApp } from '../support/second-app';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let second: Awaited<ReturnType<typeof startSecondApp>>;
let url: string;

beforeAll(async () => {
  stack = await startStack({ worker: false, outbox: false });
  second = await startSecondApp(stack, { trustProxy: loadConfig({ KIM_TRUST_PROXY: '192.0.2.10, 10.0.0.0/8' }).KIM_TRUST_PROXY });
  url = second.url;
});
afterAll(async () => {
  await second?.close();
  await stack?.stop();
});

it('KIM_TRUST_PROXY: default loopback; hop counts, names, IPs and CIDRs; anything else stops the start', () => {
  expect(loadConfig({}).KIM_TRUST_PROXY).toEqual(['loopback']);
  expect(loadConfig({ KIM_TRUST_PROXY: '1' }).KIM_TRUST_PROXY).toBe(1);
  expect(loadConfig({ KIM_TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8, 192.0.2.1' }).KIM_TRUST_PROXY).toEqual([
    'loopback',
    '10.0.0.0/8',
    'fd00::/8',
    '192.0.2.1',
  ]);
  for (const bad of ['true', '*', '10.0.0.0/33', 'proxy.example', 'loopback,', '']) {
    expect(() => loadConfig({ KIM_TRUST_PROXY: bad })).toThrow(ConfigError);
  }
  expect(() => loadConfig({ KIM_TRUST_PROXY: 'true' })).toThrow(/KIM_TRUST_PROXY: erwartet eine Anzahl Proxys/);
});

it('a client that is not a trusted proxy cannot choose its address with X-Forwarded-For', async () => {
  const login = (i: number) =>
    fetch(`${url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Forwarded-For': `198.51.100.${i}` },
      body: JSON.stringify({ email: `niemand-${i}@kim.example`, password: 'falsch' }),
    });
  for (let i = 0; i < LOGIN_FAILURES_PER_IP; i++) expect((await login(i)).status).toBe(401);
  expect((await login(99)).status).toBe(429); // all counted for 127.0.0.1
  // the default app (loopback trusted) believes the header: another forwarded address is not blocked
  expect(
    (
      await stack.api('POST', '/api/session', {
        body: { email: 'x@kim.example', password: 'falsch' },
        headers: { 'X-Forwarded-For': '198.51.100.99' },
      })
    ).status,
  ).toBe(401);
}, 60_000);

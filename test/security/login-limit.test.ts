// The per-IP login limit counts failed attempts only: many successful logins from one address (an
// office behind one NAT) pass; 30 failures from one address block it (429, even with the right
// password) while another address still logs in. Client addresses come from X-Forwarded-For, which the
// app trusts from loopback only (a reverse proxy on the same host).
import { LOGIN_FAILURES_PER_IP } from '../../api/auth';
import { DEMO_PASSWORD, startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ worker: false, outbox: false });
});
afterAll(() => stack?.stop());

const login = (ip: string, email: string, password: string) =>
  stack.api('POST', '/api/session', { body: { email, password }, headers: { 'X-Forwarded-For': ip } });

it('successful logins from one address never hit the limit; failures do, per address', async () => {
  for (let i = 0; i < LOGIN_FAILURES_PER_IP + 10; i++) {
    expect((await login('203.0.113.7', 'leitung@kim.example', DEMO_PASSWORD)).status).toBe(200);
  }
  for (let i = 0; i < LOGIN_FAILURES_PER_IP; i++) {
    const r = await login('203.0.113.9', `niemand-${i}@kim.example`, 'falsch');
    expect(r.status).toBe(401);
  }
  const blocked = await login('203.0.113.9', 'leitung@kim.example', DEMO_PASSWORD);
  expect(blocked.status).toBe(429);
  expect(blocked.body.error.message).toBe('Zu viele Anmeldeversuche. Bitte in einigen Minuten erneut versuchen.');
  expect((await login('203.0.113.7', 'leitung@kim.example', DEMO_PASSWORD)).status).toBe(200);
  // the blocked attempts reached no account: nobody was locked out
  expect(await stack.db.user.count({ where: { lockedUntil: { not: null } } })).toBe(0);
}, 120_000);

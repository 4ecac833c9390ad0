// Issue 12, point 4: Secure cookies, HSTS and upgrade-insecure-requests follow an https KIM_PUBLIC_URL
// too, not only NODE_ENV=production (a staging system behind TLS in development mode was without them).
import { loadConfig } from '../../core/config';
import { FormClient } from '../support/form-client';
import { startSecondApp } from '../support/second-app';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let second: Awaited<ReturnType<typeof startSecondApp>>;
let url: string;

beforeAll(async () => {
  stack = await startStack({ worker: false, outbox: false });
  const config = loadConfig({ NODE_ENV: 'development', KIM_PUBLIC_URL: 'https://kim.example' });
  second = await startSecondApp(stack, { publicUrl: config.publicUrl, secureCookies: config.secureCookies });
  url = second.url;
});
afterAll(async () => {
  await second?.close();
  await stack?.stop();
});

it('secureCookies: production or an https KIM_PUBLIC_URL; not plain http in development', () => {
  expect(loadConfig({}).secureCookies).toBe(false);
  expect(loadConfig({ KIM_PUBLIC_URL: 'http://kim.intern:3000' }).secureCookies).toBe(false);
  expect(loadConfig({ KIM_PUBLIC_URL: 'https://kim.example' }).secureCookies).toBe(true);
  expect(loadConfig({ NODE_ENV: 'test', KIM_PUBLIC_URL: 'https://kim.example' }).secureCookies).toBe(true);
});

it('behind an https public URL in development: HSTS, upgrade-insecure-requests and Secure cookies', async () => {
  const res = await fetch(`${url}/login`);
  expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  expect(res.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  expect(res.headers.getSetCookie().every((c) => /; Secure/.test(c))).toBe(true);
  const b = new FormClient(url);
  const login = await b.login('fallmanagement@kim.example');
  expect(login.status).toBe(303);
  expect(login.headers.getSetCookie().find((c) => /kim_session=/.test(c))).toMatch(/; Secure/);
  // the stack's app (http://127.0.0.1 in development): none of it
  expect((await fetch(`${stack.url}/login`)).headers.get('strict-transport-security')).toBeNull();
});

// Issue 12, point 1: the development parts never run in production, the dev inbox needs a login and
// shows a department member only its department's mails, and a foreign Host header (DNS rebinding) is refused.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { loadConfig } from '../../core/config';
import { assertDevPartsAllowed, productionReason } from '../../core/production';
import { exitWithin, kimEnv, killLeftovers, launch, processesUsing } from '../runtime/kim-process';
import { eventually, startStack, type Stack } from '../support/stack';

const message = (fn: () => void) => {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  return undefined;
};

describe('production refuses the development parts', () => {
  test('production is NODE_ENV=production, a public KIM_PUBLIC_URL or a non-loopback KIM_HOST', () => {
    expect(productionReason(loadConfig({}))).toBeUndefined();
    expect(productionReason(loadConfig({ KIM_PUBLIC_URL: 'http://127.0.0.1:3000', KIM_HOST: '::1' }))).toBeUndefined();
    expect(productionReason(loadConfig({ KIM_PUBLIC_URL: 'https://kim.stadt.example' }))).toMatch(/KIM_PUBLIC_URL/);
    expect(productionReason(loadConfig({ KIM_HOST: '0.0.0.0' }))).toMatch(/KIM_HOST/);
    expect(
      productionReason(
        loadConfig({ NODE_ENV: 'production', KIM_PUBLIC_URL: 'http://localhost:3000', KIM_LINK_SECRETS: 'k:' + 'x'.repeat(32) }),
      ),
    ).toMatch(/NODE_ENV/);
  });

  test('no SMTP capture and no demo seed in production; an external database needs its own demo password', () => {
    const prod = loadConfig({ KIM_HOST: '0.0.0.0' });
    expect(message(() => assertDevPartsAllowed(prod, { smtpCapture: true, seed: false }))).toMatch(/SMTP_URL: fehlt — in Produktion/);
    expect(message(() => assertDevPartsAllowed(prod, { smtpCapture: false, seed: true }))).toMatch(/Demo-Benutzer werden in Produktion/);
    expect(message(() => assertDevPartsAllowed(prod, { smtpCapture: false, seed: false }))).toBeUndefined();
    const dev = loadConfig({});
    expect(message(() => assertDevPartsAllowed(dev, { smtpCapture: true, seed: true }))).toBeUndefined(); // embedded: fine
    const external = loadConfig({ DATABASE_URL: 'postgresql://u:p@db.example/kim' });
    expect(message(() => assertDevPartsAllowed(external, { smtpCapture: false, seed: true }))).toMatch(/KIM_DEMO_PASSWORD/);
    const own = loadConfig({ DATABASE_URL: 'postgresql://u:p@db.example/kim', KIM_DEMO_PASSWORD: 'ein-eigenes' });
    expect(message(() => assertDevPartsAllowed(own, { smtpCapture: false, seed: true }))).toBeUndefined();
  });

  describe('npm start in production', () => {
    let dataDir: string;
    let group = 0;
    beforeAll(() => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-prod-dev-'));
    });
    afterAll(() => {
      killLeftovers(dataDir, group ? [group] : []);
      fs.rmSync(dataDir, { recursive: true, force: true });
    });

    test('exits with code 2 and a German message before anything starts', async () => {
      const ports = { http: 0, pg: 0, temporal: 0, ui: 0, smtp: 0 };
      const k = launch(
        'direct',
        kimEnv(dataDir, ports, { KIM_HOST: '0.0.0.0', KIM_PUBLIC_URL: 'https://kim.stadt.example' }),
        'http://127.0.0.1:0',
      );
      group = k.pid;
      const exit = await exitWithin(k, 30_000);
      expect(exit.code).toBe(2);
      expect(k.output()).toMatch(/SMTP_URL: fehlt — in Produktion/);
      expect(k.output()).toMatch(/KIM_SEED: Demo-Benutzer werden in Produktion/);
      expect(processesUsing(dataDir)).toEqual([]);
      expect(fs.readdirSync(dataDir)).toEqual([]);
    }, 40_000);
  });
});

describe('dev inbox and Host check', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ worker: false, outbox: false });
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: stack.smtpPort, secure: false, ignoreTLS: true });
    await smtp.sendMail({
      from: 'kim@test.example',
      to: 'jobcenter@kim.example',
      subject: 'Für das Jobcenter',
      text: 'https://x/t/jobcenter-link',
    });
    await smtp.sendMail({
      from: 'kim@test.example',
      to: 'soziale-foerderung@kim.example',
      subject: 'Für 5-50',
      text: 'https://x/t/5-50-link',
    });
    await eventually(() => stack.capture.list().length === 2);
  });
  afterAll(() => stack?.stop());

  test('GET /api/dev/mails needs a login', async () => {
    expect((await stack.api('GET', '/api/dev/mails')).status).toBe(401);
    const page = await fetch(`${stack.url}/dev/postfach`, { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toMatch(/^\/login/);
  });

  test('a department member sees only its own department’s mails; caseworkers, supervisors and admins all', async () => {
    const subjects = async (email: string) =>
      ((await stack.api('GET', '/api/dev/mails', { token: await stack.token(email) })).body.items as Array<{ subject: string }>)
        .map((m) => m.subject)
        .sort();
    expect(await subjects('jobcenter@kim.example')).toEqual(['Für das Jobcenter']);
    expect(await subjects('soziale-foerderung@kim.example')).toEqual(['Für 5-50']);
    expect(await subjects('fallmanagement@kim.example')).toEqual(['Für 5-50', 'Für das Jobcenter']);
    expect(await subjects('admin@kim.example')).toEqual(['Für 5-50', 'Für das Jobcenter']);
  });

  const get = (host: string, p: string, accept = 'text/html') =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const u = new URL(stack.url);
      const req = http.request({ host: u.hostname, port: u.port, path: p, headers: { host, accept } }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.end();
    });

  test('DNS rebinding: a foreign Host header → 421 with a German message; loopback names and the public host pass', async () => {
    const port = new URL(stack.url).port;
    const foreign = await get(`evil.example:${port}`, '/login');
    expect(foreign.status).toBe(421);
    expect(foreign.body).toContain('Unbekannter Hostname');
    const api = await get('evil.example', '/api/openapi.json', 'application/json');
    expect(api.status).toBe(421);
    expect(JSON.parse(api.body).error.code).toBe('misdirected_request');
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'LOCALHOST'])
      expect((await get(host, '/login')).status).toBe(200);
    expect((await get('evil.example', '/healthz')).status).not.toBe(421); // orchestrator probes
  });
});

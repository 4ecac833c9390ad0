// core/config.ts: every variable validated at start-up; an invalid configuration stops with ONE
// German message that names every bad variable — also when `npm start` is run with it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../core/config';
import { configError } from '../support/config-error';
import { exitWithin, kimEnv, killLeftovers, launch, processesUsing } from '../runtime/kim-process';

/** The variables the message lists ("  - NAME: reason" lines). */
const named = (message: string) =>
  message
    .split('\n')
    .slice(1)
    .map((l) => l.match(/^ {2}- (\w+):/)?.[1]);

describe('loadConfig', () => {
  test('defaults: embedded everything, development, port 3000, loopback', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      KIM_HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      KIM_DEMO_PASSWORD: 'demo',
      KIM_SESSION_HOURS: 12,
      KIM_SEED: false,
      KIM_EMBEDDED_PG_PORT: 54329,
      KIM_TEMPORAL_PORT: 7233,
      KIM_TEMPORAL_UI_PORT: 8233,
      KIM_SMTP_CAPTURE_PORT: 2525,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'kim-flow',
      TEMPORAL_TLS: false,
      embedded: { postgres: true, temporal: true, smtp: true },
      publicUrl: 'http://localhost:3000',
    });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.TEMPORAL_ADDRESS).toBeUndefined();
    expect(c.SMTP_URL).toBeUndefined();
    expect(c.KIM_DATA_DIR).toBe(path.resolve('.data')); // absolute: the processes it starts may run elsewhere
    expect(c.KIM_TOOLS_DIR).toBe(path.join(os.homedir(), '.cache', 'kim-flow'));
  });

  test('numbers and flags from strings; empty strings count as unset', () => {
    const c = loadConfig({
      PORT: '8080',
      KIM_SEED: '1',
      TEMPORAL_TLS: 'true',
      DATABASE_URL: '  ',
      KIM_PUBLIC_URL: 'https://kim.stadt.example/',
      KIM_WORKER_CACHE: '500',
    });
    expect(c).toMatchObject({
      PORT: 8080,
      KIM_SEED: true,
      TEMPORAL_TLS: true,
      publicUrl: 'https://kim.stadt.example',
      KIM_WORKER_CACHE: 500,
    });
    expect(loadConfig({}).KIM_WORKER_CACHE).toBe(100);
    // help-plan timers: 3 days before the review, 2 before an action, escalation 1 day after a missed review
    expect(loadConfig({})).toMatchObject({
      KIM_PLAN_REVIEW_REMINDER_DAYS: 3,
      KIM_PLAN_ACTION_REMINDER_DAYS: 2,
      KIM_PLAN_ESCALATION_DAYS: 1,
    });
    expect(loadConfig({ KIM_PLAN_REVIEW_REMINDER_DAYS: '7' }).KIM_PLAN_REVIEW_REMINDER_DAYS).toBe(7);
    expect(named(configError({ KIM_PLAN_ESCALATION_DAYS: '-1' }))).toEqual(['KIM_PLAN_ESCALATION_DAYS']);
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.embedded.postgres).toBe(true);
  });

  test('an invalid configuration: one ConfigError naming every bad variable, in German', () => {
    const message = configError({ PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', KIM_WORKER_CACHE: '-1' });
    expect(message.split('\n')[0]).toBe('Ungültige Konfiguration:');
    expect(named(message).sort()).toEqual(['DATABASE_URL', 'KIM_WORKER_CACHE', 'LOG_LEVEL', 'PORT']);
    expect(message).toMatch(/PORT: .*Zahl/);
    expect(message).toMatch(/DATABASE_URL: muss mit postgres:\/\/ oder postgresql:\/\/ beginnen/);
    expect(message).toMatch(/LOG_LEVEL: .*"warn"/);
    expect(message).not.toMatch(/Invalid|expected|received/); // zod's own messages in German too
  });

  test('rules across variables are reported together with bad single values', () => {
    // production without KIM_PUBLIC_URL / KIM_LINK_SECRETS, plus a bad port and a half TLS pair
    const message = configError({ NODE_ENV: 'production', PORT: '70000', TEMPORAL_TLS_CERT: '/etc/kim/cert.pem', SMTP_URL: 'http://mail' });
    expect(named(message).sort()).toEqual(['KIM_LINK_SECRETS', 'KIM_PUBLIC_URL', 'PORT', 'SMTP_URL', 'TEMPORAL_TLS_KEY']);
  });

  test('embedded flags follow DATABASE_URL / TEMPORAL_ADDRESS / SMTP_URL, each on its own', () => {
    expect(loadConfig({ DATABASE_URL: 'postgresql://kim:pw@db:5432/kim' }).embedded).toEqual({
      postgres: false,
      temporal: true,
      smtp: true,
    });
    expect(loadConfig({ TEMPORAL_ADDRESS: 'temporal:7233' }).embedded).toEqual({ postgres: true, temporal: false, smtp: true });
    expect(loadConfig({ SMTP_URL: 'smtp://mail:25' }).embedded).toEqual({ postgres: true, temporal: true, smtp: false });
    expect(loadConfig({ DATABASE_URL: 'postgres://db/kim', TEMPORAL_ADDRESS: 't:7233', SMTP_URL: 'smtps://m:465' }).embedded).toEqual({
      postgres: false,
      temporal: false,
      smtp: false,
    });
  });

  test('production requires KIM_PUBLIC_URL (and the link secrets)', () => {
    const secrets = 'k1:' + 'x'.repeat(40);
    expect(named(configError({ NODE_ENV: 'production', KIM_LINK_SECRETS: secrets }))).toEqual(['KIM_PUBLIC_URL']);
    expect(named(configError({ NODE_ENV: 'production', KIM_PUBLIC_URL: 'https://kim.example' }))).toEqual(['KIM_LINK_SECRETS']);
    const c = loadConfig({ NODE_ENV: 'production', KIM_PUBLIC_URL: 'https://kim.example', KIM_LINK_SECRETS: secrets });
    expect(c.publicUrl).toBe('https://kim.example');
    expect(named(configError({ NODE_ENV: 'production', KIM_PUBLIC_URL: 'ftp://kim.example', KIM_LINK_SECRETS: secrets }))).toEqual([
      'KIM_PUBLIC_URL',
    ]);
  });

  test('TLS certificate and key only as a pair', () => {
    expect(named(configError({ TEMPORAL_TLS_KEY: '/k.pem' }))).toEqual(['TEMPORAL_TLS_CERT']);
    expect(loadConfig({ TEMPORAL_TLS_CERT: '/c.pem', TEMPORAL_TLS_KEY: '/k.pem' }).TEMPORAL_TLS_CERT).toBe('/c.pem');
  });
});

describe('npm start with an invalid configuration', () => {
  let dataDir: string;
  let group = 0;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-badconfig-'));
    fs.chmodSync(dataDir, 0o755);
  });
  afterAll(() => {
    killLeftovers(dataDir, group ? [group] : []);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('exits non-zero with the German message naming the variable, and starts nothing', async () => {
    const ports = { http: 0, pg: 0, temporal: 0, ui: 0, smtp: 0 };
    const k = launch('direct', kimEnv(dataDir, ports, { PORT: 'abc', LOG_LEVEL: 'loud' }), 'http://127.0.0.1:0');
    group = k.pid;
    const exit = await exitWithin(k, 30_000);
    expect(exit.code).toBe(2);
    expect(k.output()).toContain('Ungültige Konfiguration:');
    expect(k.output()).toMatch(/- PORT: /);
    expect(k.output()).toMatch(/- LOG_LEVEL: /);
    expect(k.output()).not.toMatch(/Invalid|at .*\.ts:\d+/); // no English, no stack trace
    expect(processesUsing(dataDir)).toEqual([]);
    expect(fs.readdirSync(dataDir)).toEqual([]); // not even a postgres directory was made
  }, 40_000);
});

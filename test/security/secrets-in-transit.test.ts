// Issue 12, point 5: action tokens stay out of the logs (/t/<token> is redacted in every logged path),
// and the outbox sends over SMTP only with STARTTLS unless KIM_SMTP_REQUIRE_TLS=false (the embedded
// capture is exempt).
import crypto from 'node:crypto';
import { loadConfig } from '../../core/config';
import { createLogger, redactActionTokens } from '../../core/log';
import { startOutboxSender } from '../../core/mail/outbox';
import { eventually, startStack, type Stack } from '../support/stack';

const TOKEN = 'v1.' + crypto.randomBytes(9).toString('base64url') + '.1999999999.' + crypto.randomBytes(20).toString('base64url');

test('a logged path or URL carries no action token', () => {
  expect(redactActionTokens(`/t/${TOKEN}`)).toBe('/t/[redacted]');
  expect(redactActionTokens(`https://kim.example/t/${TOKEN}?x=1`)).toBe('https://kim.example/t/[redacted]?x=1');
  const lines: string[] = [];
  const log = createLogger('info', 'kim', {
    write: (l: string) => {
      lines.push(l);
    },
  });
  log.error({ path: `/t/${TOKEN}`, status: 503 }, 'Fehler bei der Anfrage'); // what the app's error handler writes on a 503
  log.info({ method: 'POST', url: `http://127.0.0.1/t/${TOKEN}` }, 'Anfrage');
  expect(lines.join('')).not.toContain(TOKEN);
  expect(lines.join('')).toContain('/t/[redacted]');
});

describe('on the real stack', () => {
  let stack: Stack;
  const lines: string[] = [];
  beforeAll(async () => {
    stack = await startStack({ worker: false, outbox: false, logLines: lines });
  });
  afterAll(() => stack?.stop());

  test('requests on /t/<token> paths (matched or not) log no token', async () => {
    await fetch(`${stack.url}/t/${TOKEN}`, { method: 'POST', redirect: 'manual' });
    await fetch(`${stack.url}/t/${TOKEN}/mehr`, { redirect: 'manual' }); // no route: the raw path is logged
    await eventually(() => lines.some((l) => l.includes('/t/[redacted]')));
    expect(lines.join('')).not.toContain(TOKEN);
  });

  test('SMTP without STARTTLS: nothing is sent while requireTLS is on; with it switched off the mail goes out', async () => {
    expect(loadConfig({}).KIM_SMTP_REQUIRE_TLS).toBe(true);
    expect(loadConfig({ KIM_SMTP_REQUIRE_TLS: 'false' }).KIM_SMTP_REQUIRE_TLS).toBe(false);
    const mail = await stack.db.mail.create({
      data: { idempotencyKey: crypto.randomUUID(), to: ['tls@kim.example'], subject: 'TLS-Probe', text: 'x' },
    });
    const smtpUrl = `smtp://127.0.0.1:${stack.smtpPort}`; // the test capture offers no STARTTLS
    const strict = startOutboxSender({
      db: stack.db,
      smtpUrl,
      from: 'kim@test.example',
      log: createLogger('silent'),
      pollMs: 50,
      maxBackoffMs: 100,
    });
    const failed = await eventually(async () => {
      const m = await stack.db.mail.findUniqueOrThrow({ where: { id: mail.id } });
      return m.lastError ? m : undefined;
    });
    await strict.stop();
    expect(failed.status).not.toBe('sent');
    expect(failed.lastError).toMatch(/STARTTLS|TLS/i);
    expect(stack.capture.list({ to: 'tls@kim.example' })).toEqual([]);

    await stack.db.mail.update({ where: { id: mail.id }, data: { nextAttemptAt: new Date(), status: 'pending' } });
    const relaxed = startOutboxSender({
      db: stack.db,
      smtpUrl,
      from: 'kim@test.example',
      log: createLogger('silent'),
      pollMs: 50,
      requireTls: false,
    });
    await eventually(() => stack.capture.list({ to: 'tls@kim.example' }).length === 1);
    await relaxed.stop();
  });
});

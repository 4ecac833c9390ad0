// Delivers the e-mail outbox: claims due rows (SKIP LOCKED, so several workers can run), sends them
// over SMTP, marks them sent. SMTP down → retried with exponential backoff (capped) until it is back.
// The Message-ID is derived from the idempotency key, so a receiver can drop the rare duplicate
// that a crash between "SMTP accepted" and "marked sent" could cause.
import crypto from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Db } from '../db/client';
import type { Logger } from '../log';

export interface OutboxOptions {
  db: Db;
  smtpUrl: string;
  from: string;
  log: Logger;
  pollMs?: number;
  maxBackoffMs?: number;
  batch?: number;
  /** STARTTLS required on smtp:// (KIM_SMTP_REQUIRE_TLS, default true): no mail with action links in clear
   *  text, no downgrade by a stripped STARTTLS offer; only the embedded capture (loopback) is sent without */
  requireTls?: boolean;
}

interface Claimed { id: string; idempotencyKey: string; to: string[]; subject: string; text: string; html: string | null; attempts: number }

export function messageIdFor(idempotencyKey: string): string {
  return `<${crypto.createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@kim-flow>`;
}

export function backoffMs(attempts: number, maxMs: number): number {
  return Math.min(maxMs, 1000 * 2 ** Math.max(0, attempts - 1));
}

export function startOutboxSender(opts: OutboxOptions) {
  // the timeouts go with the URL into the transport's options (as createTransport's second argument they
  // were message defaults, and the connection kept nodemailer's 2-minute and 10-minute defaults)
  const transport = nodemailer.createTransport({
    url: opts.smtpUrl, connectionTimeout: 5_000, greetingTimeout: 5_000, socketTimeout: 15_000, requireTLS: opts.requireTls ?? true,
  });
  const pollMs = opts.pollMs ?? 500;
  const maxBackoff = opts.maxBackoffMs ?? 5 * 60_000;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  async function claim(): Promise<Claimed[]> {
    return opts.db.$queryRaw<Claimed[]>`
      UPDATE "Mail" SET "lockedUntil" = now() + interval '60 seconds', attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM "Mail"
        WHERE status = 'pending' AND "nextAttemptAt" <= now() AND ("lockedUntil" IS NULL OR "lockedUntil" < now())
        ORDER BY "createdAt" LIMIT ${opts.batch ?? 20} FOR UPDATE SKIP LOCKED)
      RETURNING id, "idempotencyKey", "to", subject, text, html, attempts`;
  }

  async function deliver(m: Claimed) {
    try {
      await transport.sendMail({
        from: opts.from, to: m.to, subject: m.subject, text: m.text, html: m.html ?? undefined,
        messageId: messageIdFor(m.idempotencyKey), headers: { 'X-KIM-Idempotency-Key': m.idempotencyKey },
      });
      await opts.db.mail.update({ where: { id: m.id }, data: { status: 'sent', sentAt: new Date(), lockedUntil: null, lastError: null } });
      opts.log.info({ mailId: m.id, attempts: m.attempts }, 'E-Mail versandt');
    } catch (err) {
      const e = err as { responseCode?: number; message: string };
      const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode !== 554;
      const wait = backoffMs(m.attempts, maxBackoff);
      await opts.db.mail.update({
        where: { id: m.id },
        data: permanent
          ? { status: 'failed', lastError: e.message.slice(0, 500), lockedUntil: null }
          : { nextAttemptAt: new Date(Date.now() + wait), lastError: e.message.slice(0, 500), lockedUntil: null },
      });
      opts.log.warn({ mailId: m.id, attempts: m.attempts, retryInMs: permanent ? null : wait, err: e.message }, 'E-Mail-Versand fehlgeschlagen');
    }
  }

  async function tick() {
    try {
      for (;;) {
        if (stopping) return;
        const batch = await claim();
        if (batch.length === 0) return;
        await Promise.all(batch.map(deliver));
      }
    } catch (err) {
      opts.log.warn({ err: (err as Error).message }, 'Postausgang: Datenbank nicht erreichbar');
    }
  }

  const loop = () => {
    running = tick().finally(() => { if (!stopping) timer = setTimeout(loop, pollMs); });
  };
  loop();

  return {
    /** Run one delivery pass now (used after a change to deliver without waiting for the poll). */
    kick: () => { if (!stopping) { clearTimeout(timer); running = running.then(tick); } },
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await running;
      transport.close();
    },
  };
}
export type OutboxSender = ReturnType<typeof startOutboxSender>;

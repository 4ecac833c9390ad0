// Delivers the e-mail outbox: each due mail is taken under a row lock (FOR UPDATE SKIP LOCKED, so
// several workers can run) in its own transaction, sent over SMTP and marked in that transaction. The
// lock lives as long as this sender's database session: a worker killed mid-delivery frees its mail at
// once (an earlier 60-second lease kept it from every sender after a restart). SMTP down → retried with
// exponential backoff (capped) until it is back; a starting sender retries waiting mails once at once,
// so a restarted worker does not sit out a back-off its predecessor built up.
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
  /** mails delivered at once (each in its own transaction, i.e. one database connection each) */
  batch?: number;
  /** STARTTLS required on smtp:// (KIM_SMTP_REQUIRE_TLS, default true): no mail with action links in clear
   *  text, no downgrade by a stripped STARTTLS offer; only the embedded capture (loopback) is sent without */
  requireTls?: boolean;
}

interface Claimed {
  id: string;
  idempotencyKey: string;
  to: string[];
  subject: string;
  text: string;
  html: string | null;
  attempts: number;
}

export function messageIdFor(idempotencyKey: string): string {
  return `<${crypto.createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@kim-flow>`;
}

export function backoffMs(attempts: number, maxMs: number): number {
  return Math.min(maxMs, 1000 * 2 ** Math.max(0, attempts - 1));
}

/** Longer than the slowest delivery (connection 5 s + greeting 5 s + up to 15 s silence per step). */
const DELIVERY_TX_MS = 120_000;

export function startOutboxSender(opts: OutboxOptions) {
  // the timeouts go with the URL into the transport's options (as createTransport's second argument they
  // were message defaults, and the connection kept nodemailer's 2-minute and 10-minute defaults)
  const transport = nodemailer.createTransport({
    url: opts.smtpUrl,
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 15_000,
    requireTLS: opts.requireTls ?? true,
  });
  const pollMs = opts.pollMs ?? 500;
  const maxBackoff = opts.maxBackoffMs ?? 5 * 60_000;
  const lanes = opts.batch ?? 5;
  let stopping = false;
  let fresh = true;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  /** What to write after one attempt (never throws). */
  async function send(m: Claimed) {
    const attempts = m.attempts + 1;
    try {
      await transport.sendMail({
        from: opts.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html ?? undefined,
        messageId: messageIdFor(m.idempotencyKey),
        headers: { 'X-KIM-Idempotency-Key': m.idempotencyKey },
      });
      opts.log.info({ mailId: m.id, attempts }, 'E-Mail versandt');
      return { status: 'sent' as const, sentAt: new Date(), attempts, lockedUntil: null, lastError: null };
    } catch (err) {
      const e = err as { responseCode?: number; message: string };
      const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode !== 554;
      const wait = backoffMs(attempts, maxBackoff);
      opts.log.warn({ mailId: m.id, attempts, retryInMs: permanent ? null : wait, err: e.message }, 'E-Mail-Versand fehlgeschlagen');
      const lastError = e.message.slice(0, 500);
      return permanent
        ? { status: 'failed' as const, attempts, lastError, lockedUntil: null }
        : { nextAttemptAt: new Date(Date.now() + wait), attempts, lastError, lockedUntil: null };
    }
  }

  /** One due mail, locked, sent and marked in one transaction; false if none is due. */
  function deliverOne(): Promise<boolean> {
    return opts.db.$transaction(
      async (tx) => {
        // "lockedUntil": a lease taken by a sender of an older version (rolling update) is still respected
        const [m] = await tx.$queryRaw<Claimed[]>`
        SELECT id, "idempotencyKey", "to", subject, text, html, attempts FROM "Mail"
        WHERE status = 'pending' AND "nextAttemptAt" <= now() AND ("lockedUntil" IS NULL OR "lockedUntil" < now())
        ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED`;
        if (!m) return false;
        await tx.mail.update({ where: { id: m.id }, data: await send(m) });
        return true;
      },
      { timeout: DELIVERY_TX_MS, maxWait: 10_000 },
    );
  }

  async function tick() {
    try {
      if (fresh) {
        await opts.db.$executeRaw`UPDATE "Mail" SET "nextAttemptAt" = now() WHERE status = 'pending' AND "nextAttemptAt" > now()`;
        fresh = false;
      }
      if (stopping || !(await deliverOne())) return;
      // more are due: several lanes, each taking one mail after the other until none is left
      const results = await Promise.allSettled(
        Array.from({ length: lanes }, async () => {
          while (!stopping && (await deliverOne())) {
            /* next */
          }
        }),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    } catch (err) {
      opts.log.warn({ err: (err as Error).message }, 'Postausgang: Datenbank nicht erreichbar');
    }
  }
  const loop = () => {
    running = tick().finally(() => {
      if (!stopping) timer = setTimeout(loop, pollMs);
    });
  };
  loop();

  return {
    /** Run one delivery pass now (used after a change to deliver without waiting for the poll). */
    kick: () => {
      if (!stopping) {
        clearTimeout(timer);
        running = running.then(tick);
      }
    },
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await running;
      transport.close();
    },
  };
}
export type OutboxSender = ReturnType<typeof startOutboxSender>;

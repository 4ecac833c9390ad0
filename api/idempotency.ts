// One request, one effect for routes whose service has no key column of its own (the case-file
// cycle: assessment versions, plans, reviews, journal entries, documents, chains from a goal).
// The first request with a key claims a row (user, route, key) before it runs; when it succeeds the
// row keeps its answer, when it fails the claim is dropped. A second request with the same key —
// after the first or racing it — waits for the first one's answer and gets it with 200, running nothing.
import type { Request, Response } from 'express';
import type { Db } from '../core/db/client';
import type { Prisma } from '../core/db/generated/client';
// kept IDEMPOTENT_RESPONSE_HOURS (core/domain/retention.ts); the retention run deletes older ones
import { conflict } from './errors';
import { formKey, idempotencyKeyHeader } from './submission';

/** A claim older than this is of a request that died between claim and answer; it may be taken over. */
const ABANDONED_MS = 120_000;
const WAIT_MS = 60_000;
const POLL_MS = 50;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `action` once per (user, route, key): the key is the `Idempotency-Key` header or the form's
 * `_key`. Without a key it just runs. A repeat answers the first result with status 200.
 */
export async function once<T>(db: Db, req: Request, res: Response, action: () => Promise<T>): Promise<T> {
  const key = idempotencyKeyHeader(req) ?? formKey(req);
  if (!key || !req.user) return action();
  const id = { userId: req.user.id, scope: `${req.method} ${req.baseUrl}${req.path}`, key };
  const where = { userId_scope_key: id };
  const started = Date.now();
  for (;;) {
    const claimed = await db.idempotentResponse.createMany({ data: [id], skipDuplicates: true });
    if (claimed.count === 1) {
      let result: T;
      try {
        result = await action();
      } catch (err) {
        await db.idempotentResponse.delete({ where }).catch(() => {});
        throw err;
      }
      await db.idempotentResponse.update({ where, data: { body: (result ?? null) as Prisma.InputJsonValue } });
      return result;
    }
    // someone else holds the key: wait for its answer (or for its claim to be dropped)
    for (;;) {
      const row = await db.idempotentResponse.findUnique({ where });
      if (!row) break; // the first request failed: try again as the first
      if (row.body !== null) {
        res.locals.status = 200;
        return row.body as T;
      }
      if (Date.now() - row.createdAt.getTime() > ABANDONED_MS) {
        await db.idempotentResponse.deleteMany({ where: { ...id, createdAt: row.createdAt } });
        break;
      }
      if (Date.now() - started > WAIT_MS)
        throw conflict('Dieselbe Anfrage (gleicher Idempotency-Key) läuft noch. Bitte später erneut senden.');
      await sleep(POLL_MS);
    }
  }
}

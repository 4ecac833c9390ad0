// One form submission, one record (the case-cycle and offer pages): the form's one-time key (`_key`) is
// claimed before the write — a row of IdempotentResponse with the scope 'form', the table JSON routes
// keep their keys in (api/idempotency.ts; the retention run drops rows after IDEMPOTENT_RESPONSE_HOURS).
// A second submission of the same form (double click, reload after a lost answer) finds the claim and
// writes nothing; a failed write gives the claim back, so the corrected form — which keeps its key — is
// the same submission and may be sent again.
import type { Db } from '../../core/db/client';
import type { AuthUser } from '../auth';

/** the scope of a page form's claim (a JSON route's scope is "METHOD path": the two never meet) */
export const FORM_SCOPE = 'form';

export type Once<T> = { done: true; value: T } | { done: false };

/** the claim of this user's form key, if one is held */
export const formClaimed = (db: Db, userId: string, key: string) =>
  db.idempotentResponse.count({ where: { userId, scope: FORM_SCOPE, key } });

/** Runs `write` unless this user already submitted this key; without a key it just runs. */
export async function onceForm<T>(
  db: Db,
  user: AuthUser,
  key: string | undefined,
  action: string,
  write: () => Promise<T>,
): Promise<Once<T>> {
  if (!key) return { done: true, value: await write() };
  const id = { userId: user.id, scope: FORM_SCOPE, key };
  const claimed = await db.idempotentResponse.createMany({ data: [{ ...id, body: { action } }], skipDuplicates: true });
  if (claimed.count === 0) return { done: false };
  try {
    return { done: true, value: await write() };
  } catch (err) {
    await db.idempotentResponse.deleteMany({ where: id }).catch(() => undefined);
    throw err;
  }
}

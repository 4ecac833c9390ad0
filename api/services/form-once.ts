// One form submission, one record (the case-cycle pages, issue 13): the form's one-time key (`_key`)
// is claimed in FormSubmission before the write. A second submission of the same form (double click,
// reload after a lost answer) finds the claim and writes nothing; a failed write gives the claim back,
// so the corrected form — which keeps its key — is the same submission and may be sent again.
import type { Db } from '../../core/db/client';
import type { AuthUser } from '../auth';

/** a claim older than this is dropped (a form kept open longer than a week is sent as a new submission) */
const KEEP_MS = 7 * 86_400_000;
const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === 'P2002';

export type Once<T> = { done: true; value: T } | { done: false };

/** Runs `write` unless this user already submitted this key; without a key it just runs. */
export async function onceForm<T>(
  db: Db,
  user: AuthUser,
  key: string | undefined,
  action: string,
  write: () => Promise<T>,
): Promise<Once<T>> {
  if (!key) return { done: true, value: await write() };
  await db.formSubmission.deleteMany({ where: { userId: user.id, createdAt: { lt: new Date(Date.now() - KEEP_MS) } } });
  try {
    await db.formSubmission.create({ data: { userId: user.id, key, action } });
  } catch (err) {
    if (isUniqueViolation(err)) return { done: false };
    throw err;
  }
  try {
    return { done: true, value: await write() };
  } catch (err) {
    await db.formSubmission.delete({ where: { userId_key: { userId: user.id, key } } }).catch(() => undefined);
    throw err;
  }
}

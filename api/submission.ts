// One submission, one effect. Every form carries a one-time key (`_key`, written next to the CSRF
// token) and API clients may send an `Idempotency-Key` header; a record creation stores the key, a
// workflow action uses it as its Temporal update id — so a double click or a retried request runs
// the action once, and the second request gets the first one's answer.
import type { Request } from 'express';
import { badRequest } from './errors';

/** A submission key: 8–100 letters, digits, - and _ (form `_key` and `Idempotency-Key`). */
export const SUBMISSION_KEY = /^[\w-]{8,100}$/;

/** The `Idempotency-Key` header: absent → undefined; malformed → 400 naming the header. */
export function idempotencyKeyHeader(req: Request): string | undefined {
  const h = req.get('idempotency-key');
  if (h === undefined) return undefined;
  if (!SUBMISSION_KEY.test(h))
    throw badRequest('Idempotency-Key ungültig (8–100 Zeichen: Buchstaben, Ziffern, - und _).', [
      { field: 'Idempotency-Key', message: 'ungültig' },
    ]);
  return h;
}

/** The form's one-time key (`_key`), if it is well-formed. */
export function formKey(req: Request): string | undefined {
  const k = (req.body as Record<string, unknown> | undefined)?._key;
  return typeof k === 'string' && SUBMISSION_KEY.test(k) ? k : undefined;
}

/**
 * The Temporal update id of an action: per user and submission (two users never share one), and per
 * action target, so one key reused for another step or task is a new action.
 */
export function updateIdOf(req: Request, target: string): string | undefined {
  const key = formKey(req) ?? idempotencyKeyHeader(req);
  return key && req.user ? `${req.user.id}:${target}:${key}` : undefined;
}

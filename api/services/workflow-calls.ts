// Calling workflow updates from the API: a validator's rejection becomes the matching HTTP error.
import {
  ServiceError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { badRequest, conflict, forbidden, unavailable, type ErrorDetail } from '../errors';

export async function callUpdate<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      const cause = err.cause as { type?: string; message?: string; details?: unknown[] } | undefined;
      const message = cause?.message ?? 'Aktion nicht möglich.';
      if (cause?.type === 'WrongState') throw conflict(message);
      if (cause?.type === 'Forbidden') throw forbidden(message);
      if (cause?.type === 'InvalidInput') {
        const details = Array.isArray(cause.details?.[0]) ? (cause.details[0] as ErrorDetail[]) : [];
        throw badRequest(message, details);
      }
      if (/completed before the Update completed|already completed/i.test(`${err.message} ${cause?.message ?? ''}`))
        throw conflict('Der Vorgang ist bereits abgeschlossen.');
    }
    if (err instanceof WorkflowNotFoundError) throw conflict('Der Vorgang läuft nicht mehr.');
    // the server did not take or finish the update in time (e.g. while a worker restarts): retryable, not a bug
    // (the cause goes into the log of the 503: which call, which gRPC status — ids only, no names)
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || err instanceof ServiceError)
      throw Object.assign(unavailable('Der Prozess-Server (Temporal)'), { cause: err });
    const e = err as { message?: string; code?: number };
    if (/workflow execution already completed/i.test(e.message ?? '')) throw conflict('Der Vorgang ist bereits abgeschlossen.');
    throw err;
  }
}

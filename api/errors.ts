// The API's error format (API.md): {"error":{"code","message","details"}} with German messages.
// Bad input → 400 naming the field; a dependency down → 503; never a 500 for bad input.
import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import { PERSON_FILE_LABELS } from '../core/domain/person-file';
import { FIELD_LABELS } from '../core/domain/records';
import { requestContext } from '../core/log';

export interface ErrorDetail {
  field: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details: ErrorDetail[] = []) => new HttpError(400, 'invalid_input', message, details);
export const notFound = (what = 'Eintrag') => new HttpError(404, 'not_found', `${what} nicht gefunden.`);
export const forbidden = (message = 'Keine Berechtigung für diese Aktion.') => new HttpError(403, 'forbidden', message);
export const unauthorized = () => new HttpError(401, 'unauthorized', 'Bitte anmelden.');
export const conflict = (message: string, extra: Record<string, unknown> = {}) => new HttpError(409, 'conflict', message, [], extra);
export const unavailable = (what: string) =>
  new HttpError(503, 'unavailable', `${what} ist gerade nicht erreichbar. Bitte später erneut versuchen.`);

export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? PERSON_FILE_LABELS[field] ?? field;
}

/** zod issues → details naming each field in German. */
export function zodDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((i) => {
    if (i.code === 'unrecognized_keys') {
      return {
        field: (i as { keys: string[] }).keys.join(', '),
        message: `Unbekanntes Feld: ${(i as { keys: string[] }).keys.join(', ')}`,
      };
    }
    const field = i.path.map(String).join('.') || '(Anfrage)';
    const top = String(i.path[0] ?? '');
    const label = fieldLabel(top);
    return { field, message: i.message.startsWith(label) ? i.message : `${label}: ${i.message}` };
  });
}

export function parseOr400<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const details = zodDetails(r.error);
    throw badRequest(`Ungültige Eingabe: ${details.map((d) => d.message).join('; ')}`, details);
  }
  return r.data;
}

/** Errors from PostgreSQL / Prisma that mean "database unreachable", not "bad query". */
export function isDatabaseDown(err: unknown): boolean {
  const e = err as { code?: string; name?: string; message?: string; cause?: unknown };
  if (!e) return false;
  const msg = `${e.message ?? ''}`;
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'P1001', 'P1002', 'P1017', '57P01', '57P03', '08006', '08001'].includes(e.code ?? '') ||
    // "Server has closed the connection" (a raw query), "Client has encountered a connection error" (a transaction):
    // on a pool connection PostgreSQL closed in its restart (test/cluster)
    /ECONNREFUSED|Connection terminated|connection timeout|terminating connection|Can't reach database|DatabaseNotReachable|Server has closed the connection|Client has encountered a connection error|the database system is (starting up|shutting down)/i.test(
      msg,
    ) ||
    (e.cause !== undefined && e.cause !== err && isDatabaseDown(e.cause))
  );
}

/** gRPC UNAVAILABLE / DEADLINE_EXCEEDED from the Temporal client. */
export function isTemporalDown(err: unknown): boolean {
  const e = err as { code?: number; name?: string; message?: string; cause?: unknown };
  if (!e) return false;
  return (
    (e.name === 'ServiceError' && /UNAVAILABLE|DEADLINE_EXCEEDED|Failed to connect|No connection established/i.test(`${e.message}`)) ||
    (typeof e.code === 'number' &&
      (e.code === 14 || e.code === 4) &&
      /temporal|grpc|UNAVAILABLE|DEADLINE/i.test(`${e.message} ${e.name}`)) ||
    /TransportError|Failed to connect before the deadline/i.test(`${e.name} ${e.message}`) ||
    // gRPC CANCELLED: the server gave up when the call's deadline ran out inside it — seen on queries of a
    // workflow whose worker was just SIGKILLed (the sticky queue waits for the dead worker; test/cluster).
    // The app never cancels its own Temporal calls, so this is "Temporal did not answer in time".
    (e.code === 1 && /^1 CANCELLED/.test(`${e.message}`)) ||
    // a query while no worker polls (all down or reconnecting after a Temporal restart; test/cluster)
    (e.code === 9 && /no poller seen/i.test(`${e.message}`)) ||
    // a Temporal server just restarted answers "namespace not found" until its namespace cache is loaded (test/cluster)
    e.name === 'NamespaceNotFoundError' ||
    (e.cause !== undefined && e.cause !== err && isTemporalDown(e.cause))
  );
}

export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const e = err as { type?: string; status?: number; statusCode?: number; expose?: boolean; message?: string };
  if (e?.type === 'entity.parse.failed') return badRequest('Der Anfragetext ist kein gültiges JSON.');
  if (e?.type === 'entity.too.large') return new HttpError(413, 'too_large', 'Die Anfrage ist zu groß.');
  if (e?.type === 'charset.unsupported' || e?.type === 'encoding.unsupported')
    return badRequest('Zeichensatz nicht unterstützt (bitte UTF-8).');
  // e.g. the router's URIError for an invalid %-escape in a path parameter (status 400, expose unset)
  if (err instanceof URIError) return badRequest('Ungültige Zeichenkodierung in der Adresse.');
  if ((e?.status ?? e?.statusCode ?? 500) < 500 && e?.expose)
    return new HttpError(e.status ?? e.statusCode ?? 400, 'invalid_request', 'Ungültige Anfrage.');
  if (isDatabaseDown(err)) return unavailable('Die Datenbank');
  if (isTemporalDown(err)) return unavailable('Der Prozess-Server (Temporal)');
  return new HttpError(500, 'internal', 'Interner Fehler. Bitte später erneut versuchen.');
}

export function sendError(res: Response, err: HttpError) {
  const requestId = requestContext.getStore()?.requestId;
  res.status(err.status).json({ error: { code: err.code, message: err.message, details: err.details, requestId, ...err.extra } });
}

export function apiErrorHandler(err: unknown, req: Request, res: Response, _next: NextFunction) {
  const httpError = toHttpError(err);
  if (httpError.status >= 500) req.log?.error({ err, status: httpError.status }, 'Fehler bei der Anfrage');
  else req.log?.info({ status: httpError.status, code: httpError.code }, httpError.message);
  if (res.headersSent) return;
  sendError(res, httpError);
}

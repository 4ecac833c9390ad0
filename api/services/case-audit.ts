// The audit log of one case for supervisors ("viewable and exportable per case by supervisors"):
// every event that carries the case's id (the case, its follow-ups, consents, tasks and processes)
// and every event on the case's person. Newest first, keyset paging on (at, id); CSV for German Excel
// with the supervisor console's CSV writer. Reading and exporting the log are audited themselves.
import type { Response } from 'express';
import { audit, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import type { Prisma } from '../../core/db/generated/client';
import { readsCaseAudit } from '../access';
import type { AuthUser } from '../auth';
import { badRequest, forbidden, notFound } from '../errors';
import { formatDateTimeSeconds, isoDay } from '../../core/format/dates';
import { actorRoleLabel, auditActionLabel, auditEntityLabel } from '../../core/format/labels';
import { CSV_MAX_ROWS, csvLine } from './dashboard';

export interface CaseAuditItem {
  at: string;
  actor: { id: string | null; email: string | null; role: string };
  action: string;
  label: string;
  entityType: string;
  entityId: string | null;
  ip: string | null;
  requestId: string | null;
  details: unknown;
}

type Row = Prisma.AuditEventGetPayload<object>;

/** Only supervisors read a case's audit log (README access matrix). */
function requireSupervisor(user: AuthUser) {
  if (!readsCaseAudit(user)) throw forbidden('Nur die Leitung kann das Protokoll eines Falls einsehen.');
}

/** The case (404 if unknown) and the filter of its audit events. */
export async function caseAuditFilter(db: Db, caseId: string): Promise<{ reference: string; where: Prisma.AuditEventWhereInput }> {
  const c = /^[0-9a-f-]{36}$/i.test(caseId)
    ? await db.case.findUnique({ where: { id: caseId }, select: { reference: true, personId: true } })
    : null;
  if (!c) throw notFound('Fall');
  return { reference: c.reference, where: { OR: [{ caseId }, { entityType: 'Person', entityId: c.personId }] } };
}

const cursorError = () => badRequest('cursor ungültig', [{ field: 'cursor', message: 'ungültig' }]);

function decodeCursor(cursor: string): { at: Date; id: bigint } {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { at?: unknown; id?: unknown };
    const at = new Date(String(c.at));
    if (typeof c.at !== 'string' || typeof c.id !== 'string' || !/^\d{1,19}$/.test(c.id) || Number.isNaN(at.getTime())) throw cursorError();
    return { at, id: BigInt(c.id) };
  } catch {
    throw cursorError();
  }
}
const encodeCursor = (r: Row) => Buffer.from(JSON.stringify({ at: r.at.toISOString(), id: r.id.toString() })).toString('base64url');

async function toItems(db: Db, rows: Row[]): Promise<CaseAuditItem[]> {
  const ids = [...new Set(rows.map((r) => r.actorId).filter((x): x is string => !!x))];
  const users = ids.length ? await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true, role: true } }) : [];
  const byId = new Map(users.map((u) => [u.id, u]));
  return rows.map((r) => {
    const u = r.actorId ? byId.get(r.actorId) : undefined;
    return {
      at: r.at.toISOString(),
      // activities record 'user' as the role of a person acting through the API: the account's role says more
      actor: { id: r.actorId, email: u?.email ?? null, role: r.actorRole === 'user' && u ? u.role : (r.actorRole ?? 'system') },
      action: r.action,
      label: auditActionLabel(r.action),
      entityType: r.entityType,
      entityId: r.entityId,
      ip: r.ip,
      requestId: r.requestId,
      details: r.details ?? null,
    };
  });
}

/** One page of the case's audit log, newest first; the read itself is audited first (and so listed). */
export async function pageCaseAudit(db: Db, user: AuthUser, actor: Actor, caseId: string, q: { limit: number; cursor?: string }) {
  requireSupervisor(user);
  const { reference, where } = await caseAuditFilter(db, caseId);
  const after = q.cursor ? decodeCursor(q.cursor) : undefined;
  await audit(
    db,
    actor,
    'case.audit.read',
    { type: 'Case', id: caseId, caseId },
    { ...(q.cursor ? { page: 'next' } : {}), limit: q.limit },
  );
  const rows = await db.auditEvent.findMany({
    where: after ? { AND: [where, { OR: [{ at: { lt: after.at } }, { at: after.at, id: { lt: after.id } }] }] } : where,
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  return { reference, items: await toItems(db, page), nextCursor: rows.length > q.limit ? encodeCursor(page[page.length - 1]) : null };
}

export const CASE_AUDIT_CSV_HEADER = [
  'Zeitpunkt',
  'Wer',
  'Rolle',
  'Aktion',
  'Aktion (technisch)',
  'Objekt',
  'Objekt-ID',
  'Herkunft (IP)',
  'Anfrage-ID',
  'Details',
];

/** The whole log of the case (at most CSV_MAX_ROWS, newest first) as CSV: `;`, UTF-8 BOM, CRLF. */
export async function writeCaseAuditCsv(db: Db, user: AuthUser, actor: Actor, caseId: string, res: Response) {
  requireSupervisor(user);
  const { reference, where } = await caseAuditFilter(db, caseId);
  const total = await db.auditEvent.count({ where });
  await audit(
    db,
    actor,
    'case.audit.export',
    { type: 'Case', id: caseId, caseId },
    { format: 'csv', rows: Math.min(total + 1, CSV_MAX_ROWS) },
  );
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="protokoll-${reference}-${isoDay()}.csv"`);
  res.setHeader('X-Truncated', total + 1 > CSV_MAX_ROWS ? 'true' : 'false');
  res.setHeader('Cache-Control', 'no-store');
  res.write(`\uFEFF${csvLine(CASE_AUDIT_CSV_HEADER)}`);
  let written = 0;
  let after: Row | undefined;
  while (written < CSV_MAX_ROWS) {
    const rows = await db.auditEvent.findMany({
      where: after ? { AND: [where, { OR: [{ at: { lt: after.at } }, { at: after.at, id: { lt: after.id } }] }] } : where,
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: Math.min(1000, CSV_MAX_ROWS - written),
    });
    if (!rows.length) break;
    const chunk = (await toItems(db, rows))
      .map((i) =>
        csvLine([
          formatDateTimeSeconds(i.at),
          i.actor.email ?? (i.actor.id ? i.actor.id : 'System'),
          actorRoleLabel(i.actor.role),
          i.label,
          i.action,
          auditEntityLabel(i.entityType),
          i.entityId,
          i.ip,
          i.requestId,
          i.details === null ? '' : JSON.stringify(i.details),
        ]),
      )
      .join('');
    written += rows.length;
    after = rows[rows.length - 1];
    if (!res.write(chunk)) await new Promise<void>((r) => res.once('drain', () => r()));
  }
  res.end();
}

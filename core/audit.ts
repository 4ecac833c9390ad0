// The audit log: every read of case details and every change — who, when, what, from where.
// Append-only (a database trigger rejects UPDATE/DELETE). Details carry IDs and field names, not values.
import { sql, type Db } from './db/client';
import { Prisma } from './db/generated/client';

export interface Actor {
  id: string | null; // null = the system (a workflow, a timer)
  role: string;
  ip?: string;
  requestId?: string;
}

export const SYSTEM: Actor = { id: null, role: 'system' };

type Tx = Pick<Db, '$queryRaw'>;

/** One row, one statement (sql(): every audited request writes one — no query compiler on that path). */
export async function audit(
  db: Tx,
  actor: Actor,
  action: string,
  entity: { type: string; id?: string; caseId?: string },
  details?: Prisma.InputJsonValue,
): Promise<void> {
  await sql(
    db,
    Prisma.sql`INSERT INTO "AuditEvent" ("at", "actorId", "actorRole", "ip", "requestId", "action", "entityType", "entityId", "caseId", "details")
      VALUES (${new Date()}, ${actor.id}, ${actor.role}, ${actor.ip ?? null}, ${actor.requestId ?? null}, ${action}, ${entity.type},
        ${entity.id ?? null}, ${entity.caseId ?? null}, ${details === undefined ? null : JSON.stringify(details)}::jsonb)`,
  );
}

/**
 * A refused attempt on someone else's record (403, or 404 for a record outside the user's scope): who
 * tried what on which id. Audited so that probing shows up; the answer itself reveals nothing.
 */
export function auditRefused(
  db: Tx,
  actor: Actor,
  entity: { type: string; id?: string; caseId?: string },
  attempted: string,
  status: 403 | 404 = 404,
) {
  return audit(db, actor, 'access.refused', entity, { attempted, status });
}

// Changing a partner (the partner page's edit form, issue 15): the same fields and checks as creating
// one; the contact log and the last contact stay as they are. Audited as partner.update.
import { audit, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import type { PartnerInput } from '../../core/domain/inventory/records';
import type { AuthUser } from '../auth';
import { badRequest } from '../errors';
import { partnerOr404 } from './inventory';

export async function updatePartner(db: Db, user: AuthUser, actor: Actor, id: string, input: PartnerInput) {
  const before = await partnerOr404(db, id);
  if (input.responsibleId) {
    const r = await db.user.findUnique({ where: { id: input.responsibleId } });
    if (!r || r.role !== 'caseworker' || !r.active)
      throw badRequest('Zuständige/r unbekannt.', [{ field: 'responsibleId', message: 'Zuständige/r unbekannt' }]);
  }
  await db.$transaction(async (tx) => {
    await tx.partner.update({
      where: { id },
      data: {
        kind: input.kind,
        name: input.name,
        email: input.email ?? null,
        phone: input.phone ?? null,
        address: input.address ?? null,
        areas: input.areas,
        contactPersons: input.contactPersons,
        agreements: input.agreements,
        contactEveryDays: input.contactEveryDays ?? null,
        // as on creation: with a rhythm someone keeps the contact (the one so far, else the editor)
        responsibleId: input.responsibleId ?? (input.contactEveryDays ? (before.responsibleId ?? user.id) : null),
      },
    });
    await audit(tx, actor, 'partner.update', { type: 'Partner', id }, { kind: input.kind });
  });
}

/** the active caseworkers who can keep a partner's regular contact */
export const responsibleOptions = (db: Db) =>
  db.user.findMany({ where: { role: 'caseworker', active: true }, select: { id: true, name: true }, orderBy: { name: 'asc' } });

// Side effects of the housing-offer workflow: asking the landlord whether the flat is still available
// (an outbox mail, once per question) and expiring an offer that stayed unconfirmed (only if still open).
import { audit, SYSTEM } from '../core/audit';
import type { Db } from '../core/db/client';
import { takeSituationSnapshot } from '../core/inventory-data';
import { offerMails, partnerMails } from '../core/mail/inventory-templates';
import { isoDay } from '../core/format/dates';

export interface InventoryActivityDeps {
  db: Db;
  publicUrl: string;
}

export function createInventoryActivities({ db, publicUrl }: InventoryActivityDeps) {
  return {
    /** One mail per partner and due date to the responsible caseworker; returns how many were due. */
    async remindDuePartnerContacts(): Promise<number> {
      const now = Date.now();
      const partners = await db.partner.findMany({
        where: { contactEveryDays: { not: null }, responsibleId: { not: null } },
        select: { id: true, name: true, contactEveryDays: true, lastContactAt: true, createdAt: true, responsibleId: true },
      });
      const due = partners
        .map((p) => ({ ...p, dueAt: new Date((p.lastContactAt ?? p.createdAt).getTime() + p.contactEveryDays! * 86_400_000) }))
        .filter((p) => p.dueAt.getTime() <= now);
      const users = await db.user.findMany({
        where: { id: { in: due.map((p) => p.responsibleId!) }, active: true },
        select: { id: true, email: true },
      });
      const emails = new Map(users.map((u) => [u.id, u.email]));
      for (const p of due) {
        const to = emails.get(p.responsibleId!);
        if (!to) continue;
        const key = `partner:${p.id}:contact-due:${isoDay(p.dueAt)}`;
        const mail = partnerMails.contactDue({ partnerName: p.name, dueAt: p.dueAt, link: `${publicUrl}/bestand/partner` });
        await db.mail.upsert({ where: { idempotencyKey: key }, create: { idempotencyKey: key, to: [to], ...mail }, update: {} });
      }
      return due.length;
    },
    async takeSituationSnapshot() {
      return takeSituationSnapshot(db);
    },
    async askLandlordStillAvailable({ offerId, n }: { offerId: string; n: number }): Promise<void> {
      const o = await db.housingOffer.findUnique({ where: { id: offerId }, include: { partner: { select: { email: true } } } });
      if (!o || o.status !== 'open' || !o.partner.email) return;
      const mail = offerMails.stillAvailable({ reference: o.reference, district: o.district, availableFrom: o.availableFrom });
      await db.mail.upsert({
        where: { idempotencyKey: `offer:${offerId}:ask:${n}` },
        create: { idempotencyKey: `offer:${offerId}:ask:${n}`, to: [o.partner.email], ...mail },
        update: {},
      });
    },
    async expireOffer({ offerId }: { offerId: string }): Promise<boolean> {
      return db.$transaction(async (tx) => {
        const r = await tx.housingOffer.updateMany({ where: { id: offerId, status: 'open' }, data: { status: 'expired' } });
        if (r.count) await audit(tx, SYSTEM, 'offer.expired', { type: 'HousingOffer', id: offerId });
        return r.count === 1;
      });
    },
  };
}
export type InventoryActivities = ReturnType<typeof createInventoryActivities>;

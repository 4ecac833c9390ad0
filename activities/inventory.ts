// Side effects of the housing-offer workflow: asking the landlord whether the flat is still available
// (an outbox mail, once per question) and expiring an offer that stayed unconfirmed (only if still open).
import { audit, SYSTEM } from '../core/audit';
import type { Db } from '../core/db/client';
import { offerMails } from '../core/mail/inventory-templates';

export interface InventoryActivityDeps {
  db: Db;
  publicUrl: string;
}

export function createInventoryActivities({ db }: InventoryActivityDeps) {
  return {
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

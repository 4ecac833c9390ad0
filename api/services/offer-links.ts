// The landlord's personal form link (issue 15): signed like the e-mail action links (core/links.ts),
// bound to one partner and recipient, expiring, revocable, single use. Forged → 403; expired, revoked
// or used → 410; every rejection audited. The link only opens the form for a new flat of its partner.
import { audit, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import { newNonce, parseToken, signLink, verifyLink, type LinkKey } from '../../core/links';
import { offerMails } from '../../core/mail/inventory-templates';
import type { AuthUser } from '../auth';
import { badRequest } from '../errors';
import { partnerOr404 } from './inventory';

const ACTION = 'housing-offer';
const subject = (partnerId: string) => `partner:${partnerId}`;

export async function createOfferLink(
  deps: { db: Db; linkKeys: LinkKey[]; publicUrl: string },
  user: AuthUser,
  actor: Actor,
  partnerId: string,
  input: { email?: string; validDays: number },
) {
  const partner = await partnerOr404(deps.db, partnerId);
  const recipient = input.email ?? partner.email;
  if (!recipient) throw badRequest('E-Mail fehlt: der Partner hat keine E-Mail-Adresse.', [{ field: 'email', message: 'E-Mail fehlt' }]);
  const nonce = newNonce();
  const expiresAt = new Date(Date.now() + input.validDays * 86_400_000);
  const token = signLink(deps.linkKeys, { nonce, taskId: subject(partnerId), action: ACTION, recipient, expiresAt });
  const url = `${deps.publicUrl}/vermieter/${token}`;
  await deps.db.$transaction(async (tx) => {
    await tx.offerLink.create({ data: { id: nonce, partnerId, recipient, expiresAt, createdById: user.id } });
    const mail = offerMails.linkInvitation({ partnerName: partner.name, url, expiresAt });
    await tx.mail.create({ data: { idempotencyKey: `offer-link:${nonce}`, to: [recipient], ...mail } });
    await audit(tx, actor, 'offer-link.create', { type: 'Partner', id: partnerId }, { linkId: nonce });
  });
  return { id: nonce, url, expiresAt: expiresAt.toISOString() };
}

export async function revokeOfferLink(db: Db, actor: Actor, partnerId: string, linkId: string) {
  const r = await db.offerLink.updateMany({ where: { id: linkId, partnerId, revokedAt: null }, data: { revokedAt: new Date() } });
  if (r.count) await audit(db, actor, 'offer-link.revoke', { type: 'Partner', id: partnerId }, { linkId });
  return r.count === 1;
}

export type OfferLinkRejection = 'forged' | 'expired' | 'revoked' | 'used';
export type CheckedOfferLink =
  | { ok: true; link: { id: string; partnerId: string; recipient: string; partnerName: string } }
  | { ok: false; status: 403 | 410; reason: OfferLinkRejection };

export async function checkOfferLink(
  deps: { db: Db; linkKeys: LinkKey[] },
  actor: Actor,
  raw: string,
  method: string,
): Promise<CheckedOfferLink> {
  const parsed = parseToken(raw);
  const row = parsed
    ? await deps.db.offerLink.findUnique({ where: { id: parsed.nonce }, include: { partner: { select: { name: true } } } })
    : null;
  let result: CheckedOfferLink;
  if (!parsed || !row || !verifyLink(deps.linkKeys, parsed, { taskId: subject(row.partnerId), action: ACTION, recipient: row.recipient }))
    result = { ok: false, status: 403, reason: 'forged' };
  else if (row.revokedAt) result = { ok: false, status: 410, reason: 'revoked' };
  else if (row.expiresAt.getTime() < Date.now() || parsed.exp * 1000 < Date.now()) result = { ok: false, status: 410, reason: 'expired' };
  else if (row.usedAt) result = { ok: false, status: 410, reason: 'used' };
  else result = { ok: true, link: { id: row.id, partnerId: row.partnerId, recipient: row.recipient, partnerName: row.partner.name } };
  if (!result.ok) await audit(deps.db, actor, 'link.rejected', { type: 'OfferLink', id: row?.id }, { reason: result.reason, method });
  return result;
}

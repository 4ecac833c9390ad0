// Which local user an ID token belongs to. No auto-provisioning: the admin creates users and gives
// roles. First by issuer + subject (remembered at the first OIDC login), else by the verified e-mail
// (case-insensitive) of an active user who has no other subject of this issuer; the subject is then
// remembered, so a later change of the e-mail at the provider does not matter.
import type { Db } from '../../core/db/client';
import type { User } from '../../core/db/generated/client';
import type { IdTokenClaims } from './id-token';

export type MatchResult =
  | { ok: true; user: User; linked: boolean }
  | {
      ok: false;
      reason: 'user_inactive' | 'email_missing' | 'email_unverified' | 'user_unknown' | 'email_ambiguous' | 'subject_conflict';
      userId?: string;
    };

export async function matchUser(db: Db, issuer: string, claims: IdTokenClaims, requireEmailVerified: boolean): Promise<MatchResult> {
  const bySubject = await db.user.findUnique({ where: { oidcIssuer_oidcSubject: { oidcIssuer: issuer, oidcSubject: claims.sub } } });
  if (bySubject)
    return bySubject.active ? { ok: true, user: bySubject, linked: false } : { ok: false, reason: 'user_inactive', userId: bySubject.id };

  const email = typeof claims.email === 'string' ? claims.email.trim() : '';
  if (!email || email.length > 254) return { ok: false, reason: 'email_missing' };
  if (requireEmailVerified && claims.email_verified !== true) return { ok: false, reason: 'email_unverified' };
  const candidates = await db.user.findMany({ where: { email: { equals: email, mode: 'insensitive' } }, take: 2 });
  if (candidates.length === 0) return { ok: false, reason: 'user_unknown' };
  if (candidates.length > 1) return { ok: false, reason: 'email_ambiguous' };
  const user = candidates[0];
  if (!user.active) return { ok: false, reason: 'user_inactive', userId: user.id };
  // already linked to another account at this provider: the e-mail alone must not take it over
  if (user.oidcIssuer === issuer && user.oidcSubject && user.oidcSubject !== claims.sub)
    return { ok: false, reason: 'subject_conflict', userId: user.id };
  // only if still unlinked (two parallel first logins: one links, the other is refused)
  const linked = await db.user.updateMany({
    where: { id: user.id, OR: [{ oidcSubject: null }, { oidcIssuer: { not: issuer } }] },
    data: { oidcIssuer: issuer, oidcSubject: claims.sub },
  });
  if (linked.count !== 1) return { ok: false, reason: 'subject_conflict', userId: user.id };
  return { ok: true, user, linked: true };
}

// The person's own status page: a caseworker gives the person a personal link (/s/<token>), signed
// like the e-mail action links (core/links.ts: HMAC with key id, nonce = StatusLink row), expiring and
// revocable; one valid link per person (a new one revokes the old). The page shows where the person's
// chains stand in plain words — done, now, what to bring, the next appointment, the caseworker's name —
// and nothing else (no notes, no other staff, no other persons). Every view is audited.
import { audit, auditRefused, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import { chainDefinitionFor } from '../../core/domain/chains';
import { newNonce, parseToken, signLink, verifyLink, type LinkKey } from '../../core/links';
import { canChangeCase } from '../access';
import type { AuthUser } from '../auth';
import { forbidden, notFound } from '../errors';
import { refuseAnonymized } from './anonymized';
import { personInScope } from './cases';

export interface StatusLinkDeps {
  db: Db;
  linkKeys: LinkKey[];
  publicUrl: string;
}

/** what the signature binds: the person, the purpose, the audience */
const claims = (personId: string) => ({ taskId: personId, action: 'status-page', recipient: 'person' });
export const STATUS_LINK_DAYS = 180;

async function personForLink(db: Db, user: AuthUser, actor: Actor, personId: string, action: string) {
  const p = await db.person.findUnique({
    where: { id: personId },
    include: { cases: { select: { caseworkerId: true, departmentId: true } } },
  });
  if (!p || !(await personInScope(db, user, p))) {
    await auditRefused(db, actor, { type: 'Person', id: personId }, action);
    throw notFound('Person');
  }
  if (p.cases.length && !p.cases.some((c) => canChangeCase(user, c)))
    throw forbidden('Nur die zuständige Fallmanagerin oder der zuständige Fallmanager kann den Statuslink verwalten.');
  return p;
}

export async function createStatusLink(
  deps: StatusLinkDeps,
  user: AuthUser,
  actor: Actor,
  personId: string,
  days = STATUS_LINK_DAYS,
): Promise<{ url: string; expiresAt: string }> {
  const p = await personForLink(deps.db, user, actor, personId, 'status-link.create');
  refuseAnonymized(p, 'Person');
  const nonce = newNonce();
  const expiresAt = new Date(Date.now() + days * 86_400_000);
  await deps.db.$transaction(async (tx) => {
    await tx.statusLink.updateMany({ where: { personId, revokedAt: null }, data: { revokedAt: new Date() } });
    await tx.statusLink.create({ data: { id: nonce, personId, createdById: user.id, expiresAt } });
    await audit(tx, actor, 'status-link.create', { type: 'Person', id: personId }, { expiresAt: expiresAt.toISOString() });
  });
  const token = signLink(deps.linkKeys, { nonce, ...claims(personId), expiresAt });
  return { url: `${deps.publicUrl.replace(/\/$/, '')}/s/${token}`, expiresAt: expiresAt.toISOString() };
}

export async function revokeStatusLinks(
  deps: StatusLinkDeps,
  user: AuthUser,
  actor: Actor,
  personId: string,
): Promise<{ revoked: number }> {
  await personForLink(deps.db, user, actor, personId, 'status-link.revoke');
  return deps.db.$transaction(async (tx) => {
    const r = await tx.statusLink.updateMany({ where: { personId, revokedAt: null }, data: { revokedAt: new Date() } });
    await audit(tx, actor, 'status-link.revoke', { type: 'Person', id: personId }, { revoked: r.count });
    return { revoked: r.count };
  });
}

export type CheckedStatusLink =
  { ok: true; personId: string; expiresAt: Date } | { ok: false; status: 403 | 410; reason: 'forged' | 'expired' | 'revoked' };

/** forged → 403; expired or revoked → 410 (audited as status-link.rejected) */
export async function checkStatusLink(deps: StatusLinkDeps, actor: Actor, raw: string): Promise<CheckedStatusLink> {
  const parsed = parseToken(raw);
  const row = parsed ? await deps.db.statusLink.findUnique({ where: { id: parsed.nonce } }) : null;
  let r: CheckedStatusLink;
  if (!parsed || !row || !verifyLink(deps.linkKeys, parsed, claims(row.personId))) r = { ok: false, status: 403, reason: 'forged' };
  else if (row.revokedAt) r = { ok: false, status: 410, reason: 'revoked' };
  else if (row.expiresAt.getTime() < Date.now() || parsed.exp * 1000 < Date.now()) r = { ok: false, status: 410, reason: 'expired' };
  else r = { ok: true, personId: row.personId, expiresAt: row.expiresAt };
  if (!r.ok) await audit(deps.db, actor, 'status-link.rejected', { type: 'StatusLink', id: row?.id }, { reason: r.reason });
  return r;
}

export interface StatusChain {
  type: string;
  /** German title of the definition: shown where the language has no text for the type */
  fallbackTitle: string;
  status: 'running' | 'on_hold' | 'completed' | 'cancelled';
  done: Array<{ key: string; title: string }>;
  current: Array<{ key: string; title: string; who: 'caseworker' | 'department' }>;
  appointments: Array<{ field: string; date: string }>;
}
export interface PersonStatus {
  letterLanguage?: string;
  caseworker?: string;
  chains: StatusChain[];
}

const OPEN_STEP = ['waiting', 'active', 'handoff', 'returned'];

/** What the person may see of their chains (read for the page; the view is audited by the caller). */
export async function personStatus(db: Db, personId: string, today = new Date()): Promise<PersonStatus> {
  const person = await db.person.findUnique({ where: { id: personId } });
  const cases = await db.case.findMany({
    where: { personId, anonymizedAt: null },
    orderBy: { createdAt: 'desc' },
    select: {
      caseworker: { select: { name: true } },
      processes: { orderBy: { startedAt: 'desc' }, include: { steps: { orderBy: { seq: 'asc' } } } },
    },
  });
  const day = today.toISOString().slice(0, 10);
  const chains: StatusChain[] = [];
  for (const c of cases)
    for (const p of c.processes) {
      const def = chainDefinitionFor(p.type, p.version);
      const title = (key: string) => def?.steps[key]?.title ?? key;
      const done: StatusChain['done'] = [];
      for (const s of p.steps)
        if (s.status === 'done' && !done.some((d) => d.key === s.key)) done.push({ key: s.key, title: title(s.key) });
      const current =
        p.status === 'running' || p.status === 'on_hold'
          ? p.steps
              .filter((s) => OPEN_STEP.includes(s.status))
              .map((s) => ({ key: s.key, title: title(s.key), who: s.department ? ('department' as const) : ('caseworker' as const) }))
          : [];
      // appointments: future dates in the date fields of the chain's steps (a viewing, the move-in)
      const appointments: StatusChain['appointments'] = [];
      for (const s of p.steps) {
        const data = (s.data ?? {}) as Record<string, unknown>;
        for (const f of def?.steps[s.key]?.fields ?? [])
          if (f.type === 'date' && typeof data[f.key] === 'string' && (data[f.key] as string) >= day)
            appointments.push({ field: f.key, date: data[f.key] as string });
      }
      appointments.sort((a, b) => a.date.localeCompare(b.date));
      chains.push({ type: p.type, fallbackTitle: def?.title ?? p.type, status: p.status, done, current, appointments });
    }
  return {
    letterLanguage: (person as unknown as { letterLanguage?: string } | null)?.letterLanguage ?? undefined,
    caseworker: cases[0]?.caseworker.name,
    chains,
  };
}

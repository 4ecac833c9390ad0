// Chains defined by the city: every published version of a chain definition lives in PostgreSQL
// (ChainDefinitionVersion); the shipped definitions (core/domain/chains/*.ts) are seeded as the
// defaults of a new installation. An upload (JSON or YAML) is checked by checkChainDefinition
// (core/domain/chains/validation.ts) before anything is saved and becomes the next version of its
// type; new chains start on the newest version, running chains keep the one in their workflow input.
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { audit, type Actor } from '../../core/audit';
import type { Db } from '../../core/db/client';
import {
  allChainDefinitions,
  chainDefinitionFor,
  CHAIN_TYPES,
  registerChainDefinition,
  type ChainDefinition,
} from '../../core/domain/chains';
import { checkChainDefinition, type DefinitionIssue } from '../../core/domain/chains/validation';
import { HANDOFF_STEPS } from '../../core/domain/handoff';
import { badRequest, conflict } from '../errors';

/** Makes a stored version known to this process (read model, diagram, retention look versions up). */
function remember(d: ChainDefinition): ChainDefinition {
  return chainDefinitionFor(d.type, d.version) ?? registerChainDefinition(d);
}

/** At start: the shipped versions not yet stored are stored (source "shipped"); every stored version is loaded. */
export async function syncChainDefinitions(db: Db): Promise<void> {
  for (const d of allChainDefinitions().slice()) {
    await db.chainDefinitionVersion.upsert({
      where: { type_version: { type: d.type, version: d.version } },
      create: { type: d.type, version: d.version, title: d.title, definition: d as object, source: 'shipped' },
      update: {},
    });
  }
  for (const r of await db.chainDefinitionVersion.findMany({ orderBy: [{ type: 'asc' }, { version: 'asc' }] }))
    remember(r.definition as unknown as ChainDefinition);
}

/** The version a new chain of this type starts on: the newest stored one, or the newest shipped one. */
export async function currentChainDefinition(db: Db, type: string): Promise<ChainDefinition | undefined> {
  const shipped = chainDefinitionFor(type);
  const row = await db.chainDefinitionVersion.findFirst({ where: { type }, orderBy: { version: 'desc' } });
  if (!row || (shipped && shipped.version > row.version)) return shipped;
  return remember(row.definition as unknown as ChainDefinition);
}

export async function listChainDefinitions(db: Db) {
  const rows = await db.chainDefinitionVersion.findMany({
    select: { type: true, version: true, title: true, source: true, publishedAt: true },
    orderBy: [{ type: 'asc' }, { version: 'desc' }],
  });
  return CHAIN_TYPES.map((type) => {
    const stored = rows.filter((r) => r.type === type);
    const shipped = allChainDefinitions()
      .filter((d) => d.type === type && !stored.some((r) => r.version === d.version))
      .map((d) => ({ type, version: d.version, title: d.title, source: 'shipped', publishedAt: null as Date | null }));
    const versions = [...stored, ...shipped].sort((a, b) => b.version - a.version);
    return {
      type,
      current: versions[0]?.version ?? null,
      versions: versions.map((v) => ({
        version: v.version,
        title: v.title,
        source: v.source as 'shipped' | 'city',
        publishedAt: v.publishedAt?.toISOString() ?? null,
      })),
    };
  });
}

/** The stored definition of one version (or the shipped one). */
export async function readChainDefinition(db: Db, type: string, version: number): Promise<ChainDefinition | undefined> {
  const row = await db.chainDefinitionVersion.findUnique({ where: { type_version: { type, version } } });
  return row ? (row.definition as unknown as ChainDefinition) : chainDefinitionFor(type, version);
}

/** JSON or YAML text (or an already parsed JSON body) → an object; unreadable → 400 naming the line. */
export function parseDefinitionText(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return parseYaml(body, { maxAliasCount: 50 }); // YAML is a superset of JSON: one parser for both
  } catch (err) {
    const line = (err as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
    throw badRequest(`Die Definition ist weder gültiges JSON noch gültiges YAML${line ? ` (Zeile ${line})` : ''}.`, [
      { field: 'definition', message: 'nicht lesbar' },
    ]);
  }
}

/** The checks before saving; the version is assigned on publish (the upload's own number is ignored). */
export async function checkUpload(
  db: Db,
  raw: unknown,
): Promise<{ ok: true; definition: ChainDefinition } | { ok: false; issues: DefinitionIssue[] }> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    return {
      ok: false,
      issues: [{ field: 'definition', message: 'Eine Definition (ein Objekt mit type, title, start, steps) wird erwartet.' }],
    };
  const type = (raw as { type?: unknown }).type;
  const next = typeof type === 'string' ? await nextVersion(db, type) : 1;
  const departments = (await db.department.findMany({ select: { id: true } })).map((d) => d.id);
  return checkChainDefinition({ ...raw, version: next }, { departments, handoffSteps: HANDOFF_STEPS });
}

async function nextVersion(db: Db, type: string): Promise<number> {
  const row = await db.chainDefinitionVersion.findFirst({ where: { type }, orderBy: { version: 'desc' }, select: { version: true } });
  const shipped = chainDefinitionFor(type)?.version ?? 0;
  return Math.max(row?.version ?? 0, shipped) + 1;
}

export const definitionIssuesError = (issues: DefinitionIssue[]) =>
  badRequest(`Die Definition ist ungültig: ${issues.map((i) => i.message).join(' ')}`, issues);

/** Checks and stores the upload as the next version of its type (audited); new chains get it. */
export async function publishChainDefinition(
  db: Db,
  actor: Actor,
  raw: unknown,
  opts: { basedOn?: number } = {},
): Promise<{ type: string; version: number }> {
  const checked = await checkUpload(db, raw);
  if (!checked.ok) throw definitionIssuesError(checked.issues);
  const d = checked.definition;
  // the form's preview compared against version basedOn: another version since then (or this one
  // submitted twice) → 409, nothing stored
  if (opts.basedOn !== undefined && d.version !== opts.basedOn + 1)
    throw conflict(`Seit der Vorschau wurde Version ${d.version - 1} von „${d.type}“ veröffentlicht.`);
  await syncChainDefinitions(db); // the shipped versions are stored first, so numbers never collide
  try {
    await db.$transaction(async (tx) => {
      await tx.chainDefinitionVersion.create({
        data: { type: d.type, version: d.version, title: d.title, definition: d as object, source: 'city', publishedById: actor.id },
      });
      await audit(
        tx,
        actor,
        'chain-definition.publish',
        { type: 'ChainDefinitionVersion', id: `${d.type}@${d.version}` },
        {
          type: d.type,
          version: d.version,
        },
      );
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'P2002')
      throw conflict(`Version ${d.version} von „${d.type}“ wurde gerade von jemand anderem veröffentlicht. Bitte erneut versuchen.`);
    throw err;
  }
  remember(d);
  return { type: d.type, version: d.version };
}

/** A definition as YAML text (for the diff and the upload form). */
export const definitionYaml = (d: ChainDefinition): string => {
  const { version: _v, ...rest } = d;
  return toYaml(rest, { lineWidth: 0 });
};

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
  shippedChainDefinitions,
  useStoredChainDefinition,
  useStoredChainDefinitions,
  type ChainDefinition,
} from '../../core/domain/chains';
import { checkChainDefinition, type DefinitionIssue } from '../../core/domain/chains/validation';
import { HANDOFF_STEPS } from '../../core/domain/handoff';
import { badRequest, conflict } from '../errors';

/*
 * VERSION NUMBERS (README "Chain definition versions"). Shipped definitions in code and versions the
 * city publishes share one number line per chain type, and it belongs to the installation's table:
 * - (type, version) in ChainDefinitionVersion names one definition for ever; Process.version and a
 *   running chain's workflow input refer to it. A stored version is never changed or replaced.
 * - A shipped definition carries its release number in code (`version`), stored as `shippedVersion`.
 *   At start every shipped definition not yet stored (by type and shippedVersion) is stored — under its
 *   own number when that is above every stored version of its type (a new installation: 1, 2, …), else
 *   under the next number after the highest (the city already holds that number: nothing collides).
 * - A city version is numbered after the highest stored version of its type.
 * - New chains start on the newest city version once the city has published one, else on the newest
 *   shipped version. A shipped version arriving by upgrade after the city published its own is stored
 *   and listed but does not silently replace the city's: the admin adopts it by publishing it.
 */

/** Makes a stored version known to this process (read model, diagram, retention look versions up). */
function remember(d: ChainDefinition): ChainDefinition {
  return useStoredChainDefinition(d);
}

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === 'P2002';

/** At start: the shipped versions not yet stored are stored (source "shipped", numbered by the rule above); every stored version is loaded. */
export async function syncChainDefinitions(db: Db): Promise<void> {
  for (const d of shippedChainDefinitions()) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const stored = await db.chainDefinitionVersion.findUnique({
        where: { type_shippedVersion: { type: d.type, shippedVersion: d.version } },
        select: { id: true },
      });
      if (stored) break;
      const max = (await db.chainDefinitionVersion.aggregate({ where: { type: d.type }, _max: { version: true } }))._max.version ?? 0;
      const version = d.version > max ? d.version : max + 1;
      try {
        await db.chainDefinitionVersion.create({
          data: {
            type: d.type,
            version,
            shippedVersion: d.version,
            title: d.title,
            definition: { ...d, version } as object,
            source: 'shipped',
          },
        });
        break;
      } catch (err) {
        if (!isUniqueViolation(err)) throw err; // another process (API, worker) stored one meanwhile: look again
      }
    }
  }
  const rows = await db.chainDefinitionVersion.findMany({ orderBy: [{ type: 'asc' }, { version: 'asc' }] });
  useStoredChainDefinitions(rows.map((r) => r.definition as unknown as ChainDefinition));
}

/** The version in force among stored rows: the newest city version, else the newest (shipped) one. */
function inForce<T extends { version: number; source: string }>(rows: T[]): T | undefined {
  const newest = [...rows].sort((a, b) => b.version - a.version);
  return newest.find((r) => r.source === 'city') ?? newest[0];
}

/** The version a new chain of this type starts on (the rule above); nothing stored: the newest shipped one. */
export async function currentChainDefinition(db: Db, type: string): Promise<ChainDefinition | undefined> {
  const rows = await db.chainDefinitionVersion.findMany({ where: { type }, select: { id: true, version: true, source: true } });
  return definitionInForce(db, type, rows);
}

/** currentChainDefinition() for the stored rows of the type read already (a chain start reads them with the case) */
export async function definitionInForce(
  db: Db,
  type: string,
  rows: Array<{ id: string; version: number; source: string }>,
): Promise<ChainDefinition | undefined> {
  const pick = inForce(rows);
  if (!pick) return chainDefinitionFor(type);
  // a stored row never changes (above): read and check its definition once per process (bench:chains, P1)
  const known = loadedRows.get(pick.id);
  if (known && chainDefinitionFor(type, pick.version) === known) return known;
  const row = await db.chainDefinitionVersion.findUniqueOrThrow({ where: { id: pick.id } });
  const d = remember(row.definition as unknown as ChainDefinition);
  loadedRows.set(pick.id, d);
  return d;
}
/** row id → the definition as this process knows it (ids are uuids: a row of another database never matches) */
const loadedRows = new Map<string, ChainDefinition>();

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
      current: (stored.length ? inForce(stored) : versions[0])?.version ?? null,
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

/** The number a city version gets: after the highest stored one — counting the shipped versions the
 *  publish stores first (syncChainDefinitions) with the numbers they will get. Nothing is stored here. */
async function nextVersion(db: Db, type: string): Promise<number> {
  const rows = await db.chainDefinitionVersion.findMany({ where: { type }, select: { version: true, shippedVersion: true } });
  let max = Math.max(0, ...rows.map((r) => r.version));
  for (const d of shippedChainDefinitions().filter((x) => x.type === type)) {
    if (rows.some((r) => r.shippedVersion === d.version)) continue;
    max = d.version > max ? d.version : max + 1;
  }
  return max + 1;
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

// The chain catalogue: every version of every definition, validated at load. New chains use the
// latest version; a running chain keeps the version it started with (its input names it).
import { HANDOFF_STEPS } from '../handoff';
import { educationWorkV1 } from './education-work';
import { educationWorkV2 } from './education-work-v2';
import { healthV1 } from './health';
import { moveOutV1 } from './move-out';
import { moveOutV2 } from './move-out-v2';
import { chainDefinition, type ChainDefinition, type ChainType } from './schema';
import { factReferenceIssues } from './validation';

export * from './schema';

function validated(d: ChainDefinition): ChainDefinition {
  const parsed = chainDefinition.parse(d);
  const facts = factReferenceIssues(parsed);
  if (facts.length) throw new Error(`${d.type}: ${facts.map((i) => i.message).join('; ')}`);
  for (const [key, s] of Object.entries(parsed.steps)) {
    if (s.actor.kind !== 'handoff') continue;
    const h = HANDOFF_STEPS[s.actor.handoffStep];
    if (!h) throw new Error(`${d.type}.${key}: unbekannter Übergabe-Schritt ${s.actor.handoffStep}`);
    for (const o of Object.keys(s.outcomes)) if (!(o in h.outcomes)) throw new Error(`${d.type}.${key}: Ergebnis ${o} fehlt in ${h.key}`);
  }
  return parsed;
}

// the shipped definitions (the defaults a new installation starts with; versioning: README "Chain
// definition versions" and api/services/chain-definitions.ts)
const SHIPPED: ChainDefinition[] = [moveOutV1, moveOutV2, educationWorkV1, educationWorkV2, healthV1].map(validated);
const ALL: ChainDefinition[] = [...SHIPPED];
export const shippedChainDefinitions = (): readonly ChainDefinition[] => SHIPPED;

/** Adds a new version of a definition (admin tooling, tests). Running chains keep theirs. */
export function registerChainDefinition(d: ChainDefinition): ChainDefinition {
  const v = validated(d);
  if (ALL.some((x) => x.type === v.type && x.version === v.version)) throw new Error(`${v.type} v${v.version} gibt es schon`);
  ALL.push(v);
  return v;
}

/** JSON with sorted keys: PostgreSQL (jsonb) keeps no key order, so stored and known definitions are compared by this. */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );

/** The same definition as this process already knows it (or as shipped, renumbered): keeps the order of its steps, which jsonb loses. */
function orderedTwin(v: ChainDefinition, known: readonly ChainDefinition[]): ChainDefinition {
  const c = canonical(v);
  const candidates = [
    ...known.filter((x) => x.type === v.type && x.version === v.version),
    ...SHIPPED.filter((x) => x.type === v.type).map((x) => ({ ...x, version: v.version })),
  ];
  return candidates.find((x) => canonical(x) === c) ?? v;
}

/**
 * The versions stored in the installation's table are the truth for their type: they replace what this
 * process knew of that type (a shipped v2 stored as v3 because the city already published its own v2
 * is known as v3; the city's v2 stays v2). Types with nothing stored keep the shipped versions.
 */
export function useStoredChainDefinitions(stored: ChainDefinition[]): void {
  const before = [...ALL];
  const types = new Set(stored.map((d) => d.type));
  ALL.length = 0;
  ALL.push(...before.filter((d) => !types.has(d.type)), ...stored.map((d) => orderedTwin(validated(d), before)));
}

/** Knows one stored version (replacing what this process knew under its number). */
export function useStoredChainDefinition(d: ChainDefinition): ChainDefinition {
  const v = orderedTwin(validated(d), ALL);
  const i = ALL.findIndex((x) => x.type === v.type && x.version === v.version);
  if (i >= 0) ALL[i] = v;
  else ALL.push(v);
  return v;
}

export function chainDefinitionFor(type: string, version?: number): ChainDefinition | undefined {
  const versions = ALL.filter((d) => d.type === type).sort((a, b) => b.version - a.version);
  return version === undefined ? versions[0] : versions.find((d) => d.version === version);
}

export const CHAIN_TITLES: Record<ChainType, string> = {
  'move-out': 'Auszug aus der Notunterkunft',
  'education-work': 'Bildung und Arbeit',
  health: 'Gesundheit',
};

/** Every version known to this process: the shipped ones and those loaded from the database. */
export const allChainDefinitions = (): readonly ChainDefinition[] => ALL;

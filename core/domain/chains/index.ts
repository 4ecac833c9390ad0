// The chain catalogue: every version of every definition, validated at load. New chains use the
// latest version; a running chain keeps the version it started with (its input names it).
import { HANDOFF_STEPS } from '../handoff';
import { educationWorkV1 } from './education-work';
import { moveOutV1 } from './move-out';
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

const ALL: ChainDefinition[] = [moveOutV1, educationWorkV1].map(validated);

/** Adds a new version of a definition (admin tooling, tests). Running chains keep theirs. */
export function registerChainDefinition(d: ChainDefinition): ChainDefinition {
  const v = validated(d);
  if (ALL.some((x) => x.type === v.type && x.version === v.version)) throw new Error(`${v.type} v${v.version} gibt es schon`);
  ALL.push(v);
  return v;
}

export function chainDefinitionFor(type: string, version?: number): ChainDefinition | undefined {
  const versions = ALL.filter((d) => d.type === type).sort((a, b) => b.version - a.version);
  return version === undefined ? versions[0] : versions.find((d) => d.version === version);
}

export const CHAIN_TITLES: Record<ChainType, string> = {
  'move-out': 'Auszug aus der Notunterkunft',
  'education-work': 'Bildung und Arbeit',
};

/** Every version known to this process: the shipped ones and those loaded from the database. */
export const allChainDefinitions = (): readonly ChainDefinition[] => ALL;

// Which shipped chain versions new chains start on in this test process. Tests written for the first
// versions (move-out v1, education-work v1) call startNewChainsOnV1(): the process then knows only v1
// of those types, as an installation before v2 was shipped (the test stack stores no definitions, so
// a new chain starts on the newest version this process knows). The v2 content is tested in
// test/chains/chains-content.test.ts; the numbering of shipped and city versions in
// test/chains/definition-versions.test.ts.
import { shippedChainDefinitions, useStoredChainDefinitions } from '../../core/domain/chains';

const V2_TYPES = ['move-out', 'education-work'];

export function startNewChainsOnV1(types: string[] = V2_TYPES): void {
  useStoredChainDefinitions(shippedChainDefinitions().filter((d) => types.includes(d.type) && d.version === 1));
}

/** Back to every shipped version (new chains on the newest): the upgrade to v2 arrives. */
export function shipAllVersions(types: string[] = V2_TYPES): void {
  useStoredChainDefinitions(shippedChainDefinitions().filter((d) => types.includes(d.type)));
}

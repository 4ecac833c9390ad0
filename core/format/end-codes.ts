// German labels of chain end codes: the definition's own (latest version first), else the two every
// chain can end with.
import { chainDefinitionFor } from '../domain/chains';

const GENERIC: Record<string, string> = { completed: 'abgeschlossen', cancelled: 'abgebrochen' };

export function endCodeLabel(type: string, code: string): string {
  const latest = chainDefinitionFor(type);
  for (let v = latest?.version ?? 0; v > 0; v--) {
    const label = chainDefinitionFor(type, v)?.endCodes?.[code];
    if (label) return label;
  }
  return GENERIC[code] ?? code;
}

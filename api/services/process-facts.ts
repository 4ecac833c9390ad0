// `facts` of GET /api/processes/{id} (issue 14): the chain's facts as the read model holds them — the
// typed results departments returned (approved rent, deposit amount, decision date) and the date and
// number fields the caseworker recorded (move-in date, household size); the values later steps and
// rules use. One per fact, from the latest completed run of its step (a repeated step's newer answer
// counts, as in the engine). The process page lists every run's results (api/views/process-context.ts).
import type { ChainDefinition } from '../../core/domain/chains';
import { formatFactValue } from '../../core/domain/result-fields';

export const FACT_TYPES = ['money', 'number', 'date'] as const;
export type FactType = (typeof FACT_TYPES)[number];

export interface ChainFact {
  /** `<step>.<field>`, as definitions refer to it */
  ref: string;
  step: string;
  stepTitle: string;
  field: string;
  label: string;
  type: FactType;
  /** amounts and numbers as numbers, dates as YYYY-MM-DD */
  value: number | string;
  /** for people: German amounts and dates */
  display: string;
  /** department: a handoff's result field; caseworker: a field of a caseworker step */
  source: 'department' | 'caseworker';
  completedAt: string | null;
}

interface StepRow {
  seq: number;
  key: string;
  title: string;
  status: string;
  data: unknown;
  completedAt: Date | null;
}

/** The typed fields of a step that become facts: a handoff's results, a caseworker step's date and number fields. */
function factFields(def: ChainDefinition, key: string): Array<{ key: string; label: string; type: FactType; source: ChainFact['source'] }> {
  const step = def.steps[key];
  if (!step) return [];
  return [
    ...(step.results ?? []).map((f) => ({ key: f.key, label: f.label, type: f.type, source: 'department' as const })),
    ...step.fields
      .filter((f) => f.type === 'date' || f.type === 'number')
      .map((f) => ({ key: f.key, label: f.label, type: f.type as FactType, source: 'caseworker' as const })),
  ];
}

export function chainFactsOf(def: ChainDefinition | undefined, steps: readonly StepRow[]): ChainFact[] {
  if (!def) return [];
  const latest = new Map<string, StepRow>();
  for (const s of steps)
    if (s.status === 'done' && s.data && typeof s.data === 'object' && (latest.get(s.key)?.seq ?? -1) < s.seq) latest.set(s.key, s);
  const out: ChainFact[] = [];
  for (const s of [...latest.values()].sort((a, b) => a.seq - b.seq)) {
    const data = s.data as Record<string, unknown>;
    for (const f of factFields(def, s.key)) {
      const v = data[f.key];
      const ok = f.type === 'date' ? typeof v === 'string' : typeof v === 'number' && Number.isFinite(v);
      if (!ok) continue;
      out.push({
        ref: `${s.key}.${f.key}`,
        step: s.key,
        stepTitle: def.steps[s.key].title,
        field: f.key,
        label: f.label,
        type: f.type,
        value: v as number | string,
        display: formatFactValue(f.type, v),
        source: f.source,
        completedAt: s.completedAt?.toISOString() ?? null,
      });
    }
  }
  return out;
}

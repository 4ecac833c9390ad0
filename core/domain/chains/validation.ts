// Validation of the actions on a chain: may this happen now? Pure; the chain engine (engine.ts) asks
// it, and the workflow's update validators turn a rejection into a 409 (WrongState) or 400 (InvalidInput)
// before anything is recorded.
import { chainDefinition, type ChainDefinition } from './schema';

// The action checks moved to action-checks.ts (zod-free, for the workflow bundle); re-exported here.
export * from './action-checks';

// ---- A chain definition before it is published (admin upload): schema, graph, references ----

/** The answers of each rule (the outcome keys a rule step must offer, no more, no less). */
export const RULE_OUTCOMES: Record<string, readonly string[]> = { isMinor: ['yes', 'no'], hasChildren: ['yes', 'no'] };

export interface DefinitionIssue {
  /** where: `steps.<key>…` (the step it names) or a top-level field */
  field: string;
  message: string;
}
export interface DefinitionContext {
  /** department ids that exist */
  departments: readonly string[];
  /** handoff steps that exist: key → its outcome keys */
  handoffSteps: Record<string, { outcomes: Record<string, unknown> }>;
}
export type CheckedDefinition = { ok: true; definition: ChainDefinition } | { ok: false; issues: DefinitionIssue[] };

const stepName = (key: string) => `Schritt „${key}“`;

/** Validates an uploaded definition: schema, every step reachable from the start, from every step a
 *  way to the end, departments, handoff steps and rules exist, field references resolve. German
 *  messages naming the step. */
export function checkChainDefinition(raw: unknown, ctx: DefinitionContext): CheckedDefinition {
  const parsed = chainDefinition.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => {
        const path = i.path.map(String);
        const field = path.join('.') || '(Definition)';
        const where = path[0] === 'steps' && path[1] ? `${stepName(path[1])}: ` : path.length ? `${field}: ` : '';
        const what =
          i.code === 'invalid_type' && (i.input === undefined || i.input === null) ? 'fehlt' : i.code === 'custom' ? i.message : i.message;
        return { field, message: `${where}${what}` };
      }),
    };
  }
  const d = parsed.data;
  const issues: DefinitionIssue[] = [];
  const add = (key: string, sub: string, message: string) =>
    issues.push({ field: `steps.${key}${sub ? `.${sub}` : ''}`, message: `${stepName(key)}: ${message}` });
  const keys = Object.keys(d.steps);

  // every step reachable from the start
  const reached = new Set<string>();
  const queue = [d.start];
  while (queue.length) {
    const k = queue.shift()!;
    if (reached.has(k) || !d.steps[k]) continue;
    reached.add(k);
    const step = d.steps[k];
    for (const o of Object.values(step.outcomes)) if (o.next !== 'end' && o.next !== 'join') queue.push(o.next);
    if (step.actor.kind === 'fork') queue.push(...step.actor.branches); // parallel branches start here
  }
  for (const k of keys) if (!reached.has(k)) add(k, '', 'ist vom Startschritt aus nicht erreichbar.');

  // from every step a way to the end (no loop without exit)
  const ends = new Set<string>();
  for (let changed = true; changed;) {
    changed = false;
    for (const k of keys) {
      if (ends.has(k)) continue;
      // "join" ends a parallel branch; the fork step itself goes on with its own outcomes
      if (Object.values(d.steps[k].outcomes).some((o) => o.next === 'end' || o.next === 'join' || ends.has(o.next))) {
        ends.add(k);
        changed = true;
      }
    }
  }
  for (const k of keys) if (reached.has(k) && !ends.has(k)) add(k, 'outcomes', 'von hier führt kein Weg zum Ende der Kette.');

  for (const [k, s] of Object.entries(d.steps)) {
    const a = s.actor;
    if (a.kind === 'handoff') {
      const h = ctx.handoffSteps[a.handoffStep];
      if (!h) add(k, 'actor.handoffStep', `Übergabe-Schritt „${a.handoffStep}“ gibt es nicht.`);
      else
        for (const o of Object.keys(s.outcomes))
          if (!(o in h.outcomes))
            add(
              k,
              `outcomes.${o}`,
              `Ergebnis „${o}“ kann die Stelle bei „${a.handoffStep}“ nicht melden (möglich: ${Object.keys(h.outcomes).join(', ')}).`,
            );
      const depts = [...(a.department ? [a.department] : []), ...Object.values(a.byBenefit ?? {})];
      for (const dep of depts) if (!ctx.departments.includes(dep)) add(k, 'actor.department', `Stelle „${dep}“ gibt es nicht.`);
      if (a.dueFromField) {
        const ref = d.steps[a.dueFromField.step];
        const f = ref?.fields.find((x) => x.key === a.dueFromField!.field);
        if (!ref) add(k, 'actor.dueFromField.step', `verweist auf den Schritt „${a.dueFromField.step}“, den es nicht gibt.`);
        else if (!f)
          add(k, 'actor.dueFromField.field', `verweist auf das Feld „${a.dueFromField.field}“, das „${a.dueFromField.step}“ nicht hat.`);
        else if (f.type !== 'date') add(k, 'actor.dueFromField.field', `das Feld „${f.key}“ von „${a.dueFromField.step}“ ist kein Datum.`);
      }
    }
    if (s.waitFromField) {
      const w = s.waitFromField;
      const f = d.steps[w.step]?.fields.find((x) => x.key === w.field);
      if (!d.steps[w.step]) add(k, 'waitFromField.step', `verweist auf den Schritt „${w.step}“, den es nicht gibt.`);
      else if (!f) add(k, 'waitFromField.field', `verweist auf das Feld „${w.field}“, das „${w.step}“ nicht hat.`);
      else if (f.type !== 'date') add(k, 'waitFromField.field', `das Feld „${f.key}“ von „${w.step}“ ist kein Datum.`);
      if (s.waitDays === undefined) add(k, 'waitDays', 'waitFromField braucht waitDays (Tage ab dem Datum).');
    }
    if (a.kind === 'compare') {
      const have = Object.keys(s.outcomes).sort().join(',');
      if (have !== 'no,yes') add(k, 'outcomes', 'ein Vergleich antwortet mit yes oder no; Ergebnisse müssen genau diese sein.');
    }
    if (a.kind === 'rule') {
      const answers = RULE_OUTCOMES[a.rule];
      if (!answers) add(k, 'actor.rule', `Regel „${a.rule}“ gibt es nicht.`);
      else {
        const have = Object.keys(s.outcomes);
        const missing = answers.filter((x) => !have.includes(x));
        const extra = have.filter((x) => !answers.includes(x));
        if (missing.length || extra.length)
          add(k, 'outcomes', `die Regel „${a.rule}“ antwortet mit ${answers.join(', ')}; Ergebnisse müssen genau diese sein.`);
      }
    }
    const seen = new Set<string>();
    for (const f of s.fields) {
      if (seen.has(f.key)) add(k, `fields.${f.key}`, `Feld „${f.key}“ ist doppelt.`);
      seen.add(f.key);
      if (f.type === 'select' && !Object.keys(f.options ?? {}).length)
        add(k, `fields.${f.key}`, `Auswahlfeld „${f.key}“ hat keine Optionen.`);
    }
  }
  issues.push(...factReferenceIssues(d));
  return issues.length ? { ok: false, issues } : { ok: true, definition: d };
}

/** The type of a fact `<step>.<field>`: a date, number or select field of the step, or one of its
 *  result fields; a string saying why not when it does not resolve (free text is never a fact). */
export function factType(d: ChainDefinition, ref: string): { type: string; label: string } | { error: string } {
  const dot = ref.indexOf('.');
  const [stepKey, field] = [ref.slice(0, dot), ref.slice(dot + 1)];
  const step = d.steps[stepKey];
  if (!step) return { error: `verweist auf den Fakt „${ref}“, aber den Schritt „${stepKey}“ gibt es nicht.` };
  const r = step.results?.find((x) => x.key === field);
  if (r) return { type: r.type, label: r.label };
  const f = step.fields.find((x) => x.key === field);
  if (!f) return { error: `verweist auf den Fakt „${ref}“, aber „${stepKey}“ hat kein Feld „${field}“.` };
  if (f.type === 'text' || f.type === 'textarea')
    return { error: `verweist auf „${ref}“, ein Freitextfeld; weitergegeben werden nur Datum, Zahl, Auswahl und Ergebnisfelder.` };
  return { type: f.type, label: f.label };
}

/** Handoff context, result fields and comparisons: every fact reference resolves (German, naming the step). */
export function factReferenceIssues(d: ChainDefinition): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const add = (key: string, sub: string, message: string) =>
    issues.push({ field: `steps.${key}.${sub}`, message: `${stepName(key)}: ${message}` });
  for (const [k, s] of Object.entries(d.steps)) {
    const handoff = s.actor.kind === 'handoff';
    if (s.contextFacts?.length && !handoff) add(k, 'contextFacts', 'Kontext für eine Stelle gibt es nur bei Übergabe-Schritten.');
    if (s.results?.length && !handoff) add(k, 'results', 'Ergebnisfelder füllt nur eine Stelle: nur bei Übergabe-Schritten.');
    for (const ref of s.contextFacts ?? []) {
      const t = factType(d, ref);
      if ('error' in t) add(k, 'contextFacts', t.error);
    }
    const seen = new Set<string>();
    for (const r of s.results ?? []) {
      if (seen.has(r.key)) add(k, `results.${r.key}`, `Ergebnisfeld „${r.key}“ ist doppelt.`);
      seen.add(r.key);
      if (s.fields.some((f) => f.key === r.key)) add(k, `results.${r.key}`, `„${r.key}“ ist schon ein Feld des Schritts.`);
    }
    if (s.actor.kind === 'compare') {
      const a = s.actor;
      const left = factType(d, a.fact);
      if ('error' in left) add(k, 'actor.fact', left.error);
      const right = typeof a.than === 'string' ? factType(d, a.than) : { type: 'number', label: String(a.than) };
      if ('error' in right) add(k, 'actor.than', right.error);
      if (!('error' in left) && !('error' in right)) {
        const kind = (t: string) => (t === 'money' ? 'number' : t);
        if (kind(left.type) !== kind(right.type) || left.type === 'select')
          add(
            k,
            'actor.than',
            `vergleicht „${a.fact}“ (${left.type}) mit ${typeof a.than === 'string' ? `„${a.than}“` : a.than} (${right.type}) – nicht vergleichbar.`,
          );
      }
    }
  }
  return issues;
}

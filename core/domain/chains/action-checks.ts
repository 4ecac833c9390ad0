// Validation of the actions on a chain: may this happen now? Pure; the chain engine (engine.ts) asks
// it, and the workflow's update validators turn a rejection into a 409 (WrongState) or 400 (InvalidInput)
// before anything is recorded. Zod-free (the workflow bundle holds no zod, see step-data.ts); the check
// of a whole uploaded definition is in validation.ts.
import { invalid, wrongState, type Rejection } from '../rejection';
import type { ChainDefinition } from './schema';
import { openSteps, type ChainState, type CompleteStepArgs } from './state';
import { checkStepData } from './step-data';

export function checkCompleteStep(s: ChainState, def: ChainDefinition, a: CompleteStepArgs): Rejection | undefined {
  if (s.status !== 'running') return wrongState(s.status === 'on_hold' ? 'Die Kette ist angehalten.' : 'Die Kette ist beendet.');
  const cur = openSteps(s).find((c) => c.key === a.stepKey);
  if (!cur) return wrongState(`Der Schritt „${a.stepKey}“ ist nicht der aktuelle Schritt.`);
  const step = def.steps[cur.key];
  if (cur.heldAt) return wrongState(`Der Schritt „${step.title}“ ist angehalten; erst nach dem Fortsetzen geht es weiter.`);
  if (cur.phase === 'waiting') return wrongState(`Der Schritt „${step.title}“ beginnt erst am ${cur.activeFrom?.slice(0, 10)}.`);
  if (a.outcome === 'skip') {
    return step.optional ? undefined : invalid(`„${step.title}“ ist kein optionaler Schritt.`, 'outcome', 'nicht optional');
  }
  if (a.outcome === 'retry') {
    return cur.phase === 'returned' || cur.phase === 'consent'
      ? undefined
      : wrongState('Nur eine abgelehnte Übergabe kann erneut übergeben werden.');
  }
  if (cur.phase === 'handoff') return wrongState(`„${step.title}“ liegt bei ${cur.department}; das Ergebnis kommt von dort.`);
  if (cur.phase === 'consent')
    return wrongState(`„${step.title}“ wartet auf eine Einwilligung für die zuständige Stelle; erst danach wird übergeben.`);
  if (!(a.outcome in step.outcomes)) {
    const allowed = Object.keys(step.outcomes).join(', ');
    return invalid(
      `Ergebnis „${a.outcome}“ ist für „${step.title}“ nicht erlaubt (erlaubt: ${allowed}).`,
      'outcome',
      'Ergebnis nicht erlaubt',
    );
  }
  const r = checkStepData(step, a.data ?? {});
  if (r.ok) return undefined;
  const details = r.issues.map((i) => ({ field: ['data', ...i.path].join('.'), message: i.message }));
  return { type: 'InvalidInput', message: `Ungültige Daten: ${details.map((d) => d.message).join('; ')}`, details };
}

/** `step`: hold only this open step (one branch of a fork); none: the whole chain. */
export function checkHold(s: ChainState, reason: string | undefined, step?: string): Rejection | undefined {
  if (step !== undefined) {
    return (
      mustRun(s, 'Anhalten') ??
      (s.status === 'on_hold' ? wrongState('Die Kette ist angehalten.') : undefined) ??
      openStep(s, step) ??
      (openSteps(s).find((c) => c.key === step)?.heldAt ? wrongState(`Der Schritt „${step}“ ist bereits angehalten.`) : undefined) ??
      needsReason(reason)
    );
  }
  return (
    mustRun(s, 'Anhalten') ?? (s.status === 'on_hold' ? wrongState('Die Kette ist bereits angehalten.') : undefined) ?? needsReason(reason)
  );
}

export function checkResume(s: ChainState, step?: string): Rejection | undefined {
  if (step !== undefined) {
    return (
      mustRun(s, 'Fortsetzen') ??
      openStep(s, step) ??
      (openSteps(s).find((c) => c.key === step)?.heldAt ? undefined : wrongState(`Der Schritt „${step}“ ist nicht angehalten.`))
    );
  }
  return mustRun(s, 'Fortsetzen') ?? (s.status !== 'on_hold' ? wrongState('Die Kette ist nicht angehalten.') : undefined);
}

function openStep(s: ChainState, step: string): Rejection | undefined {
  return openSteps(s).some((c) => c.key === step) ? undefined : wrongState(`Der Schritt „${step}“ ist kein offener Schritt der Kette.`);
}

export function checkCancel(s: ChainState, reason: string | undefined): Rejection | undefined {
  return mustRun(s, 'Abbrechen') ?? needsReason(reason);
}

export function checkReassign(s: ChainState, assigneeId: string | undefined): Rejection | undefined {
  return mustRun(s, 'Übertragen') ?? (assigneeId ? undefined : invalid('Fallmanager/in fehlt.', 'caseworkerId', 'fehlt'));
}

function mustRun(s: ChainState, what: string): Rejection | undefined {
  return s.status === 'completed' || s.status === 'cancelled' ? wrongState(`Die Kette ist beendet; ${what} ist nicht möglich.`) : undefined;
}

function needsReason(reason: string | undefined): Rejection | undefined {
  return reason?.trim() ? undefined : invalid('Begründung fehlt.', 'reason', 'Begründung fehlt');
}

/** An end code given with a cancel must be one of the definition's. */
export function checkEndCode(def: ChainDefinition, endCode: string | undefined): Rejection | undefined {
  if (endCode === undefined || endCode === 'cancelled' || def.endCodes?.[endCode]) return undefined;
  const allowed = ['cancelled', ...Object.keys(def.endCodes ?? {})].join(', ');
  return invalid(`Abschlusscode „${endCode}“ gibt es für diese Kette nicht (erlaubt: ${allowed}).`, 'endCode', 'unbekannt');
}

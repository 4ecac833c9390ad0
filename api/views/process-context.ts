// The process page's handoff context (issue 14): the results departments returned (typed result fields,
// facts of the chain), the caseworker's messages to departments, and the form to write one for a
// handoff step (the open handoff, or the step's next one).
import { formatDateTime } from '../../core/format/dates';
import { formatFactValue } from '../../core/domain/result-fields';
import { csrfField, html, select, textarea, type SafeHtml } from '../html';
import { handoffStepsOf } from '../services/handoff-context';
import type { ProcessPage } from '../services/chains';
import { stateOf, type FormState, type ProcessModel } from './process-model';

/** The facts departments returned: every completed run of a step with result fields, in order. */
export function resultFacts(m: ProcessModel): Array<{ step: string; label: string; value: string }> {
  const out: Array<{ step: string; label: string; value: string }> = [];
  for (const s of m.p.steps) {
    const results = m.def?.steps[s.key]?.results;
    if (!results?.length || s.status !== 'done' || !s.data || typeof s.data !== 'object') continue;
    const data = s.data as Record<string, unknown>;
    for (const f of results)
      if (data[f.key] !== undefined && data[f.key] !== null)
        out.push({ step: s.title, label: f.label, value: formatFactValue(f.type, data[f.key]) });
  }
  return out;
}

export function handoffContextSection(m: ProcessModel, data: ProcessPage, csrf: string | undefined, state?: FormState): SafeHtml | string {
  const facts = resultFacts(m);
  const steps = handoffStepsOf(m.def);
  const messages = data.messages;
  const mayWrite = m.may.recordConsent && !m.ended && steps.length > 0;
  if (!facts.length && !messages.length && !mayWrite) return '';
  const title = (key: string) => m.def?.steps[key]?.title ?? key;
  const st = stateOf(state, 'message');
  // the step a message most likely is for: an open handoff step, else the first handoff step
  const openHandoff = [m.cur, ...m.branches.map((b) => b.cur)].find((c) => c && steps.some(([k]) => k === c.key))?.key;
  return html`<section aria-labelledby="h-kontext"><h2 id="h-kontext">Übergaben: Ergebnisse und Nachrichten</h2>
    ${
      facts.length
        ? html`<h3>Ergebnisse der Stellen</h3><dl class="facts result-facts">${facts.map((f) => html`<dt>${f.label} (${f.step})</dt><dd>${f.value}</dd>`)}</dl>`
        : ''
    }
    ${
      messages.length
        ? html`<h3>Nachrichten an die Stellen</h3><ul class="handoff-messages">${messages.map(
            (x) =>
              html`<li><strong>${title(x.stepKey)}</strong>, ${formatDateTime(x.createdAt)}${x.taskId ? html` (<a href="/aufgaben/${x.taskId}">mit der Übergabe</a>)` : ' (geht mit der nächsten Übergabe)'}: ${x.text}</li>`,
          )}</ul>`
        : ''
    }
    ${
      mayWrite
        ? html`<h3>Nachricht an die Stelle</h3>
    <p class="hint">Die Stelle sieht die Nachricht nach dem Öffnen der Aufgabe, solange eine Einwilligung für sie vorliegt – nie in der E-Mail.</p>
    <form method="post" action="/prozesse/${m.p.id}/nachricht" novalidate>${csrfField(csrf, st?.values._key)}
      ${select({
        name: 'step',
        id: 'f-message-step',
        label: 'Übergabe-Schritt',
        required: true,
        value: st?.values.step ?? openHandoff,
        error: st?.errors['message-step'],
        options: steps,
      })}
      ${textarea({ name: 'text', id: 'f-message-text', label: 'Nachricht', required: true, value: st?.values.text, error: st?.errors['message-text'], maxlength: 2000 })}
      <button type="submit">Nachricht speichern</button></form>`
        : ''
    }
  </section>`;
}

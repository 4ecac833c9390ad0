// Hold per branch on the process page (issue 14): while parallel branches run, each open step can be
// held on its own (its deadline and reminders rest, it takes no result; the other branches run on) and
// resumed on its own. The whole chain is held in "Kette steuern" (process-actions.ts).
import { csrfField, html, textarea, type SafeHtml } from '../html';
import { stateOf, type FormState, type ProcessModel } from './process-model';

type Branch = ProcessModel['branches'][number];

export function branchHoldForm(m: ProcessModel, b: Branch, csrf: string | undefined, state?: FormState): SafeHtml | string {
  const key = b.cur.key;
  const safe = key.replace(/[^\w-]/g, '');
  const title = b.step?.title ?? key;
  if (b.may.resumeBranch)
    return html`<form method="post" action="/prozesse/${m.p.id}/fortsetzen" class="inline-form">${csrfField(csrf)}
      <input type="hidden" name="step" value="${key}">
      <button type="submit">Diesen Zweig fortsetzen<span class="visually-hidden">: ${title}</span></button></form>`;
  if (!b.may.holdBranch) return '';
  const own = stateOf(state, `hold:${key}`);
  return html`<details class="branch-hold"${own ? ' open' : ''}><summary>Nur diesen Zweig anhalten<span class="visually-hidden">: ${title}</span></summary>
    <form method="post" action="/prozesse/${m.p.id}/anhalten" novalidate>${csrfField(csrf)}
      <input type="hidden" name="step" value="${key}">
      ${textarea({
        name: 'reason',
        id: `f-hold-${safe}-reason`,
        label: 'Begründung',
        required: true,
        value: own?.values.reason,
        error: own?.errors[`hold-${safe}-reason`],
        hint: 'Frist und Erinnerungen dieses Schritts ruhen, bis er fortgesetzt wird; die anderen Zweige laufen weiter.',
        maxlength: 1000,
      })}
      <button type="submit">Zweig anhalten</button></form></details>`;
}

// The process page's chain actions: hold (with reason), resume, reassign to another caseworker of the
// team, cancel (with the warning what it ends).
import { csrfField, html, select, textarea, type SafeHtml } from '../html';
import type { ProcessPage } from '../services/chains';
import { stateOf, type FormState, type ProcessModel } from './process-model';

export function chainActionsSection(
  m: ProcessModel,
  caseworkers: ProcessPage['caseworkers'],
  csrf: string | undefined,
  state?: FormState,
): SafeHtml | string {
  const { p, may } = m;
  if (!may.hold && !may.resume && !may.reassign && !may.cancel) return '';
  const others = caseworkers.filter((u) => u.id !== p.assigneeId);
  const reasonField = (form: string, label: string, required: boolean, hint?: string) =>
    textarea({
      name: 'reason',
      id: `f-${form}-reason`,
      label,
      required,
      value: stateOf(state, form)?.values.reason,
      error: stateOf(state, form)?.errors[`${form}-reason`],
      hint,
      maxlength: 1000,
    });
  const openTask = m.cur?.phase === 'handoff' && m.task && ['created', 'notified', 'accepted', 'forwarded'].includes(m.task.status);
  const reassign = stateOf(state, 'reassign');
  return html`<section aria-labelledby="h-steuern"><h2 id="h-steuern">Kette steuern</h2>
    <div class="actions">
    ${
      may.hold
        ? html`<section aria-labelledby="h-hold"><h3 id="h-hold">Anhalten</h3>
      <form method="post" action="/prozesse/${p.id}/anhalten" novalidate>${csrfField(csrf)}
        ${reasonField('hold', 'Begründung', true, 'Erinnerungen und Eskalationen der Kette ruhen, bis sie fortgesetzt wird; laufende Übergaben an Stellen bleiben bestehen.')}
        <button type="submit">Kette anhalten</button></form></section>`
        : ''
    }
    ${
      may.resume
        ? html`<section aria-labelledby="h-resume"><h3 id="h-resume">Fortsetzen</h3>
      ${p.reason ? html`<p>Angehalten: ${p.reason}</p>` : ''}
      <form method="post" action="/prozesse/${p.id}/fortsetzen">${csrfField(csrf)}
        <button type="submit">Kette fortsetzen</button></form></section>`
        : ''
    }
    ${
      may.reassign
        ? html`<section aria-labelledby="h-reassign"><h3 id="h-reassign">Übertragen</h3>
      ${
        others.length
          ? html`<form method="post" action="/prozesse/${p.id}/uebertragen" novalidate>${csrfField(csrf)}
        ${select({
          name: 'caseworkerId',
          id: 'f-reassign-caseworkerId',
          label: 'An Fallmanager/in',
          required: true,
          value: reassign?.values.caseworkerId,
          error: reassign?.errors['reassign-caseworkerId'],
          options: [['', '– bitte wählen –'], ...others.map((u): [string, string] => [u.id, u.name])],
        })}
        ${reasonField('reassign', 'Begründung (optional)', false)}
        <button type="submit">Kette übertragen</button></form>`
          : html`<p>Keine andere aktive Fallmanagerin und kein anderer aktiver Fallmanager im Team.</p>`
      }</section>`
        : ''
    }
    ${
      may.cancel
        ? html`<section aria-labelledby="h-cancel"><h3 id="h-cancel">Abbrechen</h3>
      <div class="warning" id="cancel-warning"><p><strong>Achtung:</strong> Abbrechen beendet die Kette endgültig.
        ${openTask ? html`Die offene Übergabe an ${m.holder} wird abgebrochen und die Stelle per E-Mail informiert.` : 'Offene Übergaben werden abgebrochen und die Stellen per E-Mail informiert.'}</p></div>
      <form method="post" action="/prozesse/${p.id}/abbrechen" novalidate>${csrfField(csrf)}
        ${reasonField('cancel', 'Begründung', true)}
        <button type="submit" class="danger" aria-describedby="cancel-warning">Kette abbrechen</button></form></section>`
        : ''
    }
    </div></section>`;
}

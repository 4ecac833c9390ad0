// The case page's person part (issue 13): the household with children's ages and the derived size,
// the person's shelter place, a link to edit the person; for a closed case the reopening form.
import { formatDate } from '../../core/format/dates';
import { CASE_STATUS_LABELS } from '../../core/format/labels';
import { ageOn } from '../../core/domain/person-file';
import { worksOnCases } from '../access';
import { csrfField, html, select, textarea, type SafeHtml } from '../html';
import type { CaseOverview } from '../services/cases';
import type { CaseViewCtx, CaseViewState } from './case-detail';
import { RELATIONSHIP_LABELS } from './person-labels';

export function casePersonSection(o: CaseOverview, ctx: CaseViewCtx): SafeHtml {
  const h = o.household;
  if (!h || o.record.anonymizedAt) return html``;
  const now = new Date();
  const children = h.members.filter((m) => m.relationship === 'child');
  return html`<section aria-labelledby="h-hh"><h2 id="h-hh">Haushalt</h2>
    <p>${h.size} ${h.size === 1 ? 'Person' : 'Personen'}${children.length ? `, davon ${children.length} ${children.length === 1 ? 'Kind' : 'Kinder'} (${children.map((c) => `${ageOn(c.birthDate, now)} J.`).join(', ')})` : ''}.</p>
    ${
      h.members.length
        ? html`<ul>${h.members.map((m) => html`<li>${m.firstName} ${m.lastName} – ${RELATIONSHIP_LABELS[m.relationship] ?? m.relationship}, ${ageOn(m.birthDate, now)} Jahre</li>`)}</ul>`
        : ''
    }
    ${h.others.length ? html`<p>Dazu ${h.others.length === 1 ? '1 weitere Person' : `${h.others.length} weitere Personen`} des Haushalts mit eigener Akte.</p>` : ''}
    ${h.stay ? html`<p>Platz in der Notunterkunft: ${h.stay.shelter.name}${h.stay.place ? ` (${h.stay.place})` : ''} seit ${formatDate(h.stay.since)}</p>` : ''}
    ${worksOnCases(ctx.user) ? html`<p><a href="/personen/${o.record.personId}">Person und Haushalt bearbeiten</a></p>` : ''}
  </section>`;
}

/** A closed case: open it again (status and reason), audited. */
export function reopenForm(o: CaseOverview, ctx: CaseViewCtx, s: CaseViewState): SafeHtml {
  if (!worksOnCases(ctx.user) || o.status !== 'closed' || o.record.anonymizedAt) return html``;
  return html`<section aria-labelledby="h-reopen"><h2 id="h-reopen">Fall wieder öffnen</h2>
    <form method="post" action="/faelle/${o.record.id}/status" novalidate>
      ${csrfField(ctx.csrf)}
      ${select({ name: 'status', id: 'f-reopenStatus', label: 'Neuer Status', value: s.typed.status ?? 'in_progress', error: s.errors.status, options: (['open', 'in_progress', 'on_hold'] as const).map((x) => [x, CASE_STATUS_LABELS[x]]) })}
      ${textarea({ name: 'reason', id: 'f-reopenReason', label: 'Begründung', value: s.typed.statusReason, error: s.errors.statusReason, maxlength: 500, rows: 2 })}
      <button type="submit">Fall wieder öffnen</button>
    </form></section>`;
}

/** On the status form when chains run: closing cancels them only when this box is ticked. */
export function cancelChainsBox(o: CaseOverview, s: CaseViewState): SafeHtml {
  const running = o.processes.filter((p) => p.status === 'running' || p.status === 'on_hold');
  if (!running.length) return html``;
  return html`<div class="field choice${s.errors.cancelChains ? ' has-error' : ''}">
    <input type="checkbox" id="f-cancelChains" name="cancelChains" value="on"${s.typed.cancelChains === 'on' ? html` checked` : ''}>
    <label for="f-cancelChains">Beim Abschließen ${running.length === 1 ? 'die laufende Kette' : `die ${running.length} laufenden Ketten`} abbrechen</label></div>`;
}

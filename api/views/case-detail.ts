// The case page (/faelle/:id) from its parts: the facts, the caseworker's forms (follow-up, status with
// reason and closure code), the follow-ups, the status history, then chains, handoffs, consents and
// data protection (their own view files).
import { formatDate, formatDateTime } from '../../core/format/dates';
import { BENEFIT_LABELS, CASE_STATUS_LABELS, CLOSURE_CODE_LABELS, closureCodeLabel, TOPIC_LABELS } from '../../core/format/labels';
import { CASE_STATUSES, CLOSURE_CODES, type CaseStatus } from '../../core/domain/records';
import { worksOnCases } from '../access';
import { csrfField, errorSummary, field, html, select, textarea, type PageUser, type SafeHtml } from '../html';
import type { CaseOverview } from '../services/cases';
import { privacySection } from '../pages/privacy-pages';
import { caseChainsSection } from './case-chains';
import { consentSection } from './case-consents';
import { caseHandoffsSection } from './case-handoffs';
import { statusLinkSection } from './case-status-link';
import { cancelChainsBox, casePersonSection, reopenForm } from './case-person';
import { caseCycleLinks } from './case-cycle-nav';

export interface CaseViewState {
  errors: Record<string, string>;
  /** what was typed into a form that came back with an error */
  typed: Record<string, string>;
  notice?: string;
  /** an alert instead of the error summary (a 409 with a link) */
  problem?: SafeHtml;
}
export interface CaseViewCtx {
  user: PageUser;
  csrf?: string;
}

type Record_ = CaseOverview['record'];

function facts(c: Record_, status: CaseStatus): SafeHtml {
  const pending = c.followUps.find((f) => !f.cancelledAt && !f.remindedAt);
  const closing = status === 'closed' ? c.statusChanges.find((ch) => ch.toStatus === 'closed') : undefined;
  return html`<dl class="facts">
    ${
      c.anonymizedAt
        ? html`<dt>Person</dt><dd>anonymisiert</dd><dt>Anonymisiert</dt><dd>Anonymisiert am ${formatDate(c.anonymizedAt)} (Löschfrist nach Abschluss abgelaufen)</dd>`
        : html`<dt>Person</dt><dd>${c.person.lastName}, ${c.person.firstName}${c.person.birthDate ? ` (geb. ${formatDate(c.person.birthDate)})` : ''}</dd>`
    }
    <dt>Leistungsart</dt><dd>${BENEFIT_LABELS[c.person.benefitType]}</dd>
    <dt>Thema</dt><dd>${TOPIC_LABELS[c.topic]}</dd>
    <dt>Status</dt><dd><span data-live-status="/faelle/${c.id}/status" aria-live="polite">${CASE_STATUS_LABELS[status]}</span></dd>
    ${closing?.closureCode || closing?.reason ? html`<dt>Abschluss</dt><dd>${closing.closureCode ? closureCodeLabel(closing.closureCode) : ''}${closing.closureCode && closing.reason ? ' – ' : ''}${closing.reason ?? ''}</dd>` : ''}
    <dt>Fallmanagement</dt><dd>${c.caseworker.name}</dd>
    <dt>Angelegt</dt><dd>${formatDateTime(c.createdAt)}</dd>
    <dt>Wiedervorlage</dt><dd>${pending ? formatDateTime(pending.dueAt) : 'keine offen'}</dd>
  </dl>`;
}

function followUpForm(c: Record_, ctx: CaseViewCtx, s: CaseViewState): SafeHtml {
  return html`<section aria-labelledby="h-wv"><h2 id="h-wv">Wiedervorlage setzen</h2>
    <form method="post" action="/faelle/${c.id}/wiedervorlage" novalidate>
      ${csrfField(ctx.csrf)}
      ${field({ name: 'dueAt', label: 'Wiedervorlage am', type: 'datetime-local', required: true, value: s.typed.dueAt, error: s.errors.dueAt, hint: 'Datum und Uhrzeit; Sie erhalten dann eine Erinnerung per E-Mail.' })}
      ${field({ name: 'note', label: 'Notiz (optional)', value: s.typed.note, error: s.errors.note })}
      <button type="submit">Wiedervorlage speichern</button>
    </form></section>`;
}

function statusForm(c: Record_, status: CaseStatus, ctx: CaseViewCtx, s: CaseViewState, o?: CaseOverview): SafeHtml {
  return html`<section aria-labelledby="h-st"><h2 id="h-st">Status ändern</h2>
    <form method="post" action="/faelle/${c.id}/status" novalidate>
      ${csrfField(ctx.csrf)}
      ${select({ name: 'status', label: 'Neuer Status', value: s.typed.status ?? status, error: s.errors.status, options: CASE_STATUSES.map((x) => [x, CASE_STATUS_LABELS[x]]) })}
      ${textarea({ name: 'reason', id: 'f-statusReason', label: 'Begründung (optional)', value: s.typed.statusReason, error: s.errors.statusReason, maxlength: 500, rows: 2 })}
      ${select({
        name: 'closureCode',
        id: 'f-closureCode',
        label: 'Abschlussgrund (nur beim Abschließen)',
        value: s.typed.closureCode ?? '',
        error: s.errors.closureCode,
        options: [['', '– keiner –'], ...CLOSURE_CODES.map((k): [string, string] => [k, CLOSURE_CODE_LABELS[k]])],
      })}
      ${o ? cancelChainsBox(o, s) : ''}
      <button type="submit">Status speichern</button>
    </form></section>`;
}

function followUpList(c: Record_): SafeHtml {
  return html`<section aria-labelledby="h-wvl"><h2 id="h-wvl">Wiedervorlagen</h2>
    ${c.followUps.length ? html`<ul>${c.followUps.map((f) => html`<li>${formatDateTime(f.dueAt)}${f.note ? ` – ${f.note}` : ''}: ${f.remindedAt ? `erinnert am ${formatDateTime(f.remindedAt)}` : f.cancelledAt ? 'ersetzt' : 'offen'}</li>`)}</ul>` : html`<p>Keine.</p>`}
  </section>`;
}

function statusHistory(c: Record_): SafeHtml {
  return html`<section aria-labelledby="h-stv"><h2 id="h-stv">Statusverlauf</h2>
    ${
      c.statusChanges.length === 0
        ? html`<p>Der Status wurde noch nicht geändert.</p>`
        : html`<table>
      <caption class="hint">Statusänderungen mit Begründung, neueste zuerst</caption>
      <thead><tr><th scope="col">Zeit</th><th scope="col">Von</th><th scope="col">Nach</th><th scope="col">Begründung</th></tr></thead>
      <tbody>${c.statusChanges.map(
        (
          ch,
        ) => html`<tr><td>${formatDateTime(ch.changedAt)}</td><td>${CASE_STATUS_LABELS[ch.fromStatus]}</td><td>${CASE_STATUS_LABELS[ch.toStatus]}</td>
        <td>${ch.closureCode ? html`<strong>${closureCodeLabel(ch.closureCode)}</strong>${ch.reason ? ' – ' : ''}` : ''}${ch.reason ?? (ch.closureCode ? '' : '–')}</td></tr>`,
      )}</tbody></table>`
    }
  </section>`;
}

export function caseDetailView(o: CaseOverview, ctx: CaseViewCtx, s: CaseViewState): SafeHtml {
  const { record: c, status } = o;
  const canChange = worksOnCases(ctx.user) && status !== 'closed' && !c.anonymizedAt;
  return html`
    ${s.notice ? html`<p class="notice ok" role="status">${s.notice}</p>` : ''}
    ${s.problem ?? errorSummary(s.errors)}
    ${facts(c, status)}
    ${casePersonSection(o, ctx)}
    ${caseCycleLinks(c.id)}
    ${canChange ? html`${followUpForm(c, ctx, s)}${statusForm(c, status, ctx, s, o)}` : ''}
    ${reopenForm(o, ctx, s)}
    ${followUpList(c)}
    ${statusHistory(c)}
    ${caseChainsSection(o, ctx, s, canChange)}
    ${caseHandoffsSection(o, ctx, s, canChange)}
    ${consentSection(ctx.csrf, c, o.departments, canChange, s.errors, s.typed)}
    ${canChange ? statusLinkSection(c.personId, ctx.csrf) : ''}
    ${privacySection(ctx.user, c.id, c.personId)}`;
}

// Consents on the case page: the list (given, withdrawn), the form to record one (departments, purpose,
// date given) and a withdraw button per valid consent.
import { formatDate, isoDay } from '../../core/format/dates';
import { checkboxes, csrfField, field, html, type SafeHtml } from '../html';

interface ConsentRow {
  id: string;
  departments: string[];
  purpose: string;
  givenAt: Date;
  withdrawnAt: Date | null;
}

export function consentSection(
  csrf: string | undefined,
  c: { id: string; consents: ConsentRow[] },
  departments: Array<{ id: string; name: string }>,
  canChange: boolean,
  errors: Record<string, string>,
  typed: Record<string, string>,
): SafeHtml {
  const name = (d: string) => departments.find((x) => x.id === d)?.name ?? d;
  const chosen = (typed.consentDepartments ?? '').split(',').filter(Boolean);
  return html`<section aria-labelledby="h-ew"><h2 id="h-ew">Einwilligungen</h2>
    <p class="hint">Eine Stelle erhält Daten dieses Falls nur mit einer gültigen Einwilligung (Schweigepflichtentbindung), die sie nennt.</p>
    ${
      c.consents.length
        ? html`<ul class="consents">${c.consents.map(
            (k) => html`<li>
      <strong>${k.departments.map(name).join(', ')}</strong>${k.purpose ? ` – ${k.purpose}` : ''}
      (erteilt ${formatDate(k.givenAt)}${k.withdrawnAt ? html`, <strong>widerrufen ${formatDate(k.withdrawnAt)}</strong>` : ''})
      ${
        canChange && !k.withdrawnAt
          ? html`<form method="post" action="/faelle/${c.id}/einwilligungen/${k.id}/widerruf" class="inline-form">
        ${csrfField(csrf)}
        <button type="submit" class="secondary" aria-describedby="widerruf-hinweis">Widerruf erfassen<span class="visually-hidden"> (${k.departments.map(name).join(', ')})</span></button>
      </form>`
          : ''
      }</li>`,
          )}</ul>
      ${canChange ? html`<p class="hint" id="widerruf-hinweis">Ein Widerruf bricht offene Übergaben an Stellen ab, die keine andere gültige Einwilligung mehr abdeckt; die Stellen werden per E-Mail informiert.</p>` : ''}`
        : html`<p>Noch keine Einwilligung erfasst.</p>`
    }
    ${
      canChange
        ? html`<h3 id="h-ew-neu">Einwilligung erfassen</h3>
    <form method="post" action="/faelle/${c.id}/einwilligungen" novalidate aria-labelledby="h-ew-neu">
      ${csrfField(csrf)}
      ${checkboxes({
        name: 'departments',
        id: 'f-consentDepartments',
        legend: 'Stellen, die Daten erhalten dürfen',
        required: true,
        values: chosen,
        error: errors.consentDepartments,
        options: departments.map((d): [string, string] => [d.id, d.name]),
      })}
      ${field({ name: 'purpose', id: 'f-consentPurpose', label: 'Zweck', required: true, value: typed.consentPurpose, error: errors.consentPurpose, hint: 'z. B. „Wohnungssuche und Auszug aus der Notunterkunft“' })}
      ${field({ name: 'givenAt', id: 'f-consentGivenAt', label: 'Erteilt am', type: 'date', required: true, value: typed.consentGivenAt ?? isoDay(), error: errors.consentGivenAt })}
      <button type="submit">Einwilligung speichern</button>
    </form>`
        : ''
    }
  </section>`;
}

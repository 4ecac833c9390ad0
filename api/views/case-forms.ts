// The forms to record a person and to open a case (values typed so far, per-field errors).
import { formatDate } from '../../core/format/dates';
import { BENEFIT_LABELS, TOPIC_LABELS } from '../../core/format/labels';
import { BENEFIT_TYPES, CASE_TOPICS } from '../../core/domain/records';
import { csrfField, errorSummary, field, html, select, type SafeHtml } from '../html';

type Values = Record<string, unknown>;
type Errors = Record<string, string>;
const str = (v: unknown, fallback = '') => String(v ?? fallback);

export function personFormView(csrf: string | undefined, values: Values, errors: Errors): SafeHtml {
  return html`
    ${errorSummary(errors)}
    <p class="hint">Pflichtangaben sind mit * gekennzeichnet.</p>
    <form method="post" action="/personen/neu" novalidate>
      ${csrfField(csrf, values._key)}
      ${field({ name: 'firstName', label: 'Vorname', value: str(values.firstName), required: true, error: errors.firstName, attrs: 'autocomplete="off"' })}
      ${field({ name: 'lastName', label: 'Nachname', value: str(values.lastName), required: true, error: errors.lastName, attrs: 'autocomplete="off"' })}
      ${field({ name: 'birthDate', label: 'Geburtsdatum', type: 'date', value: str(values.birthDate), error: errors.birthDate })}
      ${field({ name: 'householdSize', label: 'Haushaltsgröße (Personen)', type: 'number', value: str(values.householdSize), error: errors.householdSize, attrs: 'min="1" max="30" inputmode="numeric"' })}
      ${field({ name: 'shelterId', label: 'Unterkunft (Kennung)', value: str(values.shelterId), error: errors.shelterId, hint: 'z. B. NU-Bensberg-12; leer lassen, wenn nicht in einer Notunterkunft' })}
      ${select({ name: 'benefitType', label: 'Leistungsart', value: str(values.benefitType, 'none'), error: errors.benefitType, options: BENEFIT_TYPES.map((b) => [b, BENEFIT_LABELS[b]]) })}
      <button type="submit">Person anlegen</button>
    </form>`;
}

export interface PersonChoice {
  id: string;
  firstName: string;
  lastName: string;
  birthDate: Date | null;
}

export function caseFormView(csrf: string | undefined, persons: PersonChoice[], values: Values, errors: Errors): SafeHtml {
  return html`
    ${errorSummary(errors)}
    <p>Person noch nicht erfasst? <a href="/personen/neu">Neue Person anlegen</a></p>
    <p class="hint">Pflichtangaben sind mit * gekennzeichnet.</p>
    <form method="post" action="/faelle/neu" novalidate>
      ${csrfField(csrf, values._key)}
      ${select({
        name: 'personId',
        label: 'Person',
        required: true,
        value: str(values.personId),
        error: errors.personId,
        options: [
          ['', '– bitte wählen –'],
          ...persons.map((p): [string, string] => [
            p.id,
            `${p.lastName}, ${p.firstName}${p.birthDate ? ` (geb. ${formatDate(p.birthDate)})` : ''}`,
          ]),
        ],
      })}
      ${select({ name: 'topic', label: 'Thema', required: true, value: str(values.topic, 'housing'), error: errors.topic, options: CASE_TOPICS.map((t) => [t, TOPIC_LABELS[t]]) })}
      <button type="submit">Fall anlegen</button>
    </form>`;
}

// The person's page (/personen/:id): the edit form (German, message at each field, input kept; a stale
// form shows a message and overwrites nothing) and the household with children's ages.
import { formatDate } from '../../core/format/dates';
import { BENEFIT_LABELS } from '../../core/format/labels';
import { ageOn, GENDERS, PROSPECTS, RELATIONSHIPS, RESIDENCE_TITLES } from '../../core/domain/person-file';
import { BENEFIT_TYPES } from '../../core/domain/records';
import { csrfField, errorSummary, field, html, select, textarea, type SafeHtml } from '../html';
import type { PersonFile } from '../services/person-file';
import { GENDER_LABELS, PROSPECT_LABELS, RELATIONSHIP_LABELS, RESIDENCE_TITLE_LABELS } from './person-labels';

export type PersonFormValues = Record<string, string>;

const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : '');

/** The stored person as the form's values. */
export function personFormValues(p: PersonFile): PersonFormValues {
  return {
    version: String(p.version),
    firstName: p.firstName,
    lastName: p.lastName,
    birthDate: day(p.birthDate),
    gender: p.gender ?? '',
    languages: p.languages.join(', '),
    letterLanguage: p.letterLanguage ?? '',
    interpreterNeeded: p.interpreterNeeded ? 'on' : '',
    phone: p.phone ?? '',
    email: p.email ?? '',
    postalAddress: p.postalAddress ?? '',
    careOfShelter: p.careOfShelter ? 'on' : '',
    residenceTitle: p.residenceTitle ?? '',
    residenceValidUntil: day(p.residenceValidUntil),
    obligation12a: p.obligation12a ? 'on' : '',
    obligation12aPlace: p.obligation12aPlace ?? '',
    prospectOfStaying: p.prospectOfStaying ?? '',
    benefitType: p.benefitType,
  };
}

/** A single check box with its label (value "on"). */
function checkbox(name: string, label: string, checked: boolean, error?: string): SafeHtml {
  return html`<div class="field choice${error ? ' has-error' : ''}">
  ${error ? html`<p class="error" id="f-${name}-error">${error}</p>` : ''}
  <input type="checkbox" id="f-${name}" name="${name}" value="on"${checked ? html` checked` : ''}${error ? html` aria-invalid="true" aria-describedby="f-${name}-error"` : ''}>
  <label for="f-${name}">${label}</label></div>`;
}

const opts = (keys: readonly string[], labels: Record<string, string>, empty = '– keine Angabe –'): Array<[string, string]> => [
  ['', empty],
  ...keys.map((k): [string, string] => [k, labels[k] ?? k]),
];

export function personEditView(
  p: PersonFile,
  csrf: string | undefined,
  values: PersonFormValues,
  errors: Record<string, string>,
  opt: { problem?: SafeHtml; notice?: string; key?: string; household: SafeHtml },
): SafeHtml {
  const v = (k: string) => values[k] ?? '';
  return html`
    ${opt.notice ? html`<p class="notice ok" role="status">${opt.notice}</p>` : ''}
    ${opt.problem ?? errorSummary(errors)}
    <p><a href="${p.cases[0] ? `/faelle/${p.cases[0].id}` : '/faelle'}">Zurück zum Fall</a></p>
    <form method="post" action="/personen/${p.id}" novalidate>
      ${csrfField(csrf, opt.key)}
      <input type="hidden" name="version" value="${v('version')}">
      <fieldset><legend>Person</legend>
        ${field({ name: 'firstName', label: 'Vorname', required: true, value: v('firstName'), error: errors.firstName, attrs: 'autocomplete="off"' })}
        ${field({ name: 'lastName', label: 'Nachname', required: true, value: v('lastName'), error: errors.lastName, attrs: 'autocomplete="off"' })}
        ${field({ name: 'birthDate', label: 'Geburtsdatum', type: 'date', value: v('birthDate'), error: errors.birthDate })}
        ${select({ name: 'gender', label: 'Geschlecht (optional)', value: v('gender'), error: errors.gender, options: opts(GENDERS, GENDER_LABELS) })}
      </fieldset>
      <fieldset><legend>Sprache</legend>
        ${field({ name: 'languages', label: 'Gesprochene Sprachen', value: v('languages'), error: errors.languages, hint: 'ISO-639-1-Codes, durch Komma getrennt, z. B. ar, tr, de' })}
        ${field({ name: 'letterLanguage', label: 'Sprache für Briefe', value: v('letterLanguage'), error: errors.letterLanguage, hint: 'ein ISO-639-1-Code, z. B. de', attrs: 'maxlength="2"' })}
        ${checkbox('interpreterNeeded', 'Dolmetschung nötig', v('interpreterNeeded') === 'on', errors.interpreterNeeded)}
      </fieldset>
      <fieldset><legend>Kontakt</legend>
        ${field({ name: 'phone', label: 'Telefon', type: 'tel', value: v('phone'), error: errors.phone })}
        ${field({ name: 'email', label: 'E-Mail', type: 'email', value: v('email'), error: errors.email })}
        ${textarea({ name: 'postalAddress', label: 'Postanschrift', value: v('postalAddress'), error: errors.postalAddress, rows: 3, maxlength: 300 })}
        ${checkbox('careOfShelter', 'Post c/o Notunterkunft', v('careOfShelter') === 'on', errors.careOfShelter)}
      </fieldset>
      <fieldset><legend>Aufenthalt und Leistungen</legend>
        ${select({ name: 'residenceTitle', label: 'Aufenthaltstitel', value: v('residenceTitle'), error: errors.residenceTitle, options: opts(RESIDENCE_TITLES, RESIDENCE_TITLE_LABELS) })}
        ${field({ name: 'residenceValidUntil', label: 'Gültig bis', type: 'date', value: v('residenceValidUntil'), error: errors.residenceValidUntil })}
        ${checkbox('obligation12a', 'Wohnsitzauflage nach § 12a AufenthG', v('obligation12a') === 'on', errors.obligation12a)}
        ${field({ name: 'obligation12aPlace', label: 'Ort der Wohnsitzauflage', value: v('obligation12aPlace'), error: errors.obligation12aPlace })}
        ${select({ name: 'prospectOfStaying', label: 'Bleibeperspektive', value: v('prospectOfStaying'), error: errors.prospectOfStaying, options: opts(PROSPECTS, PROSPECT_LABELS) })}
        ${select({ name: 'benefitType', label: 'Leistungsart', value: v('benefitType'), error: errors.benefitType, options: BENEFIT_TYPES.map((b): [string, string] => [b, BENEFIT_LABELS[b]]) })}
        <p class="hint">Eine geänderte Leistungsart leitet offene Übergaben, die nach Leistungsart verteilt werden, an die nun zuständige Stelle weiter.</p>
      </fieldset>
      <button type="submit">Änderungen speichern</button>
    </form>
    ${opt.household}`;
}

export function householdView(
  p: PersonFile,
  csrf: string | undefined,
  canChange: boolean,
  typed: Record<string, string> = {},
  errors: Record<string, string> = {},
): SafeHtml {
  const now = new Date();
  return html`<section aria-labelledby="h-haushalt"><h2 id="h-haushalt">Haushalt (${p.derivedHouseholdSize} ${p.derivedHouseholdSize === 1 ? 'Person' : 'Personen'})</h2>
    ${
      p.householdMembers.length
        ? html`<table><thead><tr><th scope="col">Name</th><th scope="col">Beziehung</th><th scope="col">Geburtsdatum</th><th scope="col">Alter</th>${canChange ? html`<th scope="col"><span class="visually-hidden">Aktion</span></th>` : ''}</tr></thead>
      <tbody>${p.householdMembers.map(
        (
          m,
        ) => html`<tr><td>${m.lastName}, ${m.firstName}</td><td>${RELATIONSHIP_LABELS[m.relationship] ?? m.relationship}</td><td>${formatDate(m.birthDate)}</td><td>${ageOn(m.birthDate, now)} Jahre</td>
        ${canChange ? html`<td><form method="post" action="/personen/${p.id}/haushalt/${m.id}/entfernen">${csrfField(csrf)}<button type="submit" class="secondary">${`${m.firstName} entfernen`}</button></form></td>` : ''}</tr>`,
      )}</tbody></table>`
        : html`<p>Keine weiteren Haushaltsmitglieder erfasst.</p>`
    }
    ${
      canChange
        ? html`<h3>Haushaltsmitglied hinzufügen</h3>
    <form method="post" action="/personen/${p.id}/haushalt" novalidate>
      ${csrfField(csrf, typed._key)}
      ${field({ name: 'memberFirstName', label: 'Vorname', required: true, value: typed.memberFirstName, error: errors.memberFirstName })}
      ${field({ name: 'memberLastName', label: 'Nachname', required: true, value: typed.memberLastName ?? p.lastName, error: errors.memberLastName })}
      ${field({ name: 'memberBirthDate', label: 'Geburtsdatum', type: 'date', required: true, value: typed.memberBirthDate, error: errors.memberBirthDate })}
      ${select({ name: 'relationship', label: 'Beziehung', required: true, value: typed.relationship, error: errors.relationship, options: opts(RELATIONSHIPS, RELATIONSHIP_LABELS, '– bitte wählen –') })}
      <button type="submit">Hinzufügen</button>
    </form>`
        : ''
    }
  </section>`;
}

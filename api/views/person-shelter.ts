// The person's place in a shelter on the person page (/personen/:id): the current place and a picker
// of the shelters with a free place (the current one stays selectable), place label and since.
import { formatDate } from '../../core/format/dates';
import { csrfField, field, html, select, type SafeHtml } from '../html';
import type { PersonFile } from '../services/person-file';

export interface ShelterChoice {
  id: string;
  name: string;
  free: number;
}

export function shelterPlaceView(
  p: PersonFile,
  shelters: ShelterChoice[],
  csrf: string | undefined,
  typed: Record<string, string> = {},
  errors: Record<string, string> = {},
): SafeHtml {
  const stay = p.shelterStays[0];
  const choices = shelters.filter((s) => s.free > 0 || s.id === stay?.shelter.id);
  const options: Array<[string, string]> = [
    ['', '– bitte wählen –'],
    ...choices.map((s): [string, string] => [s.id, `${s.name} (${s.free === 1 ? '1 Platz frei' : `${s.free} Plätze frei`})`]),
  ];
  return html`<section aria-labelledby="h-unterkunft"><h2 id="h-unterkunft">Notunterkunft</h2>
    <p>${stay ? html`Platz in <strong>${stay.shelter.name}</strong>${stay.place ? ` (${stay.place})` : ''} seit ${formatDate(stay.since)}.` : 'Kein Platz in einer Notunterkunft erfasst.'}</p>
    ${
      p.anonymizedAt
        ? ''
        : choices.length
          ? html`<form method="post" action="/personen/${p.id}/unterkunft" novalidate>
      ${csrfField(csrf, typed._key)}
      ${select({ name: 'shelterId', label: stay ? 'Neue Unterkunft' : 'Unterkunft', required: true, value: typed.shelterId ?? stay?.shelter.id, error: errors.shelterId, options })}
      ${field({ name: 'place', label: 'Platz (Zimmer/Bett, optional)', value: typed.place, error: errors.place, attrs: 'maxlength="40"' })}
      ${field({ name: 'since', label: 'Seit (leer: heute)', type: 'date', value: typed.since, error: errors.since })}
      <button type="submit">Platz speichern</button>
    </form>`
          : html`<p>Keine Notunterkunft hat einen freien Platz.</p>`
    }
  </section>`;
}

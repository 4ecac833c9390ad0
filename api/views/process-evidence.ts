// Evidence for the move-out chain's readiness step (issue 15): the person's completed participations
// in group offers of the KIM staff (e.g. the tenancy training „Wohnführerschein“), shown next to the form.
import { formatDate } from '../../core/format/dates';
import { groupOfferKindLabel } from '../../core/format/labels';
import { html, type SafeHtml } from '../html';

export interface Evidence {
  title: string;
  kind: string;
  completedAt: Date;
  attended: number;
  sessions: number;
}

export function readinessEvidenceSection(items: Evidence[]): SafeHtml {
  return html`<section aria-labelledby="h-nachweise"><h2 id="h-nachweise">Nachweise für die Wohnfähigkeit</h2>
    ${
      items.length
        ? html`<ul>${items.map(
            (e) =>
              html`<li>${groupOfferKindLabel(e.kind)} „${e.title}“: Teilnahme abgeschlossen am ${formatDate(e.completedAt)} (${e.attended} von ${e.sessions} Terminen besucht)</li>`,
          )}</ul>`
        : html`<p>Keine abgeschlossene Teilnahme an einem Gruppenangebot (z. B. Wohnführerschein).</p>`
    }
  </section>`;
}

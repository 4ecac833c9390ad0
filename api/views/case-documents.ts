// The documents page (/faelle/:id/dokumente): the upload form (PDF, JPEG, PNG up to 10 MB, checked by
// content; a refused file gets its German message at the field), the list with download links and the
// help plan's PDF.
import { formatDateTime } from '../../core/format/dates';
import { csrfField, errorSummary, html, type SafeHtml } from '../html';
import type { FormState } from './case-assessment';

export interface DocumentRow {
  id: string;
  fileName: string;
  mediaType: string;
  size: number;
  createdAt: Date;
  processId: string | null;
  stepKey: string | null;
}

const TYPE_LABELS: Record<string, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG-Bild', 'image/png': 'PNG-Bild' };
const sizeLabel = (n: number) =>
  n < 1024 ? `${n} Byte` : n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1024 / 1024).toFixed(1).replace('.', ',')} MB`;

export function documentsPageView(o: {
  caseId: string;
  csrf?: string;
  canChange: boolean;
  items: DocumentRow[];
  plan?: { id: string; version: number };
  /** the upload is for this step of a chain (a step that requires a document) */
  forStep?: { processId: string; stepKey: string; title: string; chain: string };
  state: FormState;
}): SafeHtml {
  const err = o.state.errors.file;
  const upload = html`<section aria-labelledby="h-upload"><h2 id="h-upload">Dokument hochladen</h2>
    <form method="post" action="/faelle/${o.caseId}/dokumente" enctype="multipart/form-data" novalidate>
      ${csrfField(o.csrf, o.state.key)}
      ${
        o.forStep
          ? html`<input type="hidden" name="processId" value="${o.forStep.processId}"><input type="hidden" name="stepKey" value="${o.forStep.stepKey}">
      <p class="notice">Für den Schritt „${o.forStep.title}“ der Kette ${o.forStep.chain}. <a href="/prozesse/${o.forStep.processId}">Zurück zur Kette</a></p>`
          : ''
      }
      <div class="field${err ? ' has-error' : ''}">
        <label for="f-file">Datei <span aria-hidden="true">*</span></label>
        <p class="hint" id="f-file-hint">PDF, JPEG oder PNG, höchstens 10 MB (z. B. Mietvertrag, WBS, Bescheid, Nachweis).</p>
        ${err ? html`<p class="error" id="f-file-error">${err}</p>` : ''}
        <input id="f-file" name="file" type="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" required aria-describedby="f-file-hint${err ? ' f-file-error' : ''}"${err ? html` aria-invalid="true"` : ''}>
      </div>
      <button type="submit">Hochladen</button>
    </form></section>`;
  return html`${o.state.notice ? html`<p class="notice ok" role="status">${o.state.notice}</p>` : ''}
    ${o.state.problem ?? errorSummary(o.state.errors)}
    ${o.canChange ? upload : ''}
    <section aria-labelledby="h-liste"><h2 id="h-liste">Dokumente des Falls</h2>
    ${
      o.items.length
        ? html`<table><thead><tr><th scope="col">Datei</th><th scope="col">Art</th><th scope="col">Größe</th><th scope="col">Hochgeladen</th><th scope="col">Zu Schritt</th></tr></thead>
      <tbody>${o.items.map(
        (d) =>
          html`<tr><td><a href="/api/cases/${o.caseId}/documents/${d.id}" download>${d.fileName}</a></td><td>${TYPE_LABELS[d.mediaType] ?? d.mediaType}</td><td>${sizeLabel(d.size)}</td><td>${formatDateTime(d.createdAt)}</td><td>${d.processId ? html`<a href="/prozesse/${d.processId}">${d.stepKey ?? 'Kette'}</a>` : '–'}</td></tr>`,
      )}</tbody></table>`
        : html`<p>Noch keine Dokumente.</p>`
    }
    ${o.plan ? html`<p><a href="/api/cases/${o.caseId}/plans/${o.plan.id}.pdf">Hilfeplan, Fassung ${o.plan.version} als PDF</a></p>` : ''}
    </section>`;
}

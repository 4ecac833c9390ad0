// The chain definitions pages (/admin/ketten): every type with its versions, one version (diagram and
// text), the upload form (JSON or YAML), and the preview before publishing — the line diff against the
// current version and the diagram of the new one (api/pages/chain-diagram.ts).
import type { ChainDefinition } from '../../core/domain/chains';
import { CHAIN_TITLES, type ChainType } from '../../core/domain/chains';
import type { DefinitionIssue } from '../../core/domain/chains/validation';
import { formatDateTime } from '../../core/format/dates';
import { chainDiagram } from '../pages/chain-diagram';
import { csrfField, html, textarea, type SafeHtml } from '../html';
import type { listChainDefinitions } from '../services/chain-definitions';

export type DiffLine = { op: ' ' | '+' | '-'; text: string };

/** Line diff (longest common subsequence) of two texts. */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const n = a.length;
  const m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ op: ' ', text: a[i++] });
      j++;
    } else if (j < m && (i >= n || lcs[i][j + 1] >= lcs[i + 1][j])) out.push({ op: '+', text: b[j++] });
    else out.push({ op: '-', text: a[i++] });
  }
  return out;
}

const title = (type: string) => CHAIN_TITLES[type as ChainType] ?? type;
const SOURCE = { shipped: 'mitgeliefert', city: 'von der Stadt veröffentlicht' } as const;

export function definitionsListView(opts: {
  items: Awaited<ReturnType<typeof listChainDefinitions>>;
  csrf?: string;
  notice?: string;
  text?: string;
  issues?: DefinitionIssue[];
}): SafeHtml {
  const { items, issues = [] } = opts;
  return html`
    ${opts.notice ? html`<p class="notice ok" role="status">${opts.notice}</p>` : ''}
    ${
      issues.length
        ? html`<div class="error-summary" role="alert" tabindex="-1" id="fehler">
      <h2>Die Definition wurde nicht gespeichert (${issues.length} ${issues.length === 1 ? 'Fehler' : 'Fehler'}):</h2>
      <ul>${issues.map((i) => html`<li><a href="#f-definition">${i.message}</a> <span class="hint">(${i.field})</span></li>`)}</ul></div>`
        : ''
    }
    <p>Kettendefinitionen legen Schritte, Zuständigkeiten, Ergebnisse und Fristen einer Kette fest. Neue Ketten starten mit der
      neuesten Version; laufende Ketten behalten die Version, mit der sie gestartet wurden.</p>
    ${items.map(
      (t) => html`<section aria-labelledby="h-${t.type}"><h2 id="h-${t.type}">${title(t.type)} (${t.type})</h2>
      <table><thead><tr><th scope="col">Version</th><th scope="col">Titel</th><th scope="col">Herkunft</th><th scope="col">Veröffentlicht</th></tr></thead>
      <tbody>${t.versions.map(
        (
          v,
        ) => html`<tr><td><a href="/admin/ketten/${t.type}/${v.version}">Version ${v.version}</a>${v.version === t.current ? ' (aktuell)' : ''}</td>
        <td>${v.title}</td><td>${SOURCE[v.source]}</td><td>${v.publishedAt ? formatDateTime(v.publishedAt) : '–'}</td></tr>`,
      )}</tbody></table></section>`,
    )}
    <section aria-labelledby="h-upload"><h2 id="h-upload">Neue Version hochladen</h2>
      <p class="hint">Eine Definition als JSON oder YAML (type, title, start, steps). Sie wird geprüft und zuerst mit der aktuellen Version
        verglichen; veröffentlicht wird erst nach Bestätigung.</p>
      <form method="post" action="/admin/ketten/pruefen" novalidate>
        ${csrfField(opts.csrf)}
        ${textarea({
          name: 'definition',
          label: 'Definition (JSON oder YAML)',
          value: opts.text ?? '',
          rows: 20,
          required: true,
          error: issues.length ? issues.map((i) => i.message).join(' ') : undefined,
        })}
        <button type="submit">Prüfen und Vergleich zeigen</button>
      </form>
    </section>`;
}

function diffView(lines: DiffLine[]): SafeHtml {
  const changed = lines.filter((l) => l.op !== ' ').length;
  return html`<p>${changed ? `${changed} geänderte Zeilen (+ neu, − entfällt).` : 'Keine Änderung gegenüber der aktuellen Version.'}</p>
    <pre class="diff" aria-label="Unterschiede zur aktuellen Version">${lines.map(
      (l) =>
        html`<span class="${l.op === '+' ? 'diff-add' : l.op === '-' ? 'diff-del' : 'diff-same'}">${l.op === '+' ? '+ ' : l.op === '-' ? '− ' : '  '}${l.text}</span>\n`,
    )}</pre>`;
}

export function definitionPreviewView(opts: {
  definition: ChainDefinition;
  current?: ChainDefinition;
  diff: DiffLine[];
  text: string;
  csrf?: string;
}): SafeHtml {
  const d = opts.definition;
  return html`
    <p>Die Definition ist gültig. Veröffentlicht wird sie als <strong>Version ${d.version}</strong> von „${title(d.type)}“; neue Ketten starten
      dann mit ihr, laufende behalten ihre Version.</p>
    <section aria-labelledby="h-diff"><h2 id="h-diff">Vergleich mit ${opts.current ? `Version ${opts.current.version}` : 'nichts (erste Version)'}</h2>
      ${diffView(opts.diff)}</section>
    <section aria-labelledby="h-diagramm"><h2 id="h-diagramm">Vorschau: ${d.title}</h2>
      ${chainDiagram({ id: 'vorschau', definition: d, status: 'running', steps: [] })}</section>
    <form method="post" action="/admin/ketten" novalidate>
      ${csrfField(opts.csrf)}
      <input type="hidden" name="definition" value="${opts.text}">
      <input type="hidden" name="basedOn" value="${d.version - 1}"><!-- the newest number at the preview (the one in force may be older) -->
      <button type="submit">Als Version ${d.version} veröffentlichen</button>
      <a href="/admin/ketten">Abbrechen</a>
    </form>`;
}

export function definitionVersionView(opts: { definition: ChainDefinition; text: string; current: boolean }): SafeHtml {
  const d = opts.definition;
  return html`<p>${title(d.type)}, Version ${d.version}${opts.current ? ' (aktuell: neue Ketten starten mit ihr)' : ''}.
      <a href="/admin/ketten">Zur Übersicht</a></p>
    ${chainDiagram({ id: 'version', definition: d, status: 'running', steps: [] })}
    <h2>Definition (YAML)</h2><pre class="diff">${opts.text}</pre>`;
}

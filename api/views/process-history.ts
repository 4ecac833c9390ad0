// The process page's history: every event of the chain with who, what, which step and the details
// (outcomes with the step's data as the definition labels them).
import { formatDateTime, formatDay } from '../../core/format/dates';
import { chainEventLabel } from '../../core/format/labels';
import { html, type SafeHtml } from '../html';
import type { ProcessModel } from './process-model';

type Event = ProcessModel['p']['events'][number];

function describer(m: ProcessModel) {
  const { p, def } = m;
  const doneRows = new Map<string, typeof p.steps>();
  for (const s of p.steps) if (s.status === 'done' || s.status === 'skipped') doneRows.set(s.key, [...(doneRows.get(s.key) ?? []), s]);
  const seen = new Map<string, number>();

  const outcome = (e: Event, d: Record<string, unknown>, s: string) => {
    const n = seen.get(s) ?? 0;
    seen.set(s, n + 1);
    const row = doneRows.get(s)?.[n];
    const stepDef = def?.steps[s];
    const label = e.event === 'step.skipped' ? '' : `Ergebnis: ${stepDef?.outcomes[String(d.outcome)]?.label ?? String(d.outcome ?? '')}`;
    const data = (row?.data ?? {}) as Record<string, unknown>;
    const facts = (stepDef?.fields ?? [])
      .filter((f) => data[f.key] !== undefined && data[f.key] !== null)
      .map((f) => {
        const v = data[f.key];
        const shown =
          f.type === 'select'
            ? (f.options?.[String(v)] ?? String(v))
            : f.type === 'date' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)
              ? formatDay(v)
              : String(v);
        return `${f.label}: ${shown}`;
      });
    return [label, ...facts].filter(Boolean).join('; ');
  };

  return (e: Event): SafeHtml | string => {
    const d = (e.details ?? {}) as Record<string, unknown>;
    const s = typeof d.step === 'string' ? d.step : (e.step ?? '');
    const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
    switch (e.event) {
      case 'chain.started':
        return `Version ${String(d.version ?? p.version)}`;
      case 'step.started':
        return str('dueAt') ? `fällig bis ${formatDateTime(str('dueAt')!)}` : '';
      case 'step.waiting':
        return str('activeFrom') ? `beginnt am ${formatDateTime(str('activeFrom')!)}` : '';
      case 'step.handoff':
        return `an ${m.deptName(str('department'))}`;
      case 'step.consent_missing':
        return `Einwilligung für ${m.deptName(str('department'))} fehlt${str('cancelledTask') ? '; die offene Übergabe wurde abgebrochen' : ''}`;
      case 'step.returned':
      case 'chain.held':
      case 'step.held':
      case 'chain.cancelled':
        return str('reason') ? html`Begründung: ${str('reason')}` : '';
      case 'step.reminder':
        return d.reason === 'periodic' ? 'regelmäßige Erinnerung' : 'Frist erreicht';
      case 'chain.reassigned':
        return html`von ${m.userName(str('from'))} an ${m.userName(str('to'))}${str('reason') ? html`; Begründung: ${str('reason')}` : ''}`;
      case 'step.completed':
      case 'step.skipped':
        return outcome(e, d, s);
      default:
        return '';
    }
  };
}

export function historySection(m: ProcessModel): SafeHtml {
  const { p, def } = m;
  const details = describer(m);
  const stepTitle = (key?: string | null) => (key ? (def?.steps[key]?.title ?? key) : '');
  const who = (actor: string, stepKey: string | null) => {
    if (actor.startsWith('user:')) return m.userName(actor.slice(5));
    if (actor === 'department')
      return (
        m.deptName(stepKey ? [...p.steps].reverse().find((s) => s.key === stepKey && s.department)?.department : null) ||
        'zuständige Stelle'
      );
    return 'System';
  };
  return html`<section aria-labelledby="h-verlauf"><h2 id="h-verlauf">Verlauf</h2>
    ${
      p.events.length === 0
        ? html`<p>Noch keine Ereignisse.</p>`
        : html`<table><caption class="hint">Alle Ereignisse der Kette, älteste zuerst</caption>
      <thead><tr><th scope="col">Zeit</th><th scope="col">Wer</th><th scope="col">Ereignis</th><th scope="col">Schritt</th><th scope="col">Details</th></tr></thead>
      <tbody>${p.events.map((e) => {
        const s =
          typeof (e.details as Record<string, unknown> | null)?.step === 'string' ? (e.details as Record<string, string>).step : e.step;
        return html`<tr><td>${formatDateTime(e.at)}</td><td>${who(e.actor, s)}</td><td>${chainEventLabel(e.event)}</td><td>${stepTitle(s)}</td><td>${details(e)}</td></tr>`;
      })}</tbody></table>`
    }</section>`;
}

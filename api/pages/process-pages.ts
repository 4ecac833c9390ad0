// The process page of a chain (/prozesse/:id): header, diagram, the current step with who holds it,
// the form of a caseworker step generated from the definition's field specs, retry/skip, the chain
// actions (hold, resume, cancel, reassign) and the full history. Services decide; their 400/403/409
// come back as the page with the message, never a 500.
import { formatDate, formatDateTime, formatDay } from '../../core/format/dates';
import { Router, type Request, type Response } from 'express';
import { cancelBody } from '../../core/domain/handoff';
import { chainDefinitionFor, stepDataSchema, type ChainDefinition, type FieldSpec, type StepDefinition } from '../../core/domain/chains';
import { chainEventLabel, chainTitle, mailStatusLabel, PROCESS_STATUS_LABELS, stepPhaseLabel } from '../../core/format/labels';
import type { CurrentStep } from '../../core/domain/chains/state';
import type { AppDeps } from '../deps';
import { actorOf } from '../auth';
import { forbidden, HttpError } from '../errors';
import { csrfField, errorSummary, field, html, page, radios, select, textarea, type SafeHtml } from '../html';
import { chainAction, completeStep, getProcess } from '../services/chains';
import { chainDiagram, type DiagramCurrent } from './chain-diagram';
import type { FieldErrors } from './forms';

/** Route segment → chain action of services/chains.ts. */
const ACTIONS = { anhalten: 'hold', fortsetzen: 'resume', abbrechen: 'cancel', uebertragen: 'reassign' } as const;
type ChainActionName = (typeof ACTIONS)[keyof typeof ACTIONS];

const NOTICES: Record<string, string> = {
  schritt: 'Ergebnis gespeichert.', skip: 'Schritt übersprungen.', retry: 'Schritt erneut übergeben.', hold: 'Kette angehalten.',
  resume: 'Kette fortgesetzt.', cancel: 'Kette abgebrochen. Offene Übergaben wurden abgebrochen und die Stellen informiert.', reassign: 'Kette übertragen.',
};

interface FormState { form: string; values: Record<string, string>; errors: FieldErrors; message?: string }

const strings = (body: unknown) => Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>)
  .filter(([k, v]) => typeof v === 'string' && !k.startsWith('_'))) as Record<string, string>;

const dataId = (key: string) => `data-${key}`;

/** A posted step form → outcome and data (typed by the field specs), or per-field German errors. */
export function parseStepForm(step: StepDefinition, values: Record<string, string>):
  { ok: true; outcome: string; data: Record<string, unknown> } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const outcome = (values.outcome ?? '').trim();
  if (!outcome) errors.outcome = 'Ergebnis: bitte auswählen';
  else if (!(outcome in step.outcomes)) errors.outcome = `Ergebnis: „${outcome}“ ist für diesen Schritt nicht erlaubt`;
  const data: Record<string, unknown> = {};
  for (const f of step.fields) {
    const raw = (values[`data.${f.key}`] ?? '').trim();
    if (!raw) {
      if (f.required) errors[dataId(f.key)] = `${f.label}: bitte angeben`;
      continue;
    }
    if (f.type === 'number') {
      const n = Number(raw.replace(',', '.'));
      if (!/^-?\d+([.,]\d+)?$/.test(raw) || !Number.isFinite(n)) { errors[dataId(f.key)] = `${f.label}: Zahl erwartet`; continue; }
      data[f.key] = n;
    } else data[f.key] = raw;
  }
  const r = stepDataSchema(step).safeParse(data);
  if (!r.success) for (const i of r.error.issues) errors[dataId(String(i.path[0] ?? 'outcome'))] ??= i.message;
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, outcome, data: r.success ? r.data as Record<string, unknown> : data };
}

function stepField(f: FieldSpec, value: string, error?: string): SafeHtml {
  const name = `data.${f.key}`;
  const id = `f-${dataId(f.key)}`;
  if (f.type === 'textarea') return textarea({ name, id, label: f.label, value, error, required: f.required, maxlength: 2000 });
  if (f.type === 'select') {
    return select({ name, id, label: f.label, value, error, required: f.required, options: [['', '– bitte wählen –'], ...Object.entries(f.options ?? {})] });
  }
  // numbers as text with a decimal keyboard: a German "3,5" is accepted and converted
  const attrs = f.type === 'number' ? 'inputmode="decimal" autocomplete="off"' : f.type === 'text' ? 'maxlength="200" autocomplete="off"' : '';
  const range = f.type === 'number' && (f.min !== undefined || f.max !== undefined)
    ? f.min !== undefined && f.max !== undefined ? `Zahl von ${f.min} bis ${f.max}` : f.min !== undefined ? `Zahl, mindestens ${f.min}` : `Zahl, höchstens ${f.max}`
    : undefined;
  return field({ name, id, label: f.label, value, type: f.type === 'number' ? 'text' : f.type, required: f.required, error, attrs, hint: range });
}

export function processPages(deps: AppDeps) {
  const router = Router();
  const view = (req: Request, title: string, body: SafeHtml) => page({ title, body, user: req.user, csrf: req.csrfToken, devInbox: Boolean(deps.capture) });

  async function render(req: Request, res: Response, id: string, status = 200, state?: FormState, notice?: string) {
    const user = req.user!;
    const { process: p, live } = await getProcess(deps, user, actorOf(req), id);
    const def = chainDefinitionFor(p.type, p.version);
    const [departments, tasks] = await Promise.all([
      deps.db.department.findMany({ select: { id: true, name: true } }),
      deps.db.task.findMany({ where: { processId: p.id }, select: { id: true, status: true, ackDueAt: true, dueAt: true, reason: true, departmentId: true } }),
    ]);
    const deptName = (d?: string | null) => (d ? departments.find((x) => x.id === d)?.name ?? d : '');
    const taskById = new Map(tasks.map((t) => [t.id, t]));
    const userIds = new Set<string>([p.assigneeId, p.startedById]);
    for (const e of p.events) {
      if (e.actor.startsWith('user:')) userIds.add(e.actor.slice(5));
      const d = (e.details ?? {}) as Record<string, unknown>;
      for (const k of ['from', 'to']) if (typeof d[k] === 'string') userIds.add(d[k] as string);
    }
    const caseDept = p.case.departmentId;
    const [named, caseworkers] = await Promise.all([
      deps.db.user.findMany({ where: { id: { in: [...userIds] } }, select: { id: true, name: true } }),
      deps.db.user.findMany({ where: { role: 'caseworker', active: true, ...(caseDept ? { departmentId: caseDept } : {}) }, orderBy: { name: 'asc' }, select: { id: true, name: true } }),
    ]);
    const userName = (uid?: string | null) => (uid ? named.find((u) => u.id === uid)?.name ?? 'unbekannt' : '');

    // the current step: live from the workflow, else from the read model
    const ended = p.status === 'completed' || p.status === 'cancelled';
    const latestRow = (key: string) => [...p.steps].reverse().find((s) => s.key === key);
    let cur: (Pick<CurrentStep, 'key' | 'phase'> & { department?: string | null; dueAt?: string | Date | null; activeFrom?: string | Date | null; taskId?: string | null; overdue: boolean; declineReason?: string }) | undefined;
    if (!ended && live?.current) cur = live.current;
    else if (!ended && p.currentStep && p.currentStatus) {
      const row = latestRow(p.currentStep);
      cur = {
        key: p.currentStep, phase: p.currentStatus as CurrentStep['phase'], department: p.currentDepartment, taskId: row?.taskId,
        dueAt: p.currentStatus === 'waiting' ? null : p.dueAt, activeFrom: p.currentStatus === 'waiting' ? p.dueAt : null, overdue: p.overdue,
      };
    }
    const step = cur && def ? def.steps[cur.key] : undefined;
    const task = cur?.taskId ? taskById.get(cur.taskId) : undefined;
    const holder = cur?.phase === 'handoff' || cur?.phase === 'consent' ? deptName(cur.department ?? task?.departmentId) : 'Fallmanagement';
    const due = cur?.phase === 'handoff' ? cur.dueAt ?? (task ? (task.status === 'accepted' ? task.dueAt : task.ackDueAt) : null) : cur?.phase === 'waiting' ? null : cur?.dueAt;
    const declineReason = cur?.phase === 'returned' ? cur.declineReason ?? task?.reason ?? undefined : undefined;
    const diagramCurrent: DiagramCurrent | undefined = cur ? { key: cur.key, phase: cur.phase, holder, dueAt: due, activeFrom: cur.activeFrom, overdue: cur.overdue } : undefined;

    const role = user.role;
    const running = p.status === 'running';
    const canStep = role === 'caseworker' && running && !!cur && !!step;
    const showComplete = canStep && (cur!.phase === 'active' || cur!.phase === 'returned') && step!.actor.kind !== 'rule';
    const showRetry = canStep && (cur!.phase === 'returned' || cur!.phase === 'consent');
    const showSkip = canStep && step!.optional && cur!.phase !== 'waiting';
    const mine = (form: string) => (state?.form === form ? state : undefined);
    const stepState = mine('step');
    const sv = stepState?.values ?? {};
    const se = stepState?.errors ?? {};
    const allErrors = state?.errors ?? {};
    const postStep = `/prozesse/${p.id}/schritte/${encodeURIComponent(cur?.key ?? '')}`;

    const currentSection = html`<section aria-labelledby="h-aktuell" class="current-step"><h2 id="h-aktuell">Aktueller Schritt</h2>
      ${!cur || !step ? html`<p>${p.status === 'completed' ? 'Die Kette ist abgeschlossen.' : p.status === 'cancelled' ? 'Die Kette wurde abgebrochen.' : 'Die Kette wird gestartet … Bitte die Seite in einigen Sekunden neu laden.'}</p>` : html`
      <dl class="facts">
        <dt>Schritt</dt><dd>${step.title}</dd>
        <dt>Stand</dt><dd>${stepPhaseLabel(cur.phase)}${p.status === 'on_hold' ? ' (Kette angehalten)' : ''}${cur.overdue ? html` <strong class="overdue">überfällig</strong>` : ''}</dd>
        <dt>Liegt bei</dt><dd>${cur.phase === 'handoff' ? holder : `Fallmanagement (${userName(p.assigneeId)})`}</dd>
        ${cur.phase === 'consent' ? html`<dt>Übergabe an</dt><dd>${holder} (Einwilligung fehlt)</dd>` : ''}
        ${cur.phase === 'waiting'
          ? html`<dt>Beginnt</dt><dd>${cur.activeFrom ? `beginnt am ${formatDateTime(cur.activeFrom)}` : '–'}</dd>`
          : html`<dt>${cur.phase === 'handoff' && task?.status !== 'accepted' ? 'Eingang bestätigen bis' : 'Fällig bis'}</dt><dd>${due ? formatDateTime(due) : 'keine Frist'}</dd>`}
        ${cur.phase === 'handoff' && cur.taskId ? html`<dt>Übergabe</dt><dd><a href="/aufgaben/${cur.taskId}">Aufgabe der Stelle ansehen</a></dd>` : ''}
      </dl>
      ${declineReason ? html`<p class="notice warn"><strong>Begründung der Ablehnung:</strong> ${declineReason}</p>` : ''}
      ${cur.phase === 'consent' ? html`<p class="notice warn" role="status"><strong>Einwilligung für ${holder} fehlt.</strong>
        Der Schritt wird an ${holder} übergeben, sobald eine gültige Einwilligung (Schweigepflichtentbindung) für diese Stelle erfasst ist.
        ${role === 'caseworker' ? html`<a href="/faelle/${p.caseId}#h-ew">Einwilligung im Fall erfassen</a>` : ''}</p>` : ''}
      ${p.status === 'on_hold' ? html`<p class="notice warn">Die Kette ist angehalten. Ergebnisse können erst nach dem Fortsetzen erfasst werden.</p>` : ''}
      ${showComplete ? html`
      <h3>Ergebnis erfassen</h3>
      <p class="hint">Pflichtangaben sind mit * gekennzeichnet.</p>
      <form method="post" action="${postStep}" novalidate>
        ${csrfField(req.csrfToken)}
        ${step.fields.map((f) => stepField(f, sv[`data.${f.key}`] ?? '', se[dataId(f.key)]))}
        ${radios({ name: 'outcome', legend: 'Ergebnis', required: true, value: sv.outcome, error: se.outcome, options: Object.entries(step.outcomes).map(([k, o]): [string, string] => [k, o.label]) })}
        <button type="submit">Ergebnis speichern</button>
      </form>` : ''}
      ${showRetry ? html`
      <form method="post" action="${postStep}" class="inline-form">
        ${csrfField(req.csrfToken)}<input type="hidden" name="outcome" value="retry">
        <button type="submit">${cur.phase === 'consent' ? 'Einwilligung erneut prüfen' : 'Erneut übergeben'}</button>
      </form>` : ''}
      ${showSkip ? html`
      <form method="post" action="${postStep}" class="inline-form">
        ${csrfField(req.csrfToken)}<input type="hidden" name="outcome" value="skip">
        <button type="submit" class="secondary">Überspringen</button>
      </form>${cur.phase === 'handoff' ? html`<p class="hint">Überspringen bricht die offene Übergabe ab.</p>` : ''}` : ''}`}
    </section>`;

    // chain actions
    const canHold = (role === 'caseworker' || role === 'supervisor') && running;
    const canResume = (role === 'caseworker' || role === 'supervisor') && p.status === 'on_hold';
    const canReassign = (role === 'caseworker' || role === 'supervisor') && !ended;
    const canCancel = role === 'caseworker' && !ended;
    const others = caseworkers.filter((u) => u.id !== p.assigneeId);
    const reasonField = (form: string, label: string, required: boolean, hint?: string) =>
      textarea({ name: 'reason', id: `f-${form}-reason`, label, required, value: mine(form)?.values.reason, error: mine(form)?.errors[`${form}-reason`], hint, maxlength: 1000 });
    const openTask = cur?.phase === 'handoff' && task && ['created', 'notified', 'accepted', 'forwarded'].includes(task.status);
    const actions = canHold || canResume || canReassign || canCancel ? html`<section aria-labelledby="h-steuern"><h2 id="h-steuern">Kette steuern</h2>
      <div class="actions">
      ${canHold ? html`<section aria-labelledby="h-hold"><h3 id="h-hold">Anhalten</h3>
        <form method="post" action="/prozesse/${p.id}/anhalten" novalidate>${csrfField(req.csrfToken)}
          ${reasonField('hold', 'Begründung', true, 'Erinnerungen und Eskalationen der Kette ruhen, bis sie fortgesetzt wird; laufende Übergaben an Stellen bleiben bestehen.')}
          <button type="submit">Kette anhalten</button></form></section>` : ''}
      ${canResume ? html`<section aria-labelledby="h-resume"><h3 id="h-resume">Fortsetzen</h3>
        ${p.reason ? html`<p>Angehalten: ${p.reason}</p>` : ''}
        <form method="post" action="/prozesse/${p.id}/fortsetzen">${csrfField(req.csrfToken)}
          <button type="submit">Kette fortsetzen</button></form></section>` : ''}
      ${canReassign ? html`<section aria-labelledby="h-reassign"><h3 id="h-reassign">Übertragen</h3>
        ${others.length ? html`<form method="post" action="/prozesse/${p.id}/uebertragen" novalidate>${csrfField(req.csrfToken)}
          ${select({ name: 'caseworkerId', id: 'f-reassign-caseworkerId', label: 'An Fallmanager/in', required: true, value: mine('reassign')?.values.caseworkerId, error: mine('reassign')?.errors['reassign-caseworkerId'],
            options: [['', '– bitte wählen –'], ...others.map((u): [string, string] => [u.id, u.name])] })}
          ${reasonField('reassign', 'Begründung (optional)', false)}
          <button type="submit">Kette übertragen</button></form>`
          : html`<p>Keine andere aktive Fallmanagerin und kein anderer aktiver Fallmanager im Team.</p>`}</section>` : ''}
      ${canCancel ? html`<section aria-labelledby="h-cancel"><h3 id="h-cancel">Abbrechen</h3>
        <div class="warning" id="cancel-warning"><p><strong>Achtung:</strong> Abbrechen beendet die Kette endgültig.
          ${openTask ? html`Die offene Übergabe an ${holder} wird abgebrochen und die Stelle per E-Mail informiert.` : 'Offene Übergaben werden abgebrochen und die Stellen per E-Mail informiert.'}</p></div>
        <form method="post" action="/prozesse/${p.id}/abbrechen" novalidate>${csrfField(req.csrfToken)}
          ${reasonField('cancel', 'Begründung', true)}
          <button type="submit" class="danger" aria-describedby="cancel-warning">Kette abbrechen</button></form></section>` : ''}
      </div></section>` : '';

    // history
    const doneRows = new Map<string, typeof p.steps>();
    for (const s of p.steps) if (s.status === 'done' || s.status === 'skipped') doneRows.set(s.key, [...(doneRows.get(s.key) ?? []), s]);
    const seen = new Map<string, number>();
    const stepTitle = (key?: string | null) => (key ? def?.steps[key]?.title ?? key : '');
    const who = (actor: string, stepKey: string | null) => {
      if (actor.startsWith('user:')) return userName(actor.slice(5));
      if (actor === 'department') return deptName(stepKey ? [...p.steps].reverse().find((s) => s.key === stepKey && s.department)?.department : null) || 'zuständige Stelle';
      return 'System';
    };
    const details = (e: (typeof p.events)[number]): SafeHtml | string => {
      const d = (e.details ?? {}) as Record<string, unknown>;
      const s = typeof d.step === 'string' ? d.step : e.step ?? '';
      const str = (k: string) => (typeof d[k] === 'string' ? d[k] as string : undefined);
      switch (e.event) {
        case 'chain.started': return `Version ${String(d.version ?? p.version)}`;
        case 'step.started': return str('dueAt') ? `fällig bis ${formatDateTime(str('dueAt')!)}` : '';
        case 'step.waiting': return str('activeFrom') ? `beginnt am ${formatDateTime(str('activeFrom')!)}` : '';
        case 'step.handoff': return `an ${deptName(str('department'))}`;
        case 'step.consent_missing': return `Einwilligung für ${deptName(str('department'))} fehlt${str('cancelledTask') ? '; die offene Übergabe wurde abgebrochen' : ''}`;
        case 'step.returned': case 'chain.held': case 'chain.cancelled': return str('reason') ? html`Begründung: ${str('reason')}` : '';
        case 'step.reminder': return d.reason === 'periodic' ? 'regelmäßige Erinnerung' : 'Frist erreicht';
        case 'chain.reassigned': return html`von ${userName(str('from'))} an ${userName(str('to'))}${str('reason') ? html`; Begründung: ${str('reason')}` : ''}`;
        case 'step.completed': case 'step.skipped': {
          const n = seen.get(s) ?? 0;
          seen.set(s, n + 1);
          const row = doneRows.get(s)?.[n];
          const stepDef = def?.steps[s];
          const label = e.event === 'step.skipped' ? '' : `Ergebnis: ${stepDef?.outcomes[String(d.outcome)]?.label ?? String(d.outcome ?? '')}`;
          const data = (row?.data ?? {}) as Record<string, unknown>;
          const facts = (stepDef?.fields ?? []).filter((f) => data[f.key] !== undefined && data[f.key] !== null).map((f) => {
            const v = data[f.key];
            const shown = f.type === 'select' ? f.options?.[String(v)] ?? String(v) : f.type === 'date' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatDay(v) : String(v);
            return `${f.label}: ${shown}`;
          });
          return [label, ...facts].filter(Boolean).join('; ');
        }
        default: return '';
      }
    };
    const history = html`<section aria-labelledby="h-verlauf"><h2 id="h-verlauf">Verlauf</h2>
      ${p.events.length === 0 ? html`<p>Noch keine Ereignisse.</p>` : html`<table><caption class="hint">Alle Ereignisse der Kette, älteste zuerst</caption>
        <thead><tr><th scope="col">Zeit</th><th scope="col">Wer</th><th scope="col">Ereignis</th><th scope="col">Schritt</th><th scope="col">Details</th></tr></thead>
        <tbody>${p.events.map((e) => {
          const s = typeof (e.details as Record<string, unknown> | null)?.step === 'string' ? (e.details as Record<string, string>).step : e.step;
          return html`<tr><td>${formatDateTime(e.at)}</td><td>${who(e.actor, s)}</td><td>${chainEventLabel(e.event)}</td><td>${stepTitle(s)}</td><td>${details(e)}</td></tr>`;
        })}</tbody></table>`}</section>`;

    // the handoffs of this chain and every e-mail sent for them or for the chain, with their status
    const chainTasks = await deps.db.task.findMany({ where: { processId: p.id }, orderBy: { createdAt: 'asc' }, include: { department: { select: { name: true } } } });
    const mails = await deps.db.mail.findMany({
      where: { OR: [{ idempotencyKey: { startsWith: `process:${p.id}:` } }, ...chainTasks.map((t) => ({ idempotencyKey: { startsWith: `task:${t.id}:` } }))] },
      orderBy: { createdAt: 'asc' }, select: { subject: true, to: true, status: true, attempts: true, createdAt: true, sentAt: true },
    });
    const handoffs = html`<section aria-labelledby="h-uebergaben"><h2 id="h-uebergaben">Übergaben und E-Mails</h2>
      ${chainTasks.length === 0 ? html`<p>Noch keine Übergaben.</p>` : html`<table><caption class="hint">Übergaben dieser Kette</caption>
        <thead><tr><th scope="col">Aufgabe</th><th scope="col">Stelle</th><th scope="col">Status</th><th scope="col">Angelegt</th></tr></thead>
        <tbody>${chainTasks.map((t) => html`<tr><td><a href="/aufgaben/${t.id}">${t.title}</a></td><td>${t.department.name}</td><td>${t.status}${t.overdue ? ' (überfällig)' : ''}</td><td>${formatDateTime(t.createdAt)}</td></tr>`)}</tbody></table>`}
      ${mails.length === 0 ? html`<p>Noch keine E-Mails.</p>` : html`<table><caption class="hint">E-Mails, älteste zuerst</caption>
        <thead><tr><th scope="col">Betreff</th><th scope="col">An</th><th scope="col">Status</th><th scope="col">Erstellt</th></tr></thead>
        <tbody>${mails.map((m) => html`<tr><td>${m.subject}</td><td>${m.to.join(', ')}</td><td>${mailStatusLabel(m.status)}${m.status === 'sent' && m.sentAt ? ` ${formatDateTime(m.sentAt)}` : m.attempts > 1 ? ` (${m.attempts} Versuche)` : ''}</td><td>${formatDateTime(m.createdAt)}</td></tr>`)}</tbody></table>`}
      ${deps.temporalUiUrl && req.user!.role !== 'caseworker' ? html`<p class="hint">Für Technik: <a href="${deps.temporalUiUrl}/namespaces/default/workflows/${p.workflowId}">Prozess in der Temporal Web UI</a></p>` : ''}
    </section>`;

    const title = `${chainTitle(p.type)} – ${p.case.reference}`;
    const problem = state?.message ? html`<div class="error-summary" role="alert" tabindex="-1" id="fehler"><h2>Aktion nicht möglich</h2><p>${state.message}</p></div>` : '';
    res.status(status).send(view(req, title, html`
      ${notice ? html`<p class="notice ok" role="status">${notice}</p>` : ''}
      ${problem || errorSummary(allErrors)}
      <dl class="facts">
        <dt>Fall</dt><dd><a href="/faelle/${p.caseId}">${p.case.reference}</a></dd>
        <dt>Kette</dt><dd>${chainTitle(p.type)}</dd>
        <dt>Status</dt><dd><span class="status status-${p.status}">${PROCESS_STATUS_LABELS[p.status] ?? p.status}</span>${p.reason && p.status !== 'running' ? html` – Begründung: ${p.reason}` : ''}${!ended && !live ? html` <span class="hint">(Prozess-Server nicht erreichbar – gespeicherter Stand)</span>` : ''}</dd>
        <dt>Version</dt><dd>${p.version}</dd>
        <dt>Fallmanagement</dt><dd>${userName(p.assigneeId)}</dd>
        <dt>Gestartet</dt><dd>${formatDateTime(p.startedAt)} von ${userName(p.startedById)}</dd>
        ${p.completedAt ? html`<dt>Beendet</dt><dd>${formatDateTime(p.completedAt)}</dd>` : ''}
      </dl>
      <div class="process-layout">
        <section aria-labelledby="h-ablauf"><h2 id="h-ablauf">Ablauf</h2>
          ${def ? chainDiagram({ id: p.id, definition: def, status: p.status, steps: p.steps, current: diagramCurrent })
            : html`<p>Die Definition ${p.type} in Version ${p.version} ist nicht mehr installiert.</p>`}
        </section>
        ${currentSection}
      </div>
      ${actions}
      ${handoffs}
      ${history}`));
  }

  const checkId = (raw: string) => raw.slice(0, 64);

  router.get('/prozesse/:id', async (req: Request, res: Response) => {
    const ok = typeof req.query.ok === 'string' ? NOTICES[req.query.ok] : undefined;
    await render(req, res, checkId(String(req.params.id)), 200, undefined, ok);
  });

  /** A service's 400/403/409 → the page again with the message (and per-field messages). */
  async function failed(req: Request, res: Response, id: string, err: unknown, form: string, values: Record<string, string>, fieldOf: (f: string) => string) {
    if (!(err instanceof HttpError) || ![400, 403, 409].includes(err.status)) throw err;
    const errors: FieldErrors = {};
    const prefix: Record<string, string> = { outcome: 'Ergebnis', reason: 'Begründung', caseworkerId: 'Fallmanager/in' };
    for (const d of err.details) {
      const label = prefix[d.field];
      errors[fieldOf(d.field)] ??= label && !d.message.startsWith(label) ? `${label}: ${d.message}` : d.message;
    }
    const message = Object.keys(errors).length ? undefined : err.message;
    return render(req, res, id, err.status, { form, values, errors, message });
  }

  router.post('/prozesse/:id/schritte/:key', async (req: Request, res: Response) => {
    const id = checkId(String(req.params.id));
    const key = String(req.params.key).slice(0, 64);
    const values = strings(req.body);
    const outcome = (values.outcome ?? '').trim();
    const toField = (f: string) => (f.startsWith('data.') ? dataId(f.slice(5)) : f === 'outcome' ? 'outcome' : f);
    try {
      if (req.user!.role !== 'caseworker') throw forbidden('Nur das Fallmanagement erfasst Ergebnisse.');
      if (outcome === 'retry' || outcome === 'skip') {
        await completeStep(deps, req.user!, id, key, { outcome });
        return res.redirect(303, `/prozesse/${id}?ok=${outcome}`);
      }
      const p = await deps.db.process.findUnique({ where: { id }, select: { type: true, version: true } });
      const def: ChainDefinition | undefined = p ? chainDefinitionFor(p.type, p.version) : undefined;
      const step = def?.steps[key];
      if (step) {
        const parsed = parseStepForm(step, values);
        if (!parsed.ok) return render(req, res, id, 400, { form: 'step', values, errors: parsed.errors });
        await completeStep(deps, req.user!, id, key, { outcome: parsed.outcome, data: parsed.data });
      } else {
        await completeStep(deps, req.user!, id, key, { outcome }); // unknown step: the service says 404/409
      }
    } catch (err) {
      return failed(req, res, id, err, 'step', values, toField);
    }
    res.redirect(303, `/prozesse/${id}?ok=schritt`);
  });

  router.post('/prozesse/:id/:action', async (req: Request, res: Response, next) => {
    const segment = String(req.params.action) as keyof typeof ACTIONS;
    if (!Object.prototype.hasOwnProperty.call(ACTIONS, segment)) return next();
    const action: ChainActionName = ACTIONS[segment];
    const id = checkId(String(req.params.id));
    const values = strings(req.body);
    const errors: FieldErrors = {};
    const body: { reason?: string; caseworkerId?: string } = {};
    const reason = (values.reason ?? '').trim();
    if (action === 'hold' || action === 'cancel' || (action === 'reassign' && reason)) {
      const r = cancelBody.safeParse({ reason: reason || undefined });
      if (!r.success) errors[`${action}-reason`] = r.error.issues[0].message;
      else body.reason = r.data.reason;
    }
    if (action === 'reassign') {
      if (!values.caseworkerId) errors['reassign-caseworkerId'] = 'Fallmanager/in: bitte auswählen';
      else body.caseworkerId = values.caseworkerId;
    }
    const toField = (f: string) => (f === 'caseworkerId' ? 'reassign-caseworkerId' : f === 'reason' ? `${action}-reason` : f);
    try {
      if (action === 'cancel' && req.user!.role !== 'caseworker') throw forbidden('Nur das Fallmanagement kann eine Kette abbrechen.');
      if (Object.keys(errors).length) return render(req, res, id, 400, { form: action, values, errors });
      await chainAction(deps, req.user!, id, action, body);
    } catch (err) {
      return failed(req, res, id, err, action, values, toField);
    }
    res.redirect(303, `/prozesse/${id}?ok=${action}`);
  });

  return router;
}

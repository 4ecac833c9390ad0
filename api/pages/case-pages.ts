// Caseworker pages: case list, new person, new case, case detail with live status and follow-up.
import { berlinLocalToIso, formatDate, formatDateTime } from '../../core/format/dates';
import { Router, type Request, type Response } from 'express';
import {
  BENEFIT_TYPES, caseInput, followUpInput, personInput, CASE_STATUSES, CASE_TOPICS,
  type CaseStatus,
} from '../../core/domain/records';
import { caseListFilter } from '../access';
import { actorOf } from '../auth';
import type { AppDeps } from '../deps';
import { HttpError } from '../errors';
import { CHAIN_TYPES, chainDefinitionFor } from '../../core/domain/chains';
import { createHandoffBody, HANDOFF_STEPS, OPEN_TASK_STATUSES } from '../../core/domain/handoff';
import { BENEFIT_LABELS, CASE_STATUS_LABELS as STATUS_LABELS, chainTitle, PROCESS_STATUS_LABELS, TASK_STATUS_LABELS, TOPIC_LABELS } from '../../core/format/labels';
import { csrfField, errorSummary, field, html, page, select, type SafeHtml } from '../html';
import { consentPages, consentSection } from './consent-pages';
import { createCase, createPerson, getCase, listCases, setFollowUp, setStatus } from '../services/cases';
import { startChain } from '../services/chains';
import { createHandoff } from '../services/tasks';
import type { StepPhase } from '../../core/domain/chains/state';
import { chainDiagram } from './chain-diagram';
import { formValues, validateForm, type FieldErrors } from './forms';
import { privacySection } from './privacy-pages';

const statusBadge = (s: CaseStatus) => html`<span class="status status-${s}">${STATUS_LABELS[s]}</span>`;

export function casePages(deps: AppDeps) {
  const router = Router();
  const view = (req: Request, title: string, body: SafeHtml) =>
    page({ title, body, user: req.user, csrf: req.csrfToken, devInbox: Boolean(deps.capture) });
  const needCaseworker = (req: Request) => {
    if (req.user!.role !== 'caseworker') throw new HttpError(403, 'forbidden', 'Nur das Fallmanagement kann Personen und Fälle anlegen.');
  };

  router.get('/', (_req, res) => res.redirect(303, '/faelle'));

  router.get('/faelle', async (req: Request, res: Response) => {
    if (req.user!.role !== 'caseworker' && req.user!.role !== 'supervisor') {
      return res.send(view(req, 'Fälle', html`<p>Ihre Rolle sieht keine Fallakten. Aufgaben Ihrer Stelle erreichen Sie per E-Mail.</p>`));
    }
    const cases = await listCases(deps, caseListFilter(req.user!));
    const created = typeof req.query.angelegt === 'string' ? req.query.angelegt : undefined;
    res.send(view(req, 'Fälle', html`
      ${created ? html`<p class="notice ok" role="status">Fall ${created} wurde angelegt.</p>` : ''}
      ${req.user!.role === 'caseworker' ? html`<p><a class="button" href="/faelle/neu">Neuen Fall anlegen</a></p>` : ''}
      ${cases.length === 0 ? html`<p>Noch keine Fälle.</p>` : html`
      <table>
        <caption class="hint">${cases.length === 1 ? '1 Fall' : `${cases.length} Fälle`}, neueste zuerst</caption>
        <thead><tr><th scope="col">Aktenzeichen</th><th scope="col">Person</th><th scope="col">Thema</th><th scope="col">Status</th><th scope="col">Fallmanagement</th><th scope="col">Angelegt</th></tr></thead>
        <tbody>${cases.map((c) => html`<tr>
          <td><a href="/faelle/${c.id}">${c.reference}</a></td>
          <td>${c.anonymizedAt ? html`<span class="hint">anonymisiert</span>` : html`${c.person.lastName}, ${c.person.firstName}`}</td>
          <td>${TOPIC_LABELS[c.topic]}</td>
          <td>${statusBadge(c.status)}</td>
          <td>${c.caseworker.name}</td>
          <td>${formatDate(c.createdAt)}</td></tr>`)}
        </tbody></table>`}`));
  });

  // --- new person -------------------------------------------------------------------------
  const personForm = (req: Request, values: Record<string, unknown> = {}, errors: FieldErrors = {}) => view(req, 'Neue Person', html`
    ${errorSummary(errors)}
    <p class="hint">Pflichtangaben sind mit * gekennzeichnet.</p>
    <form method="post" action="/personen/neu" novalidate>
      <input type="hidden" name="_csrf" value="${req.csrfToken ?? ''}">
      <input type="hidden" name="_key" value="${String(values._key ?? crypto.randomUUID())}">
      ${field({ name: 'firstName', label: 'Vorname', value: String(values.firstName ?? ''), required: true, error: errors.firstName, attrs: 'autocomplete="off"' })}
      ${field({ name: 'lastName', label: 'Nachname', value: String(values.lastName ?? ''), required: true, error: errors.lastName, attrs: 'autocomplete="off"' })}
      ${field({ name: 'birthDate', label: 'Geburtsdatum', type: 'date', value: String(values.birthDate ?? ''), error: errors.birthDate })}
      ${field({ name: 'householdSize', label: 'Haushaltsgröße (Personen)', type: 'number', value: String(values.householdSize ?? ''), error: errors.householdSize, attrs: 'min="1" max="30" inputmode="numeric"' })}
      ${field({ name: 'shelterId', label: 'Unterkunft (Kennung)', value: String(values.shelterId ?? ''), error: errors.shelterId, hint: 'z. B. NU-Bensberg-12; leer lassen, wenn nicht in einer Notunterkunft' })}
      ${select({ name: 'benefitType', label: 'Leistungsart', value: String(values.benefitType ?? 'none'), error: errors.benefitType, options: BENEFIT_TYPES.map((b) => [b, BENEFIT_LABELS[b]]) })}
      <button type="submit">Person anlegen</button>
    </form>`);

  router.get('/personen/neu', (req, res) => { needCaseworker(req); res.send(personForm(req)); });
  router.post('/personen/neu', async (req: Request, res: Response) => {
    needCaseworker(req);
    const values = formValues(req.body, ['householdSize']);
    const v = validateForm(personInput, values);
    if (!v.ok) return res.status(400).send(personForm(req, { ...values, _key: req.body._key }, v.errors));
    const key = typeof req.body._key === 'string' && /^[\w-]{8,100}$/.test(req.body._key) ? req.body._key : undefined;
    const p = await createPerson(deps, req.user!, actorOf(req), v.data, key);
    res.redirect(303, `/faelle/neu?personId=${p.id}`);
  });

  // --- new case ---------------------------------------------------------------------------
  const caseForm = async (req: Request, values: Record<string, unknown> = {}, errors: FieldErrors = {}) => {
    const persons = await deps.db.person.findMany({ where: { createdById: req.user!.id, anonymizedAt: null }, orderBy: { createdAt: 'desc' }, take: 200, select: { id: true, firstName: true, lastName: true, birthDate: true } });
    return view(req, 'Neuer Fall', html`
      ${errorSummary(errors)}
      <p>Person noch nicht erfasst? <a href="/personen/neu">Neue Person anlegen</a></p>
      <p class="hint">Pflichtangaben sind mit * gekennzeichnet.</p>
      <form method="post" action="/faelle/neu" novalidate>
        <input type="hidden" name="_csrf" value="${req.csrfToken ?? ''}">
        <input type="hidden" name="_key" value="${String(values._key ?? crypto.randomUUID())}">
        ${select({ name: 'personId', label: 'Person', required: true, value: String(values.personId ?? ''), error: errors.personId,
          options: [['', '– bitte wählen –'], ...persons.map((p): [string, string] => [p.id, `${p.lastName}, ${p.firstName}${p.birthDate ? ` (geb. ${formatDate(p.birthDate)})` : ''}`])] })}
        ${select({ name: 'topic', label: 'Thema', required: true, value: String(values.topic ?? 'housing'), error: errors.topic, options: CASE_TOPICS.map((t) => [t, TOPIC_LABELS[t]]) })}
        <button type="submit">Fall anlegen</button>
      </form>`);
  };

  router.get('/faelle/neu', async (req, res) => {
    needCaseworker(req);
    res.send(await caseForm(req, { personId: req.query.personId }));
  });
  router.post('/faelle/neu', async (req: Request, res: Response) => {
    needCaseworker(req);
    const values = formValues(req.body);
    const v = validateForm(caseInput, values);
    if (!v.ok) return res.status(400).send(await caseForm(req, { ...values, _key: req.body._key }, v.errors));
    const key = typeof req.body._key === 'string' && /^[\w-]{8,100}$/.test(req.body._key) ? req.body._key : undefined;
    try {
      const c = await createCase(deps, req.user!, actorOf(req), v.data, key);
      res.redirect(303, `/faelle/${c.id}`);
    } catch (err) {
      if (err instanceof HttpError && err.status === 400) {
        return res.status(400).send(await caseForm(req, { ...values, _key: req.body._key }, Object.fromEntries(err.details.map((d) => [d.field, d.message]))));
      }
      throw err;
    }
  });

  // --- case detail ------------------------------------------------------------------------
  const detail = async (req: Request, id: string, errors: FieldErrors = {}, notice?: string, typed: Record<string, string> = {}, problem?: SafeHtml) => {
    const { record: c, live, status } = await getCase(deps, req.user!, actorOf(req), id);
    const pending = c.followUps.find((f) => !f.cancelledAt && !f.remindedAt);
    const canChange = req.user!.role === 'caseworker';
    const [processes, tasks, departments] = await Promise.all([
      deps.db.process.findMany({ where: { caseId: c.id }, orderBy: [{ startedAt: 'desc' }, { id: 'desc' }], include: { steps: { orderBy: { seq: 'asc' } } } }),
      deps.db.task.findMany({ where: { caseId: c.id }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 200 }),
      deps.db.department.findMany({ orderBy: { name: 'asc' }, select: { id: true, name: true } }),
    ]);
    const deptName = (d?: string | null) => (d ? departments.find((x) => x.id === d)?.name ?? d : '');
    const open = status !== 'closed' && !c.anonymizedAt;
    const chains = html`<section aria-labelledby="h-ketten"><h2 id="h-ketten">Ketten</h2>
      ${processes.length === 0 ? html`<p>Für diesen Fall läuft noch keine Kette.</p>` : html`<div class="cards">${processes.map((p) => {
        const def = chainDefinitionFor(p.type, p.version);
        const ended = p.status === 'completed' || p.status === 'cancelled';
        const latest = [...p.steps].reverse().find((x) => x.key === p.currentStep);
        const task = latest?.taskId ? tasks.find((t) => t.id === latest.taskId) : undefined;
        const due = p.currentStatus === 'handoff' ? p.dueAt ?? (task ? (task.status === 'accepted' ? task.dueAt : task.ackDueAt) : null) : p.currentStatus === 'waiting' ? null : p.dueAt;
        const current = !ended && p.currentStep && p.currentStatus ? {
          key: p.currentStep, phase: p.currentStatus as StepPhase,
          holder: p.currentStatus === 'handoff' ? deptName(p.currentDepartment ?? task?.departmentId) : 'Fallmanagement',
          dueAt: due, activeFrom: p.currentStatus === 'waiting' ? p.dueAt : null, overdue: p.overdue,
        } : undefined;
        return html`<section class="card" aria-labelledby="h-kette-${p.id}"><h3 id="h-kette-${p.id}">${chainTitle(p.type)}</h3>
          <dl class="facts">
            <dt>Status</dt><dd><span class="status status-${p.status}">${PROCESS_STATUS_LABELS[p.status] ?? p.status}</span>${p.reason && p.status !== 'running' ? html` – ${p.reason}` : ''}</dd>
            <dt>Gestartet</dt><dd>${formatDateTime(p.startedAt)}</dd>
            ${current ? html`<dt>Aktueller Schritt</dt><dd>${p.currentTitle ?? p.currentStep}${p.overdue ? html` <strong class="overdue">überfällig</strong>` : ''}</dd>` : ''}
          </dl>
          ${def ? chainDiagram({ id: p.id, definition: def, status: p.status, steps: p.steps, current }) : ''}
          <p><a href="/prozesse/${p.id}">Prozess öffnen: ${chainTitle(p.type)}</a></p>
        </section>`;
      })}</div>`}
      ${canChange && open ? html`<h3 id="h-kette-start">Kette starten</h3>
        <form method="post" action="/faelle/${c.id}/ketten" novalidate aria-labelledby="h-kette-start">
          ${csrfField(req.csrfToken)}
          ${select({ name: 'type', id: 'f-chainType', label: 'Art der Kette', required: true, value: typed.chainType, error: errors.chainType,
            options: CHAIN_TYPES.map((t): [string, string] => [t, chainTitle(t)]) })}
          <button type="submit">Kette starten</button>
        </form>` : ''}
    </section>`;
    const handoffs = html`<section aria-labelledby="h-uebergaben"><h2 id="h-uebergaben">Übergaben</h2>
      ${tasks.length === 0 ? html`<p>Keine Übergaben.</p>` : html`<table>
        <caption class="hint">${tasks.length === 1 ? '1 Übergabe' : `${tasks.length} Übergaben`}, neueste zuerst</caption>
        <thead><tr><th scope="col">Schritt</th><th scope="col">Stelle</th><th scope="col">Status</th><th scope="col">Frist</th></tr></thead>
        <tbody>${tasks.map((t) => {
          const due = t.status === 'accepted' ? t.dueAt : t.ackDueAt;
          const isOpen = OPEN_TASK_STATUSES.includes(t.status);
          return html`<tr><td><a href="/aufgaben/${t.id}">${HANDOFF_STEPS[t.stepKey]?.title ?? t.title}</a></td><td>${deptName(t.departmentId)}</td>
            <td>${TASK_STATUS_LABELS[t.status]}${t.overdue && isOpen ? html` <strong class="overdue">überfällig</strong>` : ''}</td>
            <td>${due && isOpen ? html`${t.status === 'accepted' ? 'erledigen bis' : 'bestätigen bis'} ${formatDateTime(due)}` : '–'}</td></tr>`;
        })}</tbody></table>`}
      ${canChange && open ? html`<h3 id="h-uebergabe-neu">Schritt an eine Stelle übergeben</h3>
        <form method="post" action="/faelle/${c.id}/uebergaben" novalidate aria-labelledby="h-uebergabe-neu">
          ${csrfField(req.csrfToken)}
          ${select({ name: 'step', id: 'f-handoffStep', label: 'Schritt', required: true, value: typed.handoffStep, error: errors.handoffStep,
            options: [['', '– bitte wählen –'], ...Object.values(HANDOFF_STEPS).map((h): [string, string] => [h.key, h.title])] })}
          ${select({ name: 'department', id: 'f-handoffDepartment', label: 'An Stelle', required: true, value: typed.handoffDepartment, error: errors.handoffDepartment,
            options: [['', '– bitte wählen –'], ...departments.map((d): [string, string] => [d.id, d.name])] })}
          <button type="submit">Übergeben</button>
        </form>` : ''}
    </section>`;
    return view(req, `Fall ${c.reference}`, html`
      ${notice ? html`<p class="notice ok" role="status">${notice}</p>` : ''}
      ${problem ?? errorSummary(errors)}
      <dl class="facts">
        ${c.anonymizedAt ? html`<dt>Person</dt><dd>anonymisiert</dd><dt>Anonymisiert</dt><dd>Anonymisiert am ${formatDate(c.anonymizedAt)} (Löschfrist nach Abschluss abgelaufen)</dd>`
          : html`<dt>Person</dt><dd>${c.person.lastName}, ${c.person.firstName}${c.person.birthDate ? ` (geb. ${formatDate(c.person.birthDate)})` : ''}</dd>`}
        <dt>Leistungsart</dt><dd>${BENEFIT_LABELS[c.person.benefitType]}</dd>
        <dt>Thema</dt><dd>${TOPIC_LABELS[c.topic]}</dd>
        <dt>Status</dt><dd><span data-live-status="/faelle/${c.id}/status" aria-live="polite">${STATUS_LABELS[status]}</span>${live ? '' : html` <span class="hint">(Prozess-Server nicht erreichbar – gespeicherter Stand)</span>`}</dd>
        <dt>Fallmanagement</dt><dd>${c.caseworker.name}</dd>
        <dt>Angelegt</dt><dd>${formatDateTime(c.createdAt)}</dd>
        <dt>Wiedervorlage</dt><dd>${pending ? formatDateTime(pending.dueAt) : 'keine offen'}</dd>
      </dl>
      ${canChange && open ? html`
      <section aria-labelledby="h-wv"><h2 id="h-wv">Wiedervorlage setzen</h2>
        <form method="post" action="/faelle/${c.id}/wiedervorlage" novalidate>
          <input type="hidden" name="_csrf" value="${req.csrfToken ?? ''}">
          ${field({ name: 'dueAt', label: 'Wiedervorlage am', type: 'datetime-local', required: true, value: typed.dueAt, error: errors.dueAt, hint: 'Datum und Uhrzeit; Sie erhalten dann eine Erinnerung per E-Mail.' })}
          ${field({ name: 'note', label: 'Notiz (optional)', value: typed.note, error: errors.note })}
          <button type="submit">Wiedervorlage speichern</button>
        </form></section>
      <section aria-labelledby="h-st"><h2 id="h-st">Status ändern</h2>
        <form method="post" action="/faelle/${c.id}/status" novalidate>
          <input type="hidden" name="_csrf" value="${req.csrfToken ?? ''}">
          ${select({ name: 'status', label: 'Neuer Status', value: status, error: errors.status, options: CASE_STATUSES.map((s) => [s, STATUS_LABELS[s]]) })}
          <button type="submit">Status speichern</button>
        </form></section>` : ''}
      <section aria-labelledby="h-wvl"><h2 id="h-wvl">Wiedervorlagen</h2>
        ${c.followUps.length ? html`<ul>${c.followUps.map((f) => html`<li>${formatDateTime(f.dueAt)}${f.note ? ` – ${f.note}` : ''}: ${f.remindedAt ? `erinnert am ${formatDateTime(f.remindedAt)}` : f.cancelledAt ? 'ersetzt' : 'offen'}</li>`)}</ul>` : html`<p>Keine.</p>`}
      </section>
      ${chains}
      ${handoffs}
      ${consentSection(req, c, departments, canChange && open, errors, typed)}
      ${privacySection(req.user!, c.id, c.personId)}`);
  };

  router.get('/faelle/:id', async (req: Request, res: Response) => {
    const notice = req.query.ok === 'wv' ? 'Wiedervorlage gespeichert.' : req.query.ok === 'status' ? 'Status gespeichert.'
      : req.query.ok === 'uebergabe' ? 'Übergabe angelegt; die Stelle wird per E-Mail benachrichtigt.'
        : req.query.ok === 'einwilligung' ? 'Einwilligung gespeichert. Schritte, die auf sie gewartet haben, werden jetzt übergeben.'
          : req.query.ok === 'widerruf' ? 'Einwilligung widerrufen. Offene Übergaben an Stellen, die sie nicht mehr abdeckt, wurden abgebrochen und die Stellen informiert.' : undefined;
    res.send(await detail(req, String(req.params.id), {}, notice));
  });

  router.get('/faelle/:id/status', async (req: Request, res: Response) => {
    const { status } = await getCase(deps, req.user!, actorOf(req), String(req.params.id));
    res.json({ status, label: STATUS_LABELS[status] });
  });

  router.post('/faelle/:id/wiedervorlage', async (req: Request, res: Response) => {
    const id = String(req.params.id);
    const values = formValues(req.body);
    // What was typed goes back into the form on an error; the date-time input's own value, not the ISO form.
    const typed = { dueAt: String(values.dueAt ?? ''), note: String(values.note ?? '') };
    const iso = typeof values.dueAt === 'string' ? berlinLocalToIso(values.dueAt) : undefined;
    // The schema's message speaks ISO (for the JSON API); the form asks for a date and a time.
    if (!iso) {
      const dueAt = values.dueAt === undefined ? 'Wiedervorlage am: bitte Datum und Uhrzeit angeben' : 'Wiedervorlage am: bitte Datum und Uhrzeit angeben (TT.MM.JJJJ, hh:mm)';
      return res.status(400).send(await detail(req, id, { dueAt }, undefined, typed));
    }
    const v = validateForm(followUpInput, { ...values, dueAt: iso });
    if (!v.ok) return res.status(400).send(await detail(req, id, v.errors, undefined, typed));
    try {
      await setFollowUp(deps, req.user!, actorOf(req), id, v.data);
    } catch (err) {
      if (err instanceof HttpError && (err.status === 400 || err.status === 409)) return res.status(err.status).send(await detail(req, id, { dueAt: err.message }, undefined, typed));
      throw err;
    }
    res.redirect(303, `/faelle/${id}?ok=wv`);
  });

  router.post('/faelle/:id/status', async (req: Request, res: Response) => {
    const id = String(req.params.id);
    const status = String(req.body?.status ?? '');
    if (!(CASE_STATUSES as readonly string[]).includes(status)) return res.status(400).send(await detail(req, id, { status: 'Status: bitte einen gültigen Status wählen' }));
    try {
      await setStatus(deps, req.user!, actorOf(req), id, status as CaseStatus);
    } catch (err) {
      if (err instanceof HttpError && err.status === 409) return res.status(409).send(await detail(req, id, { status: err.message }));
      throw err;
    }
    res.redirect(303, `/faelle/${id}?ok=status`);
  });

  // --- chains and handoffs ------------------------------------------------------------------
  /** A 409 with a link to what already runs: the message in an alert, not an error summary of fields. */
  const conflictBox = (message: string, link?: { href: string; text: string }) => html`<div class="error-summary" role="alert" tabindex="-1" id="fehler">
    <h2>Nicht möglich</h2><p>${message}${link ? html` <a href="${link.href}">${link.text}</a>` : ''}</p></div>`;

  router.post('/faelle/:id/ketten', async (req: Request, res: Response) => {
    const id = String(req.params.id);
    if (req.user!.role !== 'caseworker') throw new HttpError(403, 'forbidden', 'Nur das Fallmanagement kann Ketten starten.');
    const type = typeof req.body?.type === 'string' ? req.body.type.trim() : '';
    const typed = { chainType: type };
    if (!(CHAIN_TYPES as readonly string[]).includes(type)) {
      return res.status(400).send(await detail(req, id, { chainType: 'Art der Kette: bitte eine Kette auswählen' }, undefined, typed));
    }
    try {
      const p = await startChain(deps, req.user!, actorOf(req), id, type);
      // The workflow records its first step a moment after the start: wait briefly for it, so that the
      // process page shows the step and its history at once (if the worker is slow, the page says so).
      for (let i = 0; i < 30; i++) {
        const row = await deps.db.process.findUnique({ where: { id: p.id }, select: { currentStep: true, status: true } });
        if (row?.currentStep || row?.status !== 'running') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      res.redirect(303, `/prozesse/${p.id}`);
    } catch (err) {
      if (err instanceof HttpError && err.status === 409) {
        const running = typeof err.extra.id === 'string' ? err.extra.id : undefined;
        return res.status(409).send(await detail(req, id, {}, undefined, typed,
          conflictBox(err.message, running ? { href: `/prozesse/${running}`, text: 'Zur laufenden Kette' } : undefined)));
      }
      if (err instanceof HttpError && (err.status === 400 || err.status === 403)) {
        return res.status(err.status).send(await detail(req, id, { chainType: err.message }, undefined, typed));
      }
      throw err;
    }
  });

  router.post('/faelle/:id/uebergaben', async (req: Request, res: Response) => {
    const id = String(req.params.id);
    if (req.user!.role !== 'caseworker') throw new HttpError(403, 'forbidden', 'Nur das Fallmanagement kann Schritte an Stellen übergeben.');
    const values = formValues(req.body);
    const typed = { handoffStep: String(values.step ?? ''), handoffDepartment: String(values.department ?? '') };
    const r = createHandoffBody.safeParse(values);
    if (!r.success) {
      const errors: FieldErrors = {};
      for (const i of r.error.issues) {
        const f = i.path[0] === 'department' ? 'handoffDepartment' : 'handoffStep';
        errors[f] ??= f === 'handoffStep' ? 'Schritt: bitte einen Schritt auswählen' : 'An Stelle: bitte eine Stelle auswählen';
      }
      return res.status(400).send(await detail(req, id, errors, undefined, typed));
    }
    try {
      await createHandoff(deps, req.user!, actorOf(req), id, r.data);
    } catch (err) {
      if (err instanceof HttpError && err.status === 409) {
        const taskId = typeof err.extra.taskId === 'string' ? err.extra.taskId : undefined;
        return res.status(409).send(await detail(req, id, {}, undefined, typed,
          conflictBox(err.message, taskId ? { href: `/aufgaben/${taskId}`, text: 'Zur offenen Übergabe' } : undefined)));
      }
      if (err instanceof HttpError && (err.status === 400 || err.status === 403)) {
        const errors = err.details.length
          ? Object.fromEntries(err.details.map((d) => [d.field === 'department' ? 'handoffDepartment' : 'handoffStep', d.message]))
          : { handoffStep: err.message };
        return res.status(err.status).send(await detail(req, id, errors, undefined, typed));
      }
      throw err;
    }
    res.redirect(303, `/faelle/${id}?ok=uebergabe`);
  });

  router.use(consentPages(deps, detail));
  return router;
}

// The working meeting pages (issue 15): meeting series (the KI's working meetings, the 5-50/5-53
// exchange), a meeting with its date, participants, agenda, minutes and agreed to-dos with their owner
// (a to-do stands on its owner's start page until done). Cases are named by reference only: a person's
// name in the minutes, the agenda or a to-do is refused by the service's check and shown at that field.
// German messages at the fields, input kept, nothing written on error; `_key` against a double submit.
import type { Request, Response } from 'express';
import { formatDateTime, berlinLocalToIso, formatDate } from '../../core/format/dates';
import { MEETING_KIND_LABELS, meetingKindLabel } from '../../core/format/labels';
import { actorOf } from '../auth';
import type { AppDeps } from '../deps';
import { notFound } from '../errors';
import { csrfField, errorSummary, field, html, select, textarea, type SafeHtml } from '../html';
import {
  createMeeting,
  createSeries,
  listSeries,
  MEETING_KINDS,
  meetingInput,
  meetingSeriesInput,
  seriesDetail,
  todoDone,
} from '../services/meetings';
import { formKey } from '../submission';
import { formValues } from './forms';
import { bestandNav, bodyOf, checkForm, fieldErrorsOf, idOf, MANAGE, notice } from './offer-page-kit';
import { layout, pageRouter } from './page-route';

const TODO_ROWS = 3;
const LABELS: Record<string, string> = {
  at: 'Termin',
  participants: 'Teilnehmende',
  agenda: 'Tagesordnung',
  minutes: 'Protokoll',
  ...Object.fromEntries(
    Array.from({ length: TODO_ROWS }, (_, i) => [
      [`todo${i}Text`, `Aufgabe ${i + 1}`],
      [`todo${i}Owner`, `Aufgabe ${i + 1}, Verantwortliche/r`],
      [`todo${i}Due`, `Aufgabe ${i + 1}, fällig am`],
      [`todo${i}Case`, `Aufgabe ${i + 1}, Aktenzeichen`],
    ]).flat(),
  ),
};
const TODO_FIELD: Record<string, string> = { text: 'Text', ownerId: 'Owner', due: 'Due', caseReference: 'Case' };

const lines = (v: string) =>
  v
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
  key?: string;
}

export function meetingPages(deps: AppDeps) {
  const pages = pageRouter();

  pages.get('/bestand/treffen', MANAGE, async (req: Request, res: Response) => {
    const series = await listSeries(deps.db);
    res.send(
      layout(
        deps,
        req,
        'Arbeitstreffen und Besprechungsreihen',
        html`${bestandNav('/bestand/treffen')}
        <p><a href="/bestand/treffen/neu">Neue Besprechungsreihe anlegen</a></p>
        ${
          series.length
            ? html`<table><caption>Besprechungsreihen</caption><thead><tr><th scope="col">Reihe</th><th scope="col">Art</th><th scope="col">Treffen</th></tr></thead>
          <tbody>${series.map((s) => html`<tr><th scope="row"><a href="/bestand/treffen/${s.id}">${s.title}</a></th><td>${meetingKindLabel(s.kind)}</td><td>${s.meetings}</td></tr>`)}</tbody></table>`
            : html`<p>Noch keine Besprechungsreihen.</p>`
        }`,
      ),
    );
  });

  const seriesForm = (req: Request, res: Response, status: number, s: FormState) =>
    res.status(status).send(
      layout(
        deps,
        req,
        'Neue Besprechungsreihe',
        html`${bestandNav('/bestand/treffen')}${errorSummary(s.errors)}
        <form method="post" action="/bestand/treffen/neu" novalidate>${csrfField(req.csrfToken, s.key)}
          ${select({
            name: 'kind',
            label: 'Art',
            required: true,
            value: s.values.kind,
            error: s.errors.kind,
            options: [['', 'bitte wählen'], ...MEETING_KINDS.map((k) => [k, MEETING_KIND_LABELS[k]] as [string, string])],
          })}
          ${field({ name: 'title', label: 'Titel', required: true, value: s.values.title, error: s.errors.title })}
          <button type="submit">Besprechungsreihe anlegen</button>
        </form>
        <p><a href="/bestand/treffen">Abbrechen</a></p>`,
      ),
    );
  pages.get('/bestand/treffen/neu', MANAGE, (req: Request, res: Response) => seriesForm(req, res, 200, { values: {}, errors: {} }));
  pages.post('/bestand/treffen/neu', MANAGE, async (req: Request, res: Response) => {
    const b = bodyOf(req);
    const values = { kind: (b.kind ?? '').trim(), title: (b.title ?? '').trim() };
    const key = formKey(req);
    const r = checkForm(meetingSeriesInput, formValues(values));
    if (!r.ok) return seriesForm(req, res, 400, { values, errors: r.errors, key });
    const s = await createSeries(deps.db, req.user!, actorOf(req), r.data, key);
    res.redirect(303, `/bestand/treffen/${s.id}?ok=angelegt`);
  });

  const staff = () =>
    deps.db.user.findMany({
      where: { active: true, role: { in: ['caseworker', 'supervisor'] } },
      select: { id: true, name: true },
      orderBy: { name: 'asc' },
    });

  const NOTICES: Record<string, string> = {
    angelegt: 'Besprechungsreihe angelegt.',
    treffen: 'Treffen festgehalten. Die Aufgaben stehen auf den Startseiten ihrer Verantwortlichen.',
    erledigt: 'Aufgabe erledigt.',
  };
  pages.get('/bestand/treffen/:id', MANAGE, async (req: Request, res: Response) => {
    const id = idOf(req, 'id', 'Besprechungsreihe');
    const s = await seriesDetail(deps.db, actorOf(req), id);
    const names = new Map((await staff()).map((u) => [u.id, u.name]));
    const ok = typeof req.query.ok === 'string' ? NOTICES[req.query.ok] : undefined;
    const mayTick = (ownerId: string) => ownerId === req.user!.id || req.user!.role === 'supervisor';
    const meeting = (m: (typeof s.meetings)[number]): SafeHtml => html`<section aria-labelledby="m-${m.id}">
      <h3 id="m-${m.id}">Treffen am ${formatDateTime(m.at)}</h3>
      <dl class="facts">
        <dt>Teilnehmende</dt><dd>${m.participants.length ? m.participants.join(', ') : '–'}</dd>
        <dt>Fälle (Aktenzeichen)</dt><dd>${m.caseReferences.length ? m.caseReferences.join(', ') : '–'}</dd>
      </dl>
      <h4>Tagesordnung</h4>
      ${m.agenda.length ? html`<ol>${m.agenda.map((a) => html`<li>${a}</li>`)}</ol>` : html`<p>–</p>`}
      <h4>Protokoll</h4>
      <p class="pre">${m.minutes ?? '–'}</p>
      <h4>Aufgaben</h4>
      ${
        m.todos.length
          ? html`<table><caption>Vereinbarte Aufgaben</caption><thead><tr><th scope="col">Aufgabe</th><th scope="col">Verantwortlich</th><th scope="col">Fällig</th><th scope="col">Fall</th><th scope="col">Stand</th></tr></thead>
        <tbody>${m.todos.map(
          (t) =>
            html`<tr><th scope="row">${t.text}</th><td>${names.get(t.ownerId) ?? '–'}</td><td>${formatDate(t.dueAt)}</td><td>${t.caseReference ?? '–'}</td><td>${
              t.doneAt
                ? html`erledigt am ${formatDate(t.doneAt)}`
                : mayTick(t.ownerId)
                  ? html`<form method="post" action="/bestand/treffen/aufgaben/${t.id}/erledigt">${csrfField(req.csrfToken)}<button type="submit" aria-label="Aufgabe „${t.text}“ erledigt">Erledigt</button></form>`
                  : 'offen'
            }</td></tr>`,
        )}</tbody></table>`
          : html`<p>Keine Aufgaben.</p>`
      }
    </section>`;
    res.send(
      layout(
        deps,
        req,
        `Besprechungsreihe: ${s.title}`,
        html`${bestandNav('/bestand/treffen')}${notice(ok)}
        <p>${meetingKindLabel(s.kind)}</p>
        <p><a href="/bestand/treffen/${s.id}/neu">Neues Treffen festhalten</a></p>
        <h2>Treffen (${s.meetings.length})</h2>
        ${s.meetings.length ? s.meetings.map(meeting) : html`<p>Noch keine Treffen.</p>`}
        <p><a href="/bestand/treffen">Alle Besprechungsreihen</a></p>`,
      ),
    );
  });

  async function meetingForm(req: Request, res: Response, seriesId: string, status: number, s: FormState) {
    const series = await deps.db.meetingSeries.findUnique({ where: { id: seriesId }, select: { title: true } });
    if (!series) throw notFound('Besprechungsreihe');
    const users = await staff();
    const v = s.values;
    const todo = (i: number) => html`<fieldset><legend>Aufgabe ${i + 1}</legend>
      ${field({ name: `todo${i}Text`, label: `Aufgabe ${i + 1}: was`, value: v[`todo${i}Text`], error: s.errors[`todo${i}Text`] })}
      ${select({
        name: `todo${i}Owner`,
        label: `Aufgabe ${i + 1}: verantwortlich`,
        value: v[`todo${i}Owner`],
        error: s.errors[`todo${i}Owner`],
        options: [['', 'bitte wählen'], ...users.map((u) => [u.id, u.name] as [string, string])],
      })}
      ${field({ name: `todo${i}Due`, label: `Aufgabe ${i + 1}: fällig am`, type: 'date', value: v[`todo${i}Due`], error: s.errors[`todo${i}Due`] })}
      ${field({ name: `todo${i}Case`, label: `Aufgabe ${i + 1}: Aktenzeichen (optional)`, value: v[`todo${i}Case`], error: s.errors[`todo${i}Case`] })}
    </fieldset>`;
    res.status(status).send(
      layout(
        deps,
        req,
        `Neues Treffen: ${series.title}`,
        html`${bestandNav('/bestand/treffen')}${errorSummary(s.errors)}
        <p>Fälle bitte nur mit Aktenzeichen (KIM-JJJJ-NNNN) nennen, nie mit dem Namen einer Person.</p>
        <form method="post" action="/bestand/treffen/${seriesId}/neu" novalidate>${csrfField(req.csrfToken, s.key)}
          ${field({ name: 'at', label: 'Termin (Datum und Uhrzeit)', type: 'datetime-local', required: true, value: v.at, error: s.errors.at })}
          ${textarea({ name: 'participants', label: 'Teilnehmende', hint: 'Eine Person oder Stelle je Zeile.', value: v.participants, error: s.errors.participants })}
          ${textarea({ name: 'agenda', label: 'Tagesordnung', hint: 'Ein Punkt je Zeile.', value: v.agenda, error: s.errors.agenda })}
          ${textarea({ name: 'minutes', label: 'Protokoll', rows: 8, maxlength: 20_000, value: v.minutes, error: s.errors.minutes })}
          <h2>Vereinbarte Aufgaben</h2>
          ${Array.from({ length: TODO_ROWS }, (_, i) => todo(i))}
          <button type="submit">Treffen festhalten</button>
        </form>
        <p><a href="/bestand/treffen/${seriesId}">Abbrechen</a></p>`,
      ),
    );
  }

  pages.get('/bestand/treffen/:id/neu', MANAGE, (req: Request, res: Response) =>
    meetingForm(req, res, idOf(req, 'id', 'Besprechungsreihe'), 200, { values: {}, errors: {} }),
  );
  pages.post('/bestand/treffen/:id/neu', MANAGE, async (req: Request, res: Response) => {
    const seriesId = idOf(req, 'id', 'Besprechungsreihe');
    const b = bodyOf(req);
    const names = ['at', 'participants', 'agenda', 'minutes', ...Object.keys(LABELS).filter((k) => k.startsWith('todo'))];
    const values = Object.fromEntries(names.map((n) => [n, (b[n] ?? '').trim()]));
    const key = formKey(req);
    const errors: Record<string, string> = {};
    const at = berlinLocalToIso(values.at);
    if (!at) errors.at = 'Termin: Datum und Uhrzeit angeben (TT.MM.JJJJ, HH:MM)';
    const rows = Array.from({ length: TODO_ROWS }, (_, i) => i).filter((i) =>
      ['Text', 'Owner', 'Due', 'Case'].some((f) => values[`todo${i}${f}`]),
    );
    // a path of the input (e.g. todos.1.text, agenda.0) → the form field
    const fieldOf = (path: string) => {
      const [top, n, sub] = path.split('.');
      if (top === 'todos' && n !== undefined) return `todo${rows[Number(n)] ?? 0}${TODO_FIELD[sub] ?? 'Text'}`;
      return LABELS[top] ? top : 'minutes';
    };
    const input = {
      at: at ?? '',
      participants: lines(values.participants),
      agenda: lines(values.agenda),
      ...(values.minutes ? { minutes: values.minutes } : {}),
      todos: rows.map((i) =>
        formValues({
          text: values[`todo${i}Text`],
          ownerId: values[`todo${i}Owner`],
          due: values[`todo${i}Due`],
          caseReference: values[`todo${i}Case`],
        }),
      ),
    };
    const parsed = checkForm(meetingInput, input, fieldOf);
    if (!parsed.ok) for (const [f, m] of Object.entries(parsed.errors)) if (f !== 'at' || !errors.at) errors[f] ??= m;
    if (Object.keys(errors).length || !parsed.ok) return meetingForm(req, res, seriesId, 400, { values, errors, key });
    try {
      await createMeeting(deps.db, req.user!, actorOf(req), seriesId, parsed.data, key);
    } catch (err) {
      const errs = fieldErrorsOf(err, fieldOf, 'minutes', LABELS);
      if (!errs) throw err;
      return meetingForm(req, res, seriesId, 400, { values, errors: errs, key });
    }
    res.redirect(303, `/bestand/treffen/${seriesId}?ok=treffen`);
  });

  pages.post('/bestand/treffen/aufgaben/:id/erledigt', MANAGE, async (req: Request, res: Response) => {
    const id = idOf(req, 'id', 'Aufgabe');
    const t = await todoDone(deps.db, req.user!, actorOf(req), id);
    const m = await deps.db.meetingTodo.findUniqueOrThrow({ where: { id: t.id }, select: { meeting: { select: { seriesId: true } } } });
    res.redirect(303, `/bestand/treffen/${m.meeting.seriesId}?ok=erledigt`);
  });

  return pages.router;
}

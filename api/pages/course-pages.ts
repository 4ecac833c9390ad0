// The inventory's overview (/bestand) and the course pages (issue 15): the list of courses with seats,
// reserved and free seats; the new and edit forms (German messages at the fields, input kept, nothing
// written on error, `_key` against a double submit); a course's page with the education/work chains
// waiting at the step it serves (the course matching with its German reasons) and, for the caseworker,
// „Platz vorschlagen“ through the same seat proposal as the JSON route: the last seat goes to one click,
// the other one sees the 409 as a German message; the same form sent twice ends on the same notice.
import type { Request, Response } from 'express';
import { COURSE_KINDS, COURSE_LEVELS, courseInput } from '../../core/domain/inventory/education';
import { formatDate, formatDay } from '../../core/format/dates';
import { BESTAND_SECTIONS, courseKindLabel, COURSE_KIND_LABELS } from '../../core/format/labels';
import { actorOf } from '../auth';
import type { AppDeps } from '../deps';
import { HttpError } from '../errors';
import { csrfField, errorSummary, field, html, select, type SafeHtml } from '../html';
import { updateCourse } from '../services/course-edit';
import { formClaimed, onceForm } from '../services/form-once';
import { courseMatches, courseOr404, courseView, createCourse, listCourses, proposeSeat } from '../services/education';
import { listPartners } from '../services/inventory';
import { formKey } from '../submission';
import { formValues } from './forms';
import { bestandNav, bodyOf, checkForm, fieldErrorsOf, idOf, isUuid, MANAGE, notice, problemBox, PROPOSE } from './offer-page-kit';
import { layout, pageRouter } from './page-route';

const EDUCATION_PARTNERS = ['course_provider', 'training_provider', 'school', 'counselling', 'office'];
const FIELDS = ['partnerId', 'kind', 'level', 'title', 'start', 'end', 'seats', 'reserved', 'place', 'district'] as const;
const LABELS: Record<string, string> = {
  partnerId: 'Träger',
  kind: 'Art',
  level: 'Niveau',
  title: 'Titel',
  start: 'Beginn',
  end: 'Ende',
  seats: 'Plätze',
  reserved: 'Reservierte Plätze',
  place: 'Ort',
  district: 'Stadtteil',
};

interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
  key?: string;
}

export function coursePages(deps: AppDeps) {
  const pages = pageRouter();

  pages.get('/bestand', MANAGE, (req: Request, res: Response) => {
    res.send(
      layout(
        deps,
        req,
        'Bestand: Wohnungen, Bildung, Partner',
        html`<p>Bestandsaufnahme und Angebote für die Ketten.</p>
        <ul class="cards">${BESTAND_SECTIONS.map(([href, label, hint]) => html`<li><a href="${href}">${label}</a> – ${hint}</li>`)}</ul>`,
      ),
    );
  });

  pages.get('/bestand/kurse', MANAGE, async (req: Request, res: Response) => {
    const [courses, partners] = await Promise.all([listCourses(deps.db, {}), listPartners(deps.db, {})]);
    const names = new Map(partners.map((p) => [p.id, p.name]));
    res.send(
      layout(
        deps,
        req,
        'Kurse und Bildungsangebote',
        html`${bestandNav('/bestand/kurse')}${notice(req.query.ok === 'angelegt' ? 'Kurs angelegt.' : undefined)}
        <p><a href="/bestand/kurse/neu">Neuen Kurs anlegen</a></p>
        ${
          courses.length
            ? html`<table><caption>Kurse (frühester Beginn zuerst)</caption>
          <thead><tr><th scope="col">Kurs</th><th scope="col">Träger</th><th scope="col">Art</th><th scope="col">Niveau</th><th scope="col">Beginn</th><th scope="col">Ende</th><th scope="col">Plätze</th><th scope="col">Reserviert</th><th scope="col">Vergeben</th><th scope="col">Frei</th></tr></thead>
          <tbody>${courses.map(
            (c) =>
              html`<tr><th scope="row"><a href="/bestand/kurse/${c.id}">${c.reference}</a><br>${c.title}</th><td>${names.get(c.partnerId) ?? '–'}</td><td>${courseKindLabel(c.kind)}</td><td>${c.level ?? '–'}</td><td>${formatDay(c.start)}</td><td>${formatDay(c.end, '–')}</td><td>${c.seats}</td><td>${c.reserved}</td><td>${c.taken}</td><td>${c.free}</td></tr>`,
          )}</tbody></table>`
            : html`<p>Noch keine Kurse.</p>`
        }`,
      ),
    );
  });

  async function form(req: Request, res: Response, status: number, s: FormState, courseId?: string) {
    const partners = (await listPartners(deps.db, {})).filter((p) => EDUCATION_PARTNERS.includes(p.kind));
    const v = s.values;
    const action = courseId ? `/bestand/kurse/${courseId}/bearbeiten` : '/bestand/kurse/neu';
    const title = courseId ? 'Kurs bearbeiten' : 'Neuer Kurs';
    res.status(status).send(
      layout(
        deps,
        req,
        title,
        html`${bestandNav('/bestand/kurse')}${errorSummary(s.errors)}
        <form method="post" action="${action}" novalidate>${csrfField(req.csrfToken, s.key)}
          ${select({
            name: 'partnerId',
            label: 'Träger',
            required: true,
            value: v.partnerId,
            error: s.errors.partnerId,
            options: [
              ['', partners.length ? 'bitte wählen' : 'noch kein Bildungsträger erfasst'],
              ...partners.map((p) => [p.id, p.name] as [string, string]),
            ],
          })}
          ${select({
            name: 'kind',
            label: 'Art',
            required: true,
            value: v.kind,
            error: s.errors.kind,
            options: [['', 'bitte wählen'], ...COURSE_KINDS.map((k) => [k, COURSE_KIND_LABELS[k]] as [string, string])],
          })}
          ${select({
            name: 'level',
            label: 'Niveau',
            value: v.level,
            error: s.errors.level,
            options: [['', 'ohne Niveau'], ...COURSE_LEVELS.map((l) => [l, l] as [string, string])],
          })}
          ${field({ name: 'title', label: 'Titel', required: true, value: v.title, error: s.errors.title })}
          ${field({ name: 'start', label: 'Beginn', type: 'date', required: true, value: v.start, error: s.errors.start })}
          ${field({ name: 'end', label: 'Ende', type: 'date', value: v.end, error: s.errors.end })}
          ${field({ name: 'seats', label: 'Plätze', required: true, value: v.seats, error: s.errors.seats, attrs: 'inputmode="numeric"' })}
          ${field({ name: 'reserved', label: 'Reservierte Plätze', value: v.reserved, error: s.errors.reserved, attrs: 'inputmode="numeric"', hint: 'Plätze, die der Träger anderweitig vergibt; leer = 0.' })}
          ${field({ name: 'place', label: 'Ort', required: true, value: v.place, error: s.errors.place })}
          ${field({ name: 'district', label: 'Stadtteil', value: v.district, error: s.errors.district, hint: 'Für die Situationsanalyse; leer = die Gebiete des Trägers.' })}
          <button type="submit">${courseId ? 'Änderungen speichern' : 'Kurs anlegen'}</button>
        </form>
        <p><a href="${courseId ? `/bestand/kurse/${courseId}` : '/bestand/kurse'}">Abbrechen</a></p>`,
      ),
    );
  }

  const empty: FormState = { values: {}, errors: {} };
  const valuesOf = (req: Request) => {
    const b = bodyOf(req);
    return Object.fromEntries(FIELDS.map((f) => [f, (b[f] ?? '').trim()]));
  };
  /** the form's values checked: data or the field errors */
  const checked = (values: Record<string, string>) => {
    const r = checkForm(courseInput, formValues(values, ['seats', 'reserved']));
    return r;
  };

  pages.get('/bestand/kurse/neu', MANAGE, (req: Request, res: Response) => form(req, res, 200, empty));
  pages.post('/bestand/kurse/neu', MANAGE, async (req: Request, res: Response) => {
    const values = valuesOf(req);
    const key = formKey(req);
    const r = checked(values);
    if (!r.ok) return form(req, res, 400, { values, errors: r.errors, key });
    try {
      const c = await createCourse(deps.db, req.user!, actorOf(req), r.data, key);
      res.redirect(303, `/bestand/kurse/${c.id}?ok=angelegt`);
    } catch (err) {
      const errors = fieldErrorsOf(err, (p) => p.split('.')[0], 'title', LABELS);
      if (!errors) throw err;
      return form(req, res, 400, { values, errors, key });
    }
  });

  const editValues = async (id: string) => {
    const c = courseView(await courseOr404(deps.db, id));
    return {
      partnerId: c.partnerId,
      kind: c.kind,
      level: c.level ?? '',
      title: c.title,
      start: c.start,
      end: c.end ?? '',
      seats: String(c.seats),
      reserved: String(c.reserved),
      place: c.place,
      district: c.district ?? '',
    };
  };
  pages.get('/bestand/kurse/:id/bearbeiten', MANAGE, async (req: Request, res: Response) => {
    const id = idOf(req, 'id', 'Kurs');
    await form(req, res, 200, { values: await editValues(id), errors: {} }, id);
  });
  pages.post('/bestand/kurse/:id/bearbeiten', MANAGE, async (req: Request, res: Response) => {
    const id = idOf(req, 'id', 'Kurs');
    await courseOr404(deps.db, id);
    const values = valuesOf(req);
    const key = formKey(req);
    const r = checked(values);
    if (!r.ok) return form(req, res, 400, { values, errors: r.errors, key }, id);
    try {
      await updateCourse(deps.db, actorOf(req), id, r.data);
    } catch (err) {
      const errors = fieldErrorsOf(err, (p) => p.split('.')[0], 'seats', LABELS);
      if (!errors) throw err;
      return form(req, res, 400, { values, errors, key }, id);
    }
    res.redirect(303, `/bestand/kurse/${id}?ok=gespeichert`);
  });

  const NOTICES: Record<string, string> = {
    angelegt: 'Kurs angelegt.',
    gespeichert: 'Änderungen gespeichert.',
    vorgeschlagen: 'Platz vorgeschlagen. Der Schritt der Kette ist mit den Kursdaten abgeschlossen.',
  };
  async function detail(req: Request, res: Response, id: string, status = 200, problem?: string) {
    const raw = await courseOr404(deps.db, id);
    const c = courseView(raw);
    const [matches, partner] = await Promise.all([
      courseMatches(deps.db, req.user!, actorOf(req), id),
      deps.db.partner.findUnique({ where: { id: c.partnerId }, select: { name: true } }),
    ]);
    const proposes = req.user!.role === 'caseworker';
    const fitting = matches.filter((m) => m.fits);
    const others = matches.filter((m) => !m.fits);
    const head = html`<thead><tr><th scope="col">Fall</th><th scope="col">Wartet seit</th><th scope="col">Gründe</th>${proposes ? html`<th scope="col">Aktion</th>` : ''}</tr></thead>`;
    const row = (m: (typeof matches)[number]): SafeHtml =>
      html`<tr><th scope="row">${m.caseReference}</th><td>${formatDate(m.waitingSince)}</td><td><ul>${m.reasons.map((r) => html`<li>${r}</li>`)}</ul></td>${
        proposes
          ? html`<td>${
              m.fits && c.free > 0
                ? html`<form method="post" action="/bestand/kurse/${c.id}/vorschlagen">${csrfField(req.csrfToken)}<input type="hidden" name="processId" value="${m.processId}"><button type="submit" aria-label="Platz im Kurs ${c.reference} für ${m.caseReference} vorschlagen">Platz vorschlagen</button></form>`
                : '–'
            }</td>`
          : ''
      }</tr>`;
    const ok = typeof req.query.ok === 'string' ? NOTICES[req.query.ok] : undefined;
    res.status(status).send(
      layout(
        deps,
        req,
        `Kurs ${c.reference}`,
        html`${bestandNav('/bestand/kurse')}${status === 200 ? notice(ok) : ''}${problemBox('Vorschlag nicht möglich', problem)}
        <dl class="facts">
          <dt>Titel</dt><dd>${c.title}</dd>
          <dt>Träger</dt><dd>${partner?.name ?? '–'}</dd>
          <dt>Art</dt><dd>${courseKindLabel(c.kind)}</dd>
          <dt>Niveau</dt><dd>${c.level ?? '–'}</dd>
          <dt>Beginn</dt><dd>${formatDay(c.start)}</dd>
          <dt>Ende</dt><dd>${formatDay(c.end, '–')}</dd>
          <dt>Ort</dt><dd>${c.place}</dd>
          <dt>Stadtteil</dt><dd>${c.district ?? '–'}</dd>
          <dt>Plätze</dt><dd>${c.seats} (reserviert ${c.reserved}, vergeben ${c.taken}, frei ${c.free})</dd>
        </dl>
        <p><a href="/bestand/kurse/${c.id}/bearbeiten">Kurs bearbeiten</a></p>
        <h2>Passende wartende Ketten (${fitting.length})</h2>
        ${
          fitting.length
            ? html`<table><caption>Ketten „Bildung und Arbeit“ im Schritt „${c.step}“, längste Wartezeit zuerst</caption>${head}<tbody>${fitting.map(row)}</tbody></table>`
            : html`<p>Keine wartende Kette passt.</p>`
        }
        <h2>Nicht passend (${others.length})</h2>
        ${others.length ? html`<table><caption>Nicht passende Ketten mit Gründen</caption>${head}<tbody>${others.map(row)}</tbody></table>` : html`<p>Keine.</p>`}
        <p><a href="/bestand/kurse">Alle Kurse</a></p>`,
      ),
    );
  }

  /**
   * The outcome of the first submission of a form sent twice: it ends with the audit of the proposal
   * (success) or gives its claim back (failure); waits for one of the two (at most 30 s).
   */
  async function firstProposalSucceeded(userId: string, key: string, courseId: string, processId: string) {
    for (let i = 0; i < 300; i++) {
      const [proposed, claim] = await Promise.all([
        deps.db.auditEvent.count({
          where: {
            action: 'course.seat-proposed',
            entityId: courseId,
            actorId: userId,
            details: { path: ['processId'], equals: processId },
          },
        }),
        formClaimed(deps.db, userId, key),
      ]);
      if (proposed) return true;
      if (!claim) return false;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  }

  pages.get('/bestand/kurse/:id', MANAGE, async (req: Request, res: Response) => detail(req, res, idOf(req, 'id', 'Kurs')));

  pages.post('/bestand/kurse/:id/vorschlagen', PROPOSE, async (req: Request, res: Response) => {
    const id = idOf(req, 'id', 'Kurs');
    const processId = bodyOf(req).processId;
    if (!isUuid(processId)) return detail(req, res, id, 400, 'Kette fehlt oder ist ungültig.');
    const key = formKey(req);
    let once;
    try {
      once = await onceForm(deps.db, req.user!, key, 'course.propose', () => proposeSeat(deps, req.user!, actorOf(req), id, processId));
    } catch (err) {
      if (!(err instanceof HttpError) || ![400, 403, 404, 409].includes(err.status)) throw err;
      if (err.status === 404) throw err;
      return detail(req, res, id, err.status, err.message);
    }
    // the same form sent twice (double click): the answer of the first submission, once it has one
    if (!once.done && !(await firstProposalSucceeded(req.user!.id, key!, id, processId)))
      return detail(
        req,
        res,
        id,
        409,
        'Dieses Formular wurde schon gesendet, der Vorschlag ist nicht zustande gekommen. Bitte die Seite neu laden.',
      );
    res.redirect(303, `/bestand/kurse/${id}?ok=vorgeschlagen`);
  });

  return pages.router;
}

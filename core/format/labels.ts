// German names of everything the UI, the exports and the e-mails show by a machine name: roles, case
// and process statuses, events, audit actions. One place for each; an unknown key shows itself.
// Pure (no Node imports): the pages, the CSV/PDF exports and core/mail/templates.ts use it.
import { CHAIN_TITLES } from '../domain/chains';
import { HANDOFF_STEPS, type TaskStatus } from '../domain/handoff';
import type { CaseStatus, CaseTopic } from '../domain/records';

const lookup = (labels: Record<string, string>) => (key: string | null | undefined) => (key ? (labels[key] ?? key) : '');

// --- people ------------------------------------------------------------------------------------

/** the user roles (navigation, audit log) */
export const ROLE_LABELS: Record<string, string> = {
  caseworker: 'Fallmanagement',
  department_member: 'Fachstelle',
  supervisor: 'Leitung',
  admin: 'Administration',
};
/** who acted, in the audit log: a role or a non-human actor */
export const ACTOR_ROLE_LABELS: Record<string, string> = {
  ...ROLE_LABELS,
  system: 'System',
  link: 'E-Mail-Link',
  'status-link': 'Statuslink der Person',
  user: 'Benutzer/in',
  anonymous: 'nicht angemeldet',
};
export const roleLabel = lookup(ROLE_LABELS);
export const actorRoleLabel = lookup(ACTOR_ROLE_LABELS);

// --- persons and cases -------------------------------------------------------------------------

export const BENEFIT_LABELS: Record<'asylblg' | 'sgb2' | 'sgb12' | 'none', string> = {
  asylblg: 'AsylbLG',
  sgb2: 'SGB II (Jobcenter)',
  sgb12: 'SGB XII',
  none: 'keine / unbekannt',
};
export const TOPIC_LABELS: Record<CaseTopic, string> = {
  housing: 'Wohnen',
  education_work: 'Bildung und Arbeit',
  health: 'Gesundheit',
};
export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  open: 'offen',
  in_progress: 'in Bearbeitung',
  on_hold: 'pausiert',
  closed: 'abgeschlossen',
};
/** why a case was closed (API.md: closureCode) */
export const CLOSURE_CODE_LABELS: Record<string, string> = {
  goal_reached: 'Ziel erreicht',
  own_flat: 'eigene Wohnung bezogen',
  moved_away: 'verzogen',
  handed_over: 'an eine andere Stelle übergeben',
  ended_by_person: 'von der Person beendet',
  deceased: 'verstorben',
  other: 'sonstiger Grund',
};
export const caseStatusLabel = lookup(CASE_STATUS_LABELS);
export const closureCodeLabel = lookup(CLOSURE_CODE_LABELS);

// --- chains (processes) ------------------------------------------------------------------------

export const chainTitle = (type: string) => CHAIN_TITLES[type as keyof typeof CHAIN_TITLES] ?? type;

export const PROCESS_STATUS_LABELS: Record<string, string> = {
  running: 'läuft',
  on_hold: 'angehalten',
  completed: 'abgeschlossen',
  cancelled: 'abgebrochen',
};
export const processStatusLabel = lookup(PROCESS_STATUS_LABELS);

/** a step row's status in the read model */
export const STEP_STATUS_LABELS: Record<string, string> = {
  waiting: 'wartet',
  active: 'offen',
  handoff: 'bei einer Stelle',
  returned: 'zurückgegeben',
  done: 'erledigt',
  skipped: 'übersprungen',
  cancelled: 'abgebrochen',
  forked: 'parallele Schritte laufen', // chains v2
};
/** where the current step stands, as a sentence on the process page */
export const STEP_PHASE_LABELS: Record<string, string> = {
  waiting: 'wartet',
  active: 'in Bearbeitung beim Fallmanagement',
  handoff: 'an eine Stelle übergeben',
  returned: 'von der Stelle abgelehnt – zurück beim Fallmanagement',
  consent: 'wartet auf eine Einwilligung – die Übergabe beginnt, sobald sie erfasst ist',
  forked: 'parallele Schritte laufen', // chains v2
};
/** the chain's history (ProcessEvent.event) */
export const CHAIN_EVENT_LABELS: Record<string, string> = {
  'chain.started': 'Kette gestartet',
  'step.forked': 'In parallele Schritte verzweigt', // chains v2
  'step.cancelled': 'Paralleler Schritt beendet (anderer Zweig hat entschieden)', // chains v2
  'chain.completed': 'Kette abgeschlossen',
  'chain.held': 'Kette angehalten',
  'chain.resumed': 'Kette fortgesetzt',
  'step.held': 'Zweig angehalten', // chains v2: hold per branch
  'step.resumed': 'Zweig fortgesetzt',
  'chain.cancelled': 'Kette abgebrochen',
  'chain.reassigned': 'Kette übertragen',
  'step.started': 'Schritt begonnen',
  'step.waiting': 'Wartezeit begonnen',
  'step.handoff': 'an Stelle übergeben',
  'step.completed': 'Ergebnis erfasst',
  'step.skipped': 'Schritt übersprungen',
  'step.returned': 'Übergabe abgelehnt – zurück beim Fallmanagement',
  'step.retry': 'erneut übergeben',
  'step.reminder': 'Erinnerung versandt',
  'step.escalation': 'Eskalation an die Leitung',
  'step.review': 'Fallbesprechung mit der Leitung fällig',
  'step.consent_missing': 'wartet auf Einwilligung',
};
export const stepStatusLabel = lookup(STEP_STATUS_LABELS);
export const stepPhaseLabel = lookup(STEP_PHASE_LABELS);
export const chainEventLabel = lookup(CHAIN_EVENT_LABELS);

// --- handoffs (tasks) and e-mails --------------------------------------------------------------

export const TASK_STATUS_LABELS: Record<TaskStatus, string> = {
  created: 'angelegt',
  notified: 'benachrichtigt',
  accepted: 'angenommen',
  declined: 'abgelehnt',
  completed: 'erledigt',
  forwarded: 'weitergeleitet',
  cancelled: 'abgebrochen',
};
/** a handoff's history (TaskEvent.event) */
export const TASK_EVENT_LABELS: Record<string, string> = {
  created: 'angelegt',
  notified: 'Stelle benachrichtigt',
  accepted: 'angenommen',
  declined: 'abgelehnt',
  completed: 'erledigt',
  forwarded: 'weitergeleitet',
  cancelled: 'zurückgezogen',
  reminder: 'Erinnerung',
  escalation: 'Eskalation',
};
export const MAIL_STATUS_LABELS: Record<string, string> = {
  pending: 'wartet auf Versand',
  sent: 'versandt',
  failed: 'Versand fehlgeschlagen',
};
export const taskStatusLabel = lookup(TASK_STATUS_LABELS);
export const taskEventLabel = lookup(TASK_EVENT_LABELS);
export const mailStatusLabel = lookup(MAIL_STATUS_LABELS);
/** the handoff step's title from the catalogue, else the title stored with the task */
export const handoffStepTitle = (stepKey: string, stored?: string) => HANDOFF_STEPS[stepKey]?.title ?? stored ?? stepKey;

// --- audit log ---------------------------------------------------------------------------------

/** core/audit.ts writes the machine names */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'case.read': 'Fall gelesen',
  'case.create': 'Fall angelegt',
  'case.status': 'Status geändert',
  'case.search': 'Bei einer Suche gefunden',
  'case.followup.set': 'Wiedervorlage gesetzt',
  'case.consent.add': 'Einwilligung erfasst',
  'case.audit.read': 'Protokoll angesehen',
  'case.audit.export': 'Protokoll exportiert',
  'followup.reminded': 'Wiedervorlage erinnert',
  'person.create': 'Person angelegt',
  'person.read': 'Person gelesen',
  'person.export': 'Auskunft (Art. 15) erstellt',
  // chains v2: the person's status link, chain definitions
  'status-link.create': 'Statuslink erstellt',
  'status-link.revoke': 'Statuslink widerrufen',
  'status-link.rejected': 'Statuslink abgewiesen',
  'status-page.view': 'Statusseite angesehen',
  'chain-definition.publish': 'Kettendefinition veröffentlicht',
  'task.create': 'Übergabe angelegt',
  'task.create.failed': 'Übergabe nicht zustande gekommen',
  'task.read': 'Übergabe gelesen',
  'task.created': 'Übergabe erstellt',
  'task.notified': 'Stelle benachrichtigt',
  'task.accepted': 'Übergabe angenommen',
  'task.declined': 'Übergabe abgelehnt',
  'task.completed': 'Übergabe erledigt',
  'task.forwarded': 'Übergabe weitergeleitet',
  'task.cancelled': 'Übergabe zurückgezogen',
  'task.reminder': 'Erinnerung an die Stelle',
  'task.escalation': 'Eskalation (Übergabe)',
  'process.start': 'Kette gestartet',
  'process.start.failed': 'Kettenstart nicht zustande gekommen',
  'process.read': 'Prozess gelesen',
  'process.reconcile': 'Lesemodell abgeglichen',
  'process.chain.started': 'Kette begonnen',
  'process.chain.completed': 'Kette abgeschlossen',
  'process.chain.cancelled': 'Kette abgebrochen',
  'process.chain.held': 'Kette angehalten',
  'process.chain.resumed': 'Kette fortgesetzt',
  'process.step.held': 'Zweig angehalten',
  'process.step.resumed': 'Zweig fortgesetzt',
  'process.chain.reassigned': 'Kette übertragen',
  'process.step.waiting': 'Schritt wartet',
  'process.step.started': 'Schritt begonnen',
  'process.step.handoff': 'Schritt an Stelle übergeben',
  'process.step.returned': 'Schritt zurückgegeben',
  'process.step.retry': 'Übergabe erneut versucht',
  'process.step.completed': 'Schritt erledigt',
  'process.step.skipped': 'Schritt übersprungen',
  'process.step.reminder': 'Erinnerung (Schritt)',
  'process.step.escalation': 'Eskalation (Schritt)',
  'process.step.review': 'Vorlage bei der Leitung',
  // case-management cycle (issue 13)
  'case.assessment.add': 'Anamnese erfasst',
  'case.assessment.read': 'Anamnese gelesen',
  'case.plan.add': 'Hilfeplan erstellt',
  'case.plan.read': 'Hilfeplan gelesen',
  'case.plan.pdf': 'Hilfeplan als PDF erstellt',
  'case.plan.review': 'Hilfeplan überprüft',
  'case.plan.goal.chain': 'Kette aus einem Ziel gestartet',
  'case.journal.add': 'Verlaufseintrag erfasst',
  'case.journal.edit': 'Verlaufseintrag geändert',
  'case.journal.read': 'Verlauf gelesen',
  'case.document.add': 'Dokument hochgeladen',
  'case.document.list': 'Dokumentliste angesehen',
  'case.document.download': 'Dokument heruntergeladen',
  'plan.review-reminder': 'Erinnerung (Hilfeplan-Überprüfung)',
  'plan.action-reminder': 'Erinnerung (vereinbarter Schritt)',
  'plan.review-escalation': 'Eskalation (Überprüfung versäumt)',
  'group-offer.case-read': 'Gruppenangebot mit diesem Fall angesehen',
};
export const AUDIT_ENTITY_LABELS: Record<string, string> = {
  Case: 'Fall',
  Person: 'Person',
  Task: 'Übergabe',
  Process: 'Prozess',
  FollowUp: 'Wiedervorlage',
  Consent: 'Einwilligung',
  Assessment: 'Anamnese',
  Plan: 'Hilfeplan',
  PlanGoal: 'Ziel',
  JournalEntry: 'Verlaufseintrag',
  CaseDocument: 'Dokument',
  GroupOffer: 'Gruppenangebot',
};
export const auditActionLabel = (action: string) => AUDIT_ACTION_LABELS[action] ?? action;
export const auditEntityLabel = (type: string) => AUDIT_ENTITY_LABELS[type] ?? type;

// ---- inventory: partners, education and group offers, meetings (issue 15) ----
export const PARTNER_KIND_LABELS: Record<string, string> = {
  landlord: 'Private/r Vermieter/in',
  housing_company: 'Wohnungsgesellschaft',
  cooperative: 'Wohnungsgenossenschaft',
  school: 'Schule',
  course_provider: 'Sprach- und Integrationskursträger',
  training_provider: 'Bildungsträger',
  counselling: 'Beratungsstelle',
  office: 'Amt / Behörde',
};
export const partnerKindLabel = (k: string) => PARTNER_KIND_LABELS[k] ?? k;
export const CONTACT_KIND_LABELS: Record<string, string> = {
  meeting: 'Treffen',
  phone: 'Telefonat',
  email: 'E-Mail',
  visit: 'Besuch',
  other: 'Sonstiges',
};
export const contactKindLabel = (k: string) => CONTACT_KIND_LABELS[k] ?? k;
/** the landlord's form link on the partner page */
export const OFFER_LINK_STATE_LABELS = { open: 'offen', used: 'genutzt', revoked: 'widerrufen', expired: 'abgelaufen' } as const;
export const COURSE_KIND_LABELS: Record<string, string> = {
  integration_course: 'Integrationskurs',
  job_language_course: 'Berufssprachkurs',
  literacy: 'Alphabetisierungskurs',
  vocational_measure: 'Berufliche Maßnahme',
  school_place: 'Schulplatz für neu zugewanderte Schüler/innen',
};
export const courseKindLabel = (k: string) => COURSE_KIND_LABELS[k] ?? k;
export const GROUP_OFFER_KIND_LABELS: Record<string, string> = {
  tenancy_training: 'Wohnführerschein',
  application_training: 'Bewerbungstraining',
  other: 'Gruppenangebot',
};
export const groupOfferKindLabel = (k: string) => GROUP_OFFER_KIND_LABELS[k] ?? k;
export const MEETING_KIND_LABELS: Record<string, string> = {
  ki_working_meeting: 'Arbeitstreffen des KI',
  exchange_5_50_5_53: 'Austausch 5-50 / 5-53',
  other: 'Besprechung',
};
export const meetingKindLabel = (k: string) => MEETING_KIND_LABELS[k] ?? k;
/** The inventory's pages (navigation „Bestand“ and its overview page, issue 15). */
export const BESTAND_SECTIONS: Array<[href: string, label: string, hint: string]> = [
  ['/bestand/wohnungen', 'Wohnungsangebote', 'gemeldete Wohnungen und passende wartende Haushalte'],
  ['/bestand/kurse', 'Kurse', 'Bildungsangebote mit Plätzen, passende Ketten, Platz vorschlagen'],
  ['/bestand/gruppen', 'Gruppenangebote', 'Termine, Anmeldungen, Anwesenheit, Abschluss'],
  ['/bestand/treffen', 'Arbeitstreffen', 'Besprechungsreihen mit Protokoll und Aufgaben'],
  ['/bestand/partner', 'Partner', 'Akteure und überfällige Regelkontakte'],
  ['/bestand/lage', 'Situationsanalyse', 'Bedarf und Angebot mit Lücken'],
];

// "Auszug aus der Notunterkunft" (DESIGN.md §3.1), Bergisch Gladbach's defaults. Days: working days
// for deadlines, calendar days for waits and reminders.
import type { ChainDefinition } from './schema';

const BENEFIT_OFFICE = { asylblg: '5-50', sgb12: '5-50', sgb2: 'jobcenter', none: '5-50' } as const;

export const moveOutV1: ChainDefinition = {
  type: 'move-out', version: 1, title: 'Auszug aus der Notunterkunft', start: 'readiness',
  steps: {
    readiness: {
      title: 'Wohnfähigkeit einschätzen', actor: { kind: 'caseworker' }, deadlineDays: 10, optional: false,
      fields: [{ key: 'assessment', label: 'Einschätzung', type: 'textarea', required: false }],
      outcomes: { ready: { label: 'wohnfähig', next: 'residence-check' }, 'support-needed': { label: 'Unterstützung nötig (Trainingsphase)', next: 'training' } },
    },
    training: {
      title: 'Trainingsphase, danach neu einschätzen', actor: { kind: 'caseworker' }, waitDays: 28, deadlineDays: 5, optional: false, fields: [],
      outcomes: { done: { label: 'Trainingsphase beendet', next: 'readiness' } },
    },
    'residence-check': {
      title: 'Aufenthaltsstatus / Wohnsitzauflage (§ 12a AufenthG)', actor: { kind: 'handoff', handoffStep: 'residence-check', department: 'auslaenderbehoerde' },
      optional: false, fields: [],
      outcomes: {
        clear: { label: 'keine Wohnsitzauflage', next: 'wbs' }, 'obligation-lifted': { label: 'Auflage aufgehoben', next: 'wbs' },
        blocked: { label: 'Auflage steht entgegen', next: 'residence-application' },
      },
    },
    'residence-application': {
      title: 'Antrag auf Aufhebung der Wohnsitzauflage', actor: { kind: 'handoff', handoffStep: 'residence-application', department: 'auslaenderbehoerde' },
      optional: false, fields: [],
      outcomes: { lifted: { label: 'aufgehoben', next: 'wbs' }, refused: { label: 'abgelehnt', next: 'end' } },
    },
    wbs: {
      title: 'Wohnberechtigungsschein', actor: { kind: 'handoff', handoffStep: 'wbs', department: 'wohnungsamt' }, optional: true, fields: [],
      outcomes: { issued: { label: 'erteilt', next: 'search-profile' }, rejected: { label: 'abgelehnt', next: 'search-profile' } },
    },
    'search-profile': {
      title: 'Suchprofil inkl. Mietobergrenze', actor: { kind: 'caseworker' }, deadlineDays: 5, optional: false,
      fields: [
        { key: 'rooms', label: 'Zimmer', type: 'number', required: true, min: 1, max: 10 },
        { key: 'rentCap', label: 'Mietobergrenze (EUR, KdU)', type: 'number', required: true, min: 0, max: 5000 },
        { key: 'area', label: 'Gebiet / Stadtteile', type: 'text', required: false },
      ],
      outcomes: { done: { label: 'Suchprofil erstellt', next: 'offer' } },
    },
    offer: {
      title: 'Wohnungsangebot abwarten', actor: { kind: 'caseworker' }, remindEveryDays: 7, reviewAfterDays: 91, optional: false,
      fields: [{ key: 'landlord', label: 'Vermieter / Wohnungsgesellschaft', type: 'text', required: false }],
      outcomes: { received: { label: 'Angebot liegt vor', next: 'viewing' } },
    },
    viewing: {
      title: 'Besichtigung', actor: { kind: 'caseworker' }, deadlineDays: 10, optional: false,
      fields: [{ key: 'date', label: 'Besichtigung am', type: 'date', required: true }],
      outcomes: { accepted: { label: 'Wohnung passt', next: 'rent-offer' }, declined: { label: 'abgelehnt', next: 'offer' } },
    },
    'rent-offer': {
      title: 'Mietangebot / Vermieterbescheinigung', actor: { kind: 'caseworker' }, deadlineDays: 5, optional: false,
      fields: [{ key: 'rent', label: 'Bruttokaltmiete (EUR)', type: 'number', required: true, min: 0, max: 5000 }],
      outcomes: { received: { label: 'liegt vor', next: 'cost-approval' } },
    },
    'cost-approval': {
      title: 'Mietübernahme / Angemessenheitsprüfung', actor: { kind: 'handoff', handoffStep: 'cost-approval', byBenefit: BENEFIT_OFFICE },
      optional: false, fields: [],
      outcomes: { approved: { label: 'bewilligt', next: 'deposit' }, rejected: { label: 'abgelehnt', next: 'offer' } },
    },
    deposit: {
      title: 'Kautions-/Genossenschaftsdarlehen', actor: { kind: 'handoff', handoffStep: 'deposit', byBenefit: BENEFIT_OFFICE }, optional: true, fields: [],
      outcomes: { approved: { label: 'bewilligt', next: 'lease' }, rejected: { label: 'abgelehnt', next: 'lease' } },
    },
    lease: {
      title: 'Mietvertrag unterschrieben', actor: { kind: 'caseworker' }, deadlineDays: 10, optional: false,
      fields: [{ key: 'moveInDate', label: 'Einzugsdatum', type: 'date', required: true }],
      outcomes: { signed: { label: 'unterschrieben', next: 'furnishing' } },
    },
    furnishing: {
      title: 'Erstausstattung', actor: { kind: 'handoff', handoffStep: 'furnishing', byBenefit: BENEFIT_OFFICE }, optional: true, fields: [],
      outcomes: { approved: { label: 'bewilligt', next: 'move' }, rejected: { label: 'abgelehnt', next: 'move' } },
    },
    move: {
      title: 'Umzug: Platz in der Notunterkunft freigeben', optional: false, fields: [],
      actor: { kind: 'handoff', handoffStep: 'shelter-release', department: '5-50', dueFromField: { step: 'lease', field: 'moveInDate' } },
      outcomes: { released: { label: 'Platz freigegeben', next: 'registration' } },
    },
    registration: {
      title: 'Ummeldung (innerhalb von 14 Tagen)', actor: { kind: 'caseworker' }, deadlineDays: 10, remindEveryDays: 7, optional: false,
      fields: [{ key: 'registeredOn', label: 'Angemeldet am', type: 'date', required: true }],
      outcomes: { done: { label: 'angemeldet', next: 'aftercare-2w' } },
    },
    'aftercare-2w': {
      title: 'Nachbetreuung: Kontakt nach 2 Wochen', actor: { kind: 'caseworker' }, waitDays: 14, deadlineDays: 5, optional: false,
      fields: [{ key: 'note', label: 'Vermerk', type: 'textarea', required: false }],
      outcomes: { ok: { label: 'stabil', next: 'aftercare-6w' }, 'needs-support': { label: 'Unterstützung nötig', next: 'aftercare-6w' } },
    },
    'aftercare-6w': {
      title: 'Nachbetreuung: Kontakt nach 6 Wochen', actor: { kind: 'caseworker' }, waitDays: 28, deadlineDays: 5, optional: false,
      fields: [{ key: 'note', label: 'Vermerk', type: 'textarea', required: false }],
      outcomes: { ok: { label: 'stabil', next: 'aftercare-12w' }, 'needs-support': { label: 'Unterstützung nötig', next: 'aftercare-12w' } },
    },
    'aftercare-12w': {
      title: 'Nachbetreuung: Abschluss nach 12 Wochen', actor: { kind: 'caseworker' }, waitDays: 42, deadlineDays: 5, optional: false,
      fields: [{ key: 'note', label: 'Vermerk', type: 'textarea', required: false }],
      outcomes: { closed: { label: 'Nachbetreuung abgeschlossen', next: 'end' } },
    },
  },
};

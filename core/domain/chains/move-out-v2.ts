// "Auszug aus der Notunterkunft", version 2 (issue 14). New chains start on it; chains started on
// version 1 keep version 1 and finish on it (their workflow input carries their definition).
// - The residence check and the WBS run at the same time (a fork); a residence obligation that is not
//   lifted ends the chain at once with the end code `not-moved-residence-obligation`.
// - After the cost approval, the money for the move runs in parallel branches at the benefit office
//   (Jobcenter or 5-50 by benefit type): moving costs and costs of the flat search (§ 22 Abs. 6 SGB II),
//   the deposit loan and the initial furnishing — each may be skipped.
// - The signed lease must be uploaded before the lease step can be completed (requiresDocument); then
//   the rent is paid directly to the landlord (§ 22 Abs. 7 SGB II, optional), the flat is handed over
//   with the meter readings, the shelter place released, the person registers.
// - The new address goes to the offices concerned at once (a fork): the benefit office (Jobcenter or
//   5-50), the Ausländerbehörde and the Familienkasse (optional: only with child benefit).
// - A rule asks whether the household has children (case file: household members under 18); only then
//   the school or Kita change is handed to the Schulamt / Kommunales Integrationszentrum.
// - After-care counts from the move-in date (a fact of the lease step), not from when the last step was
//   recorded: contact after 2 weeks, the landlord after 4, 6 and 12 weeks. The chain ends with `moved`.
import { moveOutV1 } from './move-out';
import type { ChainDefinition } from './schema';

const BENEFIT_OFFICE = { asylblg: '5-50', sgb12: '5-50', sgb2: 'jobcenter', none: '5-50' } as const;
const v1 = moveOutV1.steps;
const MOVE_IN = { step: 'lease', field: 'moveInDate' };
const aftercareNote = [{ key: 'note', label: 'Vermerk', type: 'textarea' as const, required: false }];

export const moveOutV2: ChainDefinition = {
  ...moveOutV1,
  version: 2,
  endCodes: {
    moved: 'in eine Wohnung gezogen',
    'not-moved-residence-obligation': 'nicht ausgezogen: Wohnsitzauflage',
    withdrawn: 'von der Person zurückgezogen',
    cancelled: 'abgebrochen',
  },
  // in the order the steps list shows them
  steps: {
    readiness: {
      ...v1.readiness,
      outcomes: {
        ready: { label: 'wohnfähig', next: 'checks' },
        'support-needed': { label: 'Unterstützung nötig (Trainingsphase)', next: 'training' },
        withdrawn: { label: 'Person möchte nicht mehr ausziehen', next: 'end', endCode: 'withdrawn' },
      },
    },
    training: v1.training,
    checks: {
      title: 'Aufenthaltsstatus und WBS (parallel)',
      actor: {
        kind: 'fork',
        branches: ['residence-check', 'wbs'],
        joinWhen: [{ step: 'residence-application', outcome: 'refused', result: 'blocked' }],
      },
      optional: false,
      fields: [],
      outcomes: {
        joined: { label: 'beide geklärt', next: 'search-profile' },
        blocked: { label: 'Wohnsitzauflage steht entgegen', next: 'end', endCode: 'not-moved-residence-obligation' },
      },
    },
    'residence-check': {
      ...v1['residence-check'],
      outcomes: {
        clear: { label: 'keine Wohnsitzauflage', next: 'join' },
        'obligation-lifted': { label: 'Auflage aufgehoben', next: 'join' },
        blocked: { label: 'Auflage steht entgegen', next: 'residence-application' },
      },
    },
    'residence-application': {
      ...v1['residence-application'],
      outcomes: { lifted: { label: 'aufgehoben', next: 'join' }, refused: { label: 'abgelehnt', next: 'join' } },
    },
    wbs: {
      ...v1.wbs,
      outcomes: { issued: { label: 'erteilt', next: 'join' }, rejected: { label: 'abgelehnt', next: 'join' } },
    },
    'search-profile': v1['search-profile'],
    offer: {
      ...v1.offer,
      outcomes: {
        received: { label: 'Angebot liegt vor', next: 'viewing' },
        withdrawn: { label: 'Person möchte nicht mehr ausziehen', next: 'end', endCode: 'withdrawn' },
      },
    },
    viewing: v1.viewing,
    'rent-offer': v1['rent-offer'],
    // handoffs with context (issue 14): the office sees the search profile and the rent behind the link
    // (only while a consent covers it), and returns the approved rent / the deposit as facts of the chain
    'cost-approval': {
      ...v1['cost-approval'],
      contextFacts: ['search-profile.rooms', 'search-profile.rentCap', 'rent-offer.rent'],
      results: [
        { key: 'approvedRent', label: 'Bewilligte Miete (EUR)', type: 'money', required: false },
        { key: 'decidedOn', label: 'Bescheid vom', type: 'date', required: false },
      ],
      outcomes: { approved: { label: 'bewilligt', next: 'move-funding' }, rejected: { label: 'abgelehnt', next: 'offer' } },
    },
    'move-funding': {
      title: 'Umzugskosten, Kaution und Erstausstattung (parallel)',
      actor: { kind: 'fork', branches: ['moving-costs', 'deposit', 'furnishing'], joinWhen: [] },
      optional: false,
      fields: [],
      outcomes: { joined: { label: 'alle Anträge entschieden', next: 'lease' } },
    },
    'moving-costs': {
      title: 'Umzugskosten und Kosten der Wohnungssuche (§ 22 Abs. 6 SGB II)',
      actor: { kind: 'handoff', handoffStep: 'moving-costs', byBenefit: BENEFIT_OFFICE },
      optional: true,
      fields: [],
      outcomes: { approved: { label: 'bewilligt', next: 'join' }, rejected: { label: 'abgelehnt', next: 'join' } },
    },
    deposit: {
      ...v1.deposit,
      contextFacts: ['rent-offer.rent', 'cost-approval.approvedRent'],
      results: [
        { key: 'amount', label: 'Kaution (EUR)', type: 'money', required: false },
        { key: 'decidedOn', label: 'Bescheid vom', type: 'date', required: false },
      ],
      outcomes: { approved: { label: 'bewilligt', next: 'join' }, rejected: { label: 'abgelehnt', next: 'join' } },
    },
    furnishing: {
      ...v1.furnishing,
      outcomes: { approved: { label: 'bewilligt', next: 'join' }, rejected: { label: 'abgelehnt', next: 'join' } },
    },
    lease: {
      ...v1.lease,
      // the signed lease is uploaded to the step before it can be completed
      requiresDocument: true,
      outcomes: { signed: { label: 'unterschrieben', next: 'rent-direct-payment' } },
    },
    'rent-direct-payment': {
      title: 'Miete direkt an den Vermieter (§ 22 Abs. 7 SGB II)',
      actor: { kind: 'handoff', handoffStep: 'rent-direct-payment', byBenefit: BENEFIT_OFFICE },
      optional: true,
      fields: [],
      outcomes: { arranged: { label: 'Direktzahlung eingerichtet', next: 'handover' }, rejected: { label: 'abgelehnt', next: 'handover' } },
    },
    handover: {
      title: 'Wohnungsübergabe mit Zählerständen',
      actor: { kind: 'caseworker' },
      deadlineDays: 10,
      optional: false,
      fields: [
        { key: 'handoverDate', label: 'Übergabe am', type: 'date', required: true },
        { key: 'electricity', label: 'Zählerstand Strom (kWh)', type: 'number', required: true, min: 0, max: 10_000_000 },
        { key: 'gas', label: 'Zählerstand Gas (m³)', type: 'number', required: false, min: 0, max: 10_000_000 },
        { key: 'water', label: 'Zählerstand Wasser (m³)', type: 'number', required: false, min: 0, max: 10_000_000 },
        { key: 'protocol', label: 'Mängel laut Übergabeprotokoll', type: 'textarea', required: false },
      ],
      outcomes: { done: { label: 'übergeben', next: 'move' } },
    },
    move: { ...v1.move, outcomes: { released: { label: 'Platz freigegeben', next: 'registration' } } },
    registration: { ...v1.registration, outcomes: { done: { label: 'angemeldet', next: 'address-change' } } },
    'address-change': {
      title: 'Neue Anschrift an die Stellen (parallel)',
      actor: { kind: 'fork', branches: ['address-benefit-office', 'address-auslaenderbehoerde', 'address-familienkasse'], joinWhen: [] },
      optional: false,
      fields: [],
      outcomes: { joined: { label: 'alle Stellen informiert', next: 'children' } },
    },
    'address-benefit-office': {
      title: 'Neue Anschrift: Jobcenter bzw. Soziale Förderung',
      actor: { kind: 'handoff', handoffStep: 'address-change', byBenefit: BENEFIT_OFFICE },
      optional: false,
      fields: [],
      outcomes: { noted: { label: 'Anschrift geändert', next: 'join' } },
    },
    'address-auslaenderbehoerde': {
      title: 'Neue Anschrift: Ausländerbehörde',
      actor: { kind: 'handoff', handoffStep: 'address-change', department: 'auslaenderbehoerde' },
      optional: false,
      fields: [],
      outcomes: { noted: { label: 'Anschrift geändert', next: 'join' } },
    },
    'address-familienkasse': {
      title: 'Neue Anschrift: Familienkasse (bei Kindergeld)',
      actor: { kind: 'handoff', handoffStep: 'address-change', department: 'familienkasse' },
      optional: true,
      fields: [],
      outcomes: { noted: { label: 'Anschrift geändert', next: 'join' } },
    },
    children: {
      title: 'Kinder im Haushalt? (Schule oder Kita)',
      actor: { kind: 'rule', rule: 'hasChildren' },
      optional: false,
      fields: [],
      outcomes: { yes: { label: 'Kinder im Haushalt', next: 'school-change' }, no: { label: 'keine Kinder', next: 'aftercare-2w' } },
    },
    'school-change': {
      title: 'Schul- oder Kitawechsel der Kinder',
      actor: { kind: 'handoff', handoffStep: 'school-change', department: 'schulamt' },
      optional: true,
      fields: [],
      outcomes: {
        arranged: { label: 'neuer Schul- oder Kitaplatz', next: 'aftercare-2w' },
        'none-available': { label: 'kein Platz frei', next: 'aftercare-2w' },
      },
    },
    'aftercare-2w': {
      ...v1['aftercare-2w'],
      title: 'Nachbetreuung: Kontakt 2 Wochen nach dem Einzug',
      waitFromField: MOVE_IN,
      waitDays: 14,
      outcomes: {
        ok: { label: 'stabil', next: 'landlord-contact' },
        'needs-support': { label: 'Unterstützung nötig', next: 'landlord-contact' },
      },
    },
    'landlord-contact': {
      title: 'Nachbetreuung: Kontakt mit dem Vermieter (4 Wochen nach dem Einzug)',
      actor: { kind: 'caseworker' },
      waitFromField: MOVE_IN,
      waitDays: 28,
      deadlineDays: 5,
      optional: false,
      fields: [{ key: 'contactedOn', label: 'Vermieter erreicht am', type: 'date', required: true }, ...aftercareNote],
      outcomes: {
        ok: { label: 'keine Probleme', next: 'aftercare-6w' },
        issues: { label: 'Probleme (z. B. Mietrückstand, Nachbarschaft)', next: 'aftercare-6w' },
      },
    },
    'aftercare-6w': {
      ...v1['aftercare-6w'],
      title: 'Nachbetreuung: Kontakt 6 Wochen nach dem Einzug',
      waitFromField: MOVE_IN,
      waitDays: 42,
    },
    'aftercare-12w': {
      ...v1['aftercare-12w'],
      title: 'Nachbetreuung: Abschluss 12 Wochen nach dem Einzug',
      waitFromField: MOVE_IN,
      waitDays: 84,
      outcomes: { closed: { label: 'Nachbetreuung abgeschlossen', next: 'end', endCode: 'moved' } },
    },
  },
};

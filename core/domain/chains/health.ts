// "Gesundheit", version 1 (issue 14): the first chain for the case topic `health`. Health insurance
// first — the benefit office (Jobcenter or 5-50 by benefit type) grants the insurance or the health
// card where the person has none yet —, then registration with a GP practice, then whether the person
// needs counselling or therapy; a referral goes to the psychosocial centre (PSZ). After three months the
// caseworker checks that care is in place. Ends with an end code.
import type { ChainDefinition } from './schema';

const BENEFIT_OFFICE = { asylblg: '5-50', sgb12: '5-50', sgb2: 'jobcenter', none: '5-50' } as const;

export const healthV1: ChainDefinition = {
  type: 'health',
  version: 1,
  title: 'Gesundheit',
  start: 'insurance',
  endCodes: {
    'care-in-place': 'Versorgung gesichert',
    'no-insurance': 'ohne Krankenversicherung beendet',
    withdrawn: 'von der Person zurückgezogen',
    cancelled: 'abgebrochen',
  },
  steps: {
    insurance: {
      title: 'Krankenversicherung klären',
      actor: { kind: 'caseworker' },
      deadlineDays: 5,
      optional: false,
      fields: [
        {
          key: 'coverage',
          label: 'Versicherungsschutz',
          type: 'select',
          required: true,
          options: {
            egk: 'Gesundheitskarte (AsylbLG, § 264 SGB V)',
            gkv: 'gesetzlich versichert',
            none: 'noch keiner',
          },
        },
        { key: 'insurer', label: 'Krankenkasse', type: 'text', required: false },
      ],
      outcomes: {
        insured: { label: 'versichert', next: 'gp' },
        'application-needed': { label: 'Versicherung / Gesundheitskarte beantragen', next: 'insurance-application' },
        withdrawn: { label: 'Person möchte keine Unterstützung', next: 'end', endCode: 'withdrawn' },
      },
    },
    'insurance-application': {
      title: 'Krankenversicherung / Gesundheitskarte beantragen',
      actor: { kind: 'handoff', handoffStep: 'health-insurance', byBenefit: BENEFIT_OFFICE },
      optional: false,
      fields: [],
      outcomes: {
        granted: { label: 'Versicherungsschutz besteht', next: 'gp' },
        refused: { label: 'abgelehnt', next: 'insurance-refused' },
      },
    },
    'insurance-refused': {
      title: 'Versicherung abgelehnt: weiteres Vorgehen',
      actor: { kind: 'caseworker' },
      deadlineDays: 5,
      optional: false,
      fields: [{ key: 'note', label: 'Vermerk', type: 'textarea', required: false }],
      outcomes: {
        'apply-again': { label: 'erneut beantragen', next: 'insurance-application' },
        ended: { label: 'beenden', next: 'end', endCode: 'no-insurance' },
      },
    },
    gp: {
      title: 'Hausarztpraxis: Anmeldung',
      actor: { kind: 'caseworker' },
      deadlineDays: 15,
      optional: false,
      fields: [
        { key: 'practice', label: 'Praxis', type: 'text', required: false },
        { key: 'registeredOn', label: 'Angemeldet am', type: 'date', required: true },
      ],
      outcomes: { registered: { label: 'angemeldet', next: 'needs' } },
    },
    needs: {
      title: 'Bedarf an Beratung oder Therapie klären',
      actor: { kind: 'caseworker' },
      deadlineDays: 10,
      optional: false,
      fields: [],
      outcomes: {
        none: { label: 'kein weiterer Bedarf', next: 'follow-up' },
        referral: { label: 'Vermittlung in Beratung oder Therapie', next: 'referral' },
      },
    },
    referral: {
      title: 'Vermittlung in Beratung oder Therapie (Psychosoziales Zentrum)',
      actor: { kind: 'handoff', handoffStep: 'health-referral', department: 'psz' },
      optional: false,
      fields: [],
      outcomes: {
        accepted: { label: 'Termin vereinbart', next: 'follow-up' },
        'waiting-list': { label: 'auf der Warteliste', next: 'follow-up' },
        'not-possible': { label: 'nicht möglich', next: 'needs' },
      },
    },
    'follow-up': {
      title: 'Nachfrage nach 3 Monaten: Versorgung gesichert?',
      actor: { kind: 'caseworker' },
      waitDays: 91,
      deadlineDays: 5,
      optional: false,
      fields: [{ key: 'note', label: 'Vermerk', type: 'textarea', required: false }],
      outcomes: {
        stable: { label: 'Versorgung gesichert', next: 'end', endCode: 'care-in-place' },
        'needs-support': { label: 'weiterer Bedarf', next: 'needs' },
      },
    },
  },
};

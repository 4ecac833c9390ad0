// "Auszug aus der Notunterkunft", version 2 (issue 14, first part): the residence check and the WBS
// run at the same time (a fork); a residence obligation that is not lifted ends the chain at once
// with the end code `not-moved-residence-obligation` (the WBS branch is cancelled); the chain ends
// with an end code (`moved`, `withdrawn`, …) instead of only "completed". Version 1 stays for the
// chains that started with it.
import { moveOutV1 } from './move-out';
import type { ChainDefinition } from './schema';

const v1 = moveOutV1.steps;
const { readiness, training, ...rest } = v1;

export const moveOutV2: ChainDefinition = {
  ...moveOutV1,
  version: 2,
  endCodes: {
    moved: 'in eine Wohnung gezogen',
    'not-moved-residence-obligation': 'nicht ausgezogen: Wohnsitzauflage',
    withdrawn: 'von der Person zurückgezogen',
    cancelled: 'abgebrochen',
  },
  // in the order the steps list shows them: the fork right after readiness and training
  steps: {
    readiness: {
      ...readiness,
      outcomes: {
        ready: { label: 'wohnfähig', next: 'checks' },
        'support-needed': { label: 'Unterstützung nötig (Trainingsphase)', next: 'training' },
        withdrawn: { label: 'Person möchte nicht mehr ausziehen', next: 'end', endCode: 'withdrawn' },
      },
    },
    training,
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
    ...rest,
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
    // handoffs with context (issue 14): the office sees the search profile and the rent behind the link
    // (only while a consent covers it), and returns the approved rent / the deposit as facts of the chain
    'cost-approval': {
      ...v1['cost-approval'],
      contextFacts: ['search-profile.rooms', 'search-profile.rentCap', 'rent-offer.rent'],
      results: [
        { key: 'approvedRent', label: 'Bewilligte Miete (EUR)', type: 'money', required: false },
        { key: 'decidedOn', label: 'Bescheid vom', type: 'date', required: false },
      ],
    },
    deposit: {
      ...v1.deposit,
      contextFacts: ['rent-offer.rent', 'cost-approval.approvedRent'],
      results: [
        { key: 'amount', label: 'Kaution (EUR)', type: 'money', required: false },
        { key: 'decidedOn', label: 'Bescheid vom', type: 'date', required: false },
      ],
    },
    'aftercare-12w': {
      ...v1['aftercare-12w'],
      outcomes: { closed: { label: 'Nachbetreuung abgeschlossen', next: 'end', endCode: 'moved' } },
    },
  },
};

// Education/work chain (DESIGN.md §3.2): school-place branch for minors, optional recognition.
import type { ChainDefinition } from './schema';

export const educationWorkV1: ChainDefinition = {
  type: 'education-work',
  version: 1,
  title: 'Bildung und Arbeit',
  start: 'education-history',
  steps: {
    'education-history': {
      title: 'Bildungs- und Berufsbiografie erfassen',
      actor: { kind: 'caseworker' },
      deadlineDays: 10,
      optional: false,
      fields: [{ key: 'qualification', label: 'Höchster Abschluss', type: 'text', required: false }],
      outcomes: {
        'recognition-needed': { label: 'Abschluss anerkennen lassen', next: 'recognition' },
        done: { label: 'erfasst', next: 'language-course' },
      },
    },
    recognition: {
      title: 'Anerkennungsberatung',
      actor: { kind: 'handoff', handoffStep: 'recognition', department: 'anerkennungsberatung' },
      optional: true,
      fields: [],
      outcomes: {
        recognised: { label: 'anerkannt', next: 'language-course' },
        partial: { label: 'teilweise', next: 'language-course' },
        'not-recognised': { label: 'nicht anerkannt', next: 'language-course' },
      },
    },
    'language-course': {
      title: 'Sprachkurs',
      actor: { kind: 'caseworker' },
      deadlineDays: 15,
      optional: true,
      fields: [
        { key: 'provider', label: 'Kursträger', type: 'text', required: false },
        { key: 'start', label: 'Beginn', type: 'date', required: true },
        { key: 'end', label: 'Ende', type: 'date', required: false },
      ],
      outcomes: { enrolled: { label: 'angemeldet', next: 'counselling' }, completed: { label: 'abgeschlossen', next: 'counselling' } },
    },
    counselling: {
      title: 'Beratung Jobcenter / Agentur für Arbeit',
      optional: false,
      fields: [],
      actor: {
        kind: 'handoff',
        handoffStep: 'counselling',
        byBenefit: { sgb2: 'jobcenter', asylblg: 'agentur-fuer-arbeit', sgb12: 'agentur-fuer-arbeit', none: 'agentur-fuer-arbeit' },
      },
      outcomes: { done: { label: 'beraten', next: 'age-check' }, 'not-reached': { label: 'nicht erreicht', next: 'age-check' } },
    },
    'age-check': {
      title: 'Minderjährig? (Schulpflicht)',
      actor: { kind: 'rule', rule: 'isMinor' },
      optional: false,
      fields: [],
      outcomes: { yes: { label: 'minderjährig', next: 'school-place' }, no: { label: 'volljährig', next: 'measure' } },
    },
    'school-place': {
      title: 'Schulplatz',
      actor: { kind: 'handoff', handoffStep: 'school-place', department: 'schulamt' },
      optional: false,
      fields: [],
      outcomes: { assigned: { label: 'zugewiesen', next: 'follow-up' }, 'none-available': { label: 'kein Platz', next: 'school-place' } },
    },
    measure: {
      title: 'Maßnahme beim Bildungsträger',
      actor: { kind: 'handoff', handoffStep: 'measure', department: 'bildungstraeger' },
      optional: true,
      fields: [],
      outcomes: { finished: { label: 'abgeschlossen', next: 'placement' }, 'dropped-out': { label: 'abgebrochen', next: 'placement' } },
    },
    placement: {
      title: 'Vermittlung: Ausbildung, Studium oder Arbeit',
      actor: { kind: 'caseworker' },
      deadlineDays: 20,
      optional: false,
      fields: [{ key: 'employer', label: 'Betrieb / Hochschule', type: 'text', required: false }],
      outcomes: {
        training: { label: 'Ausbildung', next: 'follow-up' },
        study: { label: 'Studium', next: 'follow-up' },
        work: { label: 'Arbeit', next: 'follow-up' },
        none: { label: 'keine Vermittlung', next: 'measure' },
      },
    },
    'follow-up': {
      title: 'Nachbetreuung nach 3 Monaten',
      actor: { kind: 'caseworker' },
      waitDays: 91,
      deadlineDays: 5,
      optional: false,
      fields: [{ key: 'note', label: 'Vermerk', type: 'textarea', required: false }],
      outcomes: { stable: { label: 'stabil', next: 'end' }, 'needs-support': { label: 'Unterstützung nötig', next: 'end' } },
    },
  },
};

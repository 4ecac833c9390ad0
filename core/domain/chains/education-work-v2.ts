// "Bildung und Arbeit", version 2 (issue 14). New chains start on it; chains started on version 1 keep
// version 1. What changed:
// - The age comes first: minors go to the school-place branch before any Jobcenter counselling.
// - "No school place" waits two weeks (a timer) and then asks the Schulamt again — through the same
//   rule, so a young person who has turned 18 meanwhile goes on on the adult path instead.
// - From a school place a path on to training: the school year is followed up, then vocational guidance
//   (Agentur für Arbeit, Berufsberatung) and the placement into training.
// - Adults: the integration course — entitlement (BAMF admission applied for where needed) or
//   obligation (§ 44a AufenthG, Ausländerbehörde or Jobcenter) — and the language level reached (DTZ)
//   before the counselling. The chain ends with an end code.
import { educationWorkV1 } from './education-work';
import type { ChainDefinition } from './schema';

const v1 = educationWorkV1.steps;
const LEVELS = { A1: 'A1', A2: 'A2', B1: 'B1', B2: 'B2', C1: 'C1', C2: 'C2' };

export const educationWorkV2: ChainDefinition = {
  ...educationWorkV1,
  version: 2,
  start: 'age-check',
  endCodes: {
    'training-or-work': 'in Ausbildung, Studium oder Arbeit',
    'no-placement': 'ohne Vermittlung beendet',
    withdrawn: 'von der Person zurückgezogen',
    cancelled: 'abgebrochen',
  },
  steps: {
    'age-check': {
      ...v1['age-check'],
      outcomes: { yes: { label: 'minderjährig', next: 'school-place' }, no: { label: 'volljährig', next: 'education-history' } },
    },
    // ── minors: school first ──
    'school-place': {
      ...v1['school-place'],
      outcomes: {
        assigned: { label: 'zugewiesen', next: 'school-follow-up' },
        'none-available': { label: 'kein Platz', next: 'school-place-wait' },
      },
    },
    'school-place-wait': {
      title: 'Kein Schulplatz frei: nach 14 Tagen erneut anfragen',
      actor: { kind: 'rule', rule: 'isMinor' },
      waitDays: 14,
      optional: false,
      fields: [],
      outcomes: {
        yes: { label: 'erneut anfragen', next: 'school-place' },
        no: { label: 'inzwischen volljährig', next: 'education-history' },
      },
    },
    'school-follow-up': {
      title: 'Schulbesuch nach 3 Monaten begleiten',
      actor: { kind: 'caseworker' },
      waitDays: 91,
      deadlineDays: 10,
      optional: false,
      fields: [
        { key: 'school', label: 'Schule', type: 'text', required: false },
        { key: 'expectedLeaving', label: 'Voraussichtlicher Schulabschluss am', type: 'date', required: false },
      ],
      outcomes: {
        'leaving-soon': { label: 'Abschluss in Sicht: Übergang in Ausbildung planen', next: 'vocational-guidance' },
        'needs-support': { label: 'Unterstützung nötig: in 3 Monaten erneut', next: 'school-follow-up' },
      },
    },
    'vocational-guidance': {
      title: 'Berufsberatung (Agentur für Arbeit)',
      actor: { kind: 'handoff', handoffStep: 'counselling', department: 'agentur-fuer-arbeit' },
      optional: false,
      fields: [],
      outcomes: { done: { label: 'beraten', next: 'placement' }, 'not-reached': { label: 'nicht erreicht', next: 'placement' } },
    },
    // ── adults ──
    'education-history': {
      ...v1['education-history'],
      outcomes: {
        'recognition-needed': { label: 'Abschluss anerkennen lassen', next: 'recognition' },
        done: { label: 'erfasst', next: 'integration-course-status' },
        withdrawn: { label: 'Person möchte nicht mehr teilnehmen', next: 'end', endCode: 'withdrawn' },
      },
    },
    recognition: {
      ...v1.recognition,
      outcomes: {
        recognised: { label: 'anerkannt', next: 'integration-course-status' },
        partial: { label: 'teilweise', next: 'integration-course-status' },
        'not-recognised': { label: 'nicht anerkannt', next: 'integration-course-status' },
      },
    },
    'integration-course-status': {
      title: 'Integrationskurs: Berechtigung oder Verpflichtung',
      actor: { kind: 'caseworker' },
      deadlineDays: 10,
      optional: false,
      fields: [
        {
          key: 'basis',
          label: 'Grundlage',
          type: 'select',
          required: false,
          options: {
            'bamf-certificate': 'Berechtigungsschein des BAMF',
            'abh-obligation': 'Verpflichtung durch die Ausländerbehörde (§ 44a AufenthG)',
            'jobcenter-obligation': 'Verpflichtung durch das Jobcenter (§ 44a AufenthG)',
          },
        },
      ],
      outcomes: {
        entitled: { label: 'berechtigt', next: 'integration-course' },
        obliged: { label: 'verpflichtet', next: 'integration-course' },
        'apply-admission': { label: 'Zulassung beim BAMF beantragen', next: 'integration-course-admission' },
        'not-needed': { label: 'nicht nötig (Deutsch ausreichend)', next: 'counselling' },
      },
    },
    'integration-course-admission': {
      title: 'Zulassung zum Integrationskurs (BAMF)',
      actor: { kind: 'handoff', handoffStep: 'integration-course-admission', department: 'bamf' },
      optional: false,
      fields: [],
      outcomes: {
        admitted: { label: 'zugelassen', next: 'integration-course' },
        refused: { label: 'nicht zugelassen', next: 'language-course' },
      },
    },
    'integration-course': {
      title: 'Integrationskurs',
      actor: { kind: 'caseworker' },
      deadlineDays: 15,
      optional: false,
      fields: [
        { key: 'provider', label: 'Kursträger', type: 'text', required: false },
        { key: 'start', label: 'Beginn', type: 'date', required: true },
        { key: 'end', label: 'Ende', type: 'date', required: false },
      ],
      outcomes: { enrolled: { label: 'angemeldet', next: 'language-level' } },
    },
    'language-course': {
      ...v1['language-course'],
      outcomes: {
        enrolled: { label: 'angemeldet', next: 'language-level' },
        completed: { label: 'abgeschlossen', next: 'language-level' },
      },
    },
    'language-level': {
      title: 'Erreichtes Sprachniveau',
      actor: { kind: 'caseworker' },
      remindEveryDays: 30,
      optional: false,
      fields: [
        { key: 'level', label: 'Sprachniveau (GER)', type: 'select', required: true, options: LEVELS },
        { key: 'certificateOn', label: 'Zertifikat (z. B. DTZ) vom', type: 'date', required: false },
      ],
      outcomes: {
        reached: { label: 'Kurs abgeschlossen', next: 'counselling' },
        repeat: { label: 'Wiederholung nötig', next: 'integration-course' },
        'dropped-out': { label: 'abgebrochen', next: 'counselling' },
      },
    },
    counselling: {
      ...v1.counselling,
      outcomes: { done: { label: 'beraten', next: 'measure' }, 'not-reached': { label: 'nicht erreicht', next: 'measure' } },
    },
    measure: v1.measure,
    placement: {
      ...v1.placement,
      outcomes: {
        training: { label: 'Ausbildung', next: 'follow-up' },
        study: { label: 'Studium', next: 'follow-up' },
        work: { label: 'Arbeit', next: 'follow-up' },
        none: { label: 'keine Vermittlung', next: 'measure' },
        ended: { label: 'ohne Vermittlung beenden', next: 'end', endCode: 'no-placement' },
      },
    },
    'follow-up': {
      ...v1['follow-up'],
      outcomes: {
        stable: { label: 'stabil', next: 'end', endCode: 'training-or-work' },
        'needs-support': { label: 'Unterstützung nötig', next: 'end', endCode: 'training-or-work' },
      },
    },
  },
};

// The case-management cycle (issue 13): assessment by life area, help plan (goals, agreed actions,
// review date), review ratings, journal entries — the inputs (zod, German messages) and the plan's
// timers as pure functions. Free text stays in PostgreSQL; the case workflow only gets PlanTimerRef
// (ids and dates), and decides with nextPlanTimer() when to remind or escalate.
import { z } from 'zod';
import { calendarDay, optionalText, requiredText } from './fields';

export const LIFE_AREAS = ['housing', 'language', 'education_work', 'health', 'family', 'finances', 'residence'] as const;
export type LifeArea = (typeof LIFE_AREAS)[number];
export const NEED_LEVELS = ['none', 'some', 'urgent'] as const;
export const GOAL_RATINGS = ['achieved', 'partly', 'not_achieved', 'dropped'] as const;
export type GoalRating = (typeof GOAL_RATINGS)[number];
/** a goal rated so is done; the others carry into the next plan version */
export const CLOSED_RATINGS: readonly GoalRating[] = ['achieved', 'dropped'];
export const JOURNAL_KINDS = ['conversation', 'phone', 'home_visit', 'case_conference', 'note'] as const;
export type JournalKind = (typeof JOURNAL_KINDS)[number];

export const assessmentInput = z.strictObject({
  areas: z
    .array(
      z.strictObject({
        area: z.enum(LIFE_AREAS, { error: `Lebensbereich muss ${LIFE_AREAS.join(', ')} sein` }),
        situation: requiredText('Situation', 4000),
        need: z.enum(NEED_LEVELS, { error: 'Bedarf muss none, some oder urgent sein' }),
        resources: optionalText('Ressourcen', 4000),
      }),
      { error: 'Lebensbereiche müssen eine Liste sein' },
    )
    .min(1, 'mindestens einen Lebensbereich erfassen')
    .max(LIFE_AREAS.length)
    .refine((a) => new Set(a.map((x) => x.area)).size === a.length, 'jeder Lebensbereich höchstens einmal'),
});
export type AssessmentInput = z.infer<typeof assessmentInput>;

export const ACTION_OWNER = /^(person|caseworker|department:[A-Za-z0-9_-]{1,64}|partner:[A-Za-z0-9_-]{1,64})$/;

export const planInput = z.strictObject({
  goals: z
    .array(
      z.strictObject({
        area: z.enum(LIFE_AREAS, { error: `Lebensbereich muss ${LIFE_AREAS.join(', ')} sein` }),
        text: requiredText('Ziel', 1000),
        targetDate: calendarDay('Zieldatum'),
        fromGoalId: z.uuid({ error: 'Vorheriges Ziel ungültig' }).optional(),
      }),
      { error: 'Ziele müssen eine Liste sein' },
    )
    .min(1, 'mindestens ein Ziel angeben')
    .max(20, 'höchstens 20 Ziele'),
  actions: z
    .array(
      z.strictObject({
        text: requiredText('Maßnahme', 1000),
        owner: z.string({ error: 'Wer fehlt' }).regex(ACTION_OWNER, 'Wer muss person, caseworker, department:<id> oder partner:<id> sein'),
        dueDate: calendarDay('Fällig am'),
      }),
      { error: 'Maßnahmen müssen eine Liste sein' },
    )
    .max(50, 'höchstens 50 Maßnahmen')
    .default([]),
  reviewDate: calendarDay('Überprüfung am'),
});
export type PlanInput = z.infer<typeof planInput>;

export const reviewInput = z.strictObject({
  ratings: z
    .array(
      z.strictObject({
        goalId: z.uuid({ error: 'Ziel ungültig' }),
        rating: z.enum(GOAL_RATINGS, { error: 'Bewertung muss achieved, partly, not_achieved oder dropped sein' }),
        note: optionalText('Anmerkung', 2000),
      }),
      { error: 'Bewertungen müssen eine Liste sein' },
    )
    .min(1, 'mindestens eine Bewertung angeben')
    .max(20),
});
export type ReviewInput = z.infer<typeof reviewInput>;

export const journalInput = z.strictObject({
  kind: z.enum(JOURNAL_KINDS, { error: `Art muss ${JOURNAL_KINDS.join(', ')} sein` }),
  text: requiredText('Text', 10_000),
  at: z.iso
    .datetime({ offset: true, error: 'Zeitpunkt im ISO-Format erwartet (z. B. 2026-12-03T09:00:00+01:00)' })
    .refine((v) => Date.parse(v) <= Date.now() + 5 * 60_000, 'Zeitpunkt darf nicht in der Zukunft liegen')
    .optional(),
  goalId: z.uuid({ error: 'Ziel ungültig' }).optional(),
});
export type JournalInput = z.infer<typeof journalInput>;
export const journalEditInput = journalInput.partial().refine((v) => v.kind || v.text || v.at, 'nichts geändert');

export {
  dayStart,
  nextPlanTimer,
  planTimers,
  PLAN_TIMER_OFFSETS,
  type PlanTimer,
  type PlanTimerKind,
  type PlanTimerRef,
} from './plan-timers';

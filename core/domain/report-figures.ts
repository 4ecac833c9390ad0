// The figures of the committee reports (ASWDG, JHA, KI), each defined ONCE here with its German
// explanation (printed in the report). Computed by core/report-figures-data.ts from the read model and
// the inventory; a figure whose records are not kept yet can be marked `pending` here and prints
// „noch nicht erfasst“. Pure: no Node imports.

export type FigureId =
  | 'cases_by_topic'
  | 'chains_by_type'
  | 'moves'
  | 'move_out_duration'
  | 'step_durations'
  | 'handoffs_by_department'
  | 'placements'
  | 'age_groups'
  | 'group_offers'
  | 'partners'
  | 'housing_situation';

export interface FigureDefinition {
  id: FigureId;
  title: string;
  explanation: string;
  /** not computable yet: which record is missing (printed as „noch nicht erfasst“) */
  pending?: string;
}

export const NOT_YET_RECORDED = 'noch nicht erfasst';

export const FIGURES: Record<FigureId, FigureDefinition> = {
  cases_by_topic: {
    id: 'cases_by_topic',
    title: 'Fälle nach Thema',
    explanation: 'Fälle, die im Zeitraum eröffnet oder abgeschlossen wurden, und die am Ende des Zeitraums offenen Fälle, nach Thema.',
  },
  chains_by_type: {
    id: 'chains_by_type',
    title: 'Integrationsketten nach Art',
    explanation:
      'Ketten, die im Zeitraum gestartet, abgeschlossen oder ohne Ergebnis beendet (abgebrochen) wurden. Abschlussgründe je Kette: noch nicht erfasst.',
  },
  moves: {
    id: 'moves',
    title: 'Auszüge aus Notunterkünften in Wohnungen',
    explanation: 'Haushalte, deren Umzug (Schritt „Umzug“ der Auszugskette) im Zeitraum erledigt wurde, und die Personen dieser Haushalte.',
  },
  move_out_duration: {
    id: 'move_out_duration',
    title: 'Dauer der Auszugskette',
    explanation:
      'Für Auszugsketten mit Umzug im Zeitraum: Summe der Arbeitstage ihrer Schritte (Montag bis Freitag ohne Feiertage in NRW), Median und 90. Perzentil. Werte nur ab 5 Ketten.',
  },
  step_durations: {
    id: 'step_durations',
    title: 'Dauer der Schritte',
    explanation:
      'Je Schritt und Stelle die im Zeitraum erledigten Schritte, Median und 90. Perzentil ihrer Dauer in Arbeitstagen und der Anteil innerhalb der Frist. Werte nur ab 5 Schritten.',
  },
  handoffs_by_department: {
    id: 'handoffs_by_department',
    title: 'Übergaben je Stelle',
    explanation:
      'Übergaben an Stellen, die im Zeitraum erstellt wurden, davon innerhalb der Frist erledigt, und der Anteil. Anteile nur ab 5 Übergaben.',
  },
  placements: {
    id: 'placements',
    title: 'Vermittlungen in Bildung und Arbeit',
    explanation: 'Im Zeitraum erfasste Ergebnisse des Schritts „Vermittlung“ der Kette Bildung und Arbeit, nach Art.',
  },
  age_groups: {
    id: 'age_groups',
    title: 'Minderjährige und junge Erwachsene',
    explanation:
      'Personen mit einem im Zeitraum offenen Fall nach Alter am Ende des Zeitraums: minderjährig (unter 18), junge Erwachsene (18 bis unter 27), 27 und älter, Alter unbekannt.',
  },
  group_offers: {
    id: 'group_offers',
    title: 'Gruppenangebote und Teilnehmende',
    explanation:
      'Gruppenangebote der KIM-Fachkräfte (z. B. Wohnführerschein) mit einem Termin im Zeitraum: Angebote, Termine und Personen, die an mindestens einem Termin teilgenommen haben.',
  },
  partners: {
    id: 'partners',
    title: 'Partner und Kontakte',
    explanation:
      'Partner (Vermieter, Bildungsträger, Beratungsstellen …) am Ende des Zeitraums nach Art und ihre im Zeitraum erfassten Kontakte (aus der Bestandsaufnahme).',
  },
  housing_situation: {
    id: 'housing_situation',
    title: 'Wartende Haushalte und freie Wohnungen',
    explanation:
      'Haushalte, deren Auszugskette am Ende des Zeitraums auf ein Wohnungsangebot wartet; freie Wohnungen am Ende des Zeitraums (monatliche Momentaufnahme der Bestandsaufnahme, für den laufenden Zeitraum der heutige Stand).',
  },
};

export type Period = 'quarter' | 'half_year' | 'year';
export const PERIOD_LABELS: Record<Period, string> = { quarter: 'Quartal', half_year: 'Halbjahr', year: 'Jahr' };

/** A figure as published: headers and rows of shown values (numbers, „< 5“, text, null = –). */
export interface FigureTable {
  id: FigureId;
  title: string;
  explanation: string;
  pending?: string;
  columns: string[];
  rows: Array<{ label: string; cells: Array<number | string | null>; total?: boolean }>;
}

/** The period [from, to] (YYYY-MM-DD, inclusive) of the given kind that ends last on or before `day`. */
export function lastCompletePeriod(kind: Period, day: string): { from: string; to: string } {
  const [y, m] = day.split('-').map(Number);
  const len = kind === 'quarter' ? 3 : kind === 'half_year' ? 6 : 12;
  // start of the period containing `day`, then the one before it
  const startMonth = Math.floor((m - 1) / len) * len; // 0-based
  const start = new Date(Date.UTC(y, startMonth - len, 1));
  const end = new Date(Date.UTC(y, startMonth, 0));
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  return { from: iso(start), to: iso(end) };
}

/** Whether [from, to] is exactly one period of that kind (quarter, half year, calendar year). */
export function isWholePeriod(kind: Period, from: string, to: string): boolean {
  const next = new Date(`${to}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  const p = lastCompletePeriod(kind, next.toISOString().slice(0, 10));
  return p.from === from && p.to === to;
}

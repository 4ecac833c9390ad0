// The caseworker's due list (start page): what is due next across sources — follow-ups, chain steps,
// and later plan reviews and actions — as ONE list, oldest due first, overdue marked. Pure: each
// source delivers its items; a new kind of due item is a new source, not a change here.

export interface DueItem {
  /** the case it belongs to; null for what concerns no case (a partner's regular contact) */
  caseId: string | null;
  /** the case's reference, or what the item is about (the partner's name) */
  caseReference: string;
  /** "followup" | "chain-step" | "plan-review" | "plan-action" | "partner-contact" */
  kind: string;
  /** German: what is due ("Wiedervorlage", "Kette Auszug: Besichtigung") */
  title: string;
  dueAt: Date;
  /** where to act */
  href: string;
}

export interface DueEntry extends DueItem {
  overdue: boolean;
}

/** Merge the sources' items: oldest due first (then by case reference, kind), overdue = due before `now`. */
export function dueList(sources: DueItem[][], now: Date, limit = 100): DueEntry[] {
  return sources
    .flat()
    .filter((i) => !Number.isNaN(i.dueAt.getTime()))
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.caseReference.localeCompare(b.caseReference) || a.kind.localeCompare(b.kind))
    .slice(0, limit)
    .map((i) => ({ ...i, overdue: i.dueAt.getTime() < now.getTime() }));
}

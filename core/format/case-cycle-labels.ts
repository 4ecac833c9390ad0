// German labels of the case-management cycle (assessment, help plan, review, journal).
export const LIFE_AREA_LABELS: Record<string, string> = {
  housing: 'Wohnen',
  language: 'Sprache',
  education_work: 'Bildung und Arbeit',
  health: 'Gesundheit',
  family: 'Familie und Kinder',
  finances: 'Finanzen und Leistungen',
  residence: 'Aufenthalt',
};
export const NEED_LABELS: Record<string, string> = { none: 'kein Bedarf', some: 'Bedarf', urgent: 'dringender Bedarf' };
export const RATING_LABELS: Record<string, string> = {
  achieved: 'erreicht',
  partly: 'teilweise erreicht',
  not_achieved: 'nicht erreicht',
  dropped: 'entfallen',
};
export const JOURNAL_KIND_LABELS: Record<string, string> = {
  conversation: 'Gespräch',
  phone: 'Telefonat',
  home_visit: 'Hausbesuch',
  case_conference: 'Fallkonferenz',
  note: 'Notiz',
};
/** who does an agreed action: person | caseworker | department:<id> | partner:<id> */
export function ownerLabel(owner: string, departments: Record<string, string> = {}): string {
  if (owner === 'person') return 'die Person selbst';
  if (owner === 'caseworker') return 'Fallmanagement';
  if (owner.startsWith('department:')) return departments[owner.slice(11)] ?? `Stelle ${owner.slice(11)}`;
  if (owner.startsWith('partner:')) return `Partner ${owner.slice(8)}`;
  return owner;
}

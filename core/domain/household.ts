// The household's size (issue 13), derived — never typed twice: the persons of the household who have
// a file plus the members still living with them. A person without a household (no members recorded)
// keeps the size typed when the person was created (legacy `householdSize`), else 1.
import { householdSize } from './person-file';

export interface HouseholdPerson {
  householdSize: number | null;
  householdMembers: Array<{ removedAt: Date | null }>;
}

export function householdSizeOf(persons: readonly HouseholdPerson[]): number {
  if (persons.length === 1) return householdSize(persons[0].householdSize, persons[0].householdMembers);
  return persons.reduce((n, p) => n + 1 + p.householdMembers.filter((m) => !m.removedAt).length, 0) || 1;
}

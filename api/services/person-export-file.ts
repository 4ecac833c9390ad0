// The Art. 15 export's part of the person's file (issue 13): the edited fields, household members
// (also those who moved out) and shelter places.
import type { Db } from '../../core/db/client';
import { GENDER_LABELS, PROSPECT_LABELS, RELATIONSHIP_LABELS, RESIDENCE_TITLE_LABELS } from '../views/person-labels';

const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : null);
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export async function personFileExport(db: Db, personId: string) {
  const p = await db.person.findUniqueOrThrow({
    where: { id: personId },
    include: {
      householdMembers: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
      shelterStays: { orderBy: [{ since: 'asc' }, { id: 'asc' }], include: { shelter: { select: { name: true } } } },
    },
  });
  return {
    version: p.version,
    gender: p.gender,
    genderLabel: p.gender ? (GENDER_LABELS[p.gender] ?? p.gender) : null,
    languages: p.languages,
    letterLanguage: p.letterLanguage,
    interpreterNeeded: p.interpreterNeeded,
    contact: { phone: p.phone, email: p.email, postalAddress: p.postalAddress, careOfShelter: p.careOfShelter },
    residence: {
      title: p.residenceTitle,
      titleLabel: p.residenceTitle ? (RESIDENCE_TITLE_LABELS[p.residenceTitle] ?? p.residenceTitle) : null,
      validUntil: day(p.residenceValidUntil),
      obligation12a: p.obligation12a,
      obligation12aPlace: p.obligation12aPlace,
    },
    prospectOfStaying: p.prospectOfStaying,
    prospectOfStayingLabel: p.prospectOfStaying ? (PROSPECT_LABELS[p.prospectOfStaying] ?? p.prospectOfStaying) : null,
    householdMembers: p.householdMembers.map((m) => ({
      id: m.id,
      firstName: m.firstName,
      lastName: m.lastName,
      birthDate: day(m.birthDate),
      relationship: m.relationship,
      relationshipLabel: RELATIONSHIP_LABELS[m.relationship] ?? m.relationship,
      addedAt: iso(m.createdAt),
      removedAt: iso(m.removedAt),
    })),
    shelterPlaces: p.shelterStays.map((s) => ({
      id: s.id,
      shelter: s.shelter.name,
      place: s.place,
      since: day(s.since),
      releasedAt: iso(s.releasedAt),
    })),
  };
}
export type PersonFileExport = Awaited<ReturnType<typeof personFileExport>>;

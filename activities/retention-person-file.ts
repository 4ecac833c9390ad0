// Retention of the person's file (issue 13), inside the anonymisation of the person: the new personal
// fields go, household members are deleted, shelter places keep only their dates (occupancy history).
import type { Prisma } from '../core/db/generated/client';

export async function anonymizePersonFile(tx: Prisma.TransactionClient, personId: string) {
  // the household's size stays for statistics (derived from the members, which go)
  const members = await tx.householdMember.count({ where: { personId, removedAt: null } });
  await tx.person.update({
    where: { id: personId },
    data: {
      ...(members ? { householdSize: members + 1 } : {}),
      gender: null,
      languages: [],
      letterLanguage: null,
      interpreterNeeded: false,
      phone: null,
      email: null,
      postalAddress: null,
      careOfShelter: false,
      residenceTitle: null,
      residenceValidUntil: null,
      obligation12a: false,
      obligation12aPlace: null,
      prospectOfStaying: null,
    },
  });
  await tx.householdMember.deleteMany({ where: { personId } });
  await tx.shelterStay.updateMany({ where: { personId }, data: { place: null } });
}

// The person's file (issue 13) in the Art. 15 export (JSON and PDF: the edited fields, household members
// incl. those moved out, shelter places) and in retention (anonymisation removes the new personal fields
// and the household members, keeps the shelter place's dates without the place label).
import { createRetentionActivities } from '../../activities/retention';
import { pdfText } from '../support/pdf-text';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack({ outbox: false });
  token = await stack.token('fallmanagement@kim.example');
});
afterAll(() => stack?.stop());

async function filledPerson(lastName: string) {
  const p = await stack.api('POST', '/api/persons', { token, body: { firstName: 'Olena', lastName, benefitType: 'sgb2' } });
  const id = p.body.id as string;
  const c = await stack.api('POST', '/api/cases', { token, body: { personId: id, topic: 'housing' } });
  const patch = await stack.api('PATCH', `/api/persons/${id}`, {
    token,
    body: {
      version: 1,
      gender: 'female',
      languages: ['uk', 'ru'],
      letterLanguage: 'uk',
      interpreterNeeded: true,
      contact: { phone: '+49 170 555', email: 'olena@example.org', postalAddress: 'Am Markt 5, 51465 Bergisch Gladbach' },
      residence: {
        title: 'residence_permit_protection',
        validUntil: '2027-03-04',
        obligation12a: true,
        obligation12aPlace: 'Bergisch Gladbach',
      },
      prospectOfStaying: 'good',
    },
  });
  expect(patch.status).toBe(200);
  const kid = await stack.api('POST', `/api/persons/${id}/household-members`, {
    token,
    body: { firstName: 'Taras', lastName, birthDate: '2016-05-06', relationship: 'child' },
  });
  const gone = await stack.api('POST', `/api/persons/${id}/household-members`, {
    token,
    body: { firstName: 'Ivan', lastName, birthDate: '1980-01-01', relationship: 'partner' },
  });
  await stack.api('DELETE', `/api/persons/${id}/household-members/${gone.body.id}`, { token });
  const shelter = await stack.api('POST', '/api/shelters', {
    token: await stack.token('leitung@kim.example'),
    body: { name: `NU ${lastName}`, capacity: 5 },
  });
  expect(
    (
      await stack.api('PUT', `/api/persons/${id}/shelter-place`, {
        token,
        body: { shelterId: shelter.body.id, place: 'Zimmer 7', since: '2025-03-01' },
      })
    ).status,
  ).toBe(200);
  return { id, caseId: c.body.id as string, kidId: kid.body.id as string };
}

it('the Art. 15 export lists the new fields, all household members and the shelter places (JSON and PDF)', async () => {
  const { id } = await filledPerson('Kovalenko');
  const r = await stack.api('GET', `/api/persons/${id}/export`, { token });
  expect(r.status).toBe(200);
  expect(r.body.personFile).toMatchObject({
    version: 2,
    genderLabel: 'weiblich',
    languages: ['uk', 'ru'],
    letterLanguage: 'uk',
    interpreterNeeded: true,
    contact: { phone: '+49 170 555', email: 'olena@example.org' },
    residence: { titleLabel: 'Aufenthaltserlaubnis (Schutzstatus)', validUntil: '2027-03-04', obligation12aPlace: 'Bergisch Gladbach' },
    householdMembers: [
      expect.objectContaining({ firstName: 'Taras', relationshipLabel: 'Kind', removedAt: null }),
      expect.objectContaining({ firstName: 'Ivan', removedAt: expect.any(String) }),
    ],
    shelterPlaces: [expect.objectContaining({ shelter: 'NU Kovalenko', place: 'Zimmer 7', since: '2025-03-01', releasedAt: null })],
  });
  const pdf = await fetch(`${stack.url}/api/persons/${id}/export.pdf`, { headers: { authorization: `Bearer ${token}` } });
  expect(pdf.status).toBe(200);
  const text = pdfText(Buffer.from(await pdf.arrayBuffer()));
  for (const s of [
    'Sprache für Briefe',
    'uk',
    'olena@example.org',
    'Aufenthaltserlaubnis (Schutzstatus)',
    'Taras Kovalenko, Kind',
    'Notunterkunft NU Kovalenko (Zimmer 7)',
  ])
    expect(text).toContain(s);
});

it('retention removes the new personal fields and household members, keeps shelter dates without the place', async () => {
  const { id, caseId } = await filledPerson('Retention');
  expect(
    (await stack.api('POST', `/api/cases/${caseId}/status`, { token, body: { status: 'closed', closureCode: 'moved_away' } })).status,
  ).toBe(200);
  await stack.db.case.update({ where: { id: caseId }, data: { closedAt: new Date(Date.now() - 86_400_000), status: 'closed' } });
  const r = await createRetentionActivities({ db: stack.db }).anonymizeCases({
    caseIds: [caseId],
    cutoff: new Date(Date.now() + 60_000).toISOString(),
  });
  expect(r).toEqual({ cases: 1, persons: 1 });
  const p = await stack.db.person.findUniqueOrThrow({ where: { id } });
  expect(p).toMatchObject({
    gender: null,
    languages: [],
    letterLanguage: null,
    phone: null,
    email: null,
    postalAddress: null,
    residenceTitle: null,
    residenceValidUntil: null,
    obligation12aPlace: null,
    benefitType: 'sgb2', // statistics
  });
  expect(await stack.db.householdMember.count({ where: { personId: id } })).toBe(0);
  const stays = await stack.db.shelterStay.findMany({ where: { personId: id } });
  expect(stays).toEqual([expect.objectContaining({ place: null, since: new Date('2025-03-01T00:00:00Z') })]);
  // nothing left that names the person
  const dump = JSON.stringify({ p, stays });
  for (const s of ['Olena', 'olena@example.org', 'Am Markt', 'Zimmer 7', 'Taras']) expect(dump).not.toContain(s);
});

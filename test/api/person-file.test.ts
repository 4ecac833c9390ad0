// The person's file over the JSON API on the real stack: read with version, edit with optimistic
// concurrency (stale → 409, nothing changed; two racing edits → exactly one wins), bad input → 400
// naming the field, household members with the derived household size, scope and audit.
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let caseworker: string;
let otherTeam: string;

beforeAll(async () => {
  stack = await startStack({ outbox: false });
  caseworker = await stack.token('fallmanagement@kim.example');
  // a caseworker of another team: sees nothing of the first one's persons
  const other = await stack.db.user.create({
    data: {
      email: 'fremd-team@kim.example',
      name: 'Fremdes Team',
      role: 'caseworker',
      departmentId: 'jobcenter',
      passwordHash: (await stack.db.user.findFirstOrThrow({ where: { email: 'fallmanagement@kim.example' } })).passwordHash,
    },
  });
  otherTeam = await stack.token(other.email);
});
afterAll(() => stack?.stop());

async function newPerson() {
  const r = await stack.api('POST', '/api/persons', {
    token: caseworker,
    body: { firstName: 'Amina', lastName: 'Yilmaz', birthDate: '1990-04-01', benefitType: 'asylblg', householdSize: 2 },
  });
  expect(r.status).toBe(201);
  return r.body.id as string;
}

const FULL = {
  firstName: 'Amina',
  lastName: 'Yılmaz-Haddad',
  birthDate: '1990-04-02',
  gender: 'female',
  languages: ['ar', 'tr', 'de'],
  letterLanguage: 'ar',
  interpreterNeeded: true,
  contact: {
    phone: '+49 2202 1234',
    email: 'amina@example.org',
    postalAddress: 'Hauptstraße 1\n51465 Bergisch Gladbach',
    careOfShelter: false,
  },
  residence: {
    title: 'residence_permit_protection',
    validUntil: '2028-03-31',
    obligation12a: true,
    obligation12aPlace: 'Bergisch Gladbach',
  },
  prospectOfStaying: 'good',
  benefitType: 'sgb2',
};

describe('GET/PATCH /api/persons/{id}', () => {
  it('reads version 1, edits every field, answers the new version and audits field names only', async () => {
    const id = await newPerson();
    const g = await stack.api('GET', `/api/persons/${id}`, { token: caseworker });
    expect(g.status).toBe(200);
    expect(g.body).toMatchObject({
      id,
      version: 1,
      householdSize: 2,
      languages: [],
      interpreterNeeded: false,
      residence: { obligation12a: false },
    });

    const p = await stack.api('PATCH', `/api/persons/${id}`, { token: caseworker, body: { version: 1, ...FULL } });
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({ id, version: 2, reroutedTasks: [], pendingTasks: [] });

    const after = await stack.api('GET', `/api/persons/${id}`, { token: caseworker });
    expect(after.body).toMatchObject({ version: 2, ...FULL });

    const ev = await stack.db.auditEvent.findFirstOrThrow({ where: { action: 'person.update', entityId: id } });
    expect(ev.details).toMatchObject({
      fields: expect.arrayContaining(['lastName', 'languages', 'residenceTitle', 'benefitType']),
      version: 2,
    });
    expect(JSON.stringify(ev.details)).not.toContain('Hauptstraße');
    expect(await stack.db.auditEvent.count({ where: { action: 'person.read', entityId: id } })).toBe(2);
  });

  it('a stale version → 409 in German, nothing changed', async () => {
    const id = await newPerson();
    expect((await stack.api('PATCH', `/api/persons/${id}`, { token: caseworker, body: { version: 1, lastName: 'Erste' } })).status).toBe(
      200,
    );
    const before = await stack.db.person.findUniqueOrThrow({ where: { id } });
    const r = await stack.api('PATCH', `/api/persons/${id}`, {
      token: caseworker,
      body: { version: 1, lastName: 'Zweite', phone: undefined },
    });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain('inzwischen von jemand anderem geändert');
    expect(await stack.db.person.findUniqueOrThrow({ where: { id } })).toEqual(before);
  });

  it('two edits racing with the same version: exactly one wins', async () => {
    const id = await newPerson();
    const rs = await Promise.all(
      ['A', 'B', 'C', 'D'].map((n) => stack.api('PATCH', `/api/persons/${id}`, { token: caseworker, body: { version: 1, lastName: n } })),
    );
    expect(rs.map((r) => r.status).sort()).toEqual([200, 409, 409, 409]);
    const p = await stack.db.person.findUniqueOrThrow({ where: { id } });
    expect(p.version).toBe(2);
    expect(rs.find((r) => r.status === 200)!.body.version).toBe(2);
  });

  it.each([
    [{ lastName: 'X' }, 'version', 'Version'],
    [{ version: 1, languages: ['deu'] }, 'languages.0', 'ISO-639-1'],
    [{ version: 1, gender: 'x' }, 'gender', 'Geschlecht'],
    [{ version: 1, residence: { obligation12a: true } }, 'residence.obligation12aPlace', 'Wohnsitzauflage'],
    [{ version: 1, residence: { validUntil: '2028-02-30' } }, 'residence.validUntil', 'Gültig bis'],
    [{ version: 1, contact: { email: 'kein-at' } }, 'contact.email', 'E-Mail'],
    [{ version: 1, benefitType: 'hartz4' }, 'benefitType', 'Leistungsart'],
    [{ version: 1, firstName: '' }, 'firstName', 'Vorname'],
    [{ version: 1, shelterId: 'NU-1' }, 'shelterId', 'Unbekanntes Feld'],
  ])('rejects %j with 400 naming %s, writing nothing', async (body, field, word) => {
    const id = await newPerson();
    const before = await stack.db.person.findUniqueOrThrow({ where: { id } });
    const r = await stack.api('PATCH', `/api/persons/${id}`, { token: caseworker, body });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(r.body.error.message).toContain(word);
    expect(await stack.db.person.findUniqueOrThrow({ where: { id } })).toEqual(before);
  });

  it('another team sees and changes nothing (404, refused attempt audited)', async () => {
    const id = await newPerson();
    expect((await stack.api('GET', `/api/persons/${id}`, { token: otherTeam })).status).toBe(404);
    expect((await stack.api('PATCH', `/api/persons/${id}`, { token: otherTeam, body: { version: 1, lastName: 'Fremd' } })).status).toBe(
      404,
    );
    expect(
      (
        await stack.api('POST', `/api/persons/${id}/household-members`, {
          token: otherTeam,
          body: { firstName: 'K', lastName: 'Y', birthDate: '2015-01-01', relationship: 'child' },
        })
      ).status,
    ).toBe(404);
    expect((await stack.db.person.findUniqueOrThrow({ where: { id } })).version).toBe(1);
    expect(await stack.db.auditEvent.count({ where: { action: 'access.refused', entityId: id } })).toBe(3);
  });
});

describe('household members', () => {
  it('adds, lists with ages, derives the size, removes', async () => {
    const id = await newPerson();
    const add = (body: object) => stack.api('POST', `/api/persons/${id}/household-members`, { token: caseworker, body });
    const a = await add({ firstName: 'Omar', lastName: 'Yilmaz', birthDate: '1988-06-01', relationship: 'partner' });
    expect(a.status).toBe(201);
    const child = new Date();
    child.setUTCFullYear(child.getUTCFullYear() - 7);
    child.setUTCDate(child.getUTCDate() - 1);
    const b = await add({ firstName: 'Lina', lastName: 'Yilmaz', birthDate: child.toISOString().slice(0, 10), relationship: 'child' });
    expect(b.status).toBe(201);

    const l = await stack.api('GET', `/api/persons/${id}/household-members`, { token: caseworker });
    expect(l.status).toBe(200);
    expect(l.body.householdSize).toBe(3); // person + 2, not the 2 typed at creation
    expect(l.body.items).toEqual([
      expect.objectContaining({ firstName: 'Omar', relationship: 'partner' }),
      expect.objectContaining({ firstName: 'Lina', relationship: 'child', age: 7 }),
    ]);
    expect((await stack.api('GET', `/api/persons/${id}`, { token: caseworker })).body.householdSize).toBe(3);

    expect((await stack.api('DELETE', `/api/persons/${id}/household-members/${a.body.id}`, { token: caseworker })).status).toBe(200);
    expect((await stack.api('DELETE', `/api/persons/${id}/household-members/${a.body.id}`, { token: caseworker })).status).toBe(404);
    expect((await stack.api('GET', `/api/persons/${id}/household-members`, { token: caseworker })).body.householdSize).toBe(2);
    expect(
      await stack.db.auditEvent.count({
        where: { action: { startsWith: 'person.household.' }, details: { path: ['personId'], equals: id } },
      }),
    ).toBe(3);
  });

  it.each([
    [{ firstName: 'K', lastName: 'Y', birthDate: '2015-01-01', relationship: 'cousin' }, 'relationship', 'Beziehung'],
    [{ firstName: 'K', lastName: 'Y', relationship: 'child' }, 'birthDate', 'Geburtsdatum'],
    [{ firstName: 'K', lastName: 'Y', birthDate: '2999-01-01', relationship: 'child' }, 'birthDate', 'Geburtsdatum'],
    [{ firstName: '', lastName: 'Y', birthDate: '2015-01-01', relationship: 'child' }, 'firstName', 'Vorname'],
  ])('rejects %j with 400 naming %s', async (body, field, word) => {
    const id = await newPerson();
    const r = await stack.api('POST', `/api/persons/${id}/household-members`, { token: caseworker, body });
    expect(r.status).toBe(400);
    expect(r.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect(r.body.error.message).toContain(word);
    expect(await stack.db.householdMember.count({ where: { personId: id } })).toBe(0);
  });
});

import { hashPassword, verifyPassword } from '../../core/passwords';

it('hashes with argon2id in the standard encoded form and verifies', async () => {
  const h = await hashPassword('Geheim-123');
  expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  expect(await verifyPassword(h, 'Geheim-123')).toBe(true);
  expect(await verifyPassword(h, 'geheim-123')).toBe(false);
  expect(await hashPassword('Geheim-123')).not.toBe(h); // salted
  expect(await verifyPassword('kein-hash', 'x')).toBe(false);
});

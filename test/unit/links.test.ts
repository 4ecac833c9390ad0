// E-mail action link tokens: signature bound to task, action, recipient and expiry; key rotation.
import { newNonce, parseLinkKeys, parseToken, signLink, verifyLink } from '../../core/links';

const oldKeys = parseLinkKeys('k1:' + 'a'.repeat(40));
const rotated = parseLinkKeys('k2:' + 'b'.repeat(40) + ',k1:' + 'a'.repeat(40));
const claims = {
  nonce: newNonce(),
  taskId: 't-1',
  action: 'accept',
  recipient: 'Jobcenter@kim.example',
  expiresAt: new Date('2030-01-01T00:00:00Z'),
};

it('verifies its own token and binds it to task, action and recipient', () => {
  const t = parseToken(signLink(oldKeys, claims))!;
  expect(t).toBeDefined();
  expect(verifyLink(oldKeys, t, claims)).toBe(true);
  expect(verifyLink(oldKeys, t, { ...claims, recipient: 'jobcenter@kim.example' })).toBe(true); // case-insensitive address
  expect(verifyLink(oldKeys, t, { ...claims, action: 'complete' })).toBe(false);
  expect(verifyLink(oldKeys, t, { ...claims, taskId: 't-2' })).toBe(false);
  expect(verifyLink(oldKeys, t, { ...claims, recipient: 'other@kim.example' })).toBe(false);
  expect(verifyLink(oldKeys, { ...t, exp: t.exp + 1 }, claims)).toBe(false); // expiry is signed
});

it('rotation: new links are signed with the first key, links signed with an older key still verify; removed keys do not', () => {
  const old = parseToken(signLink(oldKeys, claims))!;
  const fresh = parseToken(signLink(rotated, claims))!;
  expect(fresh.keyId).toBe('k2');
  expect(verifyLink(rotated, old, claims)).toBe(true);
  expect(verifyLink(rotated, fresh, claims)).toBe(true);
  expect(verifyLink(parseLinkKeys('k2:' + 'b'.repeat(40)), old, claims)).toBe(false);
});

it('rejects malformed tokens and weak key configuration', () => {
  expect(parseToken('garbage')).toBeUndefined();
  expect(parseToken('x'.repeat(400))).toBeUndefined();
  expect(() => parseLinkKeys('k1:short')).toThrow(/zu kurz/);
  expect(() => parseLinkKeys('')).toThrow(/leer/);
});

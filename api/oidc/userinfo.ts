// E-mail claims from the userinfo endpoint, for providers that put them only there (OIDC Core 5.4:
// scope-requested claims go to userinfo when an access token is issued). Only when the ID token has
// no e-mail; the answer must be about the same subject (OIDC Core 5.3.2). Signed userinfo is not used.
import type { ProviderMetadata } from './discovery';
import type { IdTokenClaims } from './id-token';

export class UserinfoError extends Error {
  constructor(readonly code: string) {
    super(`Userinfo fehlgeschlagen: ${code}`);
  }
}

export async function withUserinfoEmail(
  claims: IdTokenClaims,
  metadata: ProviderMetadata,
  accessToken: string | undefined,
): Promise<IdTokenClaims> {
  if (claims.email !== undefined || !metadata.userinfo_endpoint || !accessToken) return claims;
  let res: Response;
  try {
    res = await fetch(metadata.userinfo_endpoint, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    throw new UserinfoError('userinfo_unreachable');
  }
  if (!res.ok || !(res.headers.get('content-type') ?? '').startsWith('application/json')) throw new UserinfoError('userinfo_rejected');
  const info = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  if (!info || info.sub !== claims.sub) throw new UserinfoError('userinfo_subject');
  return {
    ...claims,
    email: typeof info.email === 'string' ? info.email : undefined,
    email_verified: typeof info.email_verified === 'boolean' ? info.email_verified : undefined,
  };
}

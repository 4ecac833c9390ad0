// The identity provider's discovery document and signing keys (JWKS), fetched with a timeout and
// cached in memory per API instance. An unknown key id refetches the JWKS (key rotation at the IdP),
// at most once per JWKS_REFRESH_MS.
import { z } from 'zod';

const TIMEOUT_MS = 10_000;
const DISCOVERY_TTL_MS = 60 * 60_000;
const JWKS_TTL_MS = 60 * 60_000;
const JWKS_REFRESH_MS = 30_000;

const httpsOrHttpUrl = z.string().refine((v) => /^https?:\/\/[^\s]+$/.test(v));

export const providerMetadata = z.object({
  issuer: httpsOrHttpUrl,
  authorization_endpoint: httpsOrHttpUrl,
  token_endpoint: httpsOrHttpUrl,
  jwks_uri: httpsOrHttpUrl,
  userinfo_endpoint: httpsOrHttpUrl.optional(),
  end_session_endpoint: httpsOrHttpUrl.optional(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
  id_token_signing_alg_values_supported: z.array(z.string()).optional(),
});
export type ProviderMetadata = z.infer<typeof providerMetadata>;

export interface Jwk {
  kty: string;
  kid?: string;
  use?: string;
  alg?: string;
  [k: string]: unknown;
}
const jwksDocument = z.object({
  keys: z.array(z.looseObject({ kty: z.string(), kid: z.string().optional(), use: z.string().optional(), alg: z.string().optional() })),
});

export class OidcFetchError extends Error {}

async function getJson(url: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    throw new OidcFetchError(`${url} nicht erreichbar: ${err instanceof Error ? err.message : err}`);
  }
  if (!res.ok) throw new OidcFetchError(`${url} antwortet mit ${res.status}`);
  try {
    return await res.json();
  } catch {
    throw new OidcFetchError(`${url} liefert kein JSON`);
  }
}

const stripSlash = (s: string) => s.replace(/\/+$/, '');

export function createOidcDiscovery(issuer: string) {
  let metadata: { value: ProviderMetadata; at: number } | undefined;
  let jwks: { keys: Jwk[]; at: number } | undefined;

  async function getMetadata(): Promise<ProviderMetadata> {
    if (metadata && Date.now() - metadata.at < DISCOVERY_TTL_MS) return metadata.value;
    const raw = await getJson(`${stripSlash(issuer)}/.well-known/openid-configuration`);
    const parsed = providerMetadata.safeParse(raw);
    if (!parsed.success) throw new OidcFetchError('Discovery-Dokument unvollständig');
    // the document must name the configured issuer (a trailing slash aside): else it is another provider's
    if (stripSlash(parsed.data.issuer) !== stripSlash(issuer)) throw new OidcFetchError('Discovery-Dokument nennt einen anderen Issuer');
    if (parsed.data.code_challenge_methods_supported && !parsed.data.code_challenge_methods_supported.includes('S256')) {
      throw new OidcFetchError('Identity Provider unterstützt PKCE mit S256 nicht');
    }
    metadata = { value: parsed.data, at: Date.now() };
    return parsed.data;
  }

  async function fetchKeys(): Promise<Jwk[]> {
    const { jwks_uri } = await getMetadata();
    const parsed = jwksDocument.safeParse(await getJson(jwks_uri));
    if (!parsed.success) throw new OidcFetchError('JWKS ungültig');
    jwks = { keys: parsed.data.keys as Jwk[], at: Date.now() };
    return jwks.keys;
  }

  /** The provider's keys; `unknownKid` asks for a refetch when the cached set lacks that key id. */
  async function getKeys(unknownKid?: string): Promise<Jwk[]> {
    if (!jwks || Date.now() - jwks.at > JWKS_TTL_MS) return fetchKeys();
    if (unknownKid && !jwks.keys.some((k) => k.kid === unknownKid) && Date.now() - jwks.at > JWKS_REFRESH_MS) return fetchKeys();
    return jwks.keys;
  }

  return { getMetadata, getKeys };
}
export type OidcDiscovery = ReturnType<typeof createOidcDiscovery>;

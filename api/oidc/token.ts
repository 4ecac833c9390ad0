// The token request of the authorization code flow: code + PKCE code_verifier, client authentication
// by secret (client_secret_basic, or client_secret_post if that is all the provider offers) or none
// (public client). Returns the ID token and the access token (used once for userinfo, never stored).
import type { ProviderMetadata } from './discovery';
import type { OidcSettings } from '../../core/config';

export class TokenError extends Error {
  constructor(readonly code: string) {
    super(`Token-Anfrage fehlgeschlagen: ${code}`);
  }
}

const formEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');

export async function exchangeCode(o: {
  metadata: ProviderMetadata;
  settings: OidcSettings;
  code: string;
  codeVerifier: string;
  redirectUri: string;
}): Promise<{ idToken: string; accessToken?: string }> {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code: o.code,
    redirect_uri: o.redirectUri,
    code_verifier: o.codeVerifier,
  });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  const { clientId, clientSecret } = o.settings;
  const methods = o.metadata.token_endpoint_auth_methods_supported;
  if (!clientSecret) {
    body.set('client_id', clientId);
  } else if (!methods || methods.includes('client_secret_basic') || !methods.includes('client_secret_post')) {
    headers.authorization = `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`;
  } else {
    body.set('client_id', clientId);
    body.set('client_secret', clientSecret);
  }
  let res: Response;
  try {
    res = await fetch(o.metadata.token_endpoint, { method: 'POST', headers, body, redirect: 'error', signal: AbortSignal.timeout(10_000) });
  } catch {
    throw new TokenError('token_unreachable');
  }
  const json = (await res.json().catch(() => undefined)) as { id_token?: unknown; access_token?: unknown } | undefined;
  if (!res.ok || !json) throw new TokenError('token_rejected');
  if (typeof json.id_token !== 'string' || !json.id_token) throw new TokenError('id_token_missing');
  return {
    idToken: json.id_token,
    accessToken: typeof json.access_token === 'string' && json.access_token ? json.access_token : undefined,
  };
}

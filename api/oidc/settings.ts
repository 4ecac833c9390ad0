// The OIDC login's settings, taken from the configuration (KIM_OIDC_*). Off unless the issuer is set.
import type { Config } from '../../core/config';

export interface OidcSettings {
  /** the identity provider's issuer URL exactly as its discovery document states it */
  issuer: string;
  clientId: string;
  /** set → confidential client; unset → public client (PKCE only) */
  clientSecret?: string;
  scopes: string;
  buttonLabel: string;
  /** an e-mail match needs `email_verified: true` in the ID token */
  requireEmailVerified: boolean;
}

export function oidcSettings(config: Config): OidcSettings | undefined {
  if (!config.KIM_OIDC_ISSUER || !config.KIM_OIDC_CLIENT_ID) return undefined;
  return {
    issuer: config.KIM_OIDC_ISSUER,
    clientId: config.KIM_OIDC_CLIENT_ID,
    clientSecret: config.KIM_OIDC_CLIENT_SECRET,
    scopes: config.KIM_OIDC_SCOPES,
    buttonLabel: config.KIM_OIDC_BUTTON_LABEL,
    requireEmailVerified: config.KIM_OIDC_REQUIRE_EMAIL_VERIFIED,
  };
}

/** The redirect URI to register at the identity provider. */
export const oidcRedirectUri = (publicUrl: string) => `${publicUrl}/anmelden/oidc/callback`;

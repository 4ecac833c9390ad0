// KIM_OIDC_* in core/config.ts and their mapping to the OIDC login's settings (api/oidc/settings.ts).
import { loadConfig } from '../../core/config';
import { configError } from '../support/config-error';
import { oidcRedirectUri, oidcSettings } from '../../core/config';

test('off unless the issuer is set', () => {
  expect(oidcSettings(loadConfig({}))).toBeUndefined();
  expect(oidcSettings(loadConfig({ KIM_OIDC_CLIENT_ID: 'kim', KIM_OIDC_ISSUER: ' ' }))).toBeUndefined();
});

test('defaults: public client, scopes "openid email profile", German button label, verified e-mail required', () => {
  const s = oidcSettings(loadConfig({ KIM_OIDC_ISSUER: 'https://login.stadt.example/realms/kim', KIM_OIDC_CLIENT_ID: 'kim-flow' }));
  expect(s).toEqual({
    issuer: 'https://login.stadt.example/realms/kim',
    clientId: 'kim-flow',
    clientSecret: undefined,
    scopes: 'openid email profile',
    buttonLabel: 'Mit Dienst-Konto anmelden',
    requireEmailVerified: true,
  });
  expect(oidcRedirectUri('https://kim.stadt.example')).toBe('https://kim.stadt.example/anmelden/oidc/callback');
});

test('a confidential client with its own scopes, label and without the email_verified requirement', () => {
  const s = oidcSettings(
    loadConfig({
      KIM_OIDC_ISSUER: 'https://idp.example',
      KIM_OIDC_CLIENT_ID: 'kim',
      KIM_OIDC_CLIENT_SECRET: 's3cr3t',
      KIM_OIDC_SCOPES: 'openid email',
      KIM_OIDC_BUTTON_LABEL: 'Mit Stadt-Konto anmelden',
      KIM_OIDC_REQUIRE_EMAIL_VERIFIED: 'false',
    }),
  );
  expect(s).toMatchObject({
    clientSecret: 's3cr3t',
    scopes: 'openid email',
    buttonLabel: 'Mit Stadt-Konto anmelden',
    requireEmailVerified: false,
  });
});

test('invalid: issuer without client id, scopes without openid, no URL, http in production — one German message', () => {
  const message = configError({ KIM_OIDC_ISSUER: 'https://idp.example', KIM_OIDC_SCOPES: 'email profile' });
  expect(message).toContain('KIM_OIDC_CLIENT_ID: fehlt, obwohl KIM_OIDC_ISSUER gesetzt ist');
  expect(message).toContain('KIM_OIDC_SCOPES: muss den Scope "openid" enthalten');
  expect(configError({ KIM_OIDC_ISSUER: 'idp.example', KIM_OIDC_CLIENT_ID: 'kim' })).toMatch(
    /KIM_OIDC_ISSUER: muss mit https:\/\/ oder http:\/\/ beginnen/,
  );
  expect(
    configError({
      NODE_ENV: 'production',
      KIM_PUBLIC_URL: 'https://kim.example',
      KIM_LINK_SECRETS: `k:${'x'.repeat(32)}`,
      KIM_OIDC_ISSUER: 'http://idp.example',
      KIM_OIDC_CLIENT_ID: 'kim',
    }),
  ).toContain('KIM_OIDC_ISSUER: muss in production mit https:// beginnen');
});

// All configuration comes from environment variables, validated once at start-up.
// An invalid configuration stops with one message listing every bad variable.
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { payloadKeyProblem } from './codec';

const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');
const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || protocols.some((p) => v.startsWith(p)), {
      message: `muss mit ${protocols.join(' oder ')} beginnen`,
    });
const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));
const duration = z.coerce.number().int().positive();
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
/** one entry of KIM_TRUST_PROXY: a name Express knows, an IP address or a CIDR range */
const proxyEntry = (e: string) => {
  if (PROXY_NAMES.includes(e)) return true;
  const [ip, bits, ...rest] = e.split('/');
  const family = net.isIP(ip);
  if (!family || rest.length) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
};
/** Cross-variable rules run even when other variables are invalid (zod skips them by default), so the
 *  one error message lists every problem — unless one of the variables they read is itself invalid. */
const unlessInvalid = (...vars: string[]) => ({
  when: (p: { issues: ReadonlyArray<{ path?: PropertyKey[] }> }) => !p.issues.some((i) => vars.includes(String(i.path?.[0]))),
});

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    /** interface of the HTTP app: loopback by default (the dev inbox needs no login); 0.0.0.0 in a container */
    KIM_HOST: z.string().trim().min(1).default('127.0.0.1'),
    KIM_PUBLIC_URL: optionalUrl(['http://', 'https://']),
    KIM_DATA_DIR: z.string().default('.data'),
    KIM_TOOLS_DIR: z.string().default(path.join(os.homedir(), '.cache', 'kim-flow')),
    KIM_SEED: bool,
    KIM_DEMO_PASSWORD: z.string().min(1).default('demo'),
    KIM_SESSION_HOURS: duration.default(12),
    /** a browser session ends after this many minutes without a request (BSI IT-Grundschutz ORP.4 / APP.3.1) */
    KIM_SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    /** reverse proxies whose X-Forwarded-For is believed: a hop count, or names (loopback, linklocal, uniquelocal), IPs, CIDRs */
    KIM_TRUST_PROXY: z
      .string()
      .trim()
      .default('loopback')
      .refine((v) => /^\d{1,2}$/.test(v) || (v.length > 0 && v.split(',').every((e) => proxyEntry(e.trim()))), {
        message:
          'erwartet eine Anzahl Proxys (z. B. 1) oder eine Liste aus loopback, linklocal, uniquelocal, IP-Adressen und CIDR-Bereichen',
      })
      .transform((v): number | string[] => (/^\d{1,2}$/.test(v) ? Number(v) : v.split(',').map((e) => e.trim()))),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

    DATABASE_URL: optionalUrl(['postgres://', 'postgresql://']),
    KIM_EMBEDDED_PG_PORT: z.coerce.number().int().min(0).max(65535).default(54329),

    TEMPORAL_ADDRESS: optionalText,
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('kim-flow'),
    TEMPORAL_TLS: bool,
    TEMPORAL_TLS_CERT: optionalText,
    TEMPORAL_TLS_KEY: optionalText,
    TEMPORAL_TLS_CA: optionalText,
    TEMPORAL_API_KEY: optionalText,
    TEMPORAL_CLI_PATH: optionalText,
    KIM_TEMPORAL_PORT: z.coerce.number().int().min(0).max(65535).default(7233),
    KIM_TEMPORAL_UI_PORT: z.coerce.number().int().min(0).max(65535).default(8233),

    SMTP_URL: optionalUrl(['smtp://', 'smtps://']),
    KIM_SMTP_CAPTURE_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
    MAIL_FROM: z.string().default('KIM Flow <kim-flow@kim.example>'),

    /** "kid:secret,kid2:secret2": HMAC keys of e-mail action links; the first signs (rotation) */
    KIM_LINK_SECRETS: optionalText.refine((v) => v === undefined || v.split(',').every((p) => /^[\w-]{1,20}:.{32,}$/.test(p.trim())), {
      message: 'Format "kid:geheimnis,kid2:geheimnis2" mit Geheimnissen ab 32 Zeichen erwartet',
    }),
    /** "kid:base64(32 Bytes),kid2:…": AES-256-GCM keys of the Temporal payload codec; the first encrypts, all decrypt
     *  (rotation). Without it (embedded/dev): a key made once in KIM_DATA_DIR/payload-key; production requires it. */
    KIM_PAYLOAD_KEYS: optionalText.superRefine((v, ctx) => {
      if (v === undefined) return;
      const pairs = v
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
      if (!pairs.length) {
        ctx.addIssue({ code: 'custom', message: 'ist leer' });
        return;
      }
      const problem = pairs.map(payloadKeyProblem).find(Boolean);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
      else if (new Set(pairs.map((p) => p.slice(0, p.indexOf(':')))).size !== pairs.length)
        ctx.addIssue({ code: 'custom', message: 'Schlüssel-IDs müssen eindeutig sein' });
    }),
    /** origin of the Temporal Web UI that may call the codec endpoint /api/codec/* (CORS) */
    KIM_TEMPORAL_UI_ORIGIN: z
      .string()
      .trim()
      .default('http://localhost:8233')
      .refine((v) => /^https?:\/\/[^/\s]+$/.test(v), { message: 'muss ein Origin wie http://localhost:8233 sein (ohne Pfad)' }),
    KIM_LINK_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(14),
    /** minutes between read-model reconciles (0 = off) */
    KIM_RECONCILE_MINUTES: z.coerce
      .number()
      .min(0)
      .max(24 * 60)
      .default(15),
    /** workflows a worker keeps in memory (a waiting chain + its case workflow ≈ 0.6 MB, bench:worker-memory; 100 keeps
     *  5,000 waiting chains under 400 MB RSS); beyond that they are replayed when they get work */
    KIM_WORKER_CACHE: z.coerce.number().int().min(0).max(100_000).default(100),
    /** V8 young generation of the worker (core/runtime/worker-heap.ts): MB per semi-space, 0 = V8's own (16) */
    KIM_WORKER_SEMI_SPACE_MB: z.coerce.number().int().min(0).max(256).default(2),
    /** V8 old generation limit of the worker in MB (main thread and workflow thread each), 0 = V8's own */
    KIM_WORKER_HEAP_MB: z.coerce.number().int().min(0).max(65_536).default(0),
    /** >0: one working day lasts this many seconds — for tests and demos of deadlines */
    KIM_WORKING_DAY_SECONDS: z.coerce.number().min(0).default(0),

    /** OIDC login (authorization code + PKCE); off unless the issuer is set */
    KIM_OIDC_ISSUER: optionalUrl(['https://', 'http://']),
    KIM_OIDC_CLIENT_ID: optionalText,
    /** set → confidential client (client_secret_basic/post); unset → public client with PKCE only */
    KIM_OIDC_CLIENT_SECRET: optionalText,
    KIM_OIDC_SCOPES: z
      .string()
      .trim()
      .default('openid email profile')
      .refine((v) => v.split(/\s+/).includes('openid'), { message: 'muss den Scope "openid" enthalten' }),
    KIM_OIDC_BUTTON_LABEL: z.string().trim().min(1).max(80).default('Mit Dienst-Konto anmelden'),
    /** true (default): an e-mail match needs email_verified=true in the ID token */
    KIM_OIDC_REQUIRE_EMAIL_VERIFIED: z
      .enum(['true', 'false', '1', '0', ''])
      .optional()
      .transform((v) => v !== 'false' && v !== '0'),
    /** help plan: days before the review / an action's due date the caseworker is reminded, days after a missed review it escalates */
    KIM_PLAN_REVIEW_REMINDER_DAYS: z.coerce.number().int().min(0).max(90).default(3),
    KIM_PLAN_ACTION_REMINDER_DAYS: z.coerce.number().int().min(0).max(90).default(2),
    KIM_PLAN_ESCALATION_DAYS: z.coerce.number().int().min(0).max(90).default(1),
    /** days after a case's closure until it is anonymised (core/retention.ts; 0 = off, schedule paused) */
    KIM_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(1095),
    /** hours between two retention runs (Temporal Schedule) */
    KIM_RETENTION_CHECK_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 31)
      .default(24),
    /** >0: a retention day lasts this many seconds (period and check interval) — for tests and demos */
    KIM_RETENTION_DAY_SECONDS: z.coerce.number().min(0).default(0),
    /** true (default): the worker's codec refuses plaintext payloads; false only while histories from before the codec run */
    KIM_PAYLOAD_REQUIRE_ENCRYPTION: z
      .enum(['true', 'false', '1', '0', ''])
      .optional()
      .transform((v) => v !== 'false' && v !== '0'),
    /** true (default): SMTP_URL smtp:// needs STARTTLS (requireTLS); the embedded SMTP capture is exempt */
    KIM_SMTP_REQUIRE_TLS: z
      .enum(['true', 'false', '1', '0', ''])
      .optional()
      .transform((v) => v !== 'false' && v !== '0'),
  })
  .refine((c) => !(c.TEMPORAL_TLS_CERT && !c.TEMPORAL_TLS_KEY), {
    path: ['TEMPORAL_TLS_KEY'],
    message: 'fehlt, obwohl TEMPORAL_TLS_CERT gesetzt ist',
    ...unlessInvalid('TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY'),
  })
  .refine((c) => !(c.TEMPORAL_TLS_KEY && !c.TEMPORAL_TLS_CERT), {
    path: ['TEMPORAL_TLS_CERT'],
    message: 'fehlt, obwohl TEMPORAL_TLS_KEY gesetzt ist',
    ...unlessInvalid('TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY'),
  })
  .refine((c) => c.NODE_ENV !== 'production' || c.KIM_LINK_SECRETS, {
    path: ['KIM_LINK_SECRETS'],
    message: 'ist in production Pflicht (signierte Links in E-Mails)',
    ...unlessInvalid('NODE_ENV', 'KIM_LINK_SECRETS'),
  })
  .refine((c) => !c.KIM_OIDC_ISSUER || c.KIM_OIDC_CLIENT_ID, {
    path: ['KIM_OIDC_CLIENT_ID'],
    message: 'fehlt, obwohl KIM_OIDC_ISSUER gesetzt ist',
    ...unlessInvalid('KIM_OIDC_ISSUER', 'KIM_OIDC_CLIENT_ID'),
  })
  .refine((c) => c.NODE_ENV !== 'production' || !c.KIM_OIDC_ISSUER?.startsWith('http://'), {
    path: ['KIM_OIDC_ISSUER'],
    message: 'muss in production mit https:// beginnen',
    ...unlessInvalid('NODE_ENV', 'KIM_OIDC_ISSUER'),
  })
  .refine((c) => c.NODE_ENV !== 'production' || c.KIM_PUBLIC_URL, {
    path: ['KIM_PUBLIC_URL'],
    message: 'ist in production Pflicht (Links in E-Mails)',
    ...unlessInvalid('NODE_ENV', 'KIM_PUBLIC_URL'),
  });

export type Config = z.infer<typeof configSchema> & {
  /** true when no DATABASE_URL / TEMPORAL_ADDRESS / SMTP_URL: the embedded defaults run */
  embedded: { postgres: boolean; temporal: boolean; smtp: boolean };
  publicUrl: string;
  /** Secure cookies, HSTS and upgrade-insecure-requests: in production or when KIM_PUBLIC_URL is https */
  secureCookies: boolean;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // German messages also for zod's own issues (not only ours), without changing zod's global locale
  const parsed = configSchema.safeParse(env, { error: z.locales.de().localeError });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.') || '(allgemein)'}: ${i.message}`);
    throw new ConfigError(`Ungültige Konfiguration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    ...c,
    KIM_DATA_DIR: path.resolve(c.KIM_DATA_DIR),
    embedded: { postgres: !c.DATABASE_URL, temporal: !c.TEMPORAL_ADDRESS, smtp: !c.SMTP_URL },
    publicUrl: (c.KIM_PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, ''),
    secureCookies: c.NODE_ENV === 'production' || !!c.KIM_PUBLIC_URL?.startsWith('https://'),
  };
}

// The OIDC login's settings, taken from the configuration (KIM_OIDC_*). Off unless the issuer is set.
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

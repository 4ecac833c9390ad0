// What a production installation refuses to run: the development parts (the SMTP capture with its
// login-free inbox, the demo users with a known password). "Production" is NODE_ENV=production, a public
// KIM_PUBLIC_URL or a KIM_HOST other than loopback — an installation others can reach.
import { ConfigError, type Config } from './config';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** localhost, *.localhost, 127.0.0.0/8 and ::1 */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  return LOOPBACK_NAMES.has(h) || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h);
}

/** Why this configuration counts as production (undefined: a local development installation). */
export function productionReason(config: Pick<Config, 'NODE_ENV' | 'KIM_PUBLIC_URL' | 'KIM_HOST'>): string | undefined {
  if (config.NODE_ENV === 'production') return 'NODE_ENV=production';
  if (config.KIM_PUBLIC_URL) {
    const host = new URL(config.KIM_PUBLIC_URL).hostname;
    if (!isLoopbackHost(host)) return `KIM_PUBLIC_URL ist öffentlich (${host})`;
  }
  if (!isLoopbackHost(config.KIM_HOST)) return `KIM_HOST=${config.KIM_HOST} ist nicht nur lokal erreichbar`;
  return undefined;
}

/**
 * The development parts this start would run, checked before anything starts: in production the SMTP
 * capture (no SMTP_URL) and the demo seed are refused; seeding an external database needs an explicit
 * KIM_DEMO_PASSWORD other than "demo". Throws a ConfigError (exit code 2) listing every problem.
 */
export function assertDevPartsAllowed(config: Config, opts: { smtpCapture: boolean; seed: boolean }): void {
  const problems: string[] = [];
  const reason = productionReason(config);
  if (reason && opts.smtpCapture) {
    problems.push(
      `SMTP_URL: fehlt — in Produktion (${reason}) startet die SMTP-Capture mit dem Dev-Postfach nicht; bitte einen echten Mailserver angeben`,
    );
  }
  if (reason && opts.seed) {
    problems.push(
      `KIM_SEED: Demo-Benutzer werden in Produktion (${reason}) nicht angelegt` +
        (config.embedded.postgres ? ' — das eingebettete PostgreSQL legt sie an: bitte DATABASE_URL setzen' : ''),
    );
  }
  if (!reason && opts.seed && !config.embedded.postgres && config.KIM_DEMO_PASSWORD === 'demo') {
    problems.push('KIM_DEMO_PASSWORD: Demo-Daten in einer externen Datenbank brauchen ein eigenes Passwort (nicht "demo")');
  }
  if (problems.length) throw new ConfigError(`Ungültige Konfiguration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

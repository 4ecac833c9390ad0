// The embedded defaults: PostgreSQL, the Temporal dev server and the SMTP capture, each started
// only when its production counterpart (DATABASE_URL, TEMPORAL_ADDRESS, SMTP_URL) is not set.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import type { Logger } from '../log';
import { assertDevPartsAllowed } from '../production';
import { ensureDatabase, startPostgres } from './postgres';
import { SmtpCapture } from './smtp-capture';
import { startTemporalServer } from './temporal-server';

export interface Services {
  databaseUrl: string;
  temporalAddress: string;
  temporalUiUrl?: string;
  smtpUrl: string;
  capture?: SmtpCapture;
  stop(): Promise<void>;
}

/** The embedded database password, made once and kept beside the data (so `npm run api` can attach). */
export function embeddedPgPassword(dataDir: string): string {
  const file = path.join(dataDir, 'pg-password');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(18).toString('base64url'), { mode: 0o600 });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

export function embeddedDatabaseUrl(config: Config): string {
  const password = embeddedPgPassword(config.KIM_DATA_DIR);
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${config.KIM_EMBEDDED_PG_PORT}/kim`;
}

export async function startServices(config: Config, log: Logger): Promise<Services> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e) => log.warn({ err: e.message }, 'Fehler beim Beenden'));
  };
  try {
    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      const t = Date.now();
      const password = embeddedPgPassword(config.KIM_DATA_DIR);
      const pg = await startPostgres({
        dataDir: path.join(config.KIM_DATA_DIR, 'postgres'),
        port: config.KIM_EMBEDDED_PG_PORT,
        password,
        log: (line) => log.debug({ component: 'postgres' }, line),
        notice: (line) => log.info({ component: 'postgres' }, line),
      });
      stops.push(() => pg.stop());
      await ensureDatabase(pg.url('postgres'), 'kim');
      databaseUrl = pg.url('kim');
      log.info({ port: pg.port, ms: Date.now() - t }, 'Eingebettetes PostgreSQL läuft');
    }

    let temporalAddress = config.TEMPORAL_ADDRESS;
    let temporalUiUrl: string | undefined;
    if (!temporalAddress) {
      const t = Date.now();
      const server = await startTemporalServer({
        dataDir: path.join(config.KIM_DATA_DIR, 'temporal'),
        port: config.KIM_TEMPORAL_PORT,
        uiPort: config.KIM_TEMPORAL_UI_PORT,
        toolsDir: config.KIM_TOOLS_DIR,
        cliPath: config.TEMPORAL_CLI_PATH,
        uiCodecEndpoint: `${config.publicUrl}/api/codec`,
        namespace: config.TEMPORAL_NAMESPACE,
        log: (msg) => log.info({ component: 'temporal' }, msg),
      });
      stops.push(() => server.stop());
      temporalAddress = server.address;
      temporalUiUrl = server.uiUrl;
      log.info({ address: temporalAddress, ms: Date.now() - t }, 'Temporal-Dev-Server läuft');
    }

    let smtpUrl = config.SMTP_URL;
    let capture: SmtpCapture | undefined;
    if (!smtpUrl) {
      assertDevPartsAllowed(config, { smtpCapture: true, seed: false }); // never in production
      capture = new SmtpCapture(path.join(config.KIM_DATA_DIR, 'mails.jsonl'));
      const port = await capture.start(config.KIM_SMTP_CAPTURE_PORT);
      stops.push(() => capture!.stop());
      smtpUrl = `smtp://127.0.0.1:${port}`;
      log.info({ port }, 'SMTP-Capture läuft (Dev-Postfach unter /dev/postfach)');
    }
    return { databaseUrl, temporalAddress, temporalUiUrl, smtpUrl, capture, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

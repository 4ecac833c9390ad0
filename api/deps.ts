// What the HTTP app is built from: one object, assembled by the composition root (app/boot.ts) and
// by the test stack, handed to every router and page.
import type { Client } from '@temporalio/client';
import type { OidcSettings } from '../core/config';
import type { Db } from '../core/db/client';
import type { LinkKey } from '../core/links';
import type { Logger } from '../core/log';
import type { SmtpCapture } from '../core/runtime/smtp-capture';

export interface AppDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  log: Logger;
  publicUrl: string;
  secureCookies: boolean;
  sessionHours: number;
  /** a browser session ends after this many idle minutes (KIM_SESSION_IDLE_MINUTES); default 30 */
  sessionIdleMinutes?: number;
  /** Express `trust proxy` (KIM_TRUST_PROXY): whose X-Forwarded-For gives the client address; default loopback */
  trustProxy?: number | string[];
  capture?: SmtpCapture;
  temporalUiUrl?: string;
  /** the Temporal namespace the app's client uses (TEMPORAL_NAMESPACE): the Web UI links point into it; default "default" */
  temporalNamespace?: string;
  linkKeys: LinkKey[];
  /** >0: one working day lasts this many seconds (tests, demos) */
  workingDaySeconds: number;
  /** days after closure until a case is anonymised (KIM_RETENTION_DAYS; 0 = off): named in the Art. 15 export */
  retentionDays?: number;
  /** chains continue-as-new after this many history events (tests); default: when Temporal suggests */
  continueAfterEvents?: number;
  /** help-plan reminder/escalation offsets in days (KIM_PLAN_*_DAYS); unset → 3/2/1 */
  planTimerDays?: { reviewReminder: number; actionReminder: number; escalation: number };
  /** OIDC login; unset → off (its routes 404) */
  oidc?: OidcSettings;
}

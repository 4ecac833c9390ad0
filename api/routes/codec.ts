// The remote codec endpoint of the Temporal Web UI (Temporal's codec server protocol): POST
// /api/codec/decode and /api/codec/encode with {"payloads":[{"metadata":{k: base64}, "data": base64}]}
// answer the same shape. The UI runs on another origin: CORS for KIM_TEMPORAL_UI_ORIGIN (and the
// embedded UI's own URL), headers X-Namespace, Authorization, Content-Type; OPTIONS preflight.
// Only supervisors may decode and encode — decoding shows case content, which admins are not to see, and
// encoding would let someone with write access to Temporal craft accepted inputs: with an API token
// (Bearer), or with their KIM session cookie on a CORS request from an allowed UI origin.
// Every decode is audited per workflow id. The Temporal Web UI's codec request carries only the
// payloads, Content-Type, X-Namespace and Authorization — no workflow id, and its Referer is cut to the
// UI's origin on this cross-origin call (strict-origin-when-cross-origin). So the codec binds the
// workflow id into every payload it encrypts (core/codec.ts: metadata + AES-GCM associated data), and
// this endpoint audits one row per workflow whose payloads it decoded. Payloads from before that binding
// fall back to the id the request names (X-Workflow-Id of a tool or proxy, a Referer with
// /workflows/<id>); each row lists per payload its key id and a SHA-256 fingerprint of the ciphertext. `npm start` starts the
// dev server with --ui-codec-endpoint <public URL>/api/codec; in the UI enable "include cross-origin
// credentials" (Settings → Codec Server) and sign in to KIM Flow in the same browser.
import type { Client } from '@temporalio/client';
import type { Payload, PayloadCodec } from '@temporalio/common';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import crypto from 'node:crypto';
import { audit } from '../../core/audit';
import { KEY_ID_METADATA, workflowIdOfPayload } from '../../core/codec';
import type { Db } from '../../core/db/client';
import { actorOf, requireRole } from '../auth';
import { HttpError, parseOr400, unauthorized } from '../errors';

export const DEFAULT_TEMPORAL_UI_ORIGIN = 'http://localhost:8233';
const PATHS = ['/api/codec/decode', '/api/codec/encode'];

const b64 = z
  .string({ error: 'muss Base64-Text sein' })
  .max(8_000_000)
  .regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'muss Base64-Text sein');
const codecBody = z.object({
  payloads: z
    .array(
      z.object(
        {
          metadata: z.record(z.string().max(200), b64, { error: 'metadata muss ein Objekt sein' }).optional(),
          data: b64.optional(),
        },
        { error: 'Payload muss ein Objekt sein' },
      ),
      { error: 'payloads fehlt oder ist keine Liste' },
    )
    .max(1_000, 'höchstens 1000 Payloads'),
});

type WirePayload = { metadata?: Record<string, string>; data?: string };
const fromWire = (p: WirePayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))])),
  data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
});
const toWire = (p: Payload): WirePayload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')]),
  ),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

export interface CodecRouterDeps {
  /** the API's Temporal client: its payload codecs are the ones applied (app/boot.ts) */
  temporal: Client;
  db?: Db;
  /** origin(s) of the Temporal Web UI allowed to call (KIM_TEMPORAL_UI_ORIGIN); default http://localhost:8233 */
  temporalUiOrigin?: string | string[];
  /** the embedded UI's URL (npm start): its origin is allowed as well */
  temporalUiUrl?: string;
  /** explicit codecs (tests); default: those of `temporal` */
  codecs?: PayloadCodec[];
}

const WORKFLOW_ID = /^[\w:.@-]{1,200}$/;
/** The workflow id the request names, if any: X-Workflow-Id (tools, a proxy), or a Referer path …/workflows/<id>/… */
function workflowIdOf(req: Request): string | undefined {
  const header = req.get('x-workflow-id')?.trim();
  if (header && WORKFLOW_ID.test(header)) return header;
  try {
    const m = new URL(req.get('referer') ?? '').pathname.match(/\/workflows\/([^/]+)/);
    const id = m ? decodeURIComponent(m[1]) : undefined;
    return id && WORKFLOW_ID.test(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** Key id and a SHA-256 fingerprint of the ciphertext: finds the history event later. */
const fingerprint = (p: Payload) => ({
  keyId: p.metadata?.[KEY_ID_METADATA] ? Buffer.from(p.metadata[KEY_ID_METADATA]!).toString('utf8').slice(0, 20) : null,
  sha256: crypto
    .createHash('sha256')
    .update(p.data ?? new Uint8Array())
    .digest('hex')
    .slice(0, 32),
});

/**
 * One audit row per workflow whose payloads were decoded: the workflow id bound into each payload by the
 * codec (authenticated — the decode succeeded), else the one the request names (X-Workflow-Id, Referer);
 * payloads of neither kind (from before the binding) in one row with their fingerprints.
 */
async function auditDecode(db: Db, req: Request, incoming: Payload[]) {
  const named = workflowIdOf(req);
  const groups = new Map<string | undefined, Payload[]>();
  for (const p of incoming) {
    const id = workflowIdOfPayload(p) ?? named;
    groups.set(id, [...(groups.get(id) ?? []), p]);
  }
  const namespace = String(req.get('x-namespace') ?? '').slice(0, 100);
  for (const [workflowId, payloads] of groups) {
    await audit(
      db,
      actorOf(req),
      'temporal.payloads.decoded',
      { type: workflowId ? 'Workflow' : 'TemporalPayload', id: workflowId, caseId: caseIdOf(workflowId) },
      { count: payloads.length, namespace, workflowId: workflowId ?? null, payloads: payloads.slice(0, 100).map(fingerprint) },
    );
  }
}

/** KIM's case workflows are "case-<uuid>": the audit row then belongs to the case as well */
const caseIdOf = (workflowId?: string) => workflowId?.match(/^case-([0-9a-f-]{36})$/)?.[1];

function originOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
}

export function codecRouter(deps: CodecRouterDeps) {
  const router = Router();
  const codecs = deps.codecs ?? deps.temporal.options.loadedDataConverter.payloadCodecs;
  const origins = new Set(
    [
      ...[deps.temporalUiOrigin ?? DEFAULT_TEMPORAL_UI_ORIGIN].flat(),
      ...[originOf(deps.temporalUiUrl)].filter((o): o is string => !!o),
    ].map((o) => o.replace(/\/$/, '')),
  );

  // CORS on every answer of these paths (also errors), so the UI can show the message
  router.use(PATHS, (req: Request, res: Response, next: NextFunction) => {
    const origin = req.get('origin');
    if (origin && origins.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace, X-Workflow-Id');
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Max-Age', '600');
    }
    res.append('Vary', 'Origin');
    res.setHeader('Cache-Control', 'no-store');
    if (req.method === 'OPTIONS') return res.status(204).end();
    next();
  });

  // A Bearer token (tools, a UI with its own login passing its access token), or the browser's KIM
  // session cookie — but only on a CORS request from an allowed UI origin (the dev server's UI has no
  // login; with "include cross-origin credentials" it sends the cookie of the KIM Flow sign-in).
  const tokenOrUiSession = (req: Request, _res: Response, next: NextFunction) => {
    if (/^Bearer\s+\S+$/i.test(req.get('authorization') ?? '')) return next();
    const origin = req.get('origin');
    if (req.user && origin && origins.has(origin)) return next();
    next(unauthorized());
  };

  for (const direction of ['decode', 'encode'] as const) {
    router.post(
      `/api/codec/${direction}`,
      tokenOrUiSession,
      requireRole('supervisor'),
      // histories can exceed the app-wide 100 kB limit (parsed here only when not parsed before)
      express.json({ limit: '10mb', strict: true }),
      async (req: Request, res: Response) => {
        if (!req.is('application/json')) throw new HttpError(415, 'unsupported_media_type', 'Content-Type application/json erwartet.');
        const body = parseOr400(codecBody, req.body ?? {});
        const incoming = body.payloads.map(fromWire);
        let payloads = incoming;
        try {
          if (direction === 'encode') for (const c of codecs) payloads = await c.encode(payloads);
          else for (const c of [...codecs].reverse()) payloads = await c.decode(payloads);
        } catch (err) {
          throw new HttpError(
            400,
            'codec_failed',
            `Payloads konnten nicht ${direction === 'decode' ? 'entschlüsselt' : 'verschlüsselt'} werden: ${(err as Error).message}`,
          );
        }
        if (direction === 'decode' && deps.db) await auditDecode(deps.db, req, incoming);
        res.json({ payloads: payloads.map(toWire) });
      },
    );
  }
  return router;
}

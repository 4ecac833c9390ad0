// The encrypting payload codec (core/codec.ts): AES-256-GCM round trip, tampering, key rotation,
// configuration; on the real stack: a chain's history as Temporal stores it holds no plaintext; and the
// remote codec endpoint for the Temporal Web UI (api/routes/codec.ts) with CORS and role checks.
import type http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Payload } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response } from 'express';
import { codecRouter } from '../../api/routes/codec';
import { createAuth } from '../../api/auth';
import { sendError, toHttpError } from '../../api/errors';
import { resolvePayloadCodec } from '../../app/boot';
import { AesGcmPayloadCodec, createPayloadCodec, generatePayloadKeySpec, parsePayloadKeys } from '../../core/codec';
import { ConfigError, loadConfig } from '../../core/config';
import { chainDriver } from '../support/chain-helpers';
import { FormClient } from '../support/form-client';
import { freePort } from '../support/ports';
import { decryptTree, encryptedPayloads, historyText } from '../support/history-text';
import { PAYLOAD_CODEC, PAYLOAD_KEYS, startStack, type Stack } from '../support/stack';
import { startNewChainsOnV1 } from '../support/chain-versions';

// written for v1 of the shipped chains: new chains here start on v1 (v2: test/chains/chains-content.test.ts)
startNewChainsOnV1();

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | null | undefined) => new TextDecoder().decode(b ?? new Uint8Array());
const json = (v: unknown) => defaultPayloadConverter.toPayload(v) as Payload;

describe('AES-256-GCM payload codec', () => {
  const a = createPayloadCodec(`a:${Buffer.alloc(32, 1).toString('base64')}`);

  test('round trip: metadata and data restored; ciphertext carries encoding and key id, no plaintext', async () => {
    const originals = [
      json({ reason: 'Geheimer Grund Qwertzuiop', n: 1 }),
      json('Zxqwelda'),
      { metadata: { encoding: enc('binary/null') } },
    ];
    const encoded = await a.encode(originals);
    expect(encoded).toHaveLength(3);
    for (const e of encoded) {
      expect(dec(e.metadata!.encoding)).toBe('binary/encrypted');
      expect(dec(e.metadata!['encryption-key-id'])).toBe('a');
      expect(Buffer.from(e.data!).toString('latin1')).not.toMatch(/Qwertzuiop|Zxqwelda|json/);
    }
    // a fresh IV each time: equal inputs, different ciphertexts
    expect(Buffer.from((await a.encode([originals[1]]))[0].data!).equals(Buffer.from(encoded[1].data!))).toBe(false);
    const decoded = await a.decode(encoded);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([
      { reason: 'Geheimer Grund Qwertzuiop', n: 1 },
      'Zxqwelda',
      undefined,
    ]);
    expect(dec(decoded[0].metadata!.encoding)).toBe('json/plain');
  });

  test('payloads without the encrypted encoding pass through (histories from before the codec)', async () => {
    const plain = json({ x: 1 });
    expect(await a.decode([plain])).toEqual([plain]);
    expect(await a.encode([])).toEqual([]);
  });

  test('tampered data, IV or tag → error; truncated → error', async () => {
    const [e] = await a.encode([json('Daten')]);
    for (const i of [0, 12, e.data!.length - 1]) {
      const bad = Buffer.from(e.data!);
      bad[i] ^= 0x01;
      await expect(a.decode([{ ...e, data: new Uint8Array(bad) }])).rejects.toThrow(/manipuliert/);
    }
    await expect(a.decode([{ ...e, data: e.data!.slice(0, 20) }])).rejects.toThrow(/unvollständig/);
  });

  test('the workflow id of the serialization context travels with the payload, bound to the ciphertext', async () => {
    const context = { type: 'workflow', namespace: 'default', workflowId: 'chain-abc-move-out' } as const;
    const [bound] = await a.encode([json('Daten')], context);
    expect(dec(bound.metadata!['kim-workflow-id'])).toBe('chain-abc-move-out');
    expect(defaultPayloadConverter.fromPayload((await a.decode([bound]))[0])).toBe('Daten');
    // relabelled to another workflow (or the label removed): the tag no longer fits
    const relabelled = { ...bound, metadata: { ...bound.metadata, 'kim-workflow-id': enc('case-other') } };
    await expect(a.decode([relabelled])).rejects.toThrow(/manipuliert/);
    const { ['kim-workflow-id']: _, ...unlabelled } = bound.metadata!;
    await expect(a.decode([{ ...bound, metadata: unlabelled }])).rejects.toThrow(/manipuliert/);
    // activity payloads carry the workflow that scheduled them; without a context no label
    const [activity] = await a.encode([json(1)], { type: 'activity', namespace: 'default', workflowId: 'handoff-x', isLocal: true });
    expect(dec(activity.metadata!['kim-workflow-id'])).toBe('handoff-x');
    expect((await a.encode([json(1)]))[0].metadata!['kim-workflow-id']).toBeUndefined();
  });

  test('key rotation: the new first key encrypts, the old still decrypts; unknown key id → error', async () => {
    const [old] = await a.encode([json('alt')]);
    const rotated = createPayloadCodec(`b:${Buffer.alloc(32, 2).toString('base64')},a:${Buffer.alloc(32, 1).toString('base64')}`);
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([old]))[0])).toBe('alt');
    const [fresh] = await rotated.encode([json('neu')]);
    expect(dec(fresh.metadata!['encryption-key-id'])).toBe('b');
    await expect(a.decode([fresh])).rejects.toThrow(/Unbekannter Schlüssel.*"b"/);
    // the same id with another key: authentication fails
    const impostor = createPayloadCodec(`a:${Buffer.alloc(32, 3).toString('base64')}`);
    await expect(impostor.decode([old])).rejects.toThrow(/manipuliert/);
  });

  test('key spec parsing and configuration (German messages)', () => {
    expect(parsePayloadKeys(PAYLOAD_KEYS).map((k) => k.id)).toEqual(['cur', 'old']);
    expect(() => parsePayloadKeys('a:' + Buffer.alloc(16).toString('base64'))).toThrow(/32 Bytes/);
    expect(() => parsePayloadKeys('nokey')).toThrow(/Format/);
    expect(() => parsePayloadKeys(`a:${Buffer.alloc(32).toString('base64')},a:${Buffer.alloc(32).toString('base64')}`)).toThrow(
      /eindeutig/,
    );
    expect(() => new AesGcmPayloadCodec([])).toThrow();
    expect(loadConfig({ KIM_PAYLOAD_KEYS: generatePayloadKeySpec('k1') }).KIM_PAYLOAD_KEYS).toMatch(/^k1:/);
    expect(() => loadConfig({ KIM_PAYLOAD_KEYS: 'k1:kurz' })).toThrow(/KIM_PAYLOAD_KEYS: .*32 Bytes/);
    expect(() => loadConfig({ KIM_TEMPORAL_UI_ORIGIN: 'http://ui.example/pfad' })).toThrow(/KIM_TEMPORAL_UI_ORIGIN/);
    expect(loadConfig({}).KIM_TEMPORAL_UI_ORIGIN).toBe('http://localhost:8233');
  });

  test('dev: a key made once in KIM_DATA_DIR/payload-key and reused; production requires KIM_PAYLOAD_KEYS', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kim-codec-'));
    try {
      const c1 = resolvePayloadCodec(loadConfig({ KIM_DATA_DIR: dir }));
      const file = path.join(dir, 'payload-key');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const c2 = resolvePayloadCodec(loadConfig({ KIM_DATA_DIR: dir }));
      expect(defaultPayloadConverter.fromPayload((await c2.decode(await c1.encode([json('x')])))[0])).toBe('x');
      expect(() =>
        resolvePayloadCodec(
          loadConfig({
            NODE_ENV: 'production',
            KIM_DATA_DIR: dir,
            KIM_PUBLIC_URL: 'https://kim.example',
            KIM_LINK_SECRETS: 'k:' + 'x'.repeat(40),
          }),
        ),
      ).toThrow(ConfigError);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('on the real stack', () => {
  let stack: Stack;
  let caseworker: string;
  let server: http.Server;
  let codecUrl: string;
  const UI = 'http://localhost:8233';

  beforeAll(async () => {
    stack = await startStack({ workingDaySeconds: 0.05 });
    caseworker = await stack.token('fallmanagement@kim.example');
    // the codec router as api/app.ts mounts it (after authentication), with the app's error format
    const app = express();
    const auth = createAuth(stack.db, { sessionHours: 1, secureCookies: false });
    app.use(express.json({ limit: '100kb' }));
    app.use(cookieParser());
    app.use((req, res, next) => {
      auth.authenticate(req, res, next).catch(next);
    });
    app.use(codecRouter({ temporal: stack.client, db: stack.db, temporalUiUrl: 'http://127.0.0.1:8233/namespaces' }));
    app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => sendError(res, toHttpError(err)));
    const port = await freePort();
    server = await new Promise((resolve) => {
      const s = app.listen(port, '127.0.0.1', () => resolve(s));
    });
    codecUrl = `http://127.0.0.1:${port}/api/codec`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server?.close(() => resolve());
      server?.closeAllConnections();
    });
    await stack?.stop();
  });

  test('a chain history as Temporal stores it has no plaintext step data; decrypted, it has', async () => {
    const d = chainDriver(stack, caseworker);
    const c = await d.newCase({ firstName: 'Zxqwelda', lastName: 'Codecprobe' });
    const r = await stack.api('POST', `/api/cases/${c.id}/chains`, { token: caseworker, body: { type: 'move-out' } });
    expect(r.status).toBe(201);
    await d.complete(r.body.id, 'readiness', 'support-needed', { assessment: 'Markierung-Plmoknijb-Vertraulich' });
    await d.at(r.body.id, 'training', 'waiting');
    const hold = await stack.api('POST', `/api/processes/${r.body.id}/hold`, {
      token: caseworker,
      body: { reason: 'Grund-Uzgvtfcrdx-Krankheit' },
    });
    expect(hold.status).toBe(200);

    const workflowId = `chain-${c.id}-move-out`;
    const history = await stack.rawClient.workflow.getHandle(workflowId).fetchHistory();
    const raw = historyText(history);
    expect(raw).toContain('binary/encrypted');
    for (const secret of ['Plmoknijb', 'Uzgvtfcrdx', 'Zxqwelda', 'support-needed', 'readiness']) expect(raw).not.toContain(secret);
    // positive control: the same history decrypted does carry the step data and the reason
    // every payload the client and the worker encrypted names the workflow it belongs to (the chain's
    // own, or for a child's start input the child's)
    const labels = encryptedPayloads(history).map((p) => dec(p.metadata!['kim-workflow-id']));
    expect(labels.length).toBeGreaterThan(5);
    expect(labels).toContain(workflowId);
    for (const l of labels) expect(l === workflowId || l.startsWith('handoff-')).toBe(true);
    const plain = historyText(await decryptTree(history));
    expect(plain).toContain('Plmoknijb');
    expect(plain).toContain('Uzgvtfcrdx');
    expect(plain).not.toContain('binary/encrypted');
    // the codec client reads the chain as before (query through the codec)
    const detail = await stack.api('GET', `/api/processes/${r.body.id}`, { token: caseworker });
    expect(detail.status).toBe(200);
    expect(detail.body.status).toBe('on_hold');
  }, 60_000);

  const post = (dir: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${codecUrl}/${dir}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: UI, 'x-namespace': 'default', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const wire = (p: Payload) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  });

  test('codec endpoint: preflight, encode/decode for supervisors, 401/403 otherwise (admins too: no case content)', async () => {
    const pre = await fetch(`${codecUrl}/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: UI,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-namespace',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(UI);
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/);
    const embeddedUi = await fetch(`${codecUrl}/decode`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:8233' } });
    expect(embeddedUi.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
    const evil = await fetch(`${codecUrl}/decode`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();

    const supervisor = await stack.token('leitung@kim.example');
    const admin = await stack.token('admin@kim.example');
    const [encrypted] = await PAYLOAD_CODEC.encode([json({ name: 'Zxqwelda' })]);
    expect((await post('decode', { payloads: [wire(encrypted)] }, { authorization: `Bearer ${admin}` })).status).toBe(403);
    for (const token of [supervisor]) {
      const res = await post('decode', { payloads: [wire(encrypted), wire(json(7))] }, { authorization: `Bearer ${token}` });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(UI);
      const body = (await res.json()) as { payloads: Array<{ metadata: Record<string, string>; data: string }> };
      expect(Buffer.from(body.payloads[0].metadata.encoding, 'base64').toString()).toBe('json/plain');
      expect(JSON.parse(Buffer.from(body.payloads[0].data, 'base64').toString())).toEqual({ name: 'Zxqwelda' });
      expect(JSON.parse(Buffer.from(body.payloads[1].data, 'base64').toString())).toBe(7);
    }
    const encRes = await post('encode', { payloads: [wire(json('hallo'))] }, { authorization: `Bearer ${supervisor}` });
    expect(encRes.status).toBe(200);
    const encBody = (await encRes.json()) as { payloads: Array<{ metadata: Record<string, string>; data: string }> };
    expect(Buffer.from(encBody.payloads[0].metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
    const back = await PAYLOAD_CODEC.decode([
      {
        metadata: Object.fromEntries(
          Object.entries(encBody.payloads[0].metadata).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))]),
        ),
        data: new Uint8Array(Buffer.from(encBody.payloads[0].data, 'base64')),
      },
    ]);
    expect(defaultPayloadConverter.fromPayload(back[0])).toBe('hallo');
    expect(await stack.db.auditEvent.count({ where: { action: 'temporal.payloads.decoded' } })).toBe(1);

    const anonymous = await post('decode', { payloads: [wire(encrypted)] });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('access-control-allow-origin')).toBe(UI); // the UI can show the error
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    const cw = await post('decode', { payloads: [wire(encrypted)] }, { authorization: `Bearer ${caseworker}` });
    expect(cw.status).toBe(403);
    const member = await post(
      'decode',
      { payloads: [wire(encrypted)] },
      { authorization: `Bearer ${await stack.token('soziale-foerderung@kim.example')}` },
    );
    expect(member.status).toBe(403);

    // the dev server's UI has no login: it sends the KIM session cookie ("include cross-origin credentials"),
    // accepted only from an allowed UI origin and only for supervisors
    const browser = new FormClient(stack.url);
    expect((await browser.login('leitung@kim.example')).status).toBe(303);
    const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const viaCookie = await post('decode', { payloads: [wire(encrypted)] }, { cookie });
    expect(viaCookie.status).toBe(200);
    expect(viaCookie.headers.get('access-control-allow-credentials')).toBe('true');
    const body = (await viaCookie.json()) as { payloads: Array<{ data: string }> };
    expect(JSON.parse(Buffer.from(body.payloads[0].data, 'base64').toString())).toEqual({ name: 'Zxqwelda' });
    expect((await post('decode', { payloads: [wire(encrypted)] }, { cookie, origin: 'https://evil.example' })).status).toBe(401);
    const noOrigin = await fetch(`${codecUrl}/decode`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ payloads: [wire(encrypted)] }),
    });
    expect(noOrigin.status).toBe(401);
    const cwBrowser = new FormClient(stack.url);
    await cwBrowser.login('fallmanagement@kim.example');
    expect(
      (await post('decode', { payloads: [wire(encrypted)] }, { cookie: [...cwBrowser.cookies].map(([k, v]) => `${k}=${v}`).join('; ') }))
        .status,
    ).toBe(403);

    // bad input: 4xx in the error format, never 5xx
    const tampered = {
      ...wire(encrypted),
      data: Buffer.from(Buffer.from(encrypted.data!).map((b, i) => (i === 20 ? b ^ 1 : b))).toString('base64'),
    };
    for (const body of [
      { payloads: [tampered] },
      {},
      { payloads: 'x' },
      { payloads: [{ data: '%%%' }] },
      '{kaputt',
      { payloads: [{ metadata: { encoding: 'YmluYXJ5L2VuY3J5cHRlZA==' }, data: '' }] },
    ]) {
      const res = await post('decode', body, { authorization: `Bearer ${supervisor}` });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(((await res.json()) as { error: { message: string } }).error.message).toEqual(expect.any(String));
    }
    const wrongType = await post('decode', 'payloads=1', { authorization: `Bearer ${supervisor}`, 'content-type': 'text/plain' });
    expect(wrongType.status).toBe(415);
  }, 30_000);
});

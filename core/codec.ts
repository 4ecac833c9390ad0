// The encrypting payload codec: no personal data in Temporal histories. Every payload (workflow and
// activity inputs/results, update arguments, signals, queries, memo) leaves the client and the worker
// as AES-256-GCM ciphertext of the serialized original payload; search attributes are not payloads of
// the codec (they stay searchable and carry only IDs). Keys: KIM_PAYLOAD_KEYS "kid:base64(32 bytes),…"
// — the first encrypts, every key decrypts (rotation). Codecs run outside the workflow sandbox.
// Where the SDK tells the codec whose payload it is (its serialization context: the client and the
// worker pass it for workflow and activity payloads), the workflow id travels in the payload's metadata
// and is bound to the ciphertext as AES-GCM associated data: relabelling a payload breaks its tag. So
// whoever decodes a payload (the Temporal Web UI through /api/codec/decode) is audited with the workflow
// it belongs to, although the UI's request names none.
import crypto from 'node:crypto';
import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
/** the id of the workflow a payload belongs to (authenticated: part of the AES-GCM associated data) */
export const WORKFLOW_ID_METADATA = 'kim-workflow-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface PayloadKey {
  id: string;
  key: Buffer;
}

export class PayloadKeyError extends Error {}

const KEY_ID = /^[\w-]{1,20}$/;

/** Does one "kid:base64" pair hold a valid key id and exactly 32 key bytes? (for config validation) */
export function payloadKeyProblem(pair: string): string | undefined {
  const i = pair.indexOf(':');
  if (i < 1) return 'Format "kid:base64-schlüssel,kid2:…" erwartet';
  const id = pair.slice(0, i);
  if (!KEY_ID.test(id)) return `Schlüssel-ID "${id}" ungültig (1–20 Zeichen: Buchstaben, Ziffern, - und _)`;
  const b64 = pair.slice(i + 1).trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(b64) || Buffer.from(b64, 'base64').length !== 32) {
    return `Schlüssel "${id}" muss 32 Bytes lang sein (Base64, z. B. aus "openssl rand -base64 32")`;
  }
  return undefined;
}

/** "kid1:base64,kid2:base64" → keys (first encrypts). Throws PayloadKeyError (German) when invalid. */
export function parsePayloadKeys(spec: string): PayloadKey[] {
  const pairs = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!pairs.length) throw new PayloadKeyError('KIM_PAYLOAD_KEYS ist leer');
  const keys = pairs.map((pair) => {
    const problem = payloadKeyProblem(pair);
    if (problem) throw new PayloadKeyError(`KIM_PAYLOAD_KEYS: ${problem}`);
    const i = pair.indexOf(':');
    return { id: pair.slice(0, i), key: Buffer.from(pair.slice(i + 1).trim(), 'base64') };
  });
  const ids = new Set(keys.map((k) => k.id));
  if (ids.size !== keys.length) throw new PayloadKeyError('KIM_PAYLOAD_KEYS: Schlüssel-IDs müssen eindeutig sein');
  return keys;
}

/** A fresh key spec "kid:base64" (dev data directory, tests, `openssl rand -base64 32` equivalent). */
export function generatePayloadKeySpec(id = 'dev'): string {
  return `${id}:${crypto.randomBytes(32).toString('base64')}`;
}

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

export interface CodecOptions {
  /** decode refuses plaintext payloads (the worker, once every history is encrypted): nobody with write
   *  access to Temporal can inject plain workflow inputs, signals or update arguments */
  requireEncrypted?: boolean;
}

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;

  constructor(
    private readonly keys: PayloadKey[],
    private readonly options: CodecOptions = {},
  ) {
    if (!keys.length) throw new PayloadKeyError('Kein Schlüssel für die Verschlüsselung der Temporal-Daten');
    for (const k of keys) if (k.key.length !== 32) throw new PayloadKeyError(`Schlüssel "${k.id}" muss 32 Bytes lang sein`);
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const { id, key } = this.keys[0];
    const workflowId = context?.workflowId;
    return payloads.map((p) => {
      const plain = temporal.api.common.v1.Payload.encode(p).finish();
      const iv = crypto.randomBytes(IV_BYTES);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      if (workflowId) cipher.setAAD(Buffer.from(workflowId, 'utf8'));
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      const metadata: Payload['metadata'] = { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(id) };
      if (workflowId) metadata[WORKFLOW_ID_METADATA] = utf8(workflowId);
      return { metadata, data: new Uint8Array(data) };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      if (text(p.metadata?.encoding) !== ENCRYPTED_ENCODING) {
        if (this.options.requireEncrypted) {
          throw new PayloadKeyError(
            'Unverschlüsselte Temporal-Daten abgelehnt (KIM_PAYLOAD_REQUIRE_ENCRYPTION): nur mit dem KIM-Schlüssel verschlüsselte Daten werden angenommen',
          );
        }
        return p;
      }
      const kid = text(p.metadata?.[KEY_ID_METADATA]);
      const key = kid === undefined ? undefined : this.byId.get(kid);
      if (!key) throw new PayloadKeyError(`Unbekannter Schlüssel für verschlüsselte Temporal-Daten: "${kid ?? '(keiner)'}"`);
      const data = Buffer.from(p.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadKeyError('Verschlüsselte Temporal-Daten sind unvollständig');
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      const workflowId = text(p.metadata?.[WORKFLOW_ID_METADATA]);
      if (workflowId !== undefined) decipher.setAAD(Buffer.from(workflowId, 'utf8'));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw new PayloadKeyError('Verschlüsselte Temporal-Daten sind beschädigt oder manipuliert (Prüfsumme falsch)');
      }
      return temporal.api.common.v1.Payload.decode(plain) as Payload;
    });
  }
}

/** The workflow a payload belongs to, as its metadata says (authenticated once the payload decoded). */
export function workflowIdOfPayload(p: Payload): string | undefined {
  return text(p.metadata?.[WORKFLOW_ID_METADATA]);
}

export function createPayloadCodec(spec: string, options: CodecOptions = {}): AesGcmPayloadCodec {
  return new AesGcmPayloadCodec(parsePayloadKeys(spec), options);
}

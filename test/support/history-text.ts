// Reading workflow histories as text, for scans of what Temporal stores (plaintext or encrypted).
import type { Payload } from '@temporalio/common';
import { ENCRYPTED_ENCODING } from '../../core/codec';
import { PAYLOAD_CODEC } from './stack';

const dec = (b: Uint8Array | null | undefined) => new TextDecoder().decode(b ?? new Uint8Array());

/** Every byte string of a history as text (JSON.stringify alone would print bytes as numbers and hide them). */
export function historyText(value: unknown): string {
  const walk = (v: unknown): unknown => {
    if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return JSON.stringify(walk(value));
}

/** The same tree with every encrypted payload replaced by its plaintext (positive control). */
export async function decryptTree(v: unknown): Promise<unknown> {
  if (v instanceof Uint8Array || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return Promise.all(v.map(decryptTree));
  const o = v as Record<string, unknown>;
  const meta = o.metadata as Record<string, Uint8Array> | undefined;
  if (meta?.encoding instanceof Uint8Array && dec(meta.encoding) === ENCRYPTED_ENCODING)
    return (await PAYLOAD_CODEC.decode([o as Payload]))[0];
  return Object.fromEntries(await Promise.all(Object.entries(o).map(async ([k, x]) => [k, await decryptTree(x)])));
}

/** Every encrypted payload of a history (or any tree of them), in order. */
export function encryptedPayloads(v: unknown): Payload[] {
  if (v instanceof Uint8Array || v === null || typeof v !== 'object') return [];
  if (Array.isArray(v)) return v.flatMap(encryptedPayloads);
  const o = v as Record<string, unknown>;
  const meta = o.metadata as Record<string, Uint8Array> | undefined;
  if (meta?.encoding instanceof Uint8Array && dec(meta.encoding) === ENCRYPTED_ENCODING) return [o as Payload];
  return Object.values(o).flatMap(encryptedPayloads);
}

// Password hashing: argon2id (OWASP parameters: 19 MiB, 2 iterations, 1 lane) in WebAssembly
// (hash-wasm) — no native addon: the `argon2` package's prebuilt binary crashed (SIGSEGV) on a fresh
// install on this machine kind, and npm 11 skips its build script. Hashes are in the standard
// encoded form ($argon2id$v=19$m=19456,t=2,p=1$…), readable by any argon2 library.
//
// Login checks (verifyPassword) run in one worker thread, one at a time: the hash is synchronous WASM
// that would otherwise block the event loop (40 parallel logins made /healthz take 119 ms instead of 7).
// At most MAX_QUEUED checks wait; beyond that verifyPassword throws PasswordCheckBusy (the API answers 503).
import crypto from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { argon2id } from 'hash-wasm';

export function hashPassword(password: string): Promise<string> {
  return argon2id({
    password,
    salt: crypto.randomBytes(16),
    parallelism: 1,
    iterations: 2,
    memorySize: 19_456,
    hashLength: 32,
    outputType: 'encoded',
  });
}

export const MAX_QUEUED_CHECKS = 64;
export class PasswordCheckBusy extends Error {}

// plain JavaScript (eval): runs the same under tsx, jest and the compiled app
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const { argon2Verify } = require(workerData.hashWasm);
let chain = Promise.resolve();
parentPort.on('message', ({ id, hash, password }) => {
  chain = chain.then(async () => {
    let ok = false;
    try { ok = await argon2Verify({ password, hash }); } catch { ok = false; }
    parentPort.postMessage({ id, ok });
  });
});`;

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, (ok: boolean) => void>();

function checker(): Worker {
  if (worker) return worker;
  const w = new Worker(WORKER_CODE, { eval: true, workerData: { hashWasm: require.resolve('hash-wasm') } });
  w.unref(); // never keeps the process alive
  w.on('message', ({ id, ok }: { id: number; ok: boolean }) => {
    const done = pending.get(id);
    pending.delete(id);
    done?.(ok);
  });
  const fail = () => {
    if (worker === w) worker = undefined;
    for (const done of pending.values()) done(false);
    pending.clear();
  };
  w.on('error', fail);
  w.on('exit', fail);
  worker = w;
  return w;
}

/** Checks a password against its argon2id hash in the worker thread; false for a malformed hash. */
export function verifyPassword(hash: string, password: string): Promise<boolean> {
  if (pending.size >= MAX_QUEUED_CHECKS) return Promise.reject(new PasswordCheckBusy('Zu viele gleichzeitige Anmeldungen'));
  const w = checker();
  const id = nextId++;
  return new Promise<boolean>((resolve) => {
    pending.set(id, resolve);
    w.ref(); // keep the process alive while a check is under way
    w.postMessage({ id, hash, password });
  }).finally(() => {
    if (!pending.size) worker?.unref();
  });
}

/** Checks waiting or running (tests, metrics). */
export const passwordChecksPending = () => pending.size;

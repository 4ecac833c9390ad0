// Password hashing: argon2id (OWASP parameters: 19 MiB, 2 iterations, 1 lane) in WebAssembly
// (hash-wasm) — no native addon: the `argon2` package's prebuilt binary crashed (SIGSEGV) on a fresh
// install on this machine kind, and npm 11 skips its build script. Hashes are in the standard
// encoded form ($argon2id$v=19$m=19456,t=2,p=1$…), readable by any argon2 library.
import crypto from 'node:crypto';
import { argon2id, argon2Verify } from 'hash-wasm';

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

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2Verify({ password, hash });
  } catch {
    return false; // malformed hash
  }
}

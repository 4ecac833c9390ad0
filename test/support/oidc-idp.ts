// Starts test/support/oidc-idp-server.mjs (a real `oidc-provider`) as a child process on a free port.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { freePort } from './ports';

export interface TestIdp {
  issuer: string;
  port: number;
  /** token requests the IdP saw, in order */
  grants(): Promise<Array<{ ok: boolean; codeVerifier: boolean; error?: string }>>;
  /** requests to the IdP's userinfo endpoint so far */
  userinfoCalls(): Promise<number>;
  stop(): Promise<void>;
}

export async function startTestIdp(o: {
  port?: number;
  clients: object[];
  accounts: Record<string, object>;
  conformIdTokenClaims?: boolean;
}): Promise<TestIdp> {
  const port = o.port ?? (await freePort());
  const child = spawn(process.execPath, [path.join(__dirname, 'oidc-idp-server.mjs')], {
    env: {
      ...process.env,
      IDP_PORT: String(port),
      IDP_CLIENTS: JSON.stringify(o.clients),
      IDP_ACCOUNTS: JSON.stringify(o.accounts),
      IDP_CONFORM: o.conformIdTokenClaims === false ? 'false' : 'true',
      NODE_OPTIONS: '',
    },
    stdio: ['pipe', 'pipe', 'pipe'], // stdin: the IdP exits when it closes (no orphan if the test process dies)
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const issuer = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/READY (\S+)/);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`Test-IdP beendet (${code}): ${stderr}`)));
  });
  return {
    issuer,
    port,
    async grants() {
      return (await fetch(`${issuer}/test/grants`)).json();
    },
    async userinfoCalls() {
      return Number(await (await fetch(`${issuer}/test/userinfo-calls`)).text());
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The IdP's port first (the app's config needs the issuer), the IdP itself once the app's URL is known. */
export const reserveIdpPort = freePort;

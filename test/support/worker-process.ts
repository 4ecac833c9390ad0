// `npm run worker` as a separate process against a test stack — so a test can SIGKILL it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { LINK_SECRETS, PAYLOAD_KEYS, testEnv, type Stack } from './stack';

const root = path.join(__dirname, '..', '..');

export function startWorkerProcess(stack: Stack, env: Record<string, string> = {}): Promise<ChildProcess> {
  const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), ['worker/main.ts'], {
    cwd: root,
    env: {
      ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', DATABASE_URL: stack.databaseUrl,
      TEMPORAL_ADDRESS: testEnv().temporalAddress, TEMPORAL_TASK_QUEUE: stack.taskQueue,
      SMTP_URL: `smtp://127.0.0.1:${stack.smtpPort}`, KIM_LINK_SECRETS: LINK_SECRETS, KIM_PAYLOAD_KEYS: PAYLOAD_KEYS, KIM_PUBLIC_URL: stack.url, ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (b: Buffer) => { out += b.toString(); if (out.includes('Worker läuft')) resolve(child); };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited ${code}: ${out.slice(-2000)}`)));
  });
}

export const killProcess = (child: ChildProcess) => new Promise<void>((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) return resolve();
  child.once('exit', () => resolve());
  child.kill('SIGKILL');
});

// Finds the Temporal CLI (dev server) in the order of DESIGN.md §5:
// TEMPORAL_CLI_PATH → `temporal` on PATH → the tools cache → build it with `go install` into the
// cache → (no Go) undefined, and the caller lets the SDK download it.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
export const TEMPORAL_CLI_DIRNAME = 'temporal-1.5.1';

export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      /* next */
    }
  }
  return undefined;
}

export function goBinary(): string | undefined {
  return onPath('go') ?? (fs.existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
}

export async function resolveTemporalCli(opts: {
  cliPath?: string;
  toolsDir: string;
  log: (msg: string) => void;
}): Promise<string | undefined> {
  if (opts.cliPath) {
    if (!fs.existsSync(opts.cliPath)) throw new Error(`TEMPORAL_CLI_PATH zeigt auf ${opts.cliPath}, dort ist keine Datei.`);
    return opts.cliPath;
  }
  const fromPath = onPath('temporal');
  if (fromPath) return fromPath;
  const dir = path.join(opts.toolsDir, TEMPORAL_CLI_DIRNAME);
  const cached = path.join(dir, 'temporal');
  if (fs.existsSync(cached)) return cached;
  const go = goBinary();
  if (!go) {
    opts.log('Temporal CLI nicht gefunden und kein Go installiert: das SDK lädt den Dev-Server herunter (braucht Internet).');
    return undefined;
  }
  fs.mkdirSync(dir, { recursive: true });
  opts.log(`Temporal-Dev-Server wird einmalig aus dem Go-Modul gebaut (${TEMPORAL_CLI_MODULE}).`);
  opts.log('Das dauert beim ersten Mal 2–4 Minuten (≈1,8 GB Go-Module, 250 MB Programm); spätere Starts nutzen ' + cached);
  const started = Date.now();
  const tmp = path.join(dir, `build-${process.pid}`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(go, ['install', TEMPORAL_CLI_MODULE], {
      env: { ...process.env, GOBIN: tmp, GOFLAGS: process.env.GOFLAGS ?? '-mod=mod' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lines = 0;
    const tick = setInterval(
      () => opts.log(`  … baue Temporal CLI (${Math.round((Date.now() - started) / 1000)} s, ${lines} Module geladen)`),
      15_000,
    );
    let tail = '';
    child.stderr!.on('data', (b: Buffer) => {
      const t = b.toString();
      tail = (tail + t).slice(-4000);
      lines += (t.match(/downloading/g) ?? []).length;
    });
    child.once('exit', (code) => {
      clearInterval(tick);
      if (code === 0) resolve();
      else reject(new Error(`go install ${TEMPORAL_CLI_MODULE} fehlgeschlagen (Code ${code}):\n${tail}`));
    });
  });
  fs.renameSync(path.join(tmp, 'temporal'), cached); // atomic: a half-built binary is never used
  fs.rmSync(tmp, { recursive: true, force: true });
  opts.log(`Temporal CLI gebaut in ${Math.round((Date.now() - started) / 1000)} s: ${cached}`);
  return cached;
}

export function temporalCliVersion(cli: string): string {
  return spawnSync(cli, ['--version']).stdout?.toString().trim() ?? '';
}

// `npm run setup:temporal`: find or build the CLI now (CI does this before the tests).
if (require.main === module) {
  resolveTemporalCli({
    cliPath: process.env.TEMPORAL_CLI_PATH || undefined,
    toolsDir: process.env.KIM_TOOLS_DIR || require('node:path').join(require('node:os').homedir(), '.cache', 'kim-flow'),
    log: (m) => console.log(m),
  }).then(
    (cli) => console.log(cli ? `Temporal CLI: ${cli} (${temporalCliVersion(cli)})` : 'Temporal CLI: SDK-Download beim Start'),
    (err) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}

// What some test files need from the machine besides npm packages: Debian's Chromium (browser tests)
// and DejaVu Sans (the Art. 15 PDF). Checked once per run in test/global-setup.ts, only for the files
// this run selects. Missing → installed with the same scripts CI uses (.ci/install-*.sh), as root or
// with password-less sudo; if that is not possible, the run stops at once with one line per missing
// thing saying how to install it (instead of every browser suite failing on its own).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findUnicodeFont } from '../../api/services/pdf-document';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function chromiumPresent(executable = CHROMIUM_PATH): boolean {
  try {
    fs.accessSync(executable, fs.constants.X_OK);
    return fs.statSync(executable).isFile();
  } catch {
    return false;
  }
}

interface Requirement {
  what: string;
  present(): boolean;
  /** does this test file (its source) need it? */
  neededBy(source: string): boolean;
  /** installs it with apt (undefined: cannot be installed for the user's setting) */
  script?: string;
  howTo: string;
}

const REQUIREMENTS: Requirement[] = [
  {
    what: `Chromium (${CHROMIUM_PATH})`,
    present: () => chromiumPresent(),
    neededBy: (src) => /support\/browser['"]/.test(src),
    script: process.env.CHROMIUM_PATH ? undefined : '.ci/install-chromium.sh',
    howTo: process.env.CHROMIUM_PATH
      ? 'CHROMIUM_PATH auf eine vorhandene Chromium-Binärdatei setzen'
      : '`sudo apt-get install chromium` (oder `npm run setup:browser` als root), oder CHROMIUM_PATH setzen',
  },
  {
    what: 'die Schrift DejaVu Sans',
    present: () => !!findUnicodeFont(),
    neededBy: (src) => /findUnicodeFont|DejaVu/.test(src),
    script: '.ci/install-fonts.sh',
    howTo: '`sudo apt-get install fonts-dejavu-core` (oder `npm run setup:fonts` als root)',
  },
];

function testFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** The test files of this run: jest's path patterns applied to test/**\/*.test.ts (none given → all). */
export function selectedTestFiles(
  rootDir: string,
  patterns?: { isSet(): boolean; toExecutor(o: { rootDir: string }): { isMatch(p: string): boolean } },
): string[] {
  const all = testFiles(path.join(rootDir, 'test'));
  if (!patterns?.isSet()) return all;
  const executor = patterns.toExecutor({ rootDir });
  return all.filter((f) => executor.isMatch(f));
}

function canInstall(): boolean {
  const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
  if (!has('sh', ['-c', 'command -v apt-get'])) return false;
  return process.getuid?.() === 0 || has('sudo', ['-n', 'true']);
}

/**
 * Installs what the selected files need and lacks; returns one German line per thing still missing
 * (empty: all there). `log` gets the progress lines.
 */
export function ensurePrerequisites(rootDir: string, files: string[], log: (line: string) => void): string[] {
  const sources = files.map((f) => fs.readFileSync(f, 'utf8'));
  const missing = REQUIREMENTS.map((r) => ({ r, users: sources.filter((s) => r.neededBy(s)).length })).filter(
    ({ r, users }) => users > 0 && !r.present(),
  );
  if (missing.length === 0) return [];
  const apt = canInstall();
  const problems: string[] = [];
  for (const { r, users } of missing) {
    if (apt && r.script) {
      const t = Date.now();
      log(`[setup] Es fehlt ${r.what} (für ${users} Testdatei(en)): wird einmalig mit ${r.script} installiert …`);
      const run = spawnSync('bash', [path.join(rootDir, r.script)], { cwd: rootDir, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
      const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim();
      if (run.status === 0 && r.present()) {
        log(`[setup] ${(run.stdout ?? '').trim().split('\n').pop()} – ${((Date.now() - t) / 1000).toFixed(0)} s`);
        continue;
      }
      log(`[setup] ${r.script} fehlgeschlagen (Code ${run.status}): ${output.slice(-1500)}`);
    }
    problems.push(
      `Es fehlt ${r.what} für ${users} Testdatei(en)${apt && r.script ? '' : ' (nicht automatisch installierbar: braucht root oder sudo ohne Passwort und apt-get)'} – installieren: ${r.howTo}.`,
    );
  }
  return problems;
}

// BENCH_CPU_PROFILE=<dir>: a benchmark phase wrapped in profiled() writes the CPU profile of this process's
// main thread for just that phase (<dir>/<name>.cpuprofile; open it in Chrome DevTools or speedscope).
// Without the variable the phase runs unprofiled.
import fs from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector/promises';

export async function profiled<T>(name: string, phase: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_CPU_PROFILE;
  if (!dir) return phase();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await phase();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

/** CPU time (ms) used so far by every program on the machine (not the kernel's threads), summed by command name (/proc; Linux only).
 *  nameOf: the name to sum a process under instead (e.g. its role), or undefined to leave it out. */
export function cpuByCommand(nameOf?: (pid: number, command: string) => string | undefined): Map<string, number> {
  const tick = 10; // ms per clock tick (USER_HZ = 100 on Linux)
  const out = new Map<string, number>();
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`).length) continue; // a kernel thread (their names change)
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(f[11]) + Number(f[12])) * tick; // utime, stime
      const command = comm.startsWith('postgres') ? 'postgres' : comm;
      const name = nameOf ? nameOf(Number(pid), command) : command;
      if (name === undefined) continue;
      out.set(name, (out.get(name) ?? 0) + ms);
    } catch {
      /* gone meanwhile */
    }
  }
  return out;
}

/** "node 5.1, temporal 3.2, postgres 2.0 ms CPU per start": what each program spent per item between two cpuByCommand() readings */
export function cpuPerItem(before: Map<string, number>, after: Map<string, number>, items: number): string {
  return [...after]
    .map(([name, ms]) => [name, (ms - (before.get(name) ?? 0)) / items] as const)
    .filter(([, ms]) => ms >= 0.1)
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => `${name} ${ms.toFixed(1)}`)
    .join(', ');
}

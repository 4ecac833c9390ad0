// Free TCP ports on loopback for the services a test starts.
//
// Ports are drawn at random from 20000–32767, below the kernel's ephemeral range (32768–60999 by
// default). A port handed out by listen(0) is free only at that moment: until the service listens on it
// (an `npm start` takes seconds), the kernel may give the same port to any outgoing connection's local
// end or to the next listen(0) of a parallel test file — that made a spawned app fail with EADDRINUSE
// while /healthz answered from another test's app. Ports below the ephemeral range are never handed out
// that way; a port this process has handed out is not handed out again.
//
// Each jest worker draws from its own slice of that range (JEST_WORKER_ID; the main process and scripts
// slice 0): two workers drew the same port once — the embedded test's `npm start` found its HTTP port
// taken and /healthz answered from the other worker's app (a fresh-clone `npm test`).
import net from 'node:net';

const SLICES = 8;
const SLICE = Math.floor((32_767 - 20_000 + 1) / SLICES);
const LOW = 20_000 + (Number(process.env.JEST_WORKER_ID ?? 0) % SLICES) * SLICE;
const HIGH = LOW + SLICE - 1;
const handedOut = new Set<number>();

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW + 1));
    if (handedOut.has(port) || !(await bindable(port))) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error(`Kein freier Port zwischen ${LOW} und ${HIGH} gefunden`);
}

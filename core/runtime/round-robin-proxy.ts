// The entry in front of several API instances (`npm run cluster`): round robin over the backends.
// The APIs are stateless (sessions in PostgreSQL), so any instance may answer any request. A backend
// that refuses the connection (stopped, restarting) is skipped for a moment and the request goes to
// the next one — nothing was sent, so this is safe also for POST. A request whose backend fails
// after it was sent is repeated only when it is idempotent (GET/HEAD); otherwise, and when no backend
// is up, the answer is 503 with the API's error format — never a 500 and never a hang.
import http from 'node:http';

export interface Backend {
  host: string;
  port: number;
}

export interface RoundRobinProxy {
  port: number;
  counts(): { forwarded: number; unavailable: number; retried: number };
  close(): Promise<void>;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];
const MAX_BODY = 20 * 1024 * 1024;
const DOWN_MS = 1_000;

class BeforeSend extends Error {}

/**
 * How long a kept-alive connection to an API instance may stay idle before the entry closes it. Shorter
 * than the instances' own keep-alive (API_KEEP_ALIVE_MS, app/boot.ts): otherwise the instance closes an
 * idle connection just as the entry sends the next request on it — ECONNRESET after sending, and a POST
 * then gets 503 (seen in bench:cluster). Node's agent keeps idle sockets forever without this.
 */
export const ENTRY_IDLE_MS = 30_000;

export async function startRoundRobinProxy(opts: {
  backends: Backend[];
  port: number;
  host: string;
  timeoutMs?: number;
  /** default ENTRY_IDLE_MS */
  idleMs?: number;
  /** every 503 the entry answers, with why (the backends' socket errors): for the operator's log */
  onUnavailable?: (what: { method: string; path: string; reasons: string[] }) => void;
}): Promise<RoundRobinProxy> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, timeout: opts.idleMs ?? ENTRY_IDLE_MS });
  const downUntil = new Map<Backend, number>();
  let next = 0;
  const stats = { forwarded: 0, unavailable: 0, retried: 0 };

  function order(): Backend[] {
    const start = next++ % opts.backends.length;
    const rotated = [...opts.backends.slice(start), ...opts.backends.slice(0, start)];
    const now = Date.now();
    const up = rotated.filter((b) => (downUntil.get(b) ?? 0) <= now);
    return [...up, ...rotated.filter((b) => !up.includes(b))]; // the ones marked down last
  }

  function forward(backend: Backend, req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<void> {
    return new Promise((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = { ...req.headers };
      for (const h of HOP_BY_HOP) delete headers[h];
      const remote = req.socket.remoteAddress ?? '';
      headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${req.headers['x-forwarded-for']}, ${remote}` : remote;
      headers['x-forwarded-host'] ??= req.headers.host;
      headers['x-forwarded-proto'] ??= 'http';
      headers['content-length'] = String(body.length);
      let sent = false;
      const up = http.request(
        { host: backend.host, port: backend.port, method: req.method, path: req.url, headers, agent, timeout: opts.timeoutMs ?? 60_000 },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.headers);
          answer.pipe(res);
          answer.once('end', resolve);
          answer.once('error', () => res.destroy());
          res.once('close', resolve);
        },
      );
      up.once('socket', (s) => {
        if (up.reusedSocket || !s.connecting) sent = true;
        else s.once('connect', () => (sent = true));
      });
      up.once('timeout', () => up.destroy(new Error('timeout')));
      up.once('error', (err: NodeJS.ErrnoException) => {
        if (res.headersSent) {
          res.destroy(); // the answer broke off midway: the client sees a broken response, never a made-up one
          return resolve();
        }
        // refused or not yet connected: nothing reached the backend. A reused keep-alive socket that breaks
        // may have carried the request already — repeated only when idempotent (the caller decides)
        reject(!sent || err.code === 'ECONNREFUSED' ? new BeforeSend(err.message) : err);
      });
      up.end(body);
    });
  }

  function unavailable(req: http.IncomingMessage, res: http.ServerResponse, reasons: string[]) {
    stats.unavailable++;
    opts.onUnavailable?.({ method: req.method ?? '', path: (req.url ?? '').split('?')[0], reasons });
    if (res.headersSent) return void res.destroy();
    res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1' });
    res.end(
      JSON.stringify({ error: { code: 'unavailable', message: 'KIM Flow ist gerade nicht erreichbar. Bitte gleich erneut versuchen.' } }),
    );
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        res.writeHead(413, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
        res.end(JSON.stringify({ error: { code: 'too_large', message: 'Die Anfrage ist zu groß.' } }));
        req.destroy();
      } else chunks.push(c);
    });
    req.once('end', async () => {
      const body = Buffer.concat(chunks);
      const idempotent = req.method === 'GET' || req.method === 'HEAD';
      const tries = order();
      const reasons: string[] = [];
      for (let i = 0; i < tries.length; i++) {
        try {
          if (i > 0) stats.retried++;
          await forward(tries[i], req, body, res);
          stats.forwarded++;
          return;
        } catch (err) {
          downUntil.set(tries[i], Date.now() + DOWN_MS);
          const sent = !(err instanceof BeforeSend);
          const code = (err as NodeJS.ErrnoException).code;
          reasons.push(
            `${tries[i].host}:${tries[i].port} ${sent ? 'nach' : 'vor'} dem Senden: ${code ? `${code} ` : ''}${(err as Error).message}`,
          );
          if (sent && !idempotent) return unavailable(req, res, reasons);
        }
      }
      unavailable(req, res, reasons);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return {
    port: (server.address() as { port: number }).port,
    counts: () => ({ ...stats }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

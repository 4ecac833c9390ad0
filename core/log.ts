// Structured logs (pino). Pretty in a terminal, JSON otherwise. Every line written while a request
// is being handled carries its request id (AsyncLocalStorage). Log IDs, never names.
import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger } from 'pino';

export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

/** An e-mail action link's token is a credential: /t/<token> in a logged path or URL becomes /t/[redacted]. */
export function redactActionTokens(s: string): string {
  return s.replace(/\/t\/[^/?#\s"']+/g, '/t/[redacted]');
}

const URL_FIELDS = ['path', 'url', 'originalUrl', 'location', 'referer'];

/** `destination`: where the JSON lines go instead of stdout (tests read what would have been logged). */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', name = 'kim', destination?: pino.DestinationStream): Logger {
  const pretty = !destination && process.stdout.isTTY && process.env.NODE_ENV !== 'production';
  const options: pino.LoggerOptions = {
    name,
    level,
    mixin: () => {
      const ctx = requestContext.getStore();
      return ctx ? { requestId: ctx.requestId } : {};
    },
    // request logs, error logs: whatever path or URL a line carries, without action tokens
    formatters: {
      log: (obj) => {
        for (const k of URL_FIELDS) if (typeof obj[k] === 'string') obj[k] = redactActionTokens(obj[k]);
        return obj;
      },
    },
    redact: {
      paths: ['password', '*.password', 'token', '*.token', 'req.headers.authorization', 'req.headers.cookie', '*.passwordHash'],
      censor: '[redacted]',
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };

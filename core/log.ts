// Structured logs (pino). Pretty in a terminal, JSON otherwise. Every line written while a request
// is being handled carries its request id (AsyncLocalStorage). Log IDs, never names.
import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger } from 'pino';

export const requestContext = new AsyncLocalStorage<{ requestId: string }>();

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
    redact: { paths: ['password', '*.password', 'token', '*.token', 'req.headers.authorization', 'req.headers.cookie', '*.passwordHash'], censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };

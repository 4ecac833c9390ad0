// A second web app on the same database and Temporal client as a test stack, built with other
// settings (namespace, secure cookies, trusted proxies …) — as another installation or another API
// instance would be. Listens on a free loopback port; close() ends it and its connections.
import type http from 'node:http';
import { createApp } from '../../api/app';
import type { AppDeps } from '../../api/deps';
import { createLogger } from '../../core/log';
import { freePort } from './ports';
import { LINK_KEYS, type Stack } from './stack';

export async function startSecondApp(stack: Stack, settings: Partial<AppDeps> = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const app = createApp({
    db: stack.db,
    temporal: stack.client,
    taskQueue: stack.taskQueue,
    log: createLogger('silent'),
    publicUrl: url,
    secureCookies: false,
    sessionHours: 1,
    linkKeys: LINK_KEYS,
    workingDaySeconds: 0,
    ...settings,
  });
  const server: http.Server = await new Promise((resolve) => {
    const s = app.listen(port, '127.0.0.1', () => resolve(s));
  });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

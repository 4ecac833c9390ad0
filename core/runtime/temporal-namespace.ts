// The namespace and KIM's search attributes on a Temporal server that does not make them itself (the
// production server; the dev server gets them as start flags). Idempotent: missing ones are added.
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { msToTs } from '@temporalio/common/lib/time';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TYPES = {
  Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Bool: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
};

async function retry<T>(what: string, fn: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${what}: ${err instanceof Error ? err.message : err}`, { cause: err });
      await sleep(500);
    }
  }
}

export async function ensureNamespaceAndSearchAttributes(opts: {
  connection: Connection;
  namespace: string;
  retentionDays?: number;
  log: (msg: string) => void;
  timeoutMs?: number;
}) {
  const { connection, namespace } = opts;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const exists = await connection.workflowService.describeNamespace({ namespace }).then(
    () => true,
    (err: { code?: number }) => {
      if (err.code === 5) return false; // NOT_FOUND
      throw err;
    },
  );
  if (!exists) {
    await connection.workflowService
      .registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(`${opts.retentionDays ?? 7} days`) })
      .catch((err: { code?: number }) => {
        if (err.code !== 6) throw err; // ALREADY_EXISTS: another start was faster
      });
    opts.log(`Temporal-Namespace ${namespace} angelegt`);
  }
  // a new namespace reaches the other services' caches within ~10 s: retry until they know it
  const present = await retry(
    'Suchattribute nicht lesbar',
    async () => (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {},
    timeoutMs,
  );
  const missing = Object.entries(SEARCH_ATTRIBUTES).filter(([name]) => !(name in present));
  if (missing.length) {
    await retry(
      'Suchattribute nicht registriert',
      () =>
        connection.operatorService.addSearchAttributes({
          namespace,
          searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, TYPES[type]])),
        }),
      timeoutMs,
    );
    opts.log(`Suchattribute registriert: ${missing.map(([n]) => n).join(', ')}`);
  }
  // visibility queries of the namespace work (the first ones after registration may still fail)
  await retry(
    'Namespace nicht bereit',
    () => connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1, query: 'KimKind = "case"' }),
    timeoutMs,
  );
}

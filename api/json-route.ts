// One definition per JSON route: the zod schemas validate the request and, through the same
// registry, produce /api/openapi.json — the document is generated, never written by hand.
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { Role } from '../core/db/generated/client';
import { requireRole } from './auth';
import { parseOr400 } from './errors';
import { SUBMISSION_KEY } from './submission';

export const errorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string().describe('deutsche, lesbare Meldung'),
    details: z.array(z.object({ field: z.string(), message: z.string() })),
    requestId: z.string().optional(),
    id: z.string().optional().describe('409 beim Start einer Kette: die ID der laufenden Kette'),
    taskId: z.string().optional().describe('409 bei einer zweiten Übergabe desselben Schritts: die ID der offenen Aufgabe'),
    field: z.string().optional().describe('409 ohne passende Einwilligung: das betroffene Feld'),
  }),
});

/** Error statuses a route answers beyond those every route has, each with what it means there. */
export type RouteErrors = Partial<Record<404 | 409 | 410 | 413 | 415 | 429 | 401, string>>;

interface RouteDef<B extends z.ZodType, Q extends z.ZodObject, R extends z.ZodType> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string; // express style: /api/cases/:id
  summary: string;
  tag: string;
  roles?: Role[] | 'public';
  body?: B;
  query?: Q;
  status?: number;
  /** the success answer's media type (default JSON); CSV and PDF routes write the answer themselves */
  contentType?: 'text/csv' | 'application/pdf';
  /** takes an Idempotency-Key header: the same key again answers 200 with the first result */
  idempotent?: boolean;
  /** the route's own error statuses (a route with path parameters must name its 404) */
  errors?: RouteErrors;
  response: R;
  handler: (ctx: {
    req: Request;
    res: Response;
    body: z.infer<B>;
    query: z.infer<Q>;
    params: Record<string, string>;
  }) => Promise<z.input<R> | void>;
}

const errorContent = { content: { 'application/json': { schema: errorSchema } } };

/** Statuses every route of its kind can answer: bad input, not signed in / not allowed, too large, dependency down. */
function commonErrors(def: { roles?: Role[] | 'public'; body?: unknown; query?: unknown }): Record<number, string> {
  const errors: Record<number, string> = {
    400:
      def.body || def.query
        ? 'Ungültige Eingabe (details nennt die Felder) oder ungültige Zeichen in der Anfrage'
        : 'Ungültige Anfrage (z. B. ungültige Zeichen oder Kodierung in der Adresse)',
  };
  if (def.roles !== 'public') errors[401] = 'Nicht angemeldet';
  if (Array.isArray(def.roles) && def.roles.length) errors[403] = 'Keine Berechtigung (Rolle, Zuständigkeit)';
  if (def.body) errors[413] = 'Anfrage größer als 100 kB';
  errors[503] = 'Datenbank oder Temporal nicht erreichbar';
  return errors;
}

export class JsonApi {
  readonly registry = new OpenAPIRegistry();

  constructor(private readonly router: Router) {
    this.registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  }

  route<B extends z.ZodType = z.ZodUndefined, Q extends z.ZodObject = z.ZodObject, R extends z.ZodType = z.ZodType>(
    def: RouteDef<B, Q, R>,
  ) {
    const status = def.status ?? 200;
    const params = [...def.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
    if (params.length && !def.errors?.[404])
      throw new Error(`${def.method.toUpperCase()} ${def.path}: a route with path parameters must declare its 404`);
    const guards = def.roles === 'public' ? [] : [requireRole(...(def.roles ?? []))];
    this.router[def.method](def.path, ...guards, async (req: Request, res: Response) => {
      const body = def.body ? parseOr400(def.body, req.body ?? {}) : undefined;
      const query = def.query ? parseOr400(def.query, req.query) : undefined;
      const result = await def.handler({
        req,
        res,
        body: body as z.infer<B>,
        query: query as z.infer<Q>,
        params: req.params as Record<string, string>,
      });
      if (!res.headersSent) res.status((res.locals.status as number | undefined) ?? status).json(result);
    });
    const success = { content: { [def.contentType ?? 'application/json']: { schema: def.response } } };
    const errors = { ...commonErrors(def), ...def.errors };
    this.registry.registerPath({
      method: def.method,
      path: def.path.replace(/:(\w+)/g, '{$1}'),
      summary: def.summary,
      tags: [def.tag],
      security: def.roles === 'public' ? [] : [{ bearer: [] }],
      request: {
        ...(params.length ? { params: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) } : {}),
        ...(def.query ? { query: def.query } : {}),
        ...(def.idempotent
          ? {
              headers: z.object({
                'idempotency-key': z.string().regex(SUBMISSION_KEY).optional(),
              }),
            }
          : {}),
        ...(def.body ? { body: { content: { 'application/json': { schema: def.body } } } } : {}),
      },
      responses: {
        [status]: {
          description:
            def.idempotent && status === 200
              ? 'Erfolg; derselbe Idempotency-Key noch einmal: die Aktion läuft nur einmal, dasselbe Ergebnis'
              : 'Erfolg',
          ...success,
        },
        ...(def.idempotent && status !== 200
          ? { 200: { description: 'Derselbe Idempotency-Key noch einmal: das erste Ergebnis', ...success } }
          : {}),
        ...Object.fromEntries(Object.entries(errors).map(([s, description]) => [s, { description, ...errorContent }])),
      },
    });
  }

  /** GET `path` answers the generated document, which lists this route too. */
  serveDocument(path = '/api/openapi.json') {
    this.registry.registerPath({
      method: 'get',
      path,
      summary: 'Dieses OpenAPI-3.1-Dokument',
      tags: ['Laufzeit'],
      security: [],
      responses: {
        200: { description: 'Erfolg', content: { 'application/json': { schema: z.object({ openapi: z.literal('3.1.0') }).loose() } } },
        ...Object.fromEntries(
          Object.entries(commonErrors({ roles: 'public' })).map(([s, description]) => [s, { description, ...errorContent }]),
        ),
      },
    });
    const document = this.document();
    this.router.get(path, (_req, res) => {
      res.json(document);
    });
  }

  document() {
    return new OpenApiGeneratorV31(this.registry.definitions).generateDocument({
      openapi: '3.1.0',
      info: { title: 'KIM Flow API', version: '0.1.0', description: 'Kommunales Integrationsmanagement: Fälle, Ketten, Übergaben.' },
      servers: [{ url: '/' }],
    });
  }
}

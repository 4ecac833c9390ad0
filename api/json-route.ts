// One definition per JSON route: the zod schemas validate the request and, through the same
// registry, produce /api/openapi.json — the document is generated, never written by hand.
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { Role } from '../core/db/generated/client';
import { requireRole } from './auth';
import { parseOr400 } from './errors';

export const errorSchema = z.object({
  error: z.object({
    code: z.string(), message: z.string().describe('deutsche, lesbare Meldung'),
    details: z.array(z.object({ field: z.string(), message: z.string() })), requestId: z.string().optional(),
  }),
});

interface RouteDef<B extends z.ZodType, Q extends z.ZodType, R extends z.ZodType> {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string; // express style: /api/cases/:id
  summary: string;
  tag: string;
  roles?: Role[] | 'public';
  body?: B;
  query?: Q;
  status?: number;
  response: R;
  handler: (ctx: { req: Request; res: Response; body: z.infer<B>; query: z.infer<Q>; params: Record<string, string> }) => Promise<z.input<R> | void>;
}

export class JsonApi {
  readonly registry = new OpenAPIRegistry();

  constructor(private readonly router: Router) {
    this.registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });
  }

  route<B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, R extends z.ZodType = z.ZodType>(def: RouteDef<B, Q, R>) {
    const status = def.status ?? 200;
    const guards = def.roles === 'public' ? [] : [requireRole(...(def.roles ?? []))];
    this.router[def.method](def.path, ...guards, async (req: Request, res: Response) => {
      const body = def.body ? parseOr400(def.body, req.body ?? {}) : undefined;
      const query = def.query ? parseOr400(def.query, req.query) : undefined;
      const result = await def.handler({ req, res, body: body as z.infer<B>, query: query as z.infer<Q>, params: req.params as Record<string, string> });
      if (!res.headersSent) res.status((res.locals.status as number | undefined) ?? status).json(result);
    });
    const params = [...def.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
    this.registry.registerPath({
      method: def.method,
      path: def.path.replace(/:(\w+)/g, '{$1}'),
      summary: def.summary,
      tags: [def.tag],
      security: def.roles === 'public' ? [] : [{ bearer: [] }],
      request: {
        ...(params.length ? { params: z.object(Object.fromEntries(params.map((p) => [p, z.string()]))) } : {}),
        ...(def.query ? { query: def.query as never } : {}),
        ...(def.body ? { body: { content: { 'application/json': { schema: def.body } } } } : {}),
      },
      responses: {
        [status]: { description: 'Erfolg', content: { 'application/json': { schema: def.response } } },
        ...(def.body || def.query ? { 400: { description: 'Ungültige Eingabe', content: { 'application/json': { schema: errorSchema } } } } : {}),
        ...(def.roles === 'public' ? {} : {
          401: { description: 'Nicht angemeldet', content: { 'application/json': { schema: errorSchema } } },
          403: { description: 'Keine Berechtigung', content: { 'application/json': { schema: errorSchema } } },
        }),
        503: { description: 'Datenbank oder Temporal nicht erreichbar', content: { 'application/json': { schema: errorSchema } } },
      },
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

// The contract check of every JSON-API answer the tests receive: its status must be listed for the
// route and method in /api/openapi.json, and its JSON body must match that status's schema (the
// error shape for error statuses). Hooked into Stack.api (test/support/stack.ts), so the document
// cannot drift from what the API answers.
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

interface MediaType {
  schema?: object;
}
interface Operation {
  responses?: Record<string, { content?: Record<string, MediaType> }>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
}

export interface ContractResponse {
  status: number;
  /** the Content-Type header, if any */
  contentType: string | null;
  /** the parsed JSON body, or the text when it was not JSON */
  body: unknown;
}

/** /api/ paths the document does not describe on purpose: the Temporal codec server protocol (api/routes/codec.ts). */
const OUTSIDE_DOCUMENT = [/^\/api\/codec\//];

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  staticSegments: number;
  op: Operation;
}

const pointer = (...parts: string[]) => '#/' + parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
const mediaType = (contentType: string | null) => (contentType ?? '').split(';')[0].trim().toLowerCase();

export class OpenApiContract {
  private readonly routes: Route[];
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(readonly document: OpenApiDocument) {
    addFormats(this.ajv);
    this.ajv.addSchema(document, 'openapi');
    this.routes = Object.entries(document.paths).flatMap(([template, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method: method.toUpperCase(),
        template,
        op,
        pattern: new RegExp(
          '^' +
            template
              .split(/\{\w+\}/)
              .map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
              .join('[^/]+') +
            '$',
        ),
        staticSegments: template.split('/').filter((s) => s && !s.startsWith('{')).length,
      })),
    );
  }

  /** The documented route (template) an Express app would take for this method and path, if any. */
  route(method: string, path: string): Route | undefined {
    const p = path.split('?')[0];
    return this.routes
      .filter((r) => r.method === method.toUpperCase() && r.pattern.test(p))
      .sort((a, b) => b.staticSegments - a.staticSegments)[0];
  }

  /** What is wrong with this answer, measured by the document; [] when it conforms. */
  problems(method: string, path: string, res: ContractResponse): string[] {
    const M = method.toUpperCase();
    const p = path.split('?')[0];
    if (!p.startsWith('/api/') || M === 'OPTIONS' || OUTSIDE_DOCUMENT.some((x) => x.test(p))) return [];
    const route = this.route(M, p);
    if (!route) {
      // an unknown route: the API's JSON 404 (api/app.ts); anything else means a route the document lacks
      if (res.status !== 404) return [`${M} ${p} answered ${res.status}, but the OpenAPI document has no such route`];
      return this.bodyProblems(`${M} ${p}`, res, 'error-shape', errorShape);
    }
    const where = `${M} ${route.template}`;
    const declared = route.op.responses?.[String(res.status)];
    if (!declared) {
      return [
        `${where} answered ${res.status}, which the OpenAPI document does not list (listed: ${Object.keys(route.op.responses ?? {}).join(', ')})`,
      ];
    }
    const content = declared.content ?? {};
    const type = mediaType(res.contentType);
    if (!Object.keys(content).length) return [];
    if (!(type in content))
      return [`${where} ${res.status} answered ${type || 'no content type'}, the document says ${Object.keys(content).join(' or ')}`];
    if (type !== 'application/json' || !content[type].schema) return [];
    return this.bodyProblems(
      `${where} ${res.status}`,
      res,
      'openapi' + pointer('paths', route.template, route.method.toLowerCase(), 'responses', String(res.status), 'content', type, 'schema'),
    );
  }

  /** Throws naming the route, method and status when the answer does not conform. */
  check(method: string, path: string, res: ContractResponse): void {
    const problems = this.problems(method, path, res);
    if (problems.length) {
      throw new Error(`OpenAPI contract: ${problems.join('; ')}\nbody: ${JSON.stringify(res.body)?.slice(0, 500)}`);
    }
  }

  /** check() for a fetch Response (read from a clone, so the caller can still read the body). */
  async checkResponse(method: string, path: string, res: Response): Promise<void> {
    const text = await res.clone().text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    this.check(method, path, { status: res.status, contentType: res.headers.get('content-type'), body });
  }

  private bodyProblems(where: string, res: ContractResponse, ref: string, schema?: object): string[] {
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = schema ? this.ajv.compile(schema) : this.ajv.compile({ $ref: ref });
      this.validators.set(ref, validate);
    }
    if (validate(res.body)) return [];
    return [`${where}: body does not match the schema: ${this.ajv.errorsText(validate.errors, { dataVar: 'body' })}`];
  }
}

/** The error shape of API.md, for answers of routes the document does not have (the JSON 404). */
const errorShape = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'details'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'array' } },
    },
  },
};

// The contract checker (test/support/openapi-contract.ts) against a document generated the way the
// app generates its own (api/json-route.ts): it must catch an undeclared status, a body that does not
// match, a wrong media type, and an answer from a route the document lacks.
import { Router } from 'express';
import { z } from 'zod';
import { JsonApi } from '../../api/json-route';
import { OpenApiContract, type OpenApiDocument } from '../support/openapi-contract';

function contract() {
  const api = new JsonApi(Router());
  api.route({
    method: 'get',
    path: '/api/things/:id',
    tag: 'T',
    roles: ['caseworker'],
    summary: 'Ding lesen',
    errors: { 404: 'Ding unbekannt' },
    response: z.object({ id: z.string(), count: z.number() }),
    handler: async () => ({ id: 'a', count: 1 }),
  });
  api.route({
    method: 'post',
    path: '/api/things',
    tag: 'T',
    roles: 'public',
    summary: 'Ding anlegen',
    status: 201,
    idempotent: true,
    body: z.object({ name: z.string() }),
    response: z.object({ id: z.string() }),
    handler: async () => ({ id: 'a' }),
  });
  api.route({
    method: 'get',
    path: '/api/things.csv',
    tag: 'T',
    roles: ['caseworker'],
    summary: 'CSV',
    contentType: 'text/csv',
    response: z.string(),
    handler: async () => undefined,
  });
  return new OpenApiContract(api.document() as unknown as OpenApiDocument);
}

const json = 'application/json; charset=utf-8';
const error = (code: string) => ({ error: { code, message: 'Meldung', details: [], requestId: 'r1' } });

describe('OpenAPI contract check', () => {
  const c = contract();

  it('accepts declared statuses with matching bodies', () => {
    expect(c.problems('GET', '/api/things/42', { status: 200, contentType: json, body: { id: '42', count: 3 } })).toEqual([]);
    expect(c.problems('GET', '/api/things/42?x=1', { status: 404, contentType: json, body: error('not_found') })).toEqual([]);
    expect(c.problems('GET', '/api/things/42', { status: 401, contentType: json, body: error('unauthorized') })).toEqual([]);
    expect(c.problems('POST', '/api/things', { status: 201, contentType: json, body: { id: 'x' } })).toEqual([]);
    expect(c.problems('POST', '/api/things', { status: 200, contentType: json, body: { id: 'x' } })).toEqual([]); // Idempotency-Key replay
    expect(c.problems('POST', '/api/things', { status: 413, contentType: json, body: error('too_large') })).toEqual([]);
    expect(c.problems('GET', '/api/things.csv', { status: 200, contentType: 'text/csv; charset=utf-8', body: 'a;b' })).toEqual([]);
  });

  it('catches a status the route does not declare, naming method, route and status', () => {
    const res = { status: 409, contentType: json, body: error('conflict') };
    expect(c.problems('GET', '/api/things/42', res)).toEqual([
      expect.stringContaining('GET /api/things/{id} answered 409, which the OpenAPI document does not list'),
    ]);
    expect(() => c.check('GET', '/api/things/42', res)).toThrow(/OpenAPI contract: GET \/api\/things\/\{id\} answered 409/);
    // a public route has no 401/403, a route without path parameters no 404
    expect(c.problems('POST', '/api/things', { status: 403, contentType: json, body: error('forbidden') })).toHaveLength(1);
    expect(c.problems('POST', '/api/things', { status: 404, contentType: json, body: error('not_found') })).toHaveLength(1);
    expect(c.problems('GET', '/api/things/42', { status: 500, contentType: json, body: error('internal') })).toHaveLength(1);
  });

  it('catches a body that does not match the schema of its status', () => {
    expect(c.problems('GET', '/api/things/42', { status: 200, contentType: json, body: { id: '42', count: 'drei' } })).toEqual([
      expect.stringMatching(/GET \/api\/things\/\{id\} 200: body does not match the schema: body\/count must be number/),
    ]);
    expect(c.problems('GET', '/api/things/42', { status: 404, contentType: json, body: { message: 'nicht gefunden' } })).toEqual([
      expect.stringContaining('404: body does not match'),
    ]);
  });

  it('catches a media type the document does not name', () => {
    expect(c.problems('GET', '/api/things.csv', { status: 200, contentType: json, body: [] })).toEqual([
      expect.stringContaining('the document says text/csv'),
    ]);
  });

  it('an unknown /api/ route may only answer the JSON 404; other paths are not its business', () => {
    expect(c.problems('GET', '/api/nope', { status: 404, contentType: json, body: error('not_found') })).toEqual([]);
    expect(c.problems('DELETE', '/api/things/42', { status: 200, contentType: json, body: {} })).toEqual([
      expect.stringContaining('has no such route'),
    ]);
    expect(c.problems('GET', '/faelle', { status: 200, contentType: 'text/html', body: '<p>' })).toEqual([]);
  });

  it('a route with path parameters must declare its 404', () => {
    expect(() =>
      new JsonApi(Router()).route({
        method: 'get',
        path: '/api/x/:id',
        tag: 'T',
        summary: 'x',
        response: z.object({}),
        handler: async () => ({}),
      }),
    ).toThrow('GET /api/x/:id: a route with path parameters must declare its 404');
  });
});

import { z } from 'zod';
import type { ApiRoute, OpenApiDocument } from '@smile/sdk';
import type { Registered } from '../plugins/registry.js';

const toSchema = (s: z.ZodType, io: 'input' | 'output') => {
  const { $schema, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

/** Build the OpenAPI 3.1 document from the same zod schemas that validate the requests. */
export function buildOpenApi(routes: Registered<ApiRoute>[], version: string): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const { plugin, def } of routes) {
    const p = def.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const parameters: unknown[] = [];
    for (const [where, schema] of [['path', def.params], ['query', def.query]] as const) {
      if (!schema) continue;
      const js = toSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, prop] of Object.entries(js.properties ?? {})) {
        parameters.push({ name, in: where, required: where === 'path' || (js.required ?? []).includes(name), schema: prop });
      }
    }
    const op: Record<string, unknown> = {
      operationId: `${plugin}.${def.method.toLowerCase()}${def.path.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      tags: [plugin],
      summary: def.summary,
      ...(def.description ? { description: def.description } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(def.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(def.body, 'input') } } } } : {}),
      responses: {
        [String(def.status ?? 200)]: { description: 'Success', content: { 'application/json': { schema: toSchema(def.response, 'output') } } },
        '400': { description: 'Invalid request', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        ...(def.public ? {} : {
          '401': { description: 'No valid API token', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          '403': { description: `Token lacks ${def.permission}`, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        }),
      },
      ...(def.public ? { security: [] } : { 'x-permission': def.permission }),
    };
    (paths[p] ??= {})[def.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'SMILE API', version, description: 'REST API of SMILE. Authenticate with `Authorization: Bearer <API token>` (see `smile tokens create`).' },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Per-institution API token' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message', 'requestId'],
              properties: { code: { type: 'string' }, message: { type: 'string' }, requestId: { type: 'string' }, issues: { type: 'array', items: { type: 'object' } } },
            },
          },
        },
      },
    },
  };
}

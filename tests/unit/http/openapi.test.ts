import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { registeredFunctions } from '../../../host/functionsCore';
import { errorCodes, statusOf } from '../../../shared/core/errors';
import { operations } from '../../../shared/http/contract/operations';
import { openApiDocument } from '../../../shared/http/contract/openapi';

/**
 * The served OpenAPI document: a valid OpenAPI 3.1 document (no OpenAPI validator is installed,
 * so its structure is checked against the specification's object model below, and every
 * reference is resolved), covering every registered route with its parameters and errors.
 */

const root = path.resolve(__dirname, '..', '..', '..');
const document = openApiDocument() as Record<string, unknown>;

// The OpenAPI 3.1 objects this document uses, as the specification defines them (fields it does
// not use are refused, so a typo in a field name fails too).
const reference = z.strictObject({ $ref: z.string(), required: z.boolean().optional() });
const jsonSchemaObject = z.union([z.record(z.string(), z.unknown()), z.boolean()]);
const mediaTypeObject = z.strictObject({ schema: jsonSchemaObject });
const headerObject = z.strictObject({
  description: z.string().optional(),
  required: z.boolean().optional(),
  schema: jsonSchemaObject,
});
const responseObject = z.strictObject({
  description: z.string().min(1),
  headers: z.record(z.string(), z.union([reference, headerObject])).optional(),
  content: z.record(z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/), mediaTypeObject).optional(),
});
const parameterObject = z.strictObject({
  name: z.string().min(1),
  in: z.enum(['path', 'query', 'header', 'cookie']),
  required: z.boolean(),
  description: z.string().optional(),
  schema: jsonSchemaObject,
});
const securityRequirement = z.record(z.string(), z.array(z.string()));
const operationObject = z.strictObject({
  operationId: z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/),
  summary: z.string(),
  tags: z.array(z.string()),
  security: z.array(securityRequirement).optional(),
  parameters: z.array(parameterObject).optional(),
  requestBody: z
    .strictObject({
      required: z.boolean(),
      description: z.string().optional(),
      content: z.record(z.string(), mediaTypeObject),
    })
    .optional(),
  responses: z.record(z.string().regex(/^[1-5]\d\d$/), z.union([reference, responseObject])),
});
const componentName = z.string().regex(/^[a-zA-Z0-9._-]+$/);
const openApi31 = z.strictObject({
  openapi: z.string().regex(/^3\.1\.\d+$/),
  jsonSchemaDialect: z.url(),
  info: z.strictObject({ title: z.string(), version: z.string(), description: z.string() }),
  servers: z.array(z.strictObject({ url: z.string() })),
  security: z.array(securityRequirement),
  paths: z.record(
    z.string().regex(/^\//),
    z.partialRecord(
      z.enum(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']),
      operationObject,
    ),
  ),
  components: z.strictObject({
    securitySchemes: z.record(
      componentName,
      z.discriminatedUnion('type', [
        z.strictObject({
          type: z.literal('apiKey'),
          in: z.enum(['header', 'query', 'cookie']),
          name: z.string(),
          description: z.string(),
        }),
        z.strictObject({
          type: z.literal('http'),
          scheme: z.string(),
          bearerFormat: z.string(),
          description: z.string(),
        }),
      ]),
    ),
    schemas: z.record(componentName, jsonSchemaObject),
    responses: z.record(componentName, responseObject),
    headers: z.record(componentName, headerObject),
  }),
});
type OpenApi = z.infer<typeof openApi31>;

/** Every `$ref` in the document, each with where it is. */
function references(value: unknown, at = '#'): { ref: string; at: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => references(v, `${at}/${i}`));
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key === '$ref' && typeof v === 'string' ? [{ ref: v, at }] : references(v, `${at}/${key}`),
  );
}

function resolve(ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], document);
}

const operationsOf = (doc: OpenApi) =>
  Object.entries(doc.paths).flatMap(([route, item]) =>
    Object.entries(item).map(([method, operation]) => ({ route, method, operation })),
  );

describe('the OpenAPI document', () => {
  const parsed = openApi31.safeParse(document);

  it('is an OpenAPI 3.1 document in the JSON Schema 2020-12 dialect', () => {
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(document.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('resolves every reference inside itself (none points at a schema-local $defs)', () => {
    const dangling = references(document).filter(
      ({ ref }) => !ref.startsWith('#/') || resolve(ref) === undefined,
    );
    expect(dangling).toEqual([]);
  });

  it('names each operation once, and declares each path parameter of its route', () => {
    const doc = parsed.data!;
    const ids = operationsOf(doc).map((o) => o.operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { route, operation } of operationsOf(doc)) {
      const inRoute = [...route.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = (operation.parameters ?? []).filter((p) => p.in === 'path');
      expect({ route, params: declared.map((p) => p.name).sort() }).toEqual({ route, params: inRoute });
      expect(declared.every((p) => p.required)).toBe(true);
    }
  });

  it('asks for the principal header or a bearer token on every route but the public ones', () => {
    const doc = parsed.data!;
    expect(doc.components.securitySchemes.clientPrincipal).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'x-ms-client-principal',
    });
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ clientPrincipal: [] }, { bearer: [] }]);
    const open = operationsOf(doc)
      .filter((o) => o.operation.security?.length === 0)
      .map((o) => o.operation.operationId);
    expect(open.sort()).toEqual(['apiDocsAsset', 'apiDocsPage', 'health', 'openApiDocument']);
  });

  it('describes every error code with its status, and every signed-in route answers 401 without a principal', () => {
    const doc = parsed.data!;
    for (const code of errorCodes) {
      expect(JSON.stringify(doc.components.responses[`Error${statusOf(code)}`])).toContain(`"${code}"`);
    }
    for (const { operation } of operationsOf(doc).filter((o) => o.operation.security === undefined)) {
      expect({ id: operation.operationId, has401: '401' in operation.responses }).toEqual({
        id: operation.operationId,
        has401: true,
      });
    }
  });

  it('documents the download headers and the error body a client reads', () => {
    const doc = parsed.data!;
    const download = doc.paths['/v1/exports/{export_workflow_id}/download']?.get?.responses['200'];
    expect(Object.keys((download as { headers: object }).headers).sort()).toEqual([
      'content-disposition',
      'x-content-sha256',
      'x-export-warnings',
      'x-export-workflow-id',
    ]);
    expect(doc.components.schemas.Error).toMatchObject({
      required: ['error'],
      properties: { error: { required: ['code', 'message', 'details'] } },
    });
    expect(Object.keys(doc.components.headers).sort()).toEqual([
      'content-disposition',
      'location',
      'retry-after',
      'x-content-sha256',
      'x-export-warnings',
      'x-export-workflow-id',
      'x-request-id',
    ]);
  });

  it('describes requests by the schemas the handlers validate with: the upload, its media types and query', () => {
    const doc = parsed.data!;
    const create = doc.paths['/v1/docs']?.post;
    expect(Object.keys(create?.requestBody?.content ?? {})).toEqual(
      expect.arrayContaining([
        'application/json',
        'text/csv',
        'application/pdf',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      ]),
    );
    expect(create?.parameters?.map((p) => p.name)).toEqual(['file_name', 'document_type']);
    // Input shapes: a default is optional for the caller and shown as the default.
    expect(doc.paths['/v1/docs']?.get?.parameters?.find((p) => p.name === 'limit')).toMatchObject({
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    });
  });
});

describe('the route table', () => {
  beforeAll(async () => {
    const functionsDir = path.join(root, 'functions');
    for (const file of readdirSync(functionsDir).filter((f) => f.endsWith('.ts'))) {
      await import(path.join(functionsDir, file));
    }
  });

  it('has every registered HTTP function in the document, at its route and method, and nothing else', () => {
    const registered = [...registeredFunctions().values()]
      .filter((fn) => fn.trigger.type === 'httpTrigger')
      .flatMap((fn) =>
        (fn.trigger.methods as string[]).map(
          (method) => `${method.toLowerCase()} /${String(fn.trigger.route)} ${fn.metadata.name}`,
        ),
      );
    const documented = operationsOf(openApi31.parse(document)).map(
      (o) => `${o.method} ${o.route} ${o.operation.operationId}`,
    );
    expect(registered.filter((r) => !documented.includes(r))).toEqual([]);
    expect(documented.filter((d) => !registered.includes(d))).toEqual([]);
  });

  it('is the README route table too', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const missing = Object.values(operations)
      .map((o) => `\`${o.method} /api/${o.route}\``)
      .filter((route) => !readme.includes(route));
    expect(missing).toEqual([]);
  });
});

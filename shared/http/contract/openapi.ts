import { z } from 'zod';
import { errorCodes, statusOf, type ErrorCode } from '../../core/errors';
import * as schemas from '../schemas';
import { routeId } from '../schemas';
import {
  operations,
  responseHeaders,
  type Operation,
  type OperationId,
  type ResponseSpec,
} from './operations';

/**
 * The OpenAPI 3.1 document, generated from the operations table and the zod schemas the handlers
 * validate with: nothing here is a copy. JSON Schema draft 2020-12 is OpenAPI 3.1's dialect, so
 * zod's default target is used as is; requests are described by their input shape (defaults
 * optional, coercions as strings), responses by their output shape.
 */

type JsonSchema = Record<string, unknown>;

const schemaRef = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** zod's JSON Schema without the per-schema `$schema` (the document names the dialect once). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const generated = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    // Refinements and transforms (a file name's separators, `excel` → `xlsx`) have no JSON
    // Schema: the document states the shape, the handler's 400 names what else it refused.
    unrepresentable: 'any',
    reused: 'inline',
  }) as JsonSchema;
  delete generated.$schema;
  return generated;
}

const pascal = (id: string) => id.charAt(0).toUpperCase() + id.slice(1);

/** The codes that answer with each status, for the error responses. */
function codesByStatus(codes: readonly ErrorCode[]): Map<number, ErrorCode[]> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
  return byStatus;
}

const errorHeaders: Partial<Record<number, (keyof typeof responseHeaders)[]>> = {
  500: ['x-request-id'],
  503: ['retry-after'],
};

function errorResponseObject(status: number, codes: ErrorCode[]) {
  const headers = errorHeaders[status] ?? [];
  return {
    description: `An error: \`${codes.join('`, `')}\`.`,
    ...(headers.length > 0 ? { headers: Object.fromEntries(headers.map((h) => [h, headerRef(h)])) } : {}),
    content: {
      'application/json': {
        schema: {
          allOf: [schemaRef('Error'), { properties: { error: { properties: { code: { enum: codes } } } } }],
        },
      },
    },
  };
}

const headerRef = (name: keyof typeof responseHeaders) => ({ $ref: `#/components/headers/${name}` });

function successResponse(spec: ResponseSpec) {
  const content: Record<string, { schema: JsonSchema }> = {};
  for (const type of spec.file ?? []) {
    content[type] = { schema: { type: 'string', contentMediaType: type } };
  }
  if (spec.json) {
    const own = schemaRef(componentNames().get(spec.json) as string);
    // A JSON file (phase 2 in the json format) shares the media type with the review: either.
    content['application/json'] = {
      schema: spec.file?.includes('application/json')
        ? { anyOf: [own, { type: 'object', description: 'The file (with Content-Disposition).' }] }
        : own,
    };
  }
  return {
    description: spec.description,
    ...(spec.headers?.length
      ? { headers: Object.fromEntries(spec.headers.map((h) => [h, { ...headerRef(h), required: true }])) }
      : {}),
    ...(Object.keys(content).length > 0 ? { content } : {}),
  };
}

/** Route `{name}` parameters; each is an id this API hands out (endpoint.ts checks them). */
const routeParams = (route: string) => [...route.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);

function parameters(operation: Operation) {
  const path = routeParams(operation.route).map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: jsonSchema(routeId, 'input'),
  }));
  const queryShape = operation.query ? (operation.query.shape as Record<string, z.ZodType>) : {};
  const query = Object.entries(queryShape).map(([name, schema]) => ({
    name,
    in: 'query',
    required: !schema.safeParse(undefined).success,
    schema: jsonSchema(schema, 'input'),
  }));
  return [...path, ...query];
}

function requestBody(operation: Operation) {
  const content: Record<string, { schema: JsonSchema }> = {};
  if (operation.jsonBody)
    content['application/json'] = { schema: schemaRef(componentNames().get(operation.jsonBody) as string) };
  for (const type of operation.uploads ?? []) {
    if (type === 'application/json' && content[type]) continue;
    content[type] = { schema: { type: 'string', contentMediaType: type } };
  }
  if (Object.keys(content).length === 0) return undefined;
  return {
    required: true,
    description: operation.uploads
      ? 'JSON with `extracted_data`, or (with `?file_name=`) the file itself in its media type; a JSON file is told apart from a JSON body by `?file_name=`.'
      : undefined,
    content,
  };
}

function operationObject(operationId: OperationId, operation: Operation) {
  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(operation.responses)) {
    responses[status] = successResponse(spec);
  }
  for (const [status] of [...codesByStatus(operation.errors)].sort(([a], [b]) => a - b)) {
    responses[String(status)] = { $ref: `#/components/responses/Error${status}` };
  }
  const body = requestBody(operation);
  const params = parameters(operation);
  return {
    operationId,
    summary: operation.summary,
    tags: [tagOf(operation.route)],
    ...(operation.anonymous ? { security: [] } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    responses,
  };
}

function tagOf(route: string): string {
  const segment = route.split('/')[1] ?? route;
  return segment.replace(/\..*$/, '');
}

let names: Map<z.ZodType, string> | undefined;

/** Each request and JSON response schema's component name: the first operation using it names it. */
function componentNames(): Map<z.ZodType, string> {
  if (names) return names;
  // A response shape is named after its export in schemas.ts: `documentResponse` → `Document`.
  names = new Map(
    Object.entries(schemas)
      .filter(([name, value]) => name.endsWith('Response') && value instanceof z.ZodType)
      .map(([name, value]) => [value as z.ZodType, pascal(name.replace(/Response$/, ''))]),
  );
  for (const [operationId, operation] of Object.entries(operations) as [OperationId, Operation][]) {
    if (operation.jsonBody && !names.has(operation.jsonBody))
      names.set(operation.jsonBody, `${pascal(operationId)}Request`);
    for (const [status, spec] of Object.entries(operation.responses)) {
      if (spec.json && !names.has(spec.json)) names.set(spec.json, `${pascal(operationId)}${status}`);
    }
  }
  return names;
}

/** Component schemas: each operation's request and JSON responses, and the error body. */
function componentSchemas(): Record<string, JsonSchema> {
  const requests = new Set<z.ZodType>(Object.values(operations).flatMap((o: Operation) => o.jsonBody ?? []));
  const schemas: Record<string, JsonSchema> = {};
  for (const [schema, name] of componentNames()) {
    schemas[name] = jsonSchema(schema, requests.has(schema) ? 'input' : 'output');
  }
  return hoistDefinitions(schemas);
}

/**
 * zod puts recursive schemas (a JSON value) in the schema's own `$defs`, referred to as
 * `#/$defs/...`; inside an OpenAPI document `#` is the document, so each definition moves to
 * the components (once, however many schemas use it) and its references follow.
 */
function hoistDefinitions(schemas: Record<string, JsonSchema>): Record<string, JsonSchema> {
  // At the root, z.json() refers to itself as `#`: nested, it is a definition like the others.
  const jsonValue = canonical(jsonSchema(z.object({ value: z.json() }), 'output'));
  const nameOf = new Map<string, string>();
  const hoisted: Record<string, JsonSchema> = {};
  const result: Record<string, JsonSchema> = {};
  for (const [component, schema] of Object.entries(schemas)) {
    const { $defs, ...rest } = schema as JsonSchema & { $defs?: Record<string, JsonSchema> };
    let text = JSON.stringify(rest);
    for (const [local, definition] of Object.entries($defs ?? {})) {
      const form = canonical({ $defs: { [local]: definition } }, local);
      if (form.includes('#/$defs/'))
        throw new Error(`${component}: a definition refers to another; hoistDefinitions cannot place it.`);
      let name = nameOf.get(form);
      if (!name) {
        name = form === jsonValue ? 'JsonValue' : `${component}Definition${nameOf.size + 1}`;
        nameOf.set(form, name);
        hoisted[name] = JSON.parse(
          form.replaceAll('"#self"', `"#/components/schemas/${name}"`),
        ) as JsonSchema;
      }
      text = text.replaceAll(`"#/$defs/${local}"`, `"#/components/schemas/${name}"`);
    }
    result[component] = JSON.parse(text) as JsonSchema;
  }
  return { ...result, ...hoisted };
}

/** A definition with its references to itself made name-independent, to compare definitions. */
function canonical(schema: JsonSchema, local?: string): string {
  if (local === undefined) {
    const { $defs } = schema as { $defs?: Record<string, JsonSchema> };
    const [name, definition] = Object.entries($defs ?? {})[0] ?? [];
    if (!name || !definition) throw new Error('z.json() has no recursive definition any more.');
    return canonical({ $defs: { [name]: definition } }, name);
  }
  const definition = (schema.$defs as Record<string, JsonSchema>)[local];
  return JSON.stringify(definition).replaceAll(`"#/$defs/${local}"`, '"#self"');
}

function componentResponses() {
  return Object.fromEntries(
    [...codesByStatus(errorCodes)].map(([status, codes]) => [
      `Error${status}`,
      errorResponseObject(status, codes),
    ]),
  );
}

let built: JsonSchema | undefined;

/** The OpenAPI 3.1 document (built once: it depends on nothing but the code). */
export function openApiDocument(): JsonSchema {
  built ??= {
    openapi: '3.1.1',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'exportrail API',
      version: '1',
      description:
        'Documents in, data extracted, exports through a recorded three-stage workflow, bulk export jobs and scheduled exports. Every error is JSON `{"error": {"code", "message", "details"}}`; the owner of every record is the caller\'s principal, never a body or query field.',
    },
    servers: [{ url: '/api' }],
    security: [{ clientPrincipal: [] }, { bearer: [] }],
    paths: paths(),
    components: {
      securitySchemes: {
        clientPrincipal: {
          type: 'apiKey',
          in: 'header',
          name: 'x-ms-client-principal',
          description:
            'The App Service Authentication (EasyAuth) principal: base64 JSON `{auth_typ, name_typ, role_typ, claims: [{typ, val}]}`. The e-mail is the first of the claims `emails`, `email`, `preferred_username`, `http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress`, else `x-ms-client-principal-name`. In Azure, EasyAuth sets it (and strips any the client sent); the local host reads it from the request.',
        },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'An Entra ID access token for the app, in Azure: EasyAuth validates it and passes the caller on as `x-ms-client-principal`. The local host does not validate tokens: send the principal header there.',
        },
      },
      schemas: componentSchemas(),
      responses: componentResponses(),
      headers: Object.fromEntries(
        Object.entries(responseHeaders).map(([name, description]) => [
          name,
          {
            description,
            schema: name === 'x-export-warnings' ? { type: 'integer', minimum: 0 } : { type: 'string' },
          },
        ]),
      ),
    },
  };
  return built;
}

function paths() {
  const byPath: Record<string, Record<string, unknown>> = {};
  for (const [operationId, operation] of Object.entries(operations) as [OperationId, Operation][]) {
    const path = `/${operation.route}`;
    byPath[path] = {
      ...byPath[path],
      [operation.method.toLowerCase()]: operationObject(operationId, operation),
    };
  }
  return byPath;
}

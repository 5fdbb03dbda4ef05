/**
 * Turns the server's OpenAPI 3.1 document into TypeScript declarations: one type per component schema
 * and one entry per operation (`"GET /api/domains/{id}"`) with its path, query and header parameters,
 * request body and success response. Pure (no I/O) so it is unit-tested on small documents; the
 * `generate:client` script feeds it the live document.
 */

/** The subset of JSON Schema the server's zod-openapi output uses. */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  nullable?: boolean;
  description?: string;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}

interface Operation {
  summary?: string;
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}

/** The parts of an OpenAPI document the generator reads. */
export interface OpenApiDocument {
  openapi: string;
  paths?: Record<string, Partial<Record<string, Operation>>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function propertyName(name: string): string {
  return identifier.test(name) ? name : JSON.stringify(name);
}

function indent(text: string, depth: number): string {
  return text.replaceAll('\n', `\n${'  '.repeat(depth)}`);
}

/** The TypeScript type for one schema; `$ref`s become the names of the component types. */
export function schemaToType(schema: JsonSchema | undefined): string {
  if (schema === undefined) return 'unknown';
  if (schema.$ref !== undefined) {
    const match = /^#\/components\/schemas\/(.+)$/.exec(schema.$ref);
    if (match?.[1] === undefined) throw new Error(`Unsupported $ref "${schema.$ref}" (only #/components/schemas/* is resolved).`);
    return typeName(match[1]);
  }
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum !== undefined) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (schema.allOf !== undefined) return schema.allOf.map((part) => wrap(schemaToType(part))).join(' & ');
  const union = schema.anyOf ?? schema.oneOf;
  if (union !== undefined) return [...new Set(union.map((part) => wrap(schemaToType(part))))].join(' | ');
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.length === 0 && schema.properties !== undefined) types.push('object');
  const parts = types.map((type) => singleType(type, schema));
  if (schema.nullable === true) parts.push('null');
  return parts.length === 0 ? 'unknown' : [...new Set(parts)].join(' | ');
}

function wrap(type: string): string {
  return type.includes(' | ') || type.includes(' & ') ? `(${type})` : type;
}

function singleType(type: string, schema: JsonSchema): string {
  switch (type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return `Array<${schemaToType(schema.items)}>`;
    case 'object':
      return objectType(schema);
    default:
      throw new Error(`Unsupported JSON Schema type "${type}".`);
  }
}

function objectType(schema: JsonSchema): string {
  const required = new Set(schema.required ?? []);
  const lines = Object.entries(schema.properties ?? {}).map(
    ([name, property]) => `${docComment(property.description)}${propertyName(name)}${required.has(name) ? '' : '?'}: ${schemaToType(property)};`,
  );
  if (schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
    lines.push(`[key: string]: ${schema.additionalProperties === true ? 'unknown' : schemaToType(schema.additionalProperties)};`);
  }
  if (lines.length === 0) return 'Record<string, never>';
  return `{\n  ${lines.map((line) => indent(line, 1)).join('\n  ')}\n}`;
}

function docComment(text: string | undefined): string {
  return text === undefined || text === '' ? '' : `/** ${text.replaceAll('*/', '*\\/').replaceAll('\n', ' ')} */\n`;
}

/** The exported name of a component schema (already PascalCase on our server; made safe otherwise). */
export function typeName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_$]/g, '_');
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

function parametersType(parameters: Parameter[], where: Parameter['in']): string | undefined {
  const selected = parameters.filter((parameter) => parameter.in === where);
  if (selected.length === 0) return undefined;
  return objectType({
    type: 'object',
    properties: Object.fromEntries(selected.map((parameter) => [parameter.name, parameter.schema ?? {}])),
    required: selected.filter((parameter) => parameter.required === true || where === 'path').map((parameter) => parameter.name),
  });
}

function jsonSchemaOf(content: Record<string, { schema?: JsonSchema }> | undefined): JsonSchema | undefined {
  if (content === undefined) return undefined;
  const entry = Object.entries(content).find(([type]) => type === 'application/json' || type.endsWith('+json'));
  return entry?.[1].schema;
}

function operationType(operation: Operation): string {
  const parameters = operation.parameters ?? [];
  const members: string[] = [];
  const path = parametersType(parameters, 'path');
  const query = parametersType(parameters, 'query');
  const headers = parametersType(parameters, 'header');
  if (path !== undefined) members.push(`path: ${path};`);
  if (query !== undefined) members.push(`query${parameters.some((p) => p.in === 'query' && p.required === true) ? '' : '?'}: ${query};`);
  if (headers !== undefined) members.push(`headers${parameters.some((p) => p.in === 'header' && p.required === true) ? '' : '?'}: ${headers};`);
  const body = jsonSchemaOf(operation.requestBody?.content);
  if (body !== undefined) members.push(`body${operation.requestBody?.required === true ? '' : '?'}: ${schemaToType(body)};`);
  const success = Object.entries(operation.responses ?? {})
    .filter(([status]) => /^2[0-9][0-9]$/.test(status))
    .sort(([a], [b]) => a.localeCompare(b));
  const responseTypes = success.map(([, response]) => {
    const schema = jsonSchemaOf(response.content);
    return schema === undefined ? 'void' : schemaToType(schema);
  });
  members.push(`response: ${responseTypes.length === 0 ? 'void' : [...new Set(responseTypes)].join(' | ')};`);
  return `{\n  ${members.map((line) => indent(line, 1)).join('\n  ')}\n}`;
}

/**
 * The whole generated module: a header naming its source, the component types, and the `Operations`
 * map keyed by `"METHOD /path"`. Deterministic (sorted) so the staleness test can compare text.
 */
export function openApiToTypeScript(document: OpenApiDocument, source: string): string {
  if (typeof document.openapi !== 'string' || !document.openapi.startsWith('3.')) {
    throw new Error(`Expected an OpenAPI 3.x document, got openapi: ${JSON.stringify(document.openapi)}.`);
  }
  const out: string[] = [
    `// Generated by \`npm run generate:client\` from ${source}. Do not edit: regenerate instead.`,
    '',
  ];
  const schemas = document.components?.schemas ?? {};
  for (const name of Object.keys(schemas).sort()) {
    const schema = schemas[name] ?? {};
    out.push(`/** ${schema.description ?? `The \`${name}\` schema of the Meshboard API.`} */`);
    out.push(`export type ${typeName(name)} = ${schemaToType(schema)};`, '');
  }
  out.push('/** Every operation of the API, keyed by `"METHOD /path"`: its parameters, body and success response. */');
  out.push('export interface Operations {');
  const keys: string[] = [];
  for (const path of Object.keys(document.paths ?? {}).sort()) {
    const item = document.paths?.[path] ?? {};
    for (const method of methods) {
      const operation = item[method];
      if (operation === undefined) continue;
      const key = `${method.toUpperCase()} ${path}`;
      keys.push(key);
      out.push(`  ${docComment(operation.summary)}${JSON.stringify(key)}: ${indent(operationType(operation), 1)};`.replace(/\*\/\n/, '*/\n  '));
    }
  }
  out.push('}', '');
  out.push('/** The keys of {@link Operations}, for run-time checks and listings. */');
  out.push(`export const operationKeys = ${JSON.stringify(keys, null, 2)} as const;`, '');
  return out.join('\n');
}

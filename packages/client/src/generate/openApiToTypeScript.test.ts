import { describe, expect, it } from 'vitest';
import { openApiToTypeScript, schemaToType, type OpenApiDocument } from './openApiToTypeScript';

const valid: OpenApiDocument = {
  openapi: '3.1.0',
  components: {
    schemas: {
      Thing: { type: 'object', properties: { id: { type: 'string' }, note: { type: ['string', 'null'] } }, required: ['id', 'note'] },
    },
  },
  paths: {
    '/api/things/{id}': {
      get: {
        summary: 'Read a thing',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
          { name: 'limit', in: 'query', schema: { type: 'integer' } },
        ],
        responses: { '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } } },
      },
      delete: { responses: { '204': {} } },
    },
  },
};

describe('openApiToTypeScript', () => {
  it('writes a type per schema and an operation entry with parameters and response', () => {
    const text = openApiToTypeScript(valid, 'test');
    expect(text).toContain('export type Thing = {\n  id: string;\n  note: string | null;\n};');
    expect(text).toContain('"GET /api/things/{id}": {\n    path: {\n      id: string;\n    };\n    query?: {\n      limit?: number;\n    };\n    response: Thing;\n  };');
    expect(text).toContain('"DELETE /api/things/{id}": {\n    response: void;\n  };');
    expect(text).toContain('export const operationKeys = [\n  "GET /api/things/{id}",\n  "DELETE /api/things/{id}"\n] as const;');
  });

  it('refuses a document that is not OpenAPI 3', () => {
    expect(() => openApiToTypeScript({ ...valid, openapi: '2.0' }, 'test')).toThrow('Expected an OpenAPI 3.x document, got openapi: "2.0".');
  });

  it('refuses a $ref outside components/schemas', () => {
    expect(() => schemaToType({ $ref: 'other.json#/Thing' })).toThrow('Unsupported $ref "other.json#/Thing"');
  });

  it('refuses an unknown type', () => {
    expect(() => schemaToType({ type: 'date' })).toThrow('Unsupported JSON Schema type "date".');
  });

  it('maps enums, unions, intersections, maps and quoted property names', () => {
    expect(schemaToType({ enum: ['a', 'b'] })).toBe('"a" | "b"');
    expect(schemaToType({ anyOf: [{ type: 'string' }, { type: 'integer' }] })).toBe('string | number');
    expect(schemaToType({ allOf: [{ $ref: '#/components/schemas/A' }, { $ref: '#/components/schemas/B' }] })).toBe('A & B');
    expect(schemaToType({ type: 'object', additionalProperties: { type: 'boolean' } })).toBe('{\n  [key: string]: boolean;\n}');
    expect(schemaToType({ type: 'object', properties: { 'content-type': { type: 'string' } } })).toBe('{\n  "content-type"?: string;\n}');
    expect(schemaToType({ type: 'array', items: { type: 'string' }, nullable: true })).toBe('Array<string> | null');
  });
});

import { describe, expect, it } from 'vitest';
import { readSource } from './SourceDocument';

describe('readSource', () => {
  it('reads YAML with positions for every pointer', () => {
    const doc = readSource('c.yaml', 'a: 1\nschema:\n  - name: orders\n    properties:\n      - name: id\n');
    expect(doc.problems).toEqual([]);
    expect(doc.value).toEqual({ a: 1, schema: [{ name: 'orders', properties: [{ name: 'id' }] }] });
    expect(doc.locate('/schema/0/properties/0/name')).toEqual({ line: 5, column: 15 });
    expect(doc.has('/schema/0/name')).toBe(true);
    expect(doc.has('/schema/0/missing')).toBe(false);
    // A missing member is located at its nearest ancestor.
    expect(doc.locate('/schema/0/missing')).toEqual({ line: 3, column: 5 });
  });

  it('keeps dates as strings (YAML 1.2 core, no timestamp inference)', () => {
    expect(readSource('x', 'd: 2024-01-01\n').value).toEqual({ d: '2024-01-01' });
  });

  it('reads JSON', () => {
    const doc = readSource('x.json', '{\n  "a": [1, {"b": true}]\n}');
    expect(doc.value).toEqual({ a: [1, { b: true }] });
    expect(doc.locate('/a/1/b')).toEqual({ line: 2, column: 18 });
  });

  it('reports a duplicate key at the second occurrence', () => {
    const doc = readSource('x', 'a: 1\nb: 2\na: 3\n');
    expect(doc.value).toBeUndefined();
    expect(doc.problems).toMatchObject([{ rule: 'syntax/duplicate-key', line: 3, column: 1 }]);
  });

  it('stops a YAML bomb', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    ].join('\n');
    const doc = readSource('bomb.yaml', bomb);
    expect(doc.value).toBeUndefined();
    expect(doc.problems[0]?.rule).toBe('syntax/alias-limit');
  });

  it('refuses deep flow nesting before the parser recurses', () => {
    const doc = readSource('deep.yaml', `a: ${'['.repeat(100_000)}`);
    expect(doc.problems[0]).toMatchObject({ rule: 'syntax/too-deep', line: 1 });
  });

  it('refuses deep block nesting', () => {
    let text = '';
    for (let i = 0; i < 2000; i++) text += `${' '.repeat(i)}k:\n`;
    expect(readSource('deep.yaml', text).problems[0]?.rule).toBe('syntax/too-deep');
  });

  it('refuses binary content with its position', () => {
    const doc = readSource('x.bin', 'ab\ncd\u0000ef');
    expect(doc.problems[0]).toMatchObject({ rule: 'syntax/binary', line: 2, column: 3 });
  });

  it('refuses text beyond the size limit without parsing it', () => {
    expect(readSource('x', 'a: 1\n'.repeat(10), { maxLength: 20 }).problems[0]?.rule).toBe('syntax/too-large');
  });

  it('reports a syntax error with its position', () => {
    const doc = readSource('x', 'a: [1, 2\nb: 3\n');
    expect(doc.value).toBeUndefined();
    expect(doc.problems[0]?.rule).toBe('syntax/yaml');
    expect(doc.problems[0]?.line).toBeGreaterThanOrEqual(1);
  });
});

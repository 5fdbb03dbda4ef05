import { describe, expect, it } from 'vitest';
import { plainJsonValue } from './plainJson';
import { readSource } from './SourceDocument';

const generated = JSON.stringify(
  { apiVersion: 'v3.1.0', id: 'x', 'quote"key': 'a,{"b": 1}', schema: [{ name: 'o', properties: [{ name: 'id', n: 1.5e3, ok: true, none: null }, { name: 'id2' }] }], empty: {}, list: [] },
  null,
  2,
);

describe('plainJsonValue (the JSON fast path of readSource)', () => {
  it('reads generated JSON to the value the YAML reader reads, positions included', () => {
    expect(plainJsonValue(generated)).toEqual({ value: JSON.parse(generated) });
    const fast = readSource('c.json', generated);
    // A leading comment makes the text YAML-only: the reader's own path, one line further down.
    const slow = readSource('c.yaml', `# generated\n${generated}`);
    expect(fast.problems).toEqual([]);
    expect(fast.value).toEqual(slow.value);
    const { line, column } = slow.locate('/schema/0/properties/1/name');
    expect(fast.locate('/schema/0/properties/1/name')).toEqual({ line: line - 1, column });
    expect(fast.has('/schema/0/properties/0/ok')).toBe(true);
    expect(fast.has('/schema/0/missing')).toBe(false);
  });

  it('leaves a repeated key to the YAML reader, which reports it', () => {
    expect(plainJsonValue('{"a": 1, "b": {"a": 2}, "a": 3}')).toBeUndefined();
    expect(plainJsonValue('{"a": 1, "\\u0061": 2}')).toBeUndefined();
    expect(plainJsonValue('[{"a": 1}, {"a": 2}]')).toEqual({ value: [{ a: 1 }, { a: 2 }] });
    expect(readSource('x.json', '{\n  "a": 1,\n  "a": 2\n}').problems).toMatchObject([{ rule: 'syntax/duplicate-key', line: 3 }]);
  });

  it('leaves everything that is not one plain JSON collection to the YAML reader', () => {
    expect(plainJsonValue('a: 1\n')).toBeUndefined();
    expect(plainJsonValue('{"a": 1,}')).toBeUndefined();
    expect(plainJsonValue('"just a string"')).toBeUndefined();
    expect(plainJsonValue(`{"${'k'.repeat(1001)}": 1}`)).toBeUndefined();
    expect(readSource('x.json', '{"a": 1,}').value).toEqual({ a: 1 });
  });
});

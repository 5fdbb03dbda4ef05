/** A place in a source file; lines and columns count from 1. */
export interface Position {
  line: number;
  column: number;
}

/**
 * One thing wrong with a document, located three ways: the JSON pointer into the parsed value (RFC
 * 6901), the line and column in the source text, and a stable `rule` id (e.g. `schema/enum`,
 * `syntax/duplicate-key`, `semantic/unique-id`). The message is written for a person.
 */
export interface Problem {
  pointer: string;
  line: number;
  column: number;
  message: string;
  rule: string;
  severity: 'error' | 'warning';
}

/** Builds an RFC 6901 JSON pointer from path segments. */
export function toPointer(path: readonly (string | number)[]): string {
  return path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Splits an RFC 6901 JSON pointer into its segments (numbers stay strings). */
export function fromPointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

import { Document } from 'yaml';
import { quoteAmbiguousStrings } from './quoteAmbiguousStrings';

/** Stringify options shared by every YAML Meshboard writes: no line folding, two-space indentation. */
export const yamlWriteOptions = { lineWidth: 0, indent: 2, indentSeq: true } as const;

/**
 * Writes a new document (a plain value, e.g. a scaffolded contract) as YAML 1.2 that reads back to the same
 * value with the same key order in YAML 1.2 core and YAML 1.1 readers: strings that look like dates,
 * numbers, booleans or null are quoted. `undefined` members are left out, as in JSON.
 */
export function toYaml(value: unknown): string {
  const document = new Document(value, { schema: 'core', keepUndefined: false });
  quoteAmbiguousStrings(document);
  return document.toString(yamlWriteOptions);
}

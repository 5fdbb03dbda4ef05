import { parseDocument, type Document } from 'yaml';
import { readSource, type ReadLimits, type SourceDocument } from './SourceDocument';

/** A read document together with its YAML syntax tree, which keeps key order, comments and styles. */
export interface EditableSource {
  source: SourceDocument;
  /** The parsed YAML document to edit and write back; `undefined` when the text has problems. */
  document: Document.Parsed | undefined;
}

/**
 * Reads a YAML or JSON text for editing: `source` is exactly what `readSource` returns (same limits and
 * problems); `document` is the YAML 1.2 core syntax tree, given only when reading raised no error, so
 * hostile input never reaches the editor. Write it back with `writeDocument`.
 */
export function readEditableSource(path: string, text: string, limits: ReadLimits = {}): EditableSource {
  const source = readSource(path, text, limits);
  if (source.value === undefined || source.problems.some((problem) => problem.severity === 'error')) {
    return { source, document: undefined };
  }
  const document = parseDocument(text, { schema: 'core', uniqueKeys: true, strict: true, prettyErrors: false, keepSourceTokens: false });
  return { source, document: document.errors.length === 0 ? document : undefined };
}

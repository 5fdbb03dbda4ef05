/**
 * Physical column types as a small tree shared by every connector, so type conformance
 * (logicalType vs physical type, nested struct fields and array elements) is decided in one place.
 */

/** A scalar family, or a nested type with its parts. `name` is the source's own spelling. */
export type PhysicalType =
  | { kind: 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'timestamp' | 'time' | 'binary' | 'other'; name: string }
  | { kind: 'struct'; name: string; fields: { name: string; type: PhysicalType }[] }
  | { kind: 'list'; name: string; element: PhysicalType }
  | { kind: 'map'; name: string; key: PhysicalType; value: PhysicalType };

const scalarFamilies: [RegExp, PhysicalType['kind']][] = [
  [/^(VARCHAR|CHAR|BPCHAR|TEXT|STRING|UUID|JSONB|JSON|ENUM|XML|INET|CIDR|CHARACTER VARYING|CHARACTER|NAME|CITEXT)\b/, 'string'],
  [/^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|INT[1248]|LONG|SHORT)\b/, 'integer'],
  [/^(FLOAT|DOUBLE|REAL|DECIMAL|NUMERIC|FLOAT[48]|DOUBLE PRECISION)\b/, 'number'],
  [/^(BOOLEAN|BOOL)\b/, 'boolean'],
  [/^DATE\b/, 'date'],
  [/^(TIMESTAMP|DATETIME|TIMESTAMPTZ)/, 'timestamp'],
  [/^(TIME|TIMETZ)\b/, 'time'],
  [/^(BLOB|BYTEA|BINARY|VARBINARY|BIT)\b/, 'binary'],
];

/** Classifies a scalar type name (DuckDB or PostgreSQL spelling) into its family. */
export function scalarType(name: string): PhysicalType {
  const upper = name.trim().toUpperCase();
  for (const [pattern, kind] of scalarFamilies) if (pattern.test(upper)) return { kind, name } as PhysicalType;
  return { kind: 'other', name };
}

/** Parses a DuckDB type string (`STRUCT(a INTEGER, "b c" VARCHAR[])`, `MAP(VARCHAR, INTEGER)`, `DECIMAL(10,2)`). */
export function parseDuckDbType(text: string): PhysicalType {
  let pos = 0;
  const skip = (): void => {
    while (pos < text.length && /\s/.test(text[pos] ?? '')) pos++;
  };
  const readName = (): string => {
    skip();
    if (text[pos] === '"') {
      let out = '';
      pos++;
      while (pos < text.length) {
        if (text[pos] === '"' && text[pos + 1] === '"') {
          out += '"';
          pos += 2;
        } else if (text[pos] === '"') {
          pos++;
          break;
        } else out += text[pos++];
      }
      return out;
    }
    const start = pos;
    while (pos < text.length && !/[\s,()[\]]/.test(text[pos] ?? '')) pos++;
    return text.slice(start, pos);
  };
  const parseType = (): PhysicalType => {
    skip();
    const start = pos;
    // A type name may be several words (TIMESTAMP WITH TIME ZONE) and carry (args).
    while (pos < text.length && !/[,()[\]]/.test(text[pos] ?? '')) pos++;
    const head = text.slice(start, pos).trim();
    const upper = head.toUpperCase();
    let type: PhysicalType;
    if ((upper === 'STRUCT' || upper === 'ROW') && text[pos] === '(') {
      pos++;
      const fields: { name: string; type: PhysicalType }[] = [];
      for (;;) {
        skip();
        if (text[pos] === ')') break;
        const name = readName();
        const fieldType = parseType();
        fields.push({ name, type: fieldType });
        skip();
        if (text[pos] === ',') pos++;
        else break;
      }
      skip();
      if (text[pos] === ')') pos++;
      type = { kind: 'struct', name: text.slice(start, pos).trim(), fields };
    } else if (upper === 'MAP' && text[pos] === '(') {
      pos++;
      const key = parseType();
      skip();
      if (text[pos] === ',') pos++;
      const value = parseType();
      skip();
      if (text[pos] === ')') pos++;
      type = { kind: 'map', name: text.slice(start, pos).trim(), key, value };
    } else {
      if (text[pos] === '(') {
        let depth = 0;
        do {
          if (text[pos] === '(') depth++;
          if (text[pos] === ')') depth--;
          pos++;
        } while (pos < text.length && depth > 0);
      }
      type = scalarType(text.slice(start, pos).trim());
    }
    while (text[pos] === '[') {
      while (pos < text.length && text[pos] !== ']') pos++;
      pos++;
      type = { kind: 'list', name: text.slice(start, pos).trim(), element: type };
    }
    return type;
  };
  return parseType();
}

/** Names of the logical type family a physical type belongs to, for messages ("expected 'integer' but got 'string'"). */
export function familyName(type: PhysicalType): string {
  switch (type.kind) {
    case 'struct':
    case 'map':
      return 'object';
    case 'list':
      return 'array';
    case 'other':
      return type.name;
    default:
      return type.kind;
  }
}

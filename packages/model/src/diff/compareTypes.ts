/** How a type moved between two versions: values of the old type still fit the new one only when widened. */
export type TypeMove = 'same' | 'widened' | 'narrowed' | 'changed';

/** Logical type pairs (old → new) where every old value is still a valid new value. */
const logicalWidenings = new Set(['integer→number', 'date→timestamp']);

/** Compares ODCS `logicalType`s: integer → number widens; number → integer narrows; others change. */
export function compareLogicalTypes(before: string, after: string): TypeMove {
  const a = before.trim().toLowerCase();
  const b = after.trim().toLowerCase();
  if (a === b) return 'same';
  if (logicalWidenings.has(`${a}→${b}`)) return 'widened';
  if (logicalWidenings.has(`${b}→${a}`)) return 'narrowed';
  return 'changed';
}

/** Integer-like physical types from smallest to largest range; synonyms share a rank. */
const integerRank: Record<string, number> = {
  tinyint: 1, byteint: 1, int1: 1,
  smallint: 2, int2: 2, short: 2,
  mediumint: 3,
  int: 4, integer: 4, int4: 4,
  bigint: 5, int8: 5, long: 5,
  hugeint: 6, int128: 6,
};
const floatRank: Record<string, number> = { real: 1, float4: 1, float: 2, float8: 2, double: 2, 'double precision': 2 };
const stringRank: Record<string, number> = { char: 1, character: 1, nchar: 1, varchar: 2, 'character varying': 2, nvarchar: 2, varchar2: 2, string: 3, text: 3 };

interface PhysicalType {
  base: string;
  args: number[];
}

function parsePhysical(text: string): PhysicalType | undefined {
  const match = /^\s*([a-z][a-z0-9 _]*?)\s*(?:\(\s*([\d\s,]*)\s*\))?\s*$/i.exec(text);
  if (match === null) return undefined;
  const [, base = '', args] = match;
  const numbers = args === undefined || args.trim() === '' ? [] : args.split(',').map((part) => Number(part.trim()));
  if (numbers.some((n) => !Number.isFinite(n))) return undefined;
  return { base: base.toLowerCase().replace(/\s+/g, ' '), args: numbers };
}

function byRank(a: number, b: number): TypeMove {
  return a === b ? 'same' : a < b ? 'widened' : 'narrowed';
}

/**
 * Compares physical types the way a consumer's target column would see them: larger integer or float
 * ranks, longer `varchar(n)`, `char(n)` → `varchar(m ≥ n)` → `text`, and `decimal(p,s)` keeping at least
 * as many integer and fraction digits widen; the reverse narrows; anything unrelated changes.
 */
export function comparePhysicalTypes(before: string, after: string): TypeMove {
  if (before.trim().toLowerCase() === after.trim().toLowerCase()) return 'same';
  const a = parsePhysical(before);
  const b = parsePhysical(after);
  if (a === undefined || b === undefined) return 'changed';
  const ia = integerRank[a.base];
  const ib = integerRank[b.base];
  if (ia !== undefined && ib !== undefined) return byRank(ia, ib);
  const fa = floatRank[a.base];
  const fb = floatRank[b.base];
  if (fa !== undefined && fb !== undefined) return byRank(fa, fb);
  // An integer fits in a floating type (within 2^53 for doubles) and a decimal with enough digits: widening.
  if (ia !== undefined && fb !== undefined) return 'widened';
  if (fa !== undefined && ib !== undefined) return 'narrowed';
  const sa = stringRank[a.base];
  const sb = stringRank[b.base];
  if (sa !== undefined && sb !== undefined) return compareStrings(sa, a.args[0], sb, b.args[0]);
  const decimals = new Set(['decimal', 'numeric', 'number', 'dec']);
  if (decimals.has(a.base) && decimals.has(b.base)) return compareDecimals(a.args, b.args);
  return 'changed';
}

function compareStrings(rankA: number, lengthA: number | undefined, rankB: number, lengthB: number | undefined): TypeMove {
  // No length means unbounded (text, or varchar without a limit).
  const la = lengthA ?? Infinity;
  const lb = lengthB ?? Infinity;
  const length = byRank(la, lb);
  // char(n) pads to n; varchar(n) does not: moving char → varchar widens, varchar → char narrows.
  const kind = rankA === 1 && rankB !== 1 ? 'widened' : rankB === 1 && rankA !== 1 ? 'narrowed' : 'same';
  if (length === 'same') return kind;
  if (kind === 'same' || kind === length) return length;
  return 'changed';
}

function compareDecimals(a: number[], b: number[]): TypeMove {
  // decimal without arguments: the engine default (commonly 18,0 or unbounded); treat unknown as changed.
  const [pa, sa = 0] = a;
  const [pb, sb = 0] = b;
  if (pa === undefined || pb === undefined) return a.length === b.length ? 'same' : 'changed';
  const integerDigits = byRank(pa - sa, pb - sb);
  const fractionDigits = byRank(sa, sb);
  if (integerDigits === fractionDigits) return integerDigits;
  if (integerDigits === 'same') return fractionDigits;
  if (fractionDigits === 'same') return integerDigits;
  return 'changed';
}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseOdcsContract, type SchemaProperty } from '../odcs/OdcsContract';
import { dcsToOdcs, isDcsDocument } from './dcs';

const peer = fileURLToPath(new URL('../../../../../shared/conformance/datacontract-cli/tests/fixtures/', import.meta.url));
const read = (path: string): Record<string, unknown> => parse(readFileSync(`${peer}${path}`, 'utf8')) as Record<string, unknown>;

describe('DCS → ODCS', () => {
  it('recognises DCS documents by dataContractSpecification', () => {
    expect(isDcsDocument(read('diagnostics/datacontract.yaml'))).toBe(true);
    expect(isDcsDocument({ apiVersion: 'v3.1.0', kind: 'DataContract' })).toBe(false);
  });

  it('converts info, servers, models and field constraints', () => {
    const { odcs, notes } = dcsToOdcs(read('diagnostics/datacontract.yaml'));
    expect(notes).toEqual([]);
    expect(odcs).toMatchObject({ apiVersion: 'v3.1.0', kind: 'DataContract', id: 'diagnostics_test', version: '1.0.0', status: 'active' });
    expect(odcs.servers).toEqual([{ server: 'local', type: 'local', path: './fixtures/diagnostics/data/orders.csv', format: 'csv' }]);
    const parsed = parseOdcsContract(odcs);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const email = parsed.contract.schema?.[0]?.properties?.find((p) => p.name === 'email');
    expect(email).toMatchObject({ logicalType: 'string', required: true, logicalTypeOptions: { minLength: 5, maxLength: 20, pattern: '^.+@.+$' } });
  });

  it('maps nested types and leaves types without an ODCS logical type (bytes, map) physical only', () => {
    const { odcs } = dcsToOdcs(read('parquet/datacontract.yaml'));
    const parsed = parseOdcsContract(odcs);
    if (!parsed.ok) throw new Error('not parsed');
    const props = Object.fromEntries((parsed.contract.schema?.[0]?.properties ?? []).map((p) => [p.name, p]));
    expect(props.array_field).toMatchObject({ logicalType: 'array', items: { logicalType: 'integer' } });
    expect(props.struct_field?.properties?.map((p: SchemaProperty) => p.logicalType)).toEqual(['integer', 'string']);
    expect(props.blob_field).toEqual(expect.objectContaining({ physicalType: 'bytes' }));
    expect(props.blob_field?.logicalType).toBeUndefined();
    expect(props.map_field?.logicalType).toBeUndefined();
    expect(props.timestamp_field?.logicalType).toBe('timestamp');
  });

  it('carries quality rules, renaming {model} to {object}', () => {
    const { odcs } = dcsToOdcs(read('quality/datacontract.yaml'));
    const parsed = parseOdcsContract(odcs);
    if (!parsed.ok) throw new Error('not parsed');
    const object = parsed.contract.schema?.[0];
    expect(object?.quality?.[1]?.query).toContain('FROM {object}');
    expect(object?.properties?.[0]?.quality?.[0]).toMatchObject({ type: 'library', metric: 'missingValues', arguments: { missingValues: [null, '', 'N/A'] } });
  });

  it('turns enum into an invalidValues rule and pii into a PII classification', () => {
    const { odcs } = dcsToOdcs({ dataContractSpecification: '1.2.1', id: 'x', info: { version: '1' }, models: { m: { fields: { f: { type: 'string', enum: ['a'], pii: true } } } } });
    expect(odcs.schema).toEqual([
      { name: 'm', logicalType: 'object', properties: [{ name: 'f', logicalType: 'string', physicalType: 'string', classification: 'PII', quality: [expect.objectContaining({ metric: 'invalidValues', arguments: { validValues: ['a'] } })] }] },
    ]);
  });

  it('converts service levels with durations to SLA properties and notes unreadable ones', () => {
    const { odcs, notes } = dcsToOdcs({
      dataContractSpecification: '1.2.1',
      id: 'x',
      info: { version: '1' },
      servicelevels: { freshness: { threshold: '25h', timestampField: 'orders.ts' }, retention: { period: 'forever' } },
    });
    expect(odcs.slaProperties).toEqual([{ property: 'freshness', value: 25, unit: 'h', element: 'orders.ts' }]);
    expect(notes).toEqual([{ pointer: '/servicelevels/retention/period', message: 'cannot read the duration "forever"' }]);
    expect(dcsToOdcs({ dataContractSpecification: '1', id: 'y', servicelevels: { retention: { period: 'P1Y' } } }).odcs.slaProperties).toEqual([{ property: 'retention', value: 1, unit: 'y' }]);
  });

  it('notes fields that are not objects instead of throwing', () => {
    const { notes } = dcsToOdcs({ dataContractSpecification: '1.2.1', id: 'x', models: { m: { fields: { f: 'oops' } } } });
    expect(notes).toEqual([{ pointer: '/models/m/fields/f', message: 'field is not an object' }]);
  });
});

describe('ODCS check model', () => {
  it('rejects a schema object without a name, with its pointer', () => {
    const parsed = parseOdcsContract({ id: 'x', schema: [{ properties: [] }] });
    expect(parsed).toEqual({ ok: false, issues: [expect.objectContaining({ pointer: '/schema/0/name' })] });
  });
  it('rejects a mustBeBetween that is not a pair', () => {
    const parsed = parseOdcsContract({ id: 'x', schema: [{ name: 'o', quality: [{ metric: 'rowCount', mustBeBetween: [1] }] }] });
    expect(parsed.ok).toBe(false);
  });
});

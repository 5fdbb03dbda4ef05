import { describe, expect, it } from 'vitest';
import { createValidator } from './createValidator';
import { humanizeErrors } from './humanizeErrors';
import { mutate, validContract } from './rules/fixture';

const validator = createValidator();
const findings = (value: unknown, schema: 'odcs-3.1.0' | 'odcs-3.2.0' = 'odcs-3.1.0') =>
  humanizeErrors(validator.errors(schema, value), validator.root(schema));

describe('humanizeErrors on ODCS v3.1.0', () => {
  it('finds nothing in the valid fixture', () => {
    expect(findings(validContract())).toEqual([]);
  });
  it('explains a mistyped logicalType with the allowed values and a suggestion', () => {
    const [finding, ...rest] = findings(mutate(['schema', 0, 'properties', 0, 'logicalType'], 'strin'));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ pointer: '/schema/0/properties/0/logicalType', rule: 'schema/enum' });
    expect(finding?.message).toMatch(/^must be one of string, date, .*; got "strin" \(did you mean "string"\?\)$/);
  });
  it('names a missing required field at its would-be place', () => {
    const contract = validContract();
    delete contract.status;
    expect(findings(contract)).toEqual([{ pointer: '/status', message: 'missing required field "status"', rule: 'schema/required', severity: 'error' }]);
  });
  it('names an unknown field with a suggestion from the fields the object knows', () => {
    const contract = mutate(['schema', 0, 'properties', 0, 'descripton'], 'x');
    expect(findings(contract)).toEqual([
      { pointer: '/schema/0/properties/0/descripton', message: 'unknown field "descripton" (did you mean "description"?)', rule: 'schema/unknown-field', severity: 'error' },
    ]);
  });
  it('gives the type and the value found for a type error', () => {
    expect(findings(mutate(['schema', 0, 'properties', 0, 'required'], 'yes'))).toEqual([
      { pointer: '/schema/0/properties/0/required', message: 'must be boolean; got "yes"', rule: 'schema/type', severity: 'error' },
    ]);
  });
  it('collapses a server of one type with another type\'s field into one unknown-field message', () => {
    const result = findings(mutate(['servers', 0, 'topic'], 'orders'));
    expect(result.map((f) => `${f.rule} ${f.pointer}`)).toEqual(['schema/unknown-field /servers/0/topic']);
  });
  it('explains two comparison operators on one rule once, without unknown-field noise', () => {
    const result = findings(mutate(['schema', 0, 'quality', 0, 'mustBe'], 5));
    expect(result).toHaveLength(1);
    expect(result[0]).toMatchObject({ rule: 'schema/one-of', pointer: '/schema/0/quality/0' });
    expect(result[0]?.message).toContain('found mustBe and mustBeBetween');
  });
  it('names the alternatives when a rule has no comparison operator', () => {
    expect(findings(mutate(['schema', 0, 'quality', 0], { type: 'library', metric: 'rowCount' }))).toEqual([
      expect.objectContaining({ rule: 'schema/required', pointer: '/schema/0/quality/0', message: expect.stringMatching(/^needs one of the fields mustBe, mustNotBe/) }),
    ]);
  });
  it('reports only the mistyped server type, not the fields its type would have allowed', () => {
    const result = findings(mutate(['servers', 0, 'type'], 'postgre'));
    expect(result.map((f) => `${f.rule} ${f.pointer}`)).toEqual(['schema/enum /servers/0/type']);
    expect(result[0]?.message).toContain('(did you mean "postgres"?)');
  });
  it('reports a relationship side of the wrong shape once', () => {
    expect(findings(mutate(['schema', 0, 'relationships', 0, 'from'], { a: 1 })).map((f) => `${f.rule} ${f.pointer}`)).toEqual([
      'schema/type /schema/0/relationships/0/from',
    ]);
  });
  it('reports a wrongly typed enum field once, as a type error', () => {
    expect(findings(mutate(['schema', 0, 'properties', 0, 'logicalType'], 3))).toEqual([
      { pointer: '/schema/0/properties/0/logicalType', message: 'must be string; got number 3', rule: 'schema/type', severity: 'error' },
    ]);
  });
  it('says `from` is not allowed on a property-level relationship', () => {
    expect(findings(mutate(['schema', 0, 'properties', 1, 'relationships', 0, 'from'], 'orders.order_id'))).toEqual([
      { pointer: '/schema/0/properties/1/relationships/0/from', message: 'field "from" is not allowed here', rule: 'schema/not', severity: 'error' },
    ]);
  });
  it('lists the fields a server type requires', () => {
    expect(findings(mutate(['servers', 0], { server: 'x', type: 'snowflake' })).map((f) => f.message)).toEqual([
      'missing required field "account"',
      'missing required field "database"',
      'missing required field "schema"',
    ]);
  });
  it('examines at most 500 errors of a document with thousands, quickly, and says so', () => {
    const contract = validContract();
    const properties = Array.from({ length: 3000 }, (_, i) => ({ name: `p${i}`, logicalType: 'strin', bogus: true }));
    (contract.schema as Record<string, unknown>[])[0]!.properties = properties;
    const started = performance.now();
    const result = findings(contract);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(result.at(-1)).toMatchObject({ rule: 'schema/too-many-errors', message: expect.stringContaining('only the first 500') });
    expect(result.length).toBeLessThanOrEqual(501);
  });
  it('reports a bad pattern with the value', () => {
    const result = findings(mutate(['schema', 0, 'properties', 0, 'id'], 'has space'));
    expect(result).toEqual([expect.objectContaining({ rule: 'schema/pattern', pointer: '/schema/0/properties/0/id' })]);
    expect(result[0]?.message).toContain('"has space"');
  });
});

describe('the ODCS v3.2.0 draft schema, map bug fixed', () => {
  const v320 = (): Record<string, unknown> => ({ ...validContract(), apiVersion: 'v3.2.0' });
  it('accepts a property without logicalType (the published draft demands `map` there)', () => {
    const contract = v320();
    delete ((contract.schema as Record<string, unknown>[])[0]?.properties as Record<string, unknown>[])[0]?.logicalType;
    expect(findings(contract, 'odcs-3.2.0')).toEqual([]);
  });
  it('still requires `map` when logicalType is map', () => {
    const contract = v320();
    (((contract.schema as Record<string, unknown>[])[0]?.properties as Record<string, unknown>[])[0] as Record<string, unknown>).logicalType = 'map';
    expect(findings(contract, 'odcs-3.2.0').map((f) => `${f.rule} ${f.pointer}`)).toEqual(['schema/required /schema/0/properties/0/map']);
  });
});

describe('humanizeErrors on ODPS v1.0.0 and DCS 1.2.1', () => {
  const product = (): Record<string, unknown> => ({
    apiVersion: 'v1.0.0',
    kind: 'DataProduct',
    id: 'p1',
    status: 'active',
    outputPorts: [{ name: 'out', version: '1.0.0', contractId: 'c1' }],
  });
  const odps = (value: unknown) => humanizeErrors(validator.errors('odps-1.0.0', value), validator.root('odps-1.0.0'));
  const dcs = (value: unknown) => humanizeErrors(validator.errors('dcs-1.2.1', value), validator.root('dcs-1.2.1'));
  it('finds nothing in a valid product', () => {
    expect(odps(product())).toEqual([]);
  });
  it('suggests the field an output port misspelt', () => {
    const value = product();
    (value.outputPorts as Record<string, unknown>[])[0]!.contractID = 'c1';
    expect(odps(value).map((f) => f.message)).toContain('unknown field "contractID" (did you mean "contractId"?)');
  });
  it('names a product\'s missing status', () => {
    const value = product();
    delete value.status;
    expect(odps(value)).toEqual([expect.objectContaining({ pointer: '/status', rule: 'schema/required' })]);
  });
  it('accepts a minimal DCS contract and names its missing id', () => {
    const contract = { dataContractSpecification: '1.2.1', id: 'x', info: { title: 't', version: '1' } };
    expect(dcs(contract)).toEqual([]);
    expect(dcs({ ...contract, id: undefined, dataContractSpecification: '1.2.1' }).map((f) => f.pointer)).toEqual(['/id']);
  });
});

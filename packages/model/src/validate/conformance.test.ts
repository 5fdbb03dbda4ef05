import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createValidator } from './createValidator';
import { lintDocuments, type LintedFile } from './lintDocuments';

/** The read-only conformance material beside the repository (see its README for the oracles). */
const conformance = fileURLToPath(new URL('../../../../../shared/conformance/', import.meta.url));
const validator = createValidator();

function files(directory: string, pattern = /\.(ya?ml|json)$/): string[] {
  const found: string[] = [];
  for (const name of readdirSync(directory).sort()) {
    const full = join(directory, name);
    if (statSync(full).isDirectory()) found.push(...files(full, pattern));
    else if (pattern.test(name)) found.push(full);
  }
  return found;
}

function lint(...paths: string[]): LintedFile[] {
  const sources = paths.map((path) => ({ path: relative(conformance, path), text: readFileSync(path, 'utf8') }));
  return lintDocuments(sources, { validator }).files;
}

const errorsOf = (file: LintedFile | undefined) =>
  (file?.problems ?? []).filter((p) => p.severity === 'error').map((p) => `${p.rule} ${p.pointer}`);

describe('ODCS main (v3.1.0): every official example is valid', () => {
  const examples = files(join(conformance, 'bitol-odcs/main/docs/examples'));
  it('has the 18 examples', () => expect(examples).toHaveLength(18));
  it.each(examples.map((path) => [relative(conformance, path), path]))('%s', (_name, path) => {
    const [file] = lint(path);
    expect(errorsOf(file)).toEqual([]);
    expect(file).toMatchObject({ standard: 'odcs', kind: 'DataContract', valid: true, schema: 'odcs-3.1.0' });
  });
});

describe('ODCS dev (v3.2.0 draft): every example is accepted', () => {
  const examples = files(join(conformance, 'bitol-odcs/dev/docs/examples'));
  it.each(examples.map((path) => [relative(conformance, path), path]))('%s', (_name, path) => {
    const [file] = lint(path);
    expect(errorsOf(file)).toEqual([]);
    expect(file?.valid).toBe(true);
  });
  it('validates v3.2.0 documents against the fixed draft schema', () => {
    expect(lint(join(conformance, 'bitol-odcs/dev/docs/examples/schema/map.odcs.yaml'))[0]?.schema).toBe('odcs-3.2.0');
  });
  it('flags the relationship example\'s dangling target as a warning (a finding: `addresses` has no `address_street`)', () => {
    const [file] = lint(join(conformance, 'bitol-odcs/dev/docs/examples/references/relationships.odcs.yaml'));
    expect(file?.problems.map((p) => `${p.severity} ${p.rule} ${p.pointer}`)).toEqual([
      'warning semantic/relationship-target /schema/2/properties/2/relationships/0/to',
      'warning semantic/relationship-target /schema/2/relationships/0/to/1',
    ]);
  });
});

/** Each negative test must be rejected for the reason its name gives: the exact findings. */
const negativeTests: Record<string, string[]> = {
  'additional-unknown-property': ['schema/unknown-field /unknownRootField'],
  'enum-empty': ['schema/min-items /schema/0/properties/0/enum'],
  'invalid-api-version': ['schema/enum /apiVersion'],
  'invalid-quality-dimension': ['schema/enum /schema/0/properties/0/quality/0/dimension'],
  'invalid-quality-type': ['schema/enum /schema/0/properties/0/quality/0/type'],
  'map-missing-key': ['schema/required /schema/0/properties/0/map/key'],
  'missing-required-fields': ['schema/required /id'],
  'quality-element-field': ['schema/unknown-field /schema/0/properties/0/quality/0/element', 'schema/unknown-field /schema/0/properties/0/quality/0/rule'],
  'quality-multiple-operators': ['schema/one-of /schema/0/properties/0/quality/0'],
  'quality-sql-missing-query': ['schema/required /schema/0/properties/0/quality/0/query'],
  'relationship-schema-level-missing-from-to': ['schema/required /schema/0/relationships/0/from', 'schema/required /schema/0/relationships/0/to'],
  'schema-property-missing-name': ['schema/required /schema/0/properties/0/name'],
  'server-missing-conditional-fields': ['schema/required /servers/0/schema'],
  'sla-missing-required-value': ['schema/required /slaProperties/0/value'],
};

describe('ODCS negative tests: each rejected for its named reason', () => {
  const tests = files(join(conformance, 'bitol-odcs/dev/negative-tests'));
  it('covers every negative test present', () => {
    expect(tests.map((path) => basename(path, '.odcs.yaml')).sort()).toEqual(Object.keys(negativeTests).sort());
  });
  it.each(tests.map((path) => [basename(path, '.odcs.yaml'), path]))('%s', (name, path) => {
    const [file] = lint(path);
    expect(file?.valid).toBe(false);
    expect(errorsOf(file).sort()).toEqual([...(negativeTests[name] ?? ['(no expectation)'])].sort());
  });
  it('says the multiple-operator problem in words', () => {
    const [file] = lint(join(conformance, 'bitol-odcs/dev/negative-tests/quality-multiple-operators.odcs.yaml'));
    expect(file?.problems[0]?.message).toContain('found mustBe and mustNotBe');
  });
});

describe('ODPS: both official examples are valid (linted alone, their contract links are warnings)', () => {
  const examples = files(join(conformance, 'bitol-odps/docs/examples'));
  it.each(examples.map((path) => [relative(conformance, path), path]))('%s', (_name, path) => {
    const [file] = lint(path);
    expect(file).toMatchObject({ standard: 'odps', kind: 'DataProduct', valid: true, schema: 'odps-1.0.0' });
    expect(file?.problems.every((p) => p.rule === 'semantic/port-contract' && p.severity === 'warning')).toBe(true);
  });
});

describe('datacontract-cli lint fixtures (our strict answer)', () => {
  const lintDir = join(conformance, 'datacontract-cli/tests/fixtures/lint');
  const table: [string, boolean, string[]][] = [
    ['valid_datacontract.yaml', true, []],
    ['valid_datacontract_ref.yaml', true, []],
    ['valid_datacontract_references.yaml', true, []],
    ['invalid_datacontract.yaml', false, ['schema/required /id']],
    ['valid.odcs.yaml', true, []],
    ['valid-3.1.0.odcs.yaml', true, []],
    ['invalid.odcs.yaml', false, ['schema/required /status']],
    // The peer asserts "more than one error" with all-errors on; we report both.
    ['invalid_multiple_errors.odcs.yaml', false, ['schema/required /status', 'schema/required /version']],
    // The peer's message names schema.no_description_schema.description; ours points at it.
    ['invalid_multiple_schema_errors.odcs.yaml', false, ['schema/type /schema/0/description']],
    // The peer passes this with its custom schema; custom schemas are not supported, so it is invalid.
    ['odcs_with_extra_top_level.yaml', false, ['schema/unknown-field /change_management']],
  ];
  it.each(table)('%s → valid %s', (name, valid, errors) => {
    const [file] = lint(join(lintDir, name));
    expect(file?.valid).toBe(valid);
    expect(errorsOf(file)).toEqual(errors);
  });
  it('reads custom_datacontract.yaml as DCS (custom schemas are not applied)', () => {
    expect(lint(join(lintDir, 'custom_datacontract.yaml'))[0]?.standard).toBe('dcs');
  });
  it('skips JSON Schema files met in a lint set with a warning', () => {
    const [file] = lint(join(lintDir, 'custom_datacontract.schema.json'));
    expect(file).toMatchObject({ valid: true, standard: 'unknown', problems: [expect.objectContaining({ rule: 'standard/json-schema', severity: 'warning' })] });
  });
  it('rejects the schema-evolution v2 contract for `delimiter` on local servers (the peer accepts it)', () => {
    const [file] = lint(join(conformance, 'datacontract-cli/tests/fixtures/schema-evolution/odcs-datacontract-cities-version-2.yaml'));
    expect(new Set(errorsOf(file).map((e) => e.replace(/\/servers\/\d+/, '/servers/N')))).toEqual(new Set(['schema/unknown-field /servers/N/delimiter']));
  });
  it('flags api, kafka and redshift in quality-sql-dialects and accepts the 18 others (the peer accepts all 21)', () => {
    const dialects = files(join(conformance, 'datacontract-cli/tests/fixtures/quality-sql-dialects'));
    const results = lint(...dialects);
    const invalid = results.filter((file) => !file.valid).map((file) => `${basename(file.path)} ${errorsOf(file).join(',')}`);
    expect(invalid).toEqual([
      'api.yaml schema/unknown-field /servers/0/format',
      'kafka.yaml schema/unknown-field /servers/0/topic',
      'redshift.yaml schema/unknown-field /servers/0/port',
    ]);
    expect(results).toHaveLength(21);
  });
});

describe('DCS: the official examples and init template are valid under 1.2.1', () => {
  const examples = [...files(join(conformance, 'datacontract-specification/examples')), join(conformance, 'datacontract-specification/datacontract.init.yaml')];
  it.each(examples.map((path) => [relative(conformance, path), path]))('%s', (_name, path) => {
    const [file] = lint(path);
    expect(file).toMatchObject({ standard: 'dcs', kind: 'DataContract', schema: 'dcs-1.2.1' });
    expect(errorsOf(file)).toEqual([]);
  });
});

describe('DPDS: descriptors are recognised', () => {
  it('reads the official minimal descriptor and finds it fails its own schema (no info.name)', () => {
    const [file] = lint(join(conformance, 'dpds/examples/minimal.dpd.json'));
    expect(file).toMatchObject({ standard: 'dpds', apiVersion: '1.0.0', kind: 'DataProduct', valid: false });
    expect(errorsOf(file)).toEqual(['schema/required /info/name']);
  });
  it.each(files(join(conformance, 'dpds/parser-testcases/allinone')).map((path) => [basename(path), path]))('recognises %s', (_name, path) => {
    expect(lint(path)[0]).toMatchObject({ standard: 'dpds', apiVersion: '1.0.0' });
  });
});

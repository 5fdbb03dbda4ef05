import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../io';
import { main } from '../main';

const conformance = fileURLToPath(new URL('../../../../../shared/conformance/', import.meta.url));

function workspace(files: Record<string, string>): string {
  const directory = mkdtempSync(join(tmpdir(), 'meshboard-lint-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(directory, name, '..'), { recursive: true });
    writeFileSync(join(directory, name), text);
  }
  return directory;
}

const contract = (logicalType: string) => `apiVersion: v3.1.0
kind: DataContract
id: orders
version: 1.0.0
status: active
schema:
  - name: orders
    properties:
      - name: id
        logicalType: ${logicalType}
`;

async function run(args: string[], cwd: string) {
  const io = memoryIo({ cwd });
  const code = await main(['lint', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('meshboard lint', () => {
  it('exits 0 and prints a summary for valid files', async () => {
    const cwd = workspace({ 'a.odcs.yaml': contract('string') });
    const { code, out } = await run(['a.odcs.yaml'], cwd);
    expect(code).toBe(0);
    expect(out).toBe('1 file linted: 1 valid file, 0 invalid files (0 errors, 0 warnings)\n');
  });
  it('exits 1 and prints path:line:column pointer message [rule] for an invalid file', async () => {
    const cwd = workspace({ 'orders.odcs.yaml': contract('strin') });
    const { code, out } = await run(['orders.odcs.yaml'], cwd);
    expect(code).toBe(1);
    expect(out.split('\n')[0]).toMatch(
      /^orders\.odcs\.yaml:10:22 \/schema\/0\/properties\/0\/logicalType must be one of string, .*; got "strin" \(did you mean "string"\?\) \[schema\/enum\]$/,
    );
    expect(out).not.toContain('\u001b[');
  });
  it('walks directories for yaml, yml and json only, and lints them as one set', async () => {
    const cwd = workspace({
      'contracts/a.yaml': contract('string'),
      'contracts/nested/b.yml': contract('integer').replace('id: orders', 'id: orders-b'),
      'contracts/notes.txt': 'not linted',
      'products/p.json': JSON.stringify({ apiVersion: 'v1.0.0', kind: 'DataProduct', id: 'p', status: 'active', outputPorts: [{ name: 'o', version: '1', contractId: 'orders-b' }] }),
    });
    const { code, out } = await run(['contracts', 'products', '--format', 'json'], cwd);
    expect(code).toBe(0);
    const report = JSON.parse(out) as { files: { path: string; standard: string; valid: boolean; errors: unknown[]; warnings: unknown[] }[] };
    expect(report.files.map((f) => [f.path, f.standard, f.valid])).toEqual([
      [join('contracts', 'a.yaml'), 'odcs', true],
      [join('contracts', 'nested', 'b.yml'), 'odcs', true],
      [join('products', 'p.json'), 'odps', true],
    ]);
  });
  it('prints the documented JSON shape', async () => {
    const cwd = workspace({ 'bad.yaml': contract('strin') });
    const { code, out } = await run(['bad.yaml', '--format=json'], cwd);
    expect(code).toBe(1);
    expect(JSON.parse(out)).toEqual({
      files: [
        {
          path: 'bad.yaml',
          standard: 'odcs',
          apiVersion: 'v3.1.0',
          kind: 'DataContract',
          valid: false,
          errors: [{ pointer: '/schema/0/properties/0/logicalType', line: 10, column: 22, message: expect.stringContaining('did you mean "string"'), rule: 'schema/enum' }],
          warnings: [],
        },
      ],
    });
  });
  it('colours output only on a terminal', async () => {
    const cwd = workspace({ 'bad.yaml': contract('strin') });
    const io = { ...memoryIo({ cwd }), isTty: true };
    let out = '';
    io.stdout = (text: string) => {
      out += text;
    };
    expect(await main(['lint', 'bad.yaml'], io)).toBe(1);
    expect(out).toContain('\u001b[31mmust be one of');
  });
  it('marks warnings and keeps exit 0 when there are only warnings', async () => {
    const product = JSON.stringify({ apiVersion: 'v1.0.0', kind: 'DataProduct', id: 'p', status: 'active', outputPorts: [{ name: 'o', version: '1', contractId: 'c' }] });
    const { code, out } = await run(['p.json'], workspace({ 'p.json': product }));
    expect(code).toBe(0);
    expect(out).toMatch(/^p\.json:1:\d+ \/outputPorts\/0\/contractId warning: contract "c" cannot be checked/);
    expect(out).toContain('(0 errors, 1 warning)');
  });
  it('exits 2 on a missing path', async () => {
    const { code, err } = await run(['nope.yaml'], workspace({}));
    expect(code).toBe(2);
    expect(err).toBe('meshboard lint: cannot read nope.yaml: no such file or directory\n');
  });
  it('exits 2 when a directory has no files to lint', async () => {
    const { code, err } = await run(['.'], workspace({ 'readme.txt': 'x' }));
    expect(code).toBe(2);
    expect(err).toContain('no *.yaml, *.yml or *.json files');
  });
  it('exits 2 without arguments and on a bad --format', async () => {
    expect((await run([], workspace({}))).code).toBe(2);
    const { code, err } = await run(['--format', 'xml', 'a.yaml'], workspace({}));
    expect(code).toBe(2);
    expect(err).toContain('--format must be text or json');
  });
  it('reports a binary file as invalid with a clear message, not a crash', async () => {
    const cwd = workspace({});
    writeFileSync(join(cwd, 'image.json'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    const { code, out } = await run(['image.json'], cwd);
    expect(code).toBe(1);
    expect(out).toContain('[syntax/binary]');
  });
  it('reports a 50 MB file as too large without reading it, next to the other files in order', async () => {
    const cwd = workspace({ 'a.yaml': contract('string'), 'c.yaml': contract('string') });
    writeFileSync(join(cwd, 'b.yaml'), Buffer.alloc(50 * 1024 * 1024, 0x20));
    const { code, out } = await run(['.', '--format', 'json'], cwd);
    expect(code).toBe(1);
    const report = JSON.parse(out) as { files: { path: string; valid: boolean; errors: { rule: string; message: string }[] }[] };
    expect(report.files.map((f) => [f.path, f.valid])).toEqual([['a.yaml', true], ['b.yaml', false], ['c.yaml', true]]);
    expect(report.files[1]?.errors[0]).toMatchObject({ rule: 'syntax/too-large', message: expect.stringContaining('52.4 MB') });
  });
  it('lints the official ODCS examples directory as valid', async () => {
    const { code, out } = await run([join(conformance, 'bitol-odcs/main/docs/examples')], conformance);
    expect(code).toBe(0);
    expect(out).toContain('18 files linted: 18 valid files');
  });
});

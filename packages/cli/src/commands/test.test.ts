import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../io';
import { main } from '../main';

const peer = fileURLToPath(new URL('../../../../../shared/conformance/datacontract-cli/tests/', import.meta.url));
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshboard-cli-test-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('meshboard test', () => {
  it('exits 1 with a text report when checks fail', async () => {
    const io = memoryIo({ cwd: peer });
    expect(await main(['test', 'fixtures/diagnostics/datacontract.yaml'], io)).toBe(1);
    expect(io.out()).toMatch(/FAIL {2}orders\.email\.field_regex/);
    expect(io.out()).toMatch(/Result: failed/);
    expect(io.err()).toBe('');
  });

  it('exits 0 and prints the documented JSON shape when checks pass', async () => {
    const io = memoryIo({ cwd: peer });
    expect(await main(['test', 'fixtures/parquet/datacontract.yaml', '--format', 'json'], io)).toBe(0);
    const run = JSON.parse(io.out()) as Record<string, unknown> & { checks: Record<string, unknown>[] };
    expect(Object.keys(run)).toEqual(['result', 'contract', 'server', 'durationMs', 'warnings', 'checks']);
    expect(run).toMatchObject({ result: 'passed', contract: { id: 'combined-unit-test', version: '1.0.0' }, server: 'production' });
    expect(Object.keys(run.checks[0] ?? {})).toEqual([
      'id', 'name', 'category', 'type', 'object', 'property', 'dimension', 'severity', 'result', 'measured', 'expected', 'unit', 'message', 'samples',
    ]);
  });

  it('surfaces what a DCS conversion dropped as warnings in text and JSON output', async () => {
    await writeFile(join(dir, 'events.csv'), 'at\n2026-01-01 00:00:00\n');
    const contract = join(dir, 'events.dcs.yaml');
    await writeFile(contract, 'dataContractSpecification: 1.2.1\nid: events\ninfo:\n  title: Events\n  version: 1.0.0\nservers:\n  local:\n    type: local\n    format: csv\n    path: events.csv\nmodels:\n  events:\n    fields:\n      at:\n        type: timestamp\nservicelevels:\n  freshness:\n    threshold: a while\n    timestampField: events.at\n');
    const text = memoryIo({ cwd: dir });
    expect(await main(['test', 'events.dcs.yaml'], text)).toBe(0);
    expect(text.out()).toMatch(/^WARNING {2}.*events\.dcs\.yaml:18:16: \/servicelevels\/freshness\/threshold: cannot read the duration "a while"/m);
    expect(text.out()).toMatch(/Result: warning/);
    const json = memoryIo({ cwd: dir });
    expect(await main(['test', 'events.dcs.yaml', '--format', 'json'], json)).toBe(0);
    const run = JSON.parse(json.out()) as { result: string; warnings: string[] };
    expect(run.result).toBe('warning');
    expect(run.warnings).toEqual([expect.stringMatching(/cannot read the duration "a while"/)]);
  });

  it('writes a JUnit report to --output', async () => {
    const io = memoryIo({ cwd: peer });
    const output = join(dir, 'report.xml');
    expect(await main(['test', 'fixtures/diagnostics/datacontract.yaml', '--format', 'junit', '--output', output], io)).toBe(1);
    const xml = await readFile(output, 'utf8');
    expect(xml).toMatch(/^<\?xml/);
    expect(xml).toMatch(/<testsuite name="orders" tests="11" failures="5" errors="0" skipped="0">/);
    expect(io.out()).toMatch(/failed: report written to/);
  });

  it('writes JUnit and JSON reports for the peer junit fixture (report writing only, no results oracle)', async () => {
    for (const format of ['junit', 'json']) {
      const io = memoryIo({ cwd: peer });
      const output = join(dir, `junit-fixture.${format}`);
      const code = await main(['test', 'fixtures/junit/datacontract.yaml', '--format', format, '--output', output], io);
      expect([0, 1, 2]).toContain(code);
      const report = await readFile(output, 'utf8');
      if (format === 'json') expect(['passed', 'warning', 'failed', 'error']).toContain((JSON.parse(report) as { result: string }).result);
      else expect(report).toMatch(/<testsuites name="meshboard test /);
    }
  });

  it('filters by check type, and resolves server paths against --base-dir', async () => {
    const io = memoryIo({ cwd: dir });
    const code = await main(['test', join(peer, 'fixtures/diagnostics/datacontract.yaml'), '--base-dir', peer, '--check-types', 'schema', '--id', 'orders.order_id', '--format', 'json'], io);
    expect(code).toBe(1);
    const run = JSON.parse(io.out()) as { checks: { id: string }[] };
    expect(run.checks.map((c) => c.id)).toEqual(['orders.order_id.field_is_present', 'orders.order_id.field_required', 'orders.order_id.field_unique']);
  });

  it('exits 2 with the reason on a configuration error, without credentials in the output', async () => {
    const contract = join(dir, 'pg.odcs.yaml');
    await writeFile(contract, 'apiVersion: v3.1.0\nkind: DataContract\nid: pg\nversion: 1.0.0\nstatus: active\nservers:\n  - server: pg\n    type: postgres\n    host: 127.0.0.1\n    port: 1\n    database: nothing\nschema:\n  - name: t\n');
    const io = memoryIo({ cwd: dir, env: { MESHBOARD_POSTGRES_USER: 'someone', MESHBOARD_POSTGRES_PASSWORD: 's3cret-value' } });
    expect(await main(['test', contract, '--format', 'json'], io)).toBe(2);
    expect(io.out()).toMatch(/cannot connect to PostgreSQL/);
    expect(io.out()).not.toMatch(/s3cret-value/);
  });

  it('exits 2 with file:line:column for a contract that cannot be read', async () => {
    const contract = join(dir, 'bad.yaml');
    await writeFile(contract, 'id: x\nschema:\n  - properties: []\n');
    const io = memoryIo({ cwd: dir });
    expect(await main(['test', contract], io)).toBe(2);
    expect(io.err()).toMatch(/bad\.yaml:3:\d+: \/schema\/0\/name/);
    const missing = memoryIo({ cwd: dir });
    expect(await main(['test', 'no-such.yaml'], missing)).toBe(2);
    expect(missing.err()).toMatch(/cannot read the file/);
  });

  it('shows progress on a terminal only, on stderr, and clears it', async () => {
    const io = { ...memoryIo({ cwd: peer }), isTty: true };
    await main(['test', 'fixtures/diagnostics/datacontract.yaml'], io);
    expect(io.err()).toMatch(/\[14\/14\] orders/);
    expect(io.err().endsWith('\r\u001b[2K')).toBe(true);
    const quiet = memoryIo({ cwd: peer });
    await main(['test', 'fixtures/diagnostics/datacontract.yaml'], quiet);
    expect(quiet.err()).toBe('');
  });

  it('refuses bad options as usage errors', async () => {
    const io = memoryIo({ cwd: dir });
    expect(await main(['test', 'x.yaml', '--format', 'xml'], io)).toBe(2);
    expect(await main(['test', 'x.yaml', '--check-types', 'speed'], io)).toBe(2);
    expect(await main(['test'], io)).toBe(2);
    expect(io.err()).toMatch(/Usage: meshboard test/);
  });
});

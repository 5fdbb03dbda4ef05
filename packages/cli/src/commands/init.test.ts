import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSource, scaffoldDataProduct } from '@meshboard/model';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../io';
import { main } from '../main';

const dir = mkdtempSync(join(tmpdir(), 'meshboard-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo({ cwd: dir });
  const code = await main(['init', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

const read = (path: string): unknown => readSource(path, readFileSync(join(dir, path), 'utf8')).value;

describe('meshboard init', () => {
  // scaffoldDataProduct's own tests validate the pair against the official schemas; here the files must
  // carry exactly that pair (same values, same key order) with fresh ids.
  it('writes the scaffolded product and contract pair, bound by contract id', async () => {
    const { code, out } = await run('shop', '--name', 'Customer Orders', '--domain', 'sales', '--owner', 'ana@example.com');
    expect(code).toBe(0);
    expect(out).toContain('Created shop/customer-orders.odps.yaml');
    const product = read('shop/customer-orders.odps.yaml') as { id: string; outputPorts: { contractId: string }[] };
    const contract = read('shop/customer-orders.odcs.yaml') as { id: string };
    expect(product.outputPorts[0]?.contractId).toBe(contract.id);
    expect(contract.id).toMatch(/^[0-9a-f-]{36}$/);
    const expected = scaffoldDataProduct({
      name: 'Customer Orders',
      domain: 'sales',
      owner: 'ana@example.com',
      productId: product.id,
      contractId: contract.id,
    });
    expect(JSON.stringify(product)).toBe(JSON.stringify(expected.product));
    expect(JSON.stringify(contract)).toBe(JSON.stringify(expected.contract));
  });

  it('a second diff of a scaffold against itself shows no change', async () => {
    await run('same', '--name', 'x', '--domain', 'd');
    const io = memoryIo({ cwd: dir });
    expect(await main(['diff', 'same/x.odcs.yaml', 'same/x.odcs.yaml'], io)).toBe(0);
  });

  it('refuses to overwrite existing files without --force', async () => {
    writeFileSync(join(dir, 'taken.odcs.yaml'), 'mine\n');
    const { code, err } = await run('.', '--name', 'taken', '--domain', 'sales');
    expect(code).toBe(2);
    expect(err).toContain('taken.odcs.yaml already exists; nothing was written (use --force to overwrite)');
    expect(readFileSync(join(dir, 'taken.odcs.yaml'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(dir, 'taken.odps.yaml'))).toBe(false);
  });

  it('overwrites with --force', async () => {
    writeFileSync(join(dir, 'forced.odcs.yaml'), 'mine\n');
    expect((await run('.', '--name', 'forced', '--domain', 'sales', '--force')).code).toBe(0);
    expect(read('forced.odcs.yaml')).toMatchObject({ kind: 'DataContract' });
  });

  it('names the product after the directory when --name is absent', async () => {
    expect((await run('billing', '--domain', 'finance')).code).toBe(0);
    expect(existsSync(join(dir, 'billing/billing.odps.yaml'))).toBe(true);
  });

  it('requires --domain', async () => {
    const { code, err } = await run('x', '--name', 'y');
    expect(code).toBe(2);
    expect(err).toContain('--domain is required');
  });

  it('rejects a name without letters or digits', async () => {
    const { code, err } = await run('.', '--name', '***', '--domain', 'sales');
    expect(code).toBe(2);
    expect(err).toContain('has no letters or digits');
  });
});

import { randomUUID } from 'node:crypto';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { scaffoldDataProduct, ScaffoldInputError, toYaml } from '@meshboard/model';
import type { Command } from '../main';
import { parseCommandArgs, UsageError, type Io } from '../io';

const usage = `Usage: meshboard init [dir] --domain D [--name N] [--owner O] [--force]

Scaffolds a new data product in dir (default: the current directory): <name>.odps.yaml, an ODPS v1.0.0
product whose output port is bound to <name>.odcs.yaml, an ODCS v3.1.0 contract. Both are valid as
written; fill in the TODOs.

Options:
  --name N      the product's name (default: the directory's name)
  --domain D    the business domain that owns it (required)
  --owner O     username or email of the data product owner
  --force       overwrite existing files

Exit codes: 0 created, 2 usage error or files already there (without --force) or not writable.`;

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function run(args: string[], io: Io): Promise<number> {
  const parsed = parseCommandArgs({
    args,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      domain: { type: 'string' },
      owner: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  });
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`expected at most one directory, got ${positionals.length}`);
  const dir = resolve(io.cwd, positionals[0] ?? '.');
  const name = values.name ?? basename(dir);
  if (values.domain === undefined || values.domain.trim() === '') throw new UsageError('--domain is required (the business domain that owns the product)');

  let scaffold;
  try {
    scaffold = scaffoldDataProduct({
      name,
      domain: values.domain,
      ...(values.owner === undefined ? {} : { owner: values.owner }),
      productId: randomUUID(),
      contractId: randomUUID(),
    });
  } catch (error) {
    if (error instanceof ScaffoldInputError) throw new UsageError(error.message);
    throw error;
  }
  const productFile = join(dir, `${scaffold.slug}.odps.yaml`);
  const contractFile = join(dir, `${scaffold.slug}.odcs.yaml`);
  const shown = (path: string): string => relative(io.cwd, path) || path;
  if (!values.force) {
    const taken = [];
    for (const file of [productFile, contractFile]) if (await exists(file)) taken.push(shown(file));
    if (taken.length > 0) {
      io.stderr(`meshboard init: ${taken.join(' and ')} already exist${taken.length === 1 ? 's' : ''}; nothing was written (use --force to overwrite)\n`);
      return 2;
    }
  }
  const header = (what: string): string => `# ${what} scaffolded by \`meshboard init\`: replace the TODOs, then check it with \`meshboard lint\`.\n`;
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(contractFile, header('ODCS v3.1.0 data contract') + toYaml(scaffold.contract));
    await writeFile(productFile, header('ODPS v1.0.0 data product') + toYaml(scaffold.product));
  } catch (error) {
    io.stderr(`meshboard init: cannot write to ${shown(dir)} (${(error as Error).message})\n`);
    return 2;
  }
  io.stdout(
    [
      `Created ${shown(productFile)} (data product "${name}", domain ${values.domain})`,
      `Created ${shown(contractFile)} (its output port's data contract)`,
      '',
      'Next: describe the table and columns in the contract, set the SLA, and point a server at the real data.',
      '',
    ].join('\n'),
  );
  return 0;
}

/** `meshboard init`: scaffold a valid product + contract pair for a new data product. */
export const initCommand: Command = {
  usage,
  run,
};

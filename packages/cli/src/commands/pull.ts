import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readSource, slugify, toYaml } from '@meshboard/model';
import { UsageError } from '../io';
import type { Command } from '../main';
import { CatalogHttpError, connection, createCatalogHttp, type ListedItem } from './catalogHttp';
import { reason } from './lint';

const usage = `Usage: meshboard pull <dir> --url URL --token TOKEN

Writes the mesh of a Meshboard server back as files: <dir>/<domain>/<name>.odcs.yaml for every data
contract and <dir>/<domain>/<name>.odps.yaml for every data product (their latest versions). A file
whose content already equals the server's document is left untouched (its comments and layout stay);
other files in <dir> are never deleted.

Options:
  --url URL      the server (or MESHBOARD_URL)
  --token TOKEN  an API token (or MESHBOARD_TOKEN); every signed-in user may read

Exit codes: 0 written, 1 the server refused, 2 usage error or unwritable folder.`;

/** A JSON text with sorted keys, to compare documents whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** `meshboard pull`: every product and contract of the server as ODPS/ODCS YAML files by domain. */
export const pullCommand: Command = {
  usage,
  run: async (args, io) => {
    const { values, positionals } = parseOptions(args);
    const { url, token } = connection(values, io.env);
    if (positionals.length !== 1) throw new UsageError('give exactly one folder to write into');
    if (url === undefined) throw new UsageError('give the server with --url (or MESHBOARD_URL)');
    if (token === undefined) throw new UsageError('give an API token with --token (or MESHBOARD_TOKEN)');
    const dir = resolve(io.cwd, positionals[0] ?? '.');
    const http = createCatalogHttp({ url, token });
    const counts = { written: 0, unchanged: 0 };
    try {
      const domains = new Map((await http.listAll<{ id: string; slug: string }>('/api/domains')).map((domain) => [domain.id, domain.slug]));
      const taken = new Set<string>();
      for (const [resource, extension] of [
        ['contracts', 'odcs'],
        ['products', 'odps'],
      ] as const) {
        const items = await http.listAll<ListedItem>(`/api/${resource}`);
        for (const [index, item] of items.entries()) {
          if (io.isTty) io.stdout(`\r\u001b[2K[${index + 1}/${items.length}] ${resource} ${item.externalId}`);
          const { document } = await http.get<{ document: unknown }>(`/api/${resource}/${encodeURIComponent(item.id)}`);
          const folder = join(dir, domains.get(item.domainId) ?? 'unknown-domain');
          // Two documents with the same name in one domain: the second gets its id in the file name.
          let base = slugify(item.name) || slugify(item.externalId) || item.id;
          if (taken.has(join(folder, `${base}.${extension}`))) base = `${base}-${slugify(item.externalId) || item.id}`;
          const file = join(folder, `${base}.${extension}.yaml`);
          taken.add(join(folder, `${base}.${extension}`));
          const existing = await readFile(file, 'utf8').catch(() => undefined);
          if (existing !== undefined && canonical(readSource(file, existing).value) === canonical(document)) {
            counts.unchanged += 1;
            continue;
          }
          await mkdir(folder, { recursive: true });
          await writeFile(file, toYaml(document));
          counts.written += 1;
          io.stdout(`${io.isTty ? '\r\u001b[2K' : ''}wrote ${relative(io.cwd, file) || file}\n`);
        }
      }
    } catch (error) {
      if (io.isTty) io.stdout('\r\u001b[2K');
      if (error instanceof CatalogHttpError) {
        io.stderr(`meshboard pull: ${error.message}\n`);
        return error.status === 0 ? 2 : 1;
      }
      io.stderr(`meshboard pull: cannot write into ${positionals[0] ?? dir}: ${reason(error)}\n`);
      return 2;
    }
    io.stdout(`${counts.written} file(s) written, ${counts.unchanged} already up to date.\n`);
    return 0;
  },
};

function parseOptions(args: string[]) {
  try {
    return parseArgs({ args, options: { url: { type: 'string' }, token: { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

import { extname, resolve } from 'node:path';
import { createClient } from '@meshboard/client';
import { InputError, MeshboardError } from '@meshboard/model';
import { parseCommandArgs, UsageError } from '../io';
import type { Command } from '../main';
import { connection } from './catalogHttp';
import { readUsageFile, UsageFileError, type FileEvent } from './usageFile';

const maxBatch = 10_000;

const usage = `Usage: meshboard usage send <file.ndjson|file.csv> --url URL --token TOKEN [--batch N]

Sends usage events (who used which data product, when, how much) to a Meshboard server, streaming the
file in batches. NDJSON: one event a line, e.g.
  {"id":"q-1","product":"sales.orders","outputPort":"orders","consumerTeam":"controlling","kind":"query","occurredAt":"2026-11-01T09:30:00Z","rows":120}
CSV: a header row with the same names (product, kind, occurredAt required; id, outputPort, consumerTeam,
consumerUser, rows, bytes optional). kind is query, read or download.

Each batch is stored all or none; events with an id are stored once, so re-sending a file after a
failure is safe. A rejected batch stops the command, naming the file's lines.

Options:
  --url URL      the server (or MESHBOARD_URL)
  --token TOKEN  an API token (or MESHBOARD_TOKEN) of someone with a role in the products' domains
  --batch N      events per request, 1–${maxBatch} (default 5000)
  --format F     ndjson or csv (default: from the file extension)

Exit codes: 0 all sent, 1 the server refused a batch, 2 usage error or unreadable file.`;

/** `meshboard usage send`: streams a usage file to POST /api/usage-events in batches, with progress. */
export const usageCommand: Command = {
  usage,
  run: async (args, io) => {
    const { values, positionals } = parseCommandArgs({
      args,
      options: { url: { type: 'string' }, token: { type: 'string' }, batch: { type: 'string' }, format: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    const [subcommand, file, ...extra] = positionals;
    if (subcommand !== 'send') throw new UsageError(subcommand === undefined ? 'say what to do: meshboard usage send <file>' : `unknown subcommand "${subcommand}" (only "send")`);
    if (file === undefined || extra.length > 0) throw new UsageError('give exactly one file to send');
    const { url, token } = connection(values, io.env);
    if (url === undefined) throw new UsageError('give the server with --url (or MESHBOARD_URL)');
    if (token === undefined) throw new UsageError('give an API token with --token (or MESHBOARD_TOKEN)');
    const batchSize = values.batch === undefined ? 5000 : Number(values.batch);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > maxBatch) throw new UsageError(`--batch must be a whole number from 1 to ${maxBatch}`);
    const format = values.format ?? (['.csv'].includes(extname(file).toLowerCase()) ? 'csv' : 'ndjson');
    if (format !== 'csv' && format !== 'ndjson') throw new UsageError('--format must be ndjson or csv');
    const path = resolve(io.cwd, file);
    const client = createClient({ baseUrl: url.replace(/\/+$/, ''), token: () => token });
    const totals = { sent: 0, inserted: 0, duplicates: 0, batches: 0 };
    const progress = (final: boolean) => {
      const line = `sent ${totals.sent} event(s) in ${totals.batches} batch(es): ${totals.inserted} stored, ${totals.duplicates} already stored`;
      if (io.isTty) io.stdout(`\r\u001b[2K${line}${final ? '\n' : ''}`);
      else io.stdout(`${line}\n`);
    };
    const send = async (batch: FileEvent[]): Promise<void> => {
      const answer = await client.call('POST /api/usage-events', { body: { events: batch.map((item) => item.event) as never } });
      totals.sent += batch.length;
      totals.inserted += answer.inserted;
      totals.duplicates += answer.duplicates;
      totals.batches += 1;
      progress(false);
    };
    let batch: FileEvent[] = [];
    try {
      for await (const item of readUsageFile(path, format)) {
        batch.push(item);
        if (batch.length === batchSize) {
          await send(batch);
          batch = [];
        }
      }
      if (batch.length > 0) await send(batch);
    } catch (error) {
      if (io.isTty) io.stdout('\n');
      if (error instanceof UsageFileError) {
        io.stderr(`meshboard usage: ${file}:${error.line}: ${error.message}\n`);
        return 2;
      }
      if (error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'EISDIR' || error.code === 'EACCES')) {
        io.stderr(`meshboard usage: cannot read ${file}: ${error.message}\n`);
        return 2;
      }
      if (error instanceof MeshboardError) {
        io.stderr(`meshboard usage: the server refused a batch (${totals.sent} event(s) before it were stored): ${error.message}\n`);
        if (error instanceof InputError) for (const problem of error.problems) io.stderr(`  ${locate(file, batch, problem.pointer)}: ${problem.detail}\n`);
        return 1;
      }
      io.stderr(`meshboard usage: ${error instanceof Error ? error.message : String(error)}\n`);
      return error instanceof Error && 'status' in error && error.status === 0 ? 2 : 1;
    }
    if (totals.batches === 0) io.stdout('no events in the file; nothing sent\n');
    else if (io.isTty) progress(true);
    return 0;
  },
};

/** Turns a problem pointer into the batch (`/events/3/kind`) into `file:line kind`. */
function locate(file: string, batch: FileEvent[], pointer: string | undefined): string {
  const match = /^\/events\/([0-9]+)(\/.*)?$/.exec(pointer ?? '');
  if (match === null) return `${file}${pointer === undefined || pointer === '' ? '' : ` ${pointer}`}`;
  const item = batch[Number(match[1])];
  const field = (match[2] ?? '').slice(1);
  return `${file}:${item?.line ?? '?'}${field === '' ? '' : ` ${field}`}`;
}

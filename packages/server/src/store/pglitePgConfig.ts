import { EventEmitter } from 'node:events';
import { protocol, type PGlite } from '@electric-sql/pglite';

type Serialize = typeof protocol.serialize;
type BackendMessage = Awaited<ReturnType<PGlite['execProtocolStream']>>[number];

/**
 * The `pg` connection over one PGlite instance, in place of `@electric-sql/pglite/node-postgres`'s
 * `PglitePgConnection`, with one difference: the messages of an extended-protocol query (Parse, Bind,
 * Describe, Execute, Close) are held until the Sync or Flush that ends them and handed to the backend in
 * one `execProtocolStream` call, as a socket would deliver them in one packet. The adapter made one call
 * per message (four for a prepared statement, five otherwise), and each call pays PGlite's per-call glue:
 * a result parser, a pass of the WASM main loop, a ready-for-query check, a flush and a file-system sync
 * behind its own mutex.
 *
 * Contract (as the adapter's): answers are emitted in order as `pg` expects them (`parseComplete`,
 * `dataRow`, `errorMessage`, `readyForQuery`, …, plus `message` when listened to); calls are serialised
 * on one promise chain, so a query's batch never interleaves with another's; an error thrown by PGlite
 * itself is emitted as `error`. After an error inside a batch PostgreSQL skips to the Sync, exactly as
 * when the messages arrived one by one. Simple queries and COPY messages are sent at once.
 */
class BatchingPgliteConnection extends EventEmitter {
  /** Read by `pg`'s Client. */
  _connecting = false;
  readonly stream = { destroy: (): void => this.end() };
  /** `pg` keeps its record of prepared statements on the connection. */
  parsedStatements: Record<string, string> = {};
  submittedNamedStatements: Record<string, string> = {};

  readonly #pglite: PGlite;
  readonly #serialize: Serialize = protocol.serialize;
  #chain: Promise<unknown>;
  #pending: Uint8Array[] = [];
  #emitMessage = false;

  constructor(pglite: PGlite) {
    super();
    this.#pglite = pglite;
    this.#chain = pglite.waitReady;
    this.on('newListener', (event) => {
      if (event === 'message') this.#emitMessage = true;
    });
  }

  async connect(): Promise<void> {
    this._connecting = true;
    await this.#pglite.waitReady;
    process.nextTick(() => this.emit('readyForQuery'));
  }

  // Start-up, TLS and authentication have no meaning in-process.
  requestSsl(): void {}
  startup(): void {}
  cancel(): void {}
  password(): void {}
  sendSASLInitialResponseMessage(): void {}
  sendSCRAMClientFinalMessage(): void {}
  ref(): void {}
  unref(): void {}

  query(text: string): void {
    this.#send(this.#serialize.query(text));
  }
  parse(query: Parameters<Serialize['parse']>[0]): void {
    this.#pending.push(this.#serialize.parse(query));
  }
  bind(config: Parameters<Serialize['bind']>[0]): void {
    this.#pending.push(this.#serialize.bind(config));
  }
  describe(message: Parameters<Serialize['describe']>[0]): void {
    this.#pending.push(this.#serialize.describe(message));
  }
  execute(config: Parameters<Serialize['execute']>[0]): void {
    this.#pending.push(this.#serialize.execute(config));
  }
  close(message: Parameters<Serialize['close']>[0]): void {
    this.#pending.push(this.#serialize.close(message));
  }
  flush(): void {
    this.#send(this.#serialize.flush());
  }
  sync(): void {
    this.#send(this.#serialize.sync());
  }
  sendCopyFromChunk(chunk: Parameters<Serialize['copyData']>[0]): void {
    this.#send(this.#serialize.copyData(chunk));
  }
  endCopyFrom(): void {
    this.#send(this.#serialize.copyDone());
  }
  sendCopyFail(message: string): void {
    this.#send(this.#serialize.copyFail(message));
  }

  end(): void {
    this.#chain = this.#chain.then(() => this.emit('end'));
    for (const event of this.eventNames()) if (event !== 'newListener') this.removeAllListeners(event);
    this.#emitMessage = false;
  }

  /** Sends the held messages followed by `last` as one buffer, after whatever was sent before. */
  #send(last: Uint8Array): void {
    const parts = this.#pending;
    this.#pending = [];
    parts.push(last);
    const data = parts.length === 1 ? last : concat(parts);
    this.#chain = this.#chain
      .then(() => this.#pglite.execProtocolStream(data, { throwOnError: false }))
      .then((messages: BackendMessage[]) => {
        for (const message of messages) {
          if (this.#emitMessage) this.emit('message', message);
          this.emit(message.name === 'error' ? 'errorMessage' : message.name, message);
        }
      })
      .catch((error: unknown) => {
        this.emit('error', error);
      });
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const data = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    data.set(part, offset);
    offset += part.length;
  }
  return data;
}

/**
 * The `pg.Pool` configuration for one PGlite instance (the caller owns it and closes it): one connection,
 * {@link BatchingPgliteConnection}. Replaces `createPgConfig` of PGlite's node-postgres adapter.
 */
export function pglitePgConfig(pglite: PGlite): { connection: BatchingPgliteConnection; max: 1; user: string; password: string; database: string; host: string; port: number } {
  return { connection: new BatchingPgliteConnection(pglite), max: 1, user: 'postgres', password: 'dummy', database: 'postgres', host: 'localhost', port: 5432 };
}

import { NotAuthenticatedError } from '@meshboard/model';
import { ApiError } from './ApiError';
import { errorFromResponse } from './errorFromResponse';
import type { Operations } from './generated/api';

/** One operation of the API, as `"METHOD /path"` (e.g. `"GET /api/domains/{id}"`). */
export type OperationKey = keyof Operations;

/** What a call sends: path/query/header parameters and body, exactly as the OpenAPI document types them. */
export type OperationInput<K extends OperationKey> = Omit<Operations[K], 'response'>;

/** What a successful call returns (the 2xx JSON body; `void` for 204). */
export type OperationResult<K extends OperationKey> = Operations[K]['response'];

/** Per-call options that are not part of the operation's parameters. */
export interface CallOptions {
  /** Sent as `If-Match` (writes need the ETag you read, e.g. `"v3"`, or `*`). */
  ifMatch?: string;
  /** Aborts the request (TanStack Query passes one per query). */
  signal?: AbortSignal;
}

/** A successful answer with the metadata writes need (the ETag carries the row version). */
export interface CallResult<K extends OperationKey> {
  data: OperationResult<K>;
  status: number;
  etag: string | undefined;
}

/** How the client reaches the server and who it is. */
export interface ClientOptions {
  /** Origin (and optional prefix) of the server; '' means the page's own origin (the web app). */
  baseUrl: string;
  /** The bearer token to send, read on every call so sign-in and sign-out take effect at once. */
  token?: () => string | undefined;
  /** Called when the server answers 401 (the web app clears the session and goes to sign-in). */
  onNotAuthenticated?: (error: NotAuthenticatedError) => void;
  /** The fetch to use; defaults to the global one. */
  fetch?: typeof fetch;
}

type Arguments<K extends OperationKey> = Record<string, never> extends OperationInput<K>
  ? [input?: OperationInput<K>, options?: CallOptions]
  : [input: OperationInput<K>, options?: CallOptions];

/** The typed client: `call` returns the body, `send` also the status and ETag. */
export interface MeshboardClient {
  /** Calls one operation and returns its body; failures throw the model's error classes or {@link ApiError}. */
  call<K extends OperationKey>(key: K, ...args: Arguments<K>): Promise<OperationResult<K>>;
  /** Like `call`, with the status and ETag of the answer. */
  send<K extends OperationKey>(key: K, ...args: Arguments<K>): Promise<CallResult<K>>;
  /**
   * Calls a path the generated document does not describe (yet), e.g. a resource of a server slice that
   * is not deployed everywhere. The body is `unknown`: the caller validates it. Errors as for `call`.
   */
  untyped(method: string, path: string, input?: { query?: Record<string, string | number | boolean | undefined>; body?: unknown }, options?: CallOptions): Promise<unknown>;
}

interface LooseInput {
  path?: Record<string, string | number>;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string | undefined>;
  body?: unknown;
}

/** Fills `{name}` placeholders, encoding each value; a missing one is a programming error. */
export function expandPath(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`Missing path parameter "${name}" for ${template}.`);
    return encodeURIComponent(String(value));
  });
}

/**
 * Builds a client over the generated operation map. Problem+json answers are rebuilt into the
 * `@meshboard/model` error classes, so callers catch `NotFoundError`, `InputError` (with field
 * problems), `PreconditionFailedError` (with `currentVersion`) exactly as the server threw them.
 */
export function createClient(options: ClientOptions): MeshboardClient {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function perform(method: string, template: string, input: LooseInput, callOptions: CallOptions): Promise<{ data: unknown; status: number; etag: string | undefined }> {
    const url = new URL(expandPath(template, input.path), 'http://placeholder');
    for (const [name, value] of Object.entries(input.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    const headers = new Headers({ accept: 'application/json, application/problem+json' });
    for (const [name, value] of Object.entries(input.headers ?? {})) if (value !== undefined) headers.set(name, value);
    const token = options.token?.();
    if (token !== undefined && token !== '') headers.set('authorization', `Bearer ${token}`);
    if (callOptions.ifMatch !== undefined) headers.set('if-match', callOptions.ifMatch);
    if (input.body !== undefined) headers.set('content-type', 'application/json');
    let response: Response;
    try {
      response = await doFetch(`${options.baseUrl}${url.pathname}${url.search}`, {
        method,
        headers,
        ...(input.body === undefined ? {} : { body: JSON.stringify(input.body) }),
        ...(callOptions.signal === undefined ? {} : { signal: callOptions.signal }),
      });
    } catch (error) {
      if (error instanceof Error && error.name === 'AbortError') throw error;
      throw new ApiError(`Could not reach the server (${error instanceof Error ? error.message : String(error)}).`, 0);
    }
    if (!response.ok) {
      const error = await errorFromResponse(response);
      if (error instanceof NotAuthenticatedError) options.onNotAuthenticated?.(error);
      throw error;
    }
    const etag = response.headers.get('etag') ?? undefined;
    const text = response.status === 204 ? '' : await response.text();
    let data: unknown;
    if (text !== '') {
      try {
        data = JSON.parse(text);
      } catch {
        throw new ApiError(`${method} ${url.pathname} answered ${response.status} with a body that is not JSON.`, response.status);
      }
    }
    return { data, status: response.status, etag };
  }

  async function send<K extends OperationKey>(key: K, ...args: Arguments<K>): Promise<CallResult<K>> {
    const [input = {}, callOptions = {}] = args as [LooseInput | undefined, CallOptions | undefined];
    const space = key.indexOf(' ');
    const result = await perform(key.slice(0, space), key.slice(space + 1), input, callOptions);
    return { ...result, data: result.data as OperationResult<K> };
  }

  return {
    send,
    call: async (key, ...args) => (await send(key, ...args)).data,
    untyped: async (method, path, input = {}, callOptions = {}) => (await perform(method.toUpperCase(), path.replaceAll('{', '%7B'), input, callOptions)).data,
  };
}

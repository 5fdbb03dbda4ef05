import { InputError, PreconditionRequiredError } from '../errors/errors';

/** The strong entity tag of a resource at `version` (the representation is a function of the version). */
export function etagFor(version: number): string {
  return `"v${version}"`;
}

/** What an If-Match header asks: a specific version, or `*` (whatever version exists now). */
export type IfMatch = { kind: 'version'; version: number } | { kind: 'any' };

/**
 * Reads If-Match on a change. It is required: without it the change would silently overwrite whatever
 * someone else wrote since the client read the resource (a lost update), so a missing header is
 * {@link PreconditionRequiredError} (428). `*` is the explicit opt-out: "change the current version,
 * whichever it is". A list of tags is accepted (any may match) but one tag is the normal case.
 */
export function readIfMatch(header: string | undefined): IfMatch | { kind: 'versions'; versions: number[] } {
  if (header === undefined || header.trim() === '') {
    throw new PreconditionRequiredError('Send If-Match with the ETag you read (or * to overwrite whatever is current).');
  }
  if (header.trim() === '*') return { kind: 'any' };
  const versions: number[] = [];
  for (const part of header.split(',')) {
    const match = /^\s*(?:W\/)?"v([0-9]{1,9})"\s*$/.exec(part);
    if (match?.[1] === undefined) {
      throw new InputError('If-Match does not hold an ETag this server issued.', [{ parameter: 'If-Match', detail: 'Use the ETag header of a GET, e.g. "v3".' }]);
    }
    versions.push(Number(match[1]));
  }
  return versions.length === 1 && versions[0] !== undefined ? { kind: 'version', version: versions[0] } : { kind: 'versions', versions };
}

/**
 * The version a change is conditioned on, given the resource's current version (read without a lock):
 * the If-Match version, or for `*` / a matching list member the current one. The service re-checks it
 * under a row lock, so a writer slipping in between still gets 412.
 */
export function expectedVersion(ifMatch: ReturnType<typeof readIfMatch>, currentVersion: () => Promise<number>): Promise<number> {
  switch (ifMatch.kind) {
    case 'version':
      return Promise.resolve(ifMatch.version);
    case 'any':
      return currentVersion();
    case 'versions':
      return currentVersion().then((current) => (ifMatch.versions.includes(current) ? current : (ifMatch.versions[0] ?? -1)));
  }
}

/** Whether If-None-Match on a GET matches the current ETag (then the answer is 304 Not Modified). */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((part) => part.trim().replace(/^W\//, '') === etag);
}

/** The file URL of the bundled CLI entry when it is newer than every source; undefined otherwise. */
export function freshBundle(): string | undefined;
/** Builds a new bundle, makes it the current one, and returns its entry's file URL. */
export function buildBundle(): Promise<string>;

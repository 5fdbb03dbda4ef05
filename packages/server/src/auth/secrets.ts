import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** Prefix of every secret Meshboard issues, so secret scanners and people can recognise them. */
export const tokenPrefix = 'mbt_';

/** A new random bearer secret (256 bits) for an API token or session. */
export function generateToken(): string {
  return `${tokenPrefix}${randomBytes(32).toString('base64url')}`;
}

/**
 * The stored form of a bearer secret: SHA-256 hex. Tokens are 256-bit random values, so a fast hash is
 * enough (no dictionary to attack) and lets every request look the token up by index.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The displayable start of a token (`mbt_` and 6 characters) for telling tokens apart in lists. */
export function tokenDisplayPrefix(token: string): string {
  return token.slice(0, tokenPrefix.length + 6);
}

/** Hashes a password with argon2id (library defaults: 19 MiB, 2 passes), as a PHC string. */
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** Checks a password against a PHC string; a malformed stored hash counts as a mismatch. */
export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await verify(phc, password);
  } catch {
    return false;
  }
}

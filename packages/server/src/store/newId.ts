import { randomBytes } from 'node:crypto';

/**
 * A new UUID version 7 (RFC 9562: 48-bit millisecond time, then random bits), made by the application
 * because PostgreSQL 15 has no `uuidv7()`. Ids sort by creation time, which makes them stable cursors.
 */
export function newId(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  let time = now;
  for (let index = 5; index >= 0; index -= 1) {
    bytes[index] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

import { describe, expect, it } from 'vitest';
import { memoryIo } from './io';
import { main } from './main';

describe('meshboard', () => {
  it('prints help and exits 0 without a command', async () => {
    const io = memoryIo();
    expect(await main([], io)).toBe(0);
    expect(io.out()).toContain('Usage: meshboard <command>');
  });

  it('exits 2 on an unknown command and names it', async () => {
    const io = memoryIo();
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(io.err()).toContain('unknown command "frobnicate"');
  });
});

import { describe, expect, it } from 'vitest';
import { nextBuildBatch } from './LiveSearchIndex';

describe('nextBuildBatch (rows per statement of the index build)', () => {
  it('scales the rows towards the aimed step duration, at most doubling or halving per step', () => {
    expect(nextBuildBatch(500, 25, 50, 5_000)).toBe(1_000);
    expect(nextBuildBatch(500, 1, 50, 5_000)).toBe(1_000);
    expect(nextBuildBatch(1_000, 100, 50, 5_000)).toBe(500);
    expect(nextBuildBatch(1_000, 900, 50, 5_000)).toBe(500);
    expect(nextBuildBatch(1_000, 40, 50, 5_000)).toBe(1_250);
  });

  it('stays between the fewest rows worth a statement and the configured most', () => {
    expect(nextBuildBatch(4_000, 10, 50, 5_000)).toBe(5_000);
    expect(nextBuildBatch(120, 1_000, 50, 5_000)).toBe(100);
    // A configured most below the floor wins (tests page through a few rows).
    expect(nextBuildBatch(3, 1_000, 50, 3)).toBe(3);
    expect(nextBuildBatch(3, 1, 50, 3)).toBe(3);
  });
});

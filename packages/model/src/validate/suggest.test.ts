import { describe, expect, it } from 'vitest';
import { levenshtein, suggest } from './suggest';

describe('levenshtein', () => {
  it('counts edits', () => {
    expect(levenshtein('strin', 'string')).toBe(1);
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('Date', 'date')).toBe(0);
  });
});

describe('suggest', () => {
  it('proposes the closest candidate for a typo', () => {
    expect(suggest('strin', ['number', 'string', 'date'])).toBe('string');
    expect(suggest('fromat', ['format', 'description'])).toBe('format');
  });
  it('proposes nothing when nothing is close', () => {
    expect(suggest('zzzzzz', ['string', 'date'])).toBeUndefined();
    expect(suggest('ab', ['xy'])).toBeUndefined();
  });
  it('never proposes the input itself', () => {
    expect(suggest('date', ['date'])).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { rollUpChildren } from './rollUp';

describe('rollUpChildren', () => {
  it('says there is nothing to wait for without children, and is not complete', () => {
    expect(rollUpChildren([])).toEqual({ total: 0, open: 0, done: 0, declined: 0, complete: false, summary: 'no cross-domain requests' });
  });
  it('counts open children as blocking', () => {
    expect(rollUpChildren([{ state: 'new' }, { state: 'in_progress' }, { state: 'done' }])).toMatchObject({ open: 2, done: 1, complete: false, summary: 'blocked on 2 of 3' });
  });
  it('is complete when every child is done or declined, and names the declined ones', () => {
    expect(rollUpChildren([{ state: 'done' }, { state: 'declined' }])).toMatchObject({ complete: true, summary: 'done: 2 of 2 (1 declined)' });
  });
  it('leaves merged duplicates out', () => {
    expect(rollUpChildren([{ state: 'new', merged: true }, { state: 'done' }])).toMatchObject({ total: 1, complete: true });
  });
});

import { describe, expect, it } from 'vitest';
import { effectiveSort, searchFilters } from './searchFilters';

describe('search URL state', () => {
  it('keeps valid filters, drops unknown values and empty strings', () => {
    expect(searchFilters({ q: 'orders', kind: 'contract', quality: 'failed', sla: 'breached', sort: 'updated', owner: 'Fulfilment', tag: '', status: 'active' })).toEqual({
      q: 'orders',
      kind: 'contract',
      quality: 'failed',
      sla: 'breached',
      sort: 'updated',
      owner: 'Fulfilment',
      status: 'active',
    });
    expect(searchFilters({ q: 3, kind: 'table', quality: 'green', sla: 'ok', sort: 'popular' })).toEqual({ q: '' });
  });

  it('orders by relevance with a text and by name when browsing, whatever the URL asks', () => {
    expect(effectiveSort({ q: 'orders' })).toBe('relevance');
    expect(effectiveSort({ q: '  ' })).toBe('name');
    expect(effectiveSort({ q: '', sort: 'relevance' })).toBe('name');
    expect(effectiveSort({ q: '', sort: 'updated' })).toBe('updated');
    expect(effectiveSort({ q: 'orders', sort: 'name' })).toBe('name');
  });
});

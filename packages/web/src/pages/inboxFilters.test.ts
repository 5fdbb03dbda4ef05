import { describe, expect, it } from 'vitest';
import { inboxFilters } from './inboxFilters';

describe('inboxFilters', () => {
  it('keeps valid filters and drops unknown or malformed ones', () => {
    expect(inboxFilters({ show: 'issue', state: 'open', productId: 'sales.customers', unread: 'true' })).toEqual({ show: 'issue', state: 'open', productId: 'sales.customers', unread: true });
    expect(inboxFilters({ show: 'product', state: 'closed', productId: '', unread: 'no', other: 1 })).toEqual({});
    expect(inboxFilters({ unread: true })).toEqual({ unread: true });
  });
});

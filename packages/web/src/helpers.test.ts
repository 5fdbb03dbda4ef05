import { ApiError } from '@meshboard/client';
import { NotFoundError } from '@meshboard/model';
import { describe, expect, it } from 'vitest';
import { roleLabel, safeRedirect, searchFilters, shouldRetry, teamCount } from './index';

describe('searchFilters', () => {
  it('keeps the query and the valid filters from the URL', () => {
    expect(searchFilters({ q: 'orders', kind: 'contract', domainId: 'd1', status: 'active', tag: 'pii' })).toEqual({
      q: 'orders',
      kind: 'contract',
      domainId: 'd1',
      status: 'active',
      tag: 'pii',
    });
  });

  it('drops unknown kinds, empty values and values that are not text', () => {
    expect(searchFilters({ q: 3, kind: 'table', domainId: '', status: ['a'], tag: null })).toEqual({ q: '' });
  });
});

describe('safeRedirect', () => {
  it('follows paths of the app only', () => {
    expect(safeRedirect('/domains/1?x=1')).toBe('/domains/1?x=1');
    expect(safeRedirect(undefined)).toBe('/');
    expect(safeRedirect('https://evil.example/')).toBe('/');
    expect(safeRedirect('//evil.example/')).toBe('/');
    expect(safeRedirect('/sign-in?redirect=/me')).toBe('/');
  });
});

describe('shouldRetry', () => {
  it('retries network failures and 5xx twice at most, never typed 4xx errors', () => {
    expect(shouldRetry(0, new ApiError('down', 0))).toBe(true);
    expect(shouldRetry(1, new ApiError('bad gateway', 502))).toBe(true);
    expect(shouldRetry(2, new ApiError('bad gateway', 502))).toBe(false);
    expect(shouldRetry(0, new NotFoundError('gone'))).toBe(false);
    expect(shouldRetry(0, new ApiError('teapot', 418))).toBe(false);
  });
});

describe('labels', () => {
  it('names roles and counts teams', () => {
    expect(roleLabel('data_product_owner')).toBe('Data product owner');
    expect(roleLabel('future_role')).toBe('future role');
    expect(teamCount(undefined)).toBe('–');
    expect(teamCount(1)).toBe('1 team');
    expect(teamCount(0)).toBe('0 teams');
  });
});

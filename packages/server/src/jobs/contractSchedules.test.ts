import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../store/Database';
import { contractSchedules } from './contractSchedules';

const valid = (): { [key: string]: JsonValue } => ({
  quality: [{ metric: 'rowCount', schedule: '0 6 * * *', scheduler: 'cron' }],
  schema: [
    {
      name: 'orders',
      quality: [{ metric: 'rowCount', schedule: '*/15 * * * *' }],
      properties: [
        { name: 'id', quality: [{ metric: 'nullValues', schedule: '0 6 * * *', scheduler: 'CRON' }] },
        { name: 'lines', items: { properties: [{ name: 'sku', quality: [{ metric: 'nullValues', schedule: '0  7 * * *' }] }] } },
      ],
    },
  ],
});

describe('contractSchedules', () => {
  it('collects the distinct crons of every level in first-seen order, whitespace normalised', () => {
    expect(contractSchedules(valid())).toEqual(['0 6 * * *', '*/15 * * * *', '0 7 * * *']);
  });

  it('ignores rules whose scheduler is not cron', () => {
    const doc = valid();
    doc.quality = [{ metric: 'rowCount', schedule: '0 1 * * *', scheduler: 'airflow' }];
    expect(contractSchedules(doc)).not.toContain('0 1 * * *');
  });

  it('ignores a schedule that is not a string or empty', () => {
    expect(contractSchedules({ quality: [{ schedule: 5 }, { schedule: '  ' }] })).toEqual([]);
  });

  it('reads nothing from documents that are not objects or have malformed lists', () => {
    expect(contractSchedules(null)).toEqual([]);
    expect(contractSchedules({ schema: 'orders', quality: { schedule: '0 1 * * *' } })).toEqual([]);
  });
});

import { describe } from 'vitest';
import { createTemporaryDatabase, postgresAvailable } from '../../../../test-support/services';
import { defineRestartSuite } from './restart.case';

const available = await postgresAvailable();

describe.skipIf(!available)('PostgreSQL', () => {
  defineRestartSuite('PostgreSQL', {
    fresh: async () => {
      const database = await createTemporaryDatabase();
      return { options: { kind: 'postgres', url: database.url }, dispose: () => database.drop() };
    },
  });
});

/**
 * The default connector set: which connector serves which server type. The CLI and the server's start-up
 * call this; tests may inject their own factory into the engine instead.
 */
import type { Server } from '@meshboard/model';
import { connectorAnswer, type Connector, type ConnectorAnswer } from './Connector';
import { PostgresConnector } from './connectors/PostgresConnector';

/** Options of the default connector set. */
export interface ConnectorSetOptions {
  /** Relative file paths in servers resolve against this directory. */
  workingDir: string;
  /** Where PostgreSQL credentials are read from (MESHBOARD_POSTGRES_USER / MESHBOARD_POSTGRES_PASSWORD). */
  env: Record<string, string | undefined>;
}

/** Returns the factory the engine uses to open a server of a supported type. */
export function createConnectorFactory(options: ConnectorSetOptions): (server: Server) => Promise<ConnectorAnswer<Connector>> {
  return async (server) => {
    switch (server.type) {
      case 'local':
      case 'duckdb':
      {
        // Loaded on first use: DuckDB's native module costs about half a second, which a server start
        // (and every CLI command that never reads a file) should not pay.
        const { DuckDbConnector } = await import('./connectors/DuckDbConnector');
        return DuckDbConnector.create({ server, workingDir: options.workingDir });
      }
      case 'postgres':
      case 'postgresql':
        return PostgresConnector.create({ server, env: options.env });
      default:
        return connectorAnswer.error(`server type "${server.type}" is not supported yet (supported: local, duckdb, postgres)`);
    }
  };
}

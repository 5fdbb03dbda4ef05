/** @packageDocumentation Public entry point of @meshboard/checks: the check engine and its connectors. */
export { checkResult, runOutcome, warningSeverities, type CheckCategory, type CheckIdentity, type CheckOutcome, type CheckResult, type RunOutcome } from './CheckResult';
export { connectorAnswer, type ColumnDescription, type Connector, type ConnectorAnswer, type ObjectDescription, type SampleRequest, type SqlValue } from './Connector';
export { compilePlan, type ObjectPlan, type Plan, type PlanFilter, type PlannedCheck } from './compilePlan';
export { createConnectorFactory, type ConnectorSetOptions } from './createConnectorFactory';
// The DuckDB connector class is not re-exported: its native module loads only when a file server is
// first opened (through createConnectorFactory), so importing the engine stays cheap.
export type { DuckDbConnectorOptions } from './connectors/DuckDbConnector';
export { allowPrivilegedChecksVariable, PostgresConnector, postgresCredentialVariables, type PostgresConnectorOptions } from './connectors/PostgresConnector';
export { loadContractFile, loadContractText, type LoadedContract } from './loadContract';
export { jsonReport, junitReport, textReport } from './reports';
export { maxSamples, runContract, type ConnectorFactory, type RunOptions, type RunProgress, type RunResult } from './runContract';
export { knownUnits, unitMillis } from './timeUnits';

/** @packageDocumentation Public entry point of @meshboard/model: the pure domain of Meshboard. */
export { readSource, type ReadLimits, type SourceDocument } from './document/SourceDocument';
export { fromPointer, toPointer, type Position, type Problem } from './document/problem';
export { detectStandard, type DetectResult, type Detection, type Finding, type Standard } from './standards/detect';
export { createValidator, type SchemaId, type Validator } from './validate/createValidator';
export {
  lintDocuments,
  schemaFor,
  validateOdcs,
  validateOdps,
  type LintedFile,
  type LintOptions,
  type LintReport,
  type ValidationResult,
} from './validate/lintDocuments';
export type { Change, ChangeSeverity, DiffResult } from './diff/Change';
export { diffContracts } from './diff/diffContracts';
export { diffProducts } from './diff/diffProducts';
export { suggestVersion, type VersionSuggestion } from './diff/suggestVersion';
export { readEditableSource, type EditableSource } from './document/readEditableSource';
export { toYaml } from './write/toYaml';
export { writeDocument, YamlEditError, type YamlEdit } from './write/writeDocument';
export { isAmbiguousString } from './write/quoteAmbiguousStrings';
export {
  scaffoldDataProduct,
  ScaffoldInputError,
  slugify,
  type ScaffoldedProduct,
  type ScaffoldOptions,
} from './scaffold/scaffoldDataProduct';
export { importDpds, type DpdsImport, type DpdsImportOptions, type ImportNote } from './import/dpds';
export {
  logicalTypeOptionsSchema,
  odcsContractSchema,
  parseOdcsContract,
  qualityOperatorsSchema,
  qualityRuleSchema,
  schemaObjectSchema,
  schemaPropertySchema,
  serverSchema,
  slaPropertySchema,
  type LogicalTypeOptions,
  type OdcsContract,
  type OdcsParseResult,
  type QualityRule,
  type SchemaObject,
  type SchemaProperty,
  type Server,
  type SlaProperty,
} from './odcs/OdcsContract';
export { dcsToOdcs, isDcsDocument, type DcsConversion } from './import/dcs';
export * from './errors/MeshboardError';
export * from './backlog/workflow';
export * from './backlog/scoring';
export * from './backlog/suggestReach';
export * from './backlog/suggestCostOfDelay';
export { rollUpChildren, type RollUp, type RollUpChild } from './backlog/rollUp';
export * from './sprints/sprints';
export { parseCsv, writeCsv, CsvSyntaxError, type CsvRecord } from './backlog/csv';
export { readBacklogCsv, readJiraDate, writeBacklogCsv, type BacklogDraft, type BacklogExportRow, type CsvImport, type ImportProblem } from './backlog/backlogCsv';
export * from './lifecycle/lifecycle';

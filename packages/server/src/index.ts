/** @packageDocumentation Public entry point of @meshboard/server. */
export { createStore, migrateToLatest, type Store, type StoreOptions } from './store/createStore';
export { DataDirLockedError } from './store/DataDirLock';
export { createServices, type Services } from './services/createServices';
export { createApp, type AppOptions } from './http/createApp';
export { toProblem, problemTable, type ProblemDocument } from './http/problem';
export { startServer, type RunningServer, type ServerOptions } from './startServer';
export { rebuildUsageRollup } from './services/productLoop/UsageEventService';

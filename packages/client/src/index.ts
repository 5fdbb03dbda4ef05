/** @packageDocumentation Public entry point of @meshboard/client: the typed API client. */
export { createClient, expandPath, type CallOptions, type CallResult, type ClientOptions, type MeshboardClient, type OperationInput, type OperationKey, type OperationResult } from './createClient';
export { ApiError } from './ApiError';
export { errorFromResponse } from './errorFromResponse';
export type * from './generated/api';

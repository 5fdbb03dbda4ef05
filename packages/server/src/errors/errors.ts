/**
 * The closed error vocabulary lives in `@meshboard/model` (transport-free, shared with the client);
 * re-exported here so server modules import it from one nearby place. The HTTP mapping is `http/problem.ts`.
 */
export {
  ConflictError,
  InputError,
  MeshboardError,
  NotAllowedError,
  NotAuthenticatedError,
  NotFoundError,
  PreconditionFailedError,
  PreconditionRequiredError,
  TooManyRequestsError,
  type ErrorCode,
  type FieldProblem,
} from '@meshboard/model';

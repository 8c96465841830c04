/**
 * The typed errors of the RPC layer, the roles and the service. A JSON-RPC error object carries a
 * numeric `code` on the wire (JSON-RPC 2.0 §5.1); inside the process every failure is an
 * {@link RpcError} or a {@link ServiceError} with a stable string code.
 */
import { AutonomysError } from '@autonomys/primitives';

/** JSON-RPC 2.0 error codes (§5.1) and the server-defined ones this node uses (-32000..-32099). */
export const JSON_RPC_ERROR = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL_ERROR: -32603,
  /** The request is well-formed but the node refused it (a bad extrinsic, an unknown solution slot). */
  REJECTED: -32010,
  /** A subscription method was called over HTTP, which has no channel for notifications. */
  SUBSCRIPTION_NEEDS_WS: -32011,
  /** The request or batch exceeds the server's limits. */
  TOO_LARGE: -32012,
} as const;

export type RpcErrorType =
  /** The server answered with a JSON-RPC error object. */
  | { code: 'RPC_REMOTE_ERROR'; method: string; rpcCode: number; message: string; data?: unknown }
  /** No answer within the timeout. */
  | { code: 'RPC_TIMEOUT'; method: string; ms: number }
  /** The connection closed before the answer, or the client was closed. */
  | { code: 'RPC_DISCONNECTED'; method: string }
  /** A response or notification that does not follow the expected shape. */
  | { code: 'RPC_BAD_RESPONSE'; method: string; reason: string }
  /** A method handler's parameter is missing or malformed (becomes -32602 on the wire). */
  | { code: 'RPC_INVALID_PARAMS'; method: string; reason: string }
  /** The node refused the request (becomes -32010 on the wire). */
  | { code: 'RPC_REJECTED'; method: string; reason: string };

/** The error class of the JSON-RPC server and client. */
export class RpcError extends AutonomysError<RpcErrorType> {}

export type RpcErrorCode = RpcErrorType['code'];

export type ServiceErrorType =
  /** A data directory exists but does not hold what this node wrote (corrupt or foreign). */
  | { code: 'SERVICE_CORRUPT_DATA_DIR'; path: string; reason: string }
  /** A command-line or configuration value is out of range or malformed. */
  | { code: 'SERVICE_INVALID_CONFIG'; what: string; reason: string }
  /** The node has not archived enough history yet for what was asked (plotting, a piece). */
  | { code: 'SERVICE_NOT_READY'; what: string }
  /** The service was stopped while the operation was in progress. */
  | { code: 'SERVICE_STOPPED'; what: string };

/** The error class of the roles, the service compositions and the CLI. */
export class ServiceError extends AutonomysError<ServiceErrorType> {}

export type ServiceErrorCode = ServiceErrorType['code'];

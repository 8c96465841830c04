/** JSON-RPC 2.0: the router, the HTTP/WebSocket server, the reconnecting client, the node's methods. */
export { RpcClient, type RpcClientOptions, type RpcClientSubscription, rpcHttpCall } from './client.js';
export * from './codec.js';
export {
  JSON_RPC_ERROR,
  RpcError,
  type RpcErrorCode,
  type RpcErrorType,
  ServiceError,
  type ServiceErrorCode,
  type ServiceErrorType,
} from './errors.js';
export { RpcFarmerNode } from './farmer-node.js';
export {
  type JsonRpcErrorObject,
  type JsonRpcResponse,
  type RpcConnection,
  type RpcMethodHandler,
  RpcRouter,
  type RpcRouterLimits,
  type RpcSubscriptionSpec,
  toJsonRpcError,
} from './jsonrpc.js';
export {
  buildNodeRouter,
  MAX_SEGMENT_HEADERS_PER_REQUEST,
  type NodeRpcInit,
  type NodeStatusSource,
  type PlottingStatus,
} from './methods.js';
export { DEFAULT_RPC_PORT, type RpcServer, type RpcServerOptions, startRpcServer } from './server.js';

/**
 * @autonomys/node: the Autonomys consensus chain. This first slice holds the chain's byte formats
 * (headers, digest items, the Subspace pre-digest and consensus logs, justifications, sealing);
 * import, state, storage, roles, RPC and the CLI follow (issue #7).
 */
export * from './chain/index.js';
export { NodeError, type NodeErrorCode, type NodeErrorType } from './errors.js';

/**
 * @autonomys/node: the Autonomys consensus chain: byte formats (headers, digests, justifications,
 * seals, blocks), the minimal runtime (extrinsics, state, trie roots), the chain core (`Chain`:
 * import, fork choice, building, pool, archiving, storage) and, from the node-service side, roles,
 * RPC and the CLI (issue #7).
 */
export * from './chain/index.js';
export { createEventPrinter, type Output, processOutput, progressBar } from './cli/display.js';
export { createProgram, runCli } from './cli/index.js';
export * from './consensus/index.js';
export * from './domain/index.js';
export { NodeError, type NodeErrorCode, type NodeErrorType } from './errors.js';
export * from './gateway/index.js';
export * from './network/index.js';
export * from './roles/index.js';
// Roles, RPC, services and the CLI (node-service side of issue #7).
export * from './rpc/index.js';
export * from './runtime/index.js';
export * from './runtime/mmr.js';
export * from './service/index.js';
export { crc32 } from './storage/crc32.js';
export {
  type CanonicalUpdate,
  ChainStore,
  type ChainStoreOptions,
  STORE_FILE,
  STORE_FORMAT,
} from './storage/store.js';

/** The minimal runtime (B.11): extrinsics and calls, hashers, trie roots, state and execution. */
export * from './executor.js';
export * from './extrinsic.js';
export * from './hashing.js';
export * from './state.js';
export * from './trie.js';
export * from './trie-cache.js';

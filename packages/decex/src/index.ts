/**
 * @autonomys/decex: decoupled execution for the Autonomys Network. Domain, operator, bundle,
 * receipt, fraud-proof and XDM types with byte-exact SCALE codecs; the bundle election VRF; the
 * staking ledger; domain block derivation with a pluggable runtime; the consensus-side block tree
 * and fraud-proof verification; the consensus MMR; the Substrate trie and storage proofs.
 */
export * from './batch.js';
export * from './block.js';
export * from './bundle.js';
export * from './chacha.js';
export * from './chain.js';
export { type Codec, decodeWith, encodeWith } from './codec.js';
export * from './consensus.js';
export * from './constants.js';
export * from './errors.js';
export * from './fraud.js';
export * from './hash.js';
export * from './merkle.js';
export * from './mmr.js';
export * from './offline.js';
export * from './operator.js';
export * from './registry.js';
export * from './runtime.js';
export * from './staking.js';
export * from './trie.js';
export * from './types.js';
export * from './vrf.js';
export * from './xdm.js';
export * from './xdm-fees.js';
export * from './xdm-relay.js';

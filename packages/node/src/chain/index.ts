/** The consensus chain's byte formats (pot-consensus-dsn B.2): headers, digests, justifications, seals. */

export * from './block.js';
export * from './constants.js';
export * from './digest.js';
export * from './hash.js';
export * from './header.js';
export * from './justification.js';
export * from './seal.js';
export * from './subspace-digest.js';

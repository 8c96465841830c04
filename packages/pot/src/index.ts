/**
 * @autonomys/pot: the Autonomys proof-of-time chain (pot-consensus-dsn section A): the AES delay
 * function and its checkpoints, verification (interleaved chains, a worker pool, a verified-proof
 * cache), slot chaining with entropy injection, the timekeeper, and the gossip rules.
 *
 * This is the Node entry: AES-NI (`native`) and node:crypto (`cbc`) engines and the worker pool.
 * Bundlers targeting browsers resolve the `browser` condition to ./browser.ts instead. This entry
 * registers the Node engines when it loads, so package.json lists it under `sideEffects`.
 * @module
 */
import { registerNodeEngines } from './engine-node.js';

registerNodeEngines();

export * from './api.js';
export { createPotWorkerPool, PotWorkerPool, type PotWorkerPoolOptions } from './pool.js';
// WebCrypto verification and its Web Worker protocol (Node >= 20 has WebCrypto too): the same names
// as the browser entry, so code type-checked against this entry (the dashboard) can use them.
export * from './web.js';

/** Domains on the node: the Domains pallet in the runtime, the operator, watchtower and relayer roles, the transporter, the dev domain. */
export * from './dev.js';
export * from './follower.js';
export * from './operator.js';
export * from './pool.js';
export * from './relayer.js';
export * from './rpc.js';
export * from './runtime.js';
export * from './transporter.js';
export * from './watchtower.js';

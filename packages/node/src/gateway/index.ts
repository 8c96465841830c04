/** Permanent storage on the node: object mappings, their index, the gateway and its client. */
export * from './block-objects.js';
export * from './client.js';
export * from './gateway.js';
export * from './object-index.js';
export * from './provenance.js';
export * from './static.js';

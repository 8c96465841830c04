/** The node on the storage network and the chain protocols (`@autonomys/dsn`). */
export { chainBlockProvider, chainPieceCache, chainSegmentHeaderStore } from './handlers.js';
export { type NetworkEvent, NodeNetwork, type NodeNetworkOptions } from './node-network.js';
export { type NetworkPieceGetterOptions, networkPieceGetter, plotterPieceGetter } from './piece-getter.js';
export { PotGossipSource, type PotGossipSourceOptions, type PotGossipTarget } from './pot.js';

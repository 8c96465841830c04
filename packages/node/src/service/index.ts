/** Compositions: a node in one process, the dev network, the remote timekeeper, block verification. */
export {
  type ClusterEvent,
  type ClusterNode,
  type DevCluster,
  type DevClusterOptions,
  startDevCluster,
} from './cluster.js';
export {
  type DevParams,
  KEY_FILE,
  loadOrCreateKey,
  PARAMS_FILE,
  readParams,
  solutionRangeFor,
  specFromParams,
  writeParams,
} from './config.js';
export {
  DEV_DEFAULTS,
  type DevEvent,
  type DevNetwork,
  type DevNetworkOptions,
  openPlot,
  startDevNetwork,
} from './dev.js';
export { NODE_VERSION, NodeService, type NodeServiceInit, type ServiceEvent } from './node.js';
export { farmerTableGenerator } from './pos.js';
export { RemotePotSource, type RemoteTimekeeperOptions, runRemoteTimekeeper } from './remote-pot.js';
export { type BlockVerification, type CheckResult, type VerifyBlockContext, verifyBlock } from './verify.js';

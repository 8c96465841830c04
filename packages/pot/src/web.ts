/**
 * The public WebCrypto verification and its Web Worker protocol, named one by one (the modules'
 * internal helpers stay private); exported by both the Node and the browser entry.
 * @module
 */
export {
  defaultPotWorkerCount,
  type PotWorkerChainsRequest,
  type PotWorkerEndpoint,
  type PotWorkerLike,
  type PotWorkerReply,
  type PotWorkerRequest,
  PotWorkerVerifier,
  servePotWorker,
} from './web-verifier.js';
export {
  aesChainsWebCrypto,
  aesChainWebCrypto,
  findCheckpointMismatchWebCrypto,
  importAesKeyWebCrypto,
  proveWebCrypto,
  verifyWebCrypto,
  verifyWithKeyWebCrypto,
  WEBCRYPTO_SLICE_BLOCKS,
  type WebCryptoAesKey,
  type WebCryptoOptions,
} from './webcrypto.js';

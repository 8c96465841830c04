/**
 * @autonomys/pot for browsers and other runtimes without node:crypto: the same API as the Node entry
 * without the worker pool, on the pure TypeScript AES engine (`ts`; ~15-30x slower than AES-NI, so
 * use small iteration counts or verify on a server), plus verification on WebCrypto's AES-CBC
 * (`verifyWebCrypto`, the same construction as Node's `cbc` engine), optionally in a Web Worker
 * (`servePotWorker` / `PotWorkerVerifier`). No node: imports are reachable from here.
 * @module
 */
export * from './api.js';
export * from './web-verifier.js';
export * from './webcrypto.js';

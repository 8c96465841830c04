/**
 * @autonomys/pot for browsers and other runtimes without node:crypto: the same API as the Node entry
 * without the worker pool, on the pure TypeScript AES engine (`ts`; ~15-30x slower than AES-NI, so
 * use small iteration counts or verify on a server), plus verification on WebCrypto's AES-CBC
 * (`verifyWebCrypto`, the same construction as Node's `cbc` engine), best in Web Workers
 * (`servePotWorker` / `PotWorkerVerifier`: one worker per core shares a slot's chains). No node:
 * imports are reachable from here.
 * @module
 */
export * from './api.js';
export * from './web.js';

/** The test page's Web Worker: proof-of-time verification on WebCrypto (pot's browser entry). */
import { type PotWorkerEndpoint, servePotWorker } from '@autonomys/pot';

servePotWorker(globalThis as unknown as PotWorkerEndpoint);

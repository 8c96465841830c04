/** The dashboard's proof-of-time worker: WebCrypto AES chains for PotWorkerVerifier (@autonomys/pot). */
import { type PotWorkerEndpoint, servePotWorker } from '@autonomys/pot';

servePotWorker(globalThis as unknown as PotWorkerEndpoint);

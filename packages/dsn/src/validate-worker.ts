/** Worker thread of the piece validator: loads the KZG parameters once, then checks pieces. */
import { parentPort, workerData } from 'node:worker_threads';
import { type ArchivingParams, isPieceValid } from '@autonomys/archiver';
import { Kzg, loadPublicParameters, type PublicParametersOptions } from '@autonomys/kzg';

interface Job {
  id: number;
  piece: Uint8Array;
  segmentCommitment: Uint8Array;
  position: number;
}
const data = workerData as { parameters: PublicParametersOptions; params?: ArchivingParams };
let kzg: Promise<Kzg> | undefined;

parentPort?.on('message', async (m: Job) => {
  try {
    kzg ??= loadPublicParameters(data.parameters).then((p) => new Kzg(p));
    const valid = isPieceValid(await kzg, m.piece, m.segmentCommitment, m.position, data.params);
    parentPort?.postMessage({ id: m.id, valid });
  } catch (e) {
    parentPort?.postMessage({ id: m.id, valid: false, error: e instanceof Error ? e.message : String(e) }); // not a verdict
  }
});

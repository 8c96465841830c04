/** The worker thread of the segment committer: loads the public parameters once, then runs jobs. */
import { parentPort, workerData } from 'node:worker_threads';
import { Kzg, loadPublicParameters, type PublicParametersOptions } from '@autonomys/kzg';
import { type CommitJob, runJob, transferables } from './commit-jobs.js';

let kzg: Promise<Kzg> | undefined;

parentPort?.on('message', async (m: { id: number; job: CommitJob }) => {
  try {
    kzg ??= loadPublicParameters(workerData as PublicParametersOptions).then((p) => new Kzg(p));
    const result = runJob(await kzg, m.job);
    parentPort?.postMessage({ id: m.id, result }, transferables(result));
  } catch (e) {
    parentPort?.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
  }
});

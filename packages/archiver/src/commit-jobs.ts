/** The units of segment work, run inline or in a worker thread (see worker-pool.ts). */
import { extendColumns } from '@autonomys/erasure';
import { type Kzg, poly } from '@autonomys/kzg';

export type CommitJob =
  /** Extend the columns of these record slices (§3.5 step 2). */
  | { type: 'extend'; records: Uint8Array[] }
  /** Commit to each record's polynomial (§3.5 step 3). */
  | { type: 'commit'; records: Uint8Array[] }
  /** Witnesses for positions [from, to) of the polynomial through `values` (§3.5 step 6). */
  | { type: 'witness'; values: Uint8Array; from: number; to: number };

export type CommitResult =
  | { records: Uint8Array[] }
  | { commitments: Uint8Array[] }
  | { witnesses: Uint8Array[] };

export function runJob(kzg: Kzg, job: CommitJob): CommitResult {
  switch (job.type) {
    case 'extend':
      return { records: extendColumns(job.records) };
    case 'commit':
      return { commitments: job.records.map((r) => kzg.commit(poly(r))) };
    case 'witness': {
      const p = poly(job.values);
      const n = job.values.length / 32;
      const witnesses: Uint8Array[] = [];
      for (let i = job.from; i < job.to; i++) witnesses.push(kzg.createWitness(p, n, i));
      return { witnesses };
    }
  }
}

/** The buffers of a result, to transfer rather than copy. */
export function transferables(r: CommitResult): ArrayBuffer[] {
  const list = 'records' in r ? r.records : 'commitments' in r ? r.commitments : r.witnesses;
  return list.map((b) => b.buffer as ArrayBuffer);
}

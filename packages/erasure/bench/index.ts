/**
 * @autonomys/erasure benchmarks (`node scripts/pnpm.mjs --filter @autonomys/erasure bench`). The
 * anchor is blst's own FFT (`frFft` of @autonomys/native) at the size that dominates each
 * operation, measured in the same run: the native floor of the work. Every row runs on one core
 * except `extendCommitmentsAsync` (its n MSMs spread over all cores; anchored to the one-core
 * native `extendCommitments`): the FFT kernels are single-threaded, so FFT, extend and recover have
 * no all-cores form (parallelism is across columns and records). BENCH_FILTER=<substring> runs a
 * subset. Without the addon only the TypeScript rows run.
 */

import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { type BenchCase, runBench } from '@autonomys/bench';
import { decodePublicParameters, frVectorFromBytes, Kzg, poly, rootOfUnity } from '@autonomys/kzg';
import * as native from '@autonomys/native';
import { BLS12_381_R, scalarFromBigint } from '@autonomys/primitives';
import { vectorPath } from '@autonomys/test-utils';
import { fftTs } from '../src/field.js';
import {
  type ErasureBackend,
  extend,
  extendColumns,
  extendCommitments,
  extendCommitmentsAsync,
  recover,
  recoverPoly,
} from '../src/index.js';

const rand = (i: number) => (BigInt(i + 1) * 0x9e3779b97f4a7c15f39cc0605cedc835n) ** 3n % BLS12_381_R;
function scalars(n: number, seed = 0): Uint8Array {
  const out = new Uint8Array(n * 32);
  for (let i = 0; i < n; i++) out.set(scalarFromBigint(rand(i + seed)), i * 32);
  return out;
}

const hasNative = native.isNative;
const backends: ErasureBackend[] = hasNative ? ['typescript', 'native'] : ['typescript'];
const record = scalars(32_768);
const column = scalars(128, 1);
const COLUMNS = 1024; // of a segment's 32 768: the table's figure ×32 is one segment
const records = Array.from({ length: 128 }, (_, k) => scalars(COLUMNS, 7 * k));

// Recovery of one record from half of its 65 536 extended chunks, lost at random (farming §4.9).
const parity = extend(record);
const shards: (Uint8Array | null)[] = [];
{
  let x = 12345;
  const lost = new Set<number>();
  while (lost.size < 32_768) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    lost.add(x % 65_536);
  }
  for (let i = 0; i < 65_536; i++) {
    const k = i >> 1;
    const v = (i % 2 === 0 ? record : parity).subarray(32 * k, 32 * k + 32);
    shards.push(lost.has(i) ? null : v);
  }
}

// 128 record commitments (of small polynomials: only the points matter for the extension).
const kzg = new Kzg(
  decodePublicParameters(new Uint8Array(readFileSync(vectorPath('kzg/eth-public-parameters.bin'))), {
    g1Count: 16,
  }),
);
const commitments = Array.from({ length: 128 }, (_, k) => kzg.commit(poly(scalars(16, 1000 + k))));

const vec15 = frVectorFromBytes(record, 'record');
const vec128 = frVectorFromBytes(column, 'column');
const vec16 = frVectorFromBytes(scalars(65_536, 3), 'values');
const cases: BenchCase[] = [];
const floor = (n: number) => `blst frFft (anchor) 2^${Math.log2(n)}`;
if (hasNative) {
  for (const n of [128, 32_768, 65_536]) {
    const values = n === 128 ? column : n === 32_768 ? record : scalars(n, 3);
    const w = rootOfUnity(n);
    cases.push({
      name: floor(n),
      size: `2^${Math.log2(n)}`,
      fn: () => native.frFft(values, false, w),
      ...(n === 128 ? { batch: 100 } : {}),
    });
  }
}
const anchor = (n: number) => (hasNative ? { anchor: floor(n) } : {});
cases.push(
  { name: 'TS FFT (ours)', size: '2^7', batch: 50, fn: () => fftTs(vec128, 0, 128, false), ...anchor(128) },
  {
    name: 'TS FFT (ours)',
    size: '2^15',
    samples: 5,
    fn: () => fftTs(vec15, 0, 32_768, false),
    ...anchor(32_768),
  },
  {
    name: 'TS FFT (ours)',
    size: '2^16',
    samples: 3,
    fn: () => fftTs(vec16, 0, 65_536, false),
    ...anchor(65_536),
  },
);
for (const backend of backends) {
  cases.push(
    {
      name: `extend (${backend})`,
      size: '128 → 128',
      batch: 50,
      fn: () => extend(column, { backend }),
      ...anchor(128),
    },
    {
      name: `extend (${backend})`,
      size: '2^15 → 2^15',
      samples: 5,
      fn: () => extend(record, { backend }),
      ...anchor(32_768),
    },
    {
      name: `extendColumns (${backend})`,
      size: `128 records × ${COLUMNS} columns`,
      samples: 3,
      fn: () => extendColumns(records, { backend }),
    },
    {
      name: `recover (${backend})`,
      size: '2^16, half lost',
      samples: 3,
      fn: () => recover(shards, { backend }),
      ...anchor(65_536),
    },
    {
      name: `recoverPoly (${backend})`,
      size: '2^16, half lost',
      samples: 3,
      fn: () => recoverPoly(shards, { backend }),
      ...anchor(65_536),
    },
    {
      name: `extendCommitments (${backend})`,
      size: '128 → 256',
      samples: backend === 'native' ? 5 : 2,
      fn: () => extendCommitments(commitments, { backend }),
    },
  );
}
if (hasNative) {
  const cores = availableParallelism();
  cases.push({
    name: `extendCommitmentsAsync (native, all cores (${cores}))`,
    size: '128 → 256',
    anchor: 'extendCommitments (native)',
    samples: 5,
    fn: () => extendCommitmentsAsync(commitments, { backend: 'native', threads: cores }),
  });
}
// Distinct names per size for the harness: suffix duplicates with their size.
const seen = new Set<string>();
for (const c of cases) {
  if (seen.has(c.name)) c.name = `${c.name} ${c.size}`;
  seen.add(c.name);
}

await runBench({ package: 'erasure', cases, time: 300 });

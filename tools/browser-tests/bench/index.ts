/**
 * In-browser verification against Node in the same run (issue #13): a network-size piece
 * (isPieceValid, 2^15-chunk record) on blst WebAssembly and on TypeScript in Chromium against
 * Node's native path; a slot's proof of time at the development iterations (2^20) on WebCrypto (the
 * page's thread, one Web Worker, one worker per core) and the TypeScript engine against Node's CBC
 * path (one thread, and its worker pool on as many threads); a farmed solution; decoding the
 * parameters. Then two interleaved tables (several rounds, medians, CPU time and page faults read
 * from /proc for Chromium, steadier than wall time on a loaded machine): the proof of time by
 * contender, with the per-byte cost of AES-CBC itself (one large call, and the sliced chain), and
 * isPieceValid in CPU time.
 * Run: `node scripts/pnpm.mjs --filter @autonomys/browser-tests bench` (BENCH_ONLY=pot: the proof of
 * time alone, in ~1 minute; BENCH_POT_ROUNDS, BENCH_CPU_RUNS: rounds of the two tables).
 */

import { createCipheriv } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { isPieceValid } from '@autonomys/archiver';
import { type BenchCase, runBench } from '@autonomys/bench';
import { decodePublicParameters, Kzg, loadPublicParameters } from '@autonomys/kzg';
import { isShimProofValid, verifySolution } from '@autonomys/plotter';
import {
  createPotWorkerPool,
  findCheckpointMismatch,
  findCheckpointMismatchAsync,
  prove,
} from '@autonomys/pot';
import { bytesToHex } from '@autonomys/primitives';
import { vectorPath } from '@autonomys/test-utils';
import { networkPiece, type PieceFixture, smallHistory } from '../src/fixtures.js';
import { blstWasm, browserAvailability } from '../src/harness.js';
import { startSession } from '../src/session.js';

const availability = browserAvailability();
if (!availability.ok) throw new Error(`no browser: ${availability.reason}`);
/** BENCH_ONLY=pot: the proof-of-time rows alone (no piece, solution or parameter fixtures). */
const potOnly = process.env.BENCH_ONLY === 'pot';
const blst = potOnly ? { bytes: null, reason: 'BENCH_ONLY=pot' } : blstWasm();
const parameters = await loadPublicParameters(potOnly ? { g1Count: 64 } : {});
const kzg = new Kzg(parameters);
const piece = potOnly ? undefined : networkPiece(kzg);
const history = potOnly ? undefined : await smallHistory(kzg, parameters);
const session = await startSession({
  files: new Map(piece === undefined ? [] : [['/piece.bin', piece.piece]]),
  wasm: blst.bytes,
  g1Table: parameters.g1,
});
const { call } = session;
const init = potOnly
  ? { backends: [] as string[] }
  : await call<{ backends: string[] }>('init', { wasm: blst.bytes !== null, decode: false });

async function inPage<T extends { ms: number }>(
  name: string,
  arg: unknown,
  check: (r: T) => boolean,
): Promise<T> {
  const r = await call<T>(name, arg);
  if (!check(r)) throw new Error(`${name} gave a wrong answer: ${JSON.stringify(r)}`);
  return r;
}

const seed = new Uint8Array(16).fill(7);
const ITERATIONS = 1 << 20;
const checkpoints = prove(seed, ITERATIONS);
const potArg = (mode: string) => ({
  seedHex: bytesToHex(seed),
  slotIterations: ITERATIONS,
  checkpointsHex: bytesToHex(checkpoints),
  mode,
});
// Node's CBC path on as many threads as the browser gets workers (the pool splits cbc chains).
const workers = (await call<{ workers: number }>('verifyPot', potArg('workers'))).workers;
const pool = createPotWorkerPool({ threads: workers, engine: 'cbc' });
await findCheckpointMismatchAsync(seed, ITERATIONS, checkpoints, { pool, engine: 'cbc' }); // starts the threads

const slow = { samples: 3, warmup: false };
const nodePot = 'PoT verify, Node cbc (node:crypto), 1 thread';
const potModes = {
  webcrypto: "PoT verify, Chromium WebCrypto, the page's thread",
  worker: 'PoT verify, Chromium WebCrypto, 1 Web Worker',
  workers: `PoT verify, Chromium WebCrypto, ${workers} Web Workers`,
  ts: 'PoT verify, Chromium TypeScript AES',
} as const;
const potCases: BenchCase[] = [
  {
    name: nodePot,
    size: '2^20 it',
    samples: 5,
    fn: () => findCheckpointMismatch(seed, ITERATIONS, checkpoints, { engine: 'cbc' }),
  },
  {
    name: `PoT verify, Node cbc on a ${workers}-thread pool`,
    size: '2^20 it',
    anchor: nodePot,
    samples: 5,
    fn: () => findCheckpointMismatchAsync(seed, ITERATIONS, checkpoints, { pool, engine: 'cbc' }),
  },
  ...(['webcrypto', 'worker', 'workers', 'ts'] as const).map((mode) => ({
    name: potModes[mode],
    size: '2^20 it',
    anchor: nodePot,
    samples: 5,
    fn: () => inPage<{ mismatch: number; ms: number }>('verifyPot', potArg(mode), (r) => r.mismatch === -1),
  })),
];

function otherCases(piece: PieceFixture): BenchCase[] {
  const h = history!;
  const pieceArg = (backend: string) => ({
    url: '/piece.bin',
    commitmentHex: bytesToHex(piece.segmentCommitment),
    position: piece.position,
    backend,
  });
  const s = h.solution;
  const solutionArg = (backend: string) => ({
    solutionHex: bytesToHex(s.encoded),
    slot: s.slot.toString(),
    potOutputHex: bytesToHex(s.potOutput),
    solutionRange: s.solutionRange.toString(),
    numChunks: s.numChunks,
    backend,
    pieceCheck: {
      maxPiecesInSector: s.pieceCheck.maxPiecesInSector,
      segmentCommitmentHex: bytesToHex(s.pieceCheck.segmentCommitment),
      currentHistorySize: s.pieceCheck.currentHistorySize.toString(),
    },
  });
  const paramsBytes = new Uint8Array(readFileSync(vectorPath('kzg/eth-public-parameters.bin')));
  const nodeSolution = `verifySolution, Node (${kzg.backend.name})`;
  const nodeDecode = `decode G1, Node (${kzg.backend.name})`;
  return [
    {
      name: nodePiece,
      size: '2^15 chunks',
      ...slow,
      fn: () => isPieceValid(kzg, piece.piece, piece.segmentCommitment, piece.position),
    },
    ...(wasm
      ? [
          {
            name: 'isPieceValid, Chromium (blst wasm)',
            size: '2^15 chunks',
            anchor: nodePiece,
            ...slow,
            fn: () => inPage<{ valid: boolean; ms: number }>('verifyPiece', pieceArg('wasm'), (r) => r.valid),
          },
        ]
      : []),
    {
      name: 'isPieceValid, Chromium (TypeScript)',
      size: '2^15 chunks',
      anchor: nodePiece,
      ...slow,
      fn: () => inPage<{ valid: boolean; ms: number }>('verifyPiece', pieceArg('typescript'), (r) => r.valid),
    },
    {
      name: nodeSolution,
      size: '32 chunks/record',
      samples: 5,
      fn: () =>
        verifySolution(
          s.solution,
          { slot: s.slot, potOutput: s.potOutput, solutionRange: s.solutionRange, pieceCheck: s.pieceCheck },
          { kzg, isProofValid: isShimProofValid, numChunks: s.numChunks },
        ),
    },
    ...(wasm ? ['wasm', 'typescript'] : ['typescript']).map((b) => ({
      name: `verifySolution, Chromium (${b === 'wasm' ? 'blst wasm' : 'TypeScript'})`,
      size: '32 chunks/record',
      anchor: nodeSolution,
      samples: 5,
      fn: () =>
        inPage<{ distance?: string; ms: number }>(
          'verifySolution',
          solutionArg(b),
          (r) => r.distance === s.distance.toString(),
        ),
    })),
    {
      name: nodeDecode,
      size: '4096 points, curve checks',
      ...slow,
      fn: () => decodePublicParameters(paramsBytes, { g1Count: 4096, subgroupCheck: false, cache: false }),
    },
    ...(wasm
      ? [
          {
            name: 'decode G1, Chromium (blst wasm)',
            size: '4096 points, curve checks',
            anchor: nodeDecode,
            ...slow,
            fn: () =>
              inPage<{ ms: number }>(
                'decodeParameters',
                { backend: 'wasm', g1Count: 4096, subgroupCheck: false },
                () => true,
              ),
          },
        ]
      : []),
  ];
}
const nodePiece = `isPieceValid, Node (${kzg.backend.name})`;
const wasm = init.backends.includes('wasm');

/** CPU milliseconds (user + system) and minor page faults of this process's descendants (Chromium). */
function chromiumUsage(): { cpuMs: number; faults: number } | undefined {
  let dirs: string[];
  try {
    dirs = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  const parent = new Map<number, number>();
  const usage = new Map<number, { ticks: number; faults: number }>();
  for (const d of dirs) {
    try {
      const st = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(d), Number(f[1]));
      usage.set(Number(d), { ticks: Number(f[11]) + Number(f[12]), faults: Number(f[7]) });
    } catch {
      // the process ended meanwhile
    }
  }
  let ticks = 0;
  let faults = 0;
  for (const [pid, u] of usage) {
    let p = parent.get(pid);
    while (p !== undefined && p > 1 && p !== process.pid) p = parent.get(p);
    if (p === process.pid) {
      ticks += u.ticks;
      faults += u.faults;
    }
  }
  return { cpuMs: ticks * 10, faults }; // clock ticks of 10 ms
}

/** CPU milliseconds (all threads) and minor page faults of this Node process. */
function nodeUsage(): { cpuMs: number; faults: number } {
  const u = process.resourceUsage();
  return { cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, faults: u.minorPageFault };
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;

interface Contender {
  name: string;
  where: 'node' | 'chromium';
  run: () => Promise<unknown>;
}

/**
 * Each contender once per round, in turn, for `rounds` rounds; medians of wall time, CPU time and
 * minor page faults per call. Chromium's CPU is summed over its processes (a slight over-count: the
 * browser and GPU processes are included; /proc ticks are 10 ms, so rows are runs of `reps` calls).
 */
async function interleaved(
  title: string,
  contenders: Contender[],
  rounds: number,
  reps: number,
): Promise<void> {
  if (chromiumUsage() === undefined) return;
  const rows = new Map(
    contenders.map((c) => [c.name, { wall: [] as number[], cpu: [] as number[], faults: [] as number[] }]),
  );
  for (let r = 0; r < rounds; r++)
    for (const c of contenders) {
      const usage = c.where === 'node' ? nodeUsage : () => chromiumUsage()!;
      const u0 = usage();
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) await c.run();
      const wall = (performance.now() - t0) / reps;
      const u1 = usage();
      const row = rows.get(c.name)!;
      row.wall.push(wall);
      row.cpu.push((u1.cpuMs - u0.cpuMs) / reps);
      row.faults.push((u1.faults - u0.faults) / reps);
    }
  const base = median(rows.get(contenders[0]!.name)!.wall);
  const baseCpu = median(rows.get(contenders[0]!.name)!.cpu);
  console.log(`\n#### ${title}: ${rounds} interleaved rounds of ${reps}, medians per call\n`);
  console.log(
    '| contender | wall | vs first | CPU time | CPU vs first | minor page faults |\n|---|---|---|---|---|---|',
  );
  for (const [k, v] of rows) {
    const w = median(v.wall);
    const c = median(v.cpu);
    console.log(
      `| ${k} | ${w.toFixed(1)} ms | ${(w / base).toFixed(2)}x | ${c.toFixed(0)} ms | ${(c / baseCpu).toFixed(2)}x | ${Math.round(median(v.faults))} |`,
    );
  }
}

/** AES-CBC over 2^20 zero blocks in Node: one update() of 16 MiB, or the cbc engine's 4096-block calls. */
function nodeCbc(sliceBlocks: number): void {
  const zeros = new Uint8Array(sliceBlocks * 16);
  const cipher = createCipheriv('aes-128-cbc', new Uint8Array(16).fill(3), new Uint8Array(16)).setAutoPadding(
    false,
  );
  for (let left = ITERATIONS; left > 0; left -= sliceBlocks) cipher.update(zeros);
}

const potContenders: Contender[] = [
  {
    name: nodePot,
    where: 'node',
    run: async () => findCheckpointMismatch(seed, ITERATIONS, checkpoints, { engine: 'cbc' }),
  },
  {
    name: `PoT verify, Node cbc on a ${workers}-thread pool`,
    where: 'node',
    run: () => findCheckpointMismatchAsync(seed, ITERATIONS, checkpoints, { pool, engine: 'cbc' }),
  },
  ...(['webcrypto', 'worker', 'workers'] as const).map((mode) => ({
    name: potModes[mode],
    where: 'chromium' as const,
    run: () => inPage<{ mismatch: number; ms: number }>('verifyPot', potArg(mode), (r) => r.mismatch === -1),
  })),
  {
    name: 'AES-CBC 2^20 blocks, Node, 4096-block update() calls',
    where: 'node',
    run: async () => nodeCbc(4096),
  },
  {
    name: 'AES-CBC 2^20 blocks, Node, one update() call',
    where: 'node',
    run: async () => nodeCbc(ITERATIONS),
  },
  ...[1 << 14, ITERATIONS].map((sliceBlocks) => ({
    name: `AES-CBC 2^20 blocks, Chromium page, ${sliceBlocks === ITERATIONS ? 'one encrypt() call' : `2^${Math.log2(sliceBlocks)}-block encrypt() calls`}`,
    where: 'chromium' as const,
    run: () => call('cbcChain', { blocks: ITERATIONS, sliceBlocks }),
  })),
];

try {
  await runBench({
    package: 'browser-tests',
    cases: [...(piece === undefined ? [] : otherCases(piece)), ...potCases],
  });
  await interleaved(
    'PoT verification of one 2^20 slot (and AES-CBC alone over the same 16 MiB)',
    potContenders,
    Number(process.env.BENCH_POT_ROUNDS ?? 7),
    3,
  );
  // Whether the workers ran at the same time: each reports its own time for its share of the chains.
  const overlap: { wall: number; sum: number }[] = [];
  for (let i = 0; i < 7; i++) {
    const r = await inPage<{ mismatch: number; ms: number; workerMs: number[] }>(
      'verifyPot',
      potArg('workers'),
      (x) => x.mismatch === -1,
    );
    overlap.push({ wall: r.ms, sum: r.workerMs.reduce((a, b) => a + b, 0) });
  }
  const wall = median(overlap.map((o) => o.wall));
  const sum = median(overlap.map((o) => o.sum));
  console.log(
    `\n${workers} Web Workers, 7 slots: median wall ${wall.toFixed(1)} ms, median sum of the workers' own times ${sum.toFixed(1)} ms (${(sum / wall).toFixed(2)}x: above 1 when they ran at the same time)`,
  );
  if (piece !== undefined) {
    const backends = wasm ? ['wasm', 'typescript'] : ['typescript'];
    await interleaved(
      'isPieceValid (2^15 chunks)',
      [
        {
          name: nodePiece,
          where: 'node',
          run: async () => isPieceValid(kzg, piece.piece, piece.segmentCommitment, piece.position),
        },
        ...backends.map((b) => ({
          name: `isPieceValid, Chromium (${b === 'wasm' ? 'blst wasm' : 'TypeScript'})`,
          where: 'chromium' as const,
          run: () =>
            inPage<{ valid: boolean; ms: number }>(
              'verifyPiece',
              {
                url: '/piece.bin',
                commitmentHex: bytesToHex(piece.segmentCommitment),
                position: piece.position,
                backend: b,
              },
              (x) => x.valid,
            ),
        })),
      ],
      Number(process.env.BENCH_CPU_RUNS ?? 5),
      1,
    );
  }
} finally {
  await pool.close();
  await session.close();
}

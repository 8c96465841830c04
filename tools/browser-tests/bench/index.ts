/**
 * In-browser verification against Node in the same run (issue #13): a network-size piece
 * (isPieceValid, 2^15-chunk record) on blst WebAssembly and on TypeScript in Chromium against
 * Node's native path; a slot's proof of time at the development iterations (2^20) on WebCrypto (page
 * and Web Worker) and the TypeScript engine against Node's CBC path; a farmed solution; decoding the
 * parameters; then isPieceValid again in CPU time (Node's own, Chromium's from /proc), steadier than
 * wall time on a loaded machine. Run: `node scripts/pnpm.mjs --filter @autonomys/browser-tests bench`.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { isPieceValid } from '@autonomys/archiver';
import { type BenchCase, runBench } from '@autonomys/bench';
import { decodePublicParameters, Kzg, loadPublicParameters } from '@autonomys/kzg';
import { isShimProofValid, verifySolution } from '@autonomys/plotter';
import { findCheckpointMismatch, prove } from '@autonomys/pot';
import { bytesToHex } from '@autonomys/primitives';
import { vectorPath } from '@autonomys/test-utils';
import { networkPiece, smallHistory } from '../src/fixtures.js';
import { blstWasm, browserAvailability } from '../src/harness.js';
import { startSession } from '../src/session.js';

const availability = browserAvailability();
if (!availability.ok) throw new Error(`no browser: ${availability.reason}`);
const blst = blstWasm();
const parameters = await loadPublicParameters();
const kzg = new Kzg(parameters);
const piece = networkPiece(kzg);
const history = await smallHistory(kzg, parameters);
const session = await startSession({
  files: new Map([['/piece.bin', piece.piece]]),
  wasm: blst.bytes,
  g1Table: parameters.g1,
});
const { call } = session;
const init = await call<{ backends: string[] }>('init', { wasm: blst.bytes !== null, decode: false });

const pieceArg = (backend: string) => ({
  url: '/piece.bin',
  commitmentHex: bytesToHex(piece.segmentCommitment),
  position: piece.position,
  backend,
});
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
const s = history.solution;
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

const slow = { samples: 3, warmup: false };
const nodePiece = `isPieceValid, Node (${kzg.backend.name})`;
const nodePot = 'PoT verify, Node cbc (node:crypto)';
const nodeSolution = `verifySolution, Node (${kzg.backend.name})`;
const nodeDecode = `decode G1, Node (${kzg.backend.name})`;
const wasm = init.backends.includes('wasm');
const cases: BenchCase[] = [
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
    name: nodePot,
    size: '2^20 it',
    samples: 5,
    fn: () => findCheckpointMismatch(seed, ITERATIONS, checkpoints, { engine: 'cbc' }),
  },
  ...(['webcrypto', 'worker', 'ts'] as const).map((mode) => ({
    name: `PoT verify, Chromium (${mode === 'ts' ? 'TypeScript AES' : mode === 'worker' ? 'WebCrypto in a Web Worker' : 'WebCrypto'})`,
    size: '2^20 it',
    anchor: nodePot,
    samples: 5,
    fn: () => inPage<{ mismatch: number; ms: number }>('verifyPot', potArg(mode), (r) => r.mismatch === -1),
  })),
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

/**
 * CPU milliseconds (user + system) of this process's descendants: Chromium's processes, read from
 * /proc (Linux). On a loaded machine this is steadier than wall time; it over-counts slightly (the
 * browser and GPU processes are included).
 */
function chromiumCpuMs(): number | undefined {
  let dirs: string[];
  try {
    dirs = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  const parent = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const d of dirs) {
    try {
      const st = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(d), Number(f[1]));
      ticks.set(Number(d), Number(f[11]) + Number(f[12]));
    } catch {
      // the process ended meanwhile
    }
  }
  let sum = 0;
  for (const [pid, t] of ticks) {
    let p = parent.get(pid);
    while (p !== undefined && p > 1 && p !== process.pid) p = parent.get(p);
    if (p === process.pid) sum += t;
  }
  return sum * 10; // clock ticks of 10 ms
}

/** isPieceValid in CPU time: Node's backend and each page backend, interleaved, medians. */
async function pieceCpuTable(runs: number): Promise<void> {
  if (chromiumCpuMs() === undefined) return;
  const own = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const rows = new Map<string, number[]>();
  const add = (k: string, v: number) => rows.set(k, [...(rows.get(k) ?? []), v]);
  for (let r = 0; r < runs; r++) {
    const c0 = own();
    isPieceValid(kzg, piece.piece, piece.segmentCommitment, piece.position);
    add(nodePiece, own() - c0);
    for (const b of wasm ? ['wasm', 'typescript'] : ['typescript']) {
      const c1 = chromiumCpuMs()!;
      await inPage<{ valid: boolean; ms: number }>('verifyPiece', pieceArg(b), (x) => x.valid);
      add(`isPieceValid, Chromium (${b === 'wasm' ? 'blst wasm' : 'TypeScript'})`, chromiumCpuMs()! - c1);
    }
  }
  const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  const base = median(rows.get(nodePiece)!);
  console.log(`\n#### isPieceValid (2^15 chunks) in CPU time, ${runs} interleaved runs, medians\n`);
  console.log('| where | CPU time | vs Node |\n|---|---|---|');
  for (const [k, v] of rows)
    console.log(`| ${k} | ${median(v).toFixed(0)} ms | ${(median(v) / base).toFixed(2)}x |`);
}

try {
  await runBench({ package: 'browser-tests', cases });
  await pieceCpuTable(Number(process.env.BENCH_CPU_RUNS ?? 5));
} finally {
  await session.close();
}

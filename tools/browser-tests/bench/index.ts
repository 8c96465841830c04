/**
 * In-browser verification against Node in the same run (issue #13): a network-size piece
 * (isPieceValid, 2^15-chunk record) on blst WebAssembly and on TypeScript in Chromium against
 * Node's native path; a slot's proof of time at the development iterations (2^20) on WebCrypto (page
 * and Web Worker) and the TypeScript engine against Node's CBC path; a farmed solution; decoding the
 * parameters. Run: `node scripts/pnpm.mjs --filter @autonomys/browser-tests bench`.
 */

import { readFileSync } from 'node:fs';
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

try {
  await runBench({ package: 'browser-tests', cases });
} finally {
  await session.close();
}

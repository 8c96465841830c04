/**
 * The public proof-of-space functions: single f1/fn values, the challenge conversion, the verifier's
 * match rule, proof codecs, the proof hash, and the verifier. Every function checks its inputs and
 * throws {@link PlotterError}.
 */
import { blake3 } from '@autonomys/primitives';
import { abytes, aindex, aint, ak } from '../assert.js';
import { metadataBits, PARAM_EXT, POS_K, POS_PROOF_X_COUNT, POS_SEED_SIZE, proofSize } from '../constants.js';
import { PlotterError } from '../errors.js';
import { chachaKey } from './chacha8.js';
import { challengeOf, f1Single, fnInto, metaWords, residuesMatch } from './core.js';
import { packXs, unpackXs, verifyProof } from './proof.js';

/** Options of the proof-of-space functions: the space parameter (default {@link POS_K} = 20). */
export interface PosOptions {
  /** Space parameter K in [6, 25]; mainnet uses 20. Smaller K is for fast tests. */
  k?: number;
}

/**
 * The K-bit challenge of a u32 challenge index (farming §3.5): the index's little-endian bytes are
 * read big-endian and shifted down to K bits. A quirk kept for byte-compatibility: with s-bucket
 * indexes below 2^16 only 2^16 of the 2^20 challenges occur.
 * @example posChallenge(0x1234) // (0x34 << 12) | (0x12 << 4)
 */
export function posChallenge(challengeIndex: number, opts: PosOptions = {}): number {
  const k = ak(opts.k, POS_K);
  aindex(challengeIndex, 'challengeIndex');
  return challengeOf(challengeIndex, k);
}

/**
 * f1(x) (farming §3.1): the K keystream bits at bit offset x·K of ChaCha8(seed), followed by the 6
 * top bits of x; a (K+6)-bit y.
 * @example posF1(seed, 525, { k: 25 }) // 2016650816 for the chiapos test seed
 */
export function posF1(seed: Uint8Array, x: number, opts: PosOptions = {}): number {
  const k = ak(opts.k, POS_K);
  abytes(seed, POS_SEED_SIZE, 'seed');
  aint(x, 0, 2 ** k - 1, 'x');
  return f1Single(chachaKey(seed), x, k);
}

/** What fn returns: the new y, and the new metadata (none for table 7). */
export interface PosFnOutput {
  y: number;
  metadata: bigint | undefined;
}

function toWords(v: bigint, bits: number, what: string): Uint32Array {
  if (typeof v !== 'bigint' || v < 0n || v >> BigInt(bits) !== 0n) {
    throw new PlotterError({
      code: 'PLOTTER_OUT_OF_RANGE',
      what,
      value: String(v),
      min: '0',
      max: `2^${bits} - 1`,
    });
  }
  const n = (bits + 31) >>> 5;
  const words = new Uint32Array(n);
  const aligned = v << BigInt(32 * n - bits);
  for (let j = 0; j < n; j++) words[j] = Number((aligned >> BigInt(32 * (n - 1 - j))) & 0xffffffffn);
  return words;
}

function fromWords(words: Uint32Array, bits: number): bigint {
  let v = 0n;
  for (const w of words) v = (v << 32n) | BigInt(w);
  return v >> BigInt(32 * words.length - bits);
}

/**
 * fn_t for table t = 2..7 (farming §3.3): BLAKE3 of `y ‖ leftMetadata ‖ rightMetadata` (bit strings
 * of K+6 and mb(t-1) bits); returns the first K+6 hash bits as y and the new metadata (tables 2, 3:
 * the two metadata concatenated; 4..6: the next hash bits; 7: none).
 * @example posFn(2, 0x20a61a, 0x44cbn, 0x204fn, { k: 16 }) // { y: 0x2af546, metadata: 0x44cb204fn }
 */
export function posFn(
  table: number,
  y: number,
  leftMetadata: bigint,
  rightMetadata: bigint,
  opts: PosOptions = {},
): PosFnOutput {
  const k = ak(opts.k, POS_K);
  aint(table, 2, 7, 'table');
  aint(y, 0, 2 ** (k + PARAM_EXT) - 1, 'y');
  const mb = metadataBits(k, table - 1);
  const l = toWords(leftMetadata, mb, 'leftMetadata');
  const r = toWords(rightMetadata, mb, 'rightMetadata');
  const both = new Uint32Array(l.length * 2);
  both.set(l);
  both.set(r, l.length);
  const out = new Uint32Array(Math.max(1, metaWords(k, table)));
  const yOut = fnInto(k, table, y, both, 0, l.length, out, 0);
  return { y: yOut, metadata: table === 7 ? undefined : fromWords(out, metadataBits(k, table)) };
}

/**
 * The verifier's match rule (farming §3.2, `has_match`): is the residue of `rightY` one of the 64
 * targets of `leftY`? Bucket adjacency is deliberately not checked, exactly as the Rust nodes do;
 * adding that check would reject proofs that the network accepts.
 * @example posMatch(leftY, rightY) // true for every pair of a proof from findProof
 */
export function posMatch(leftY: number, rightY: number): boolean {
  aint(leftY, 0, 0xffffffff, 'leftY');
  aint(rightY, 0, 0xffffffff, 'rightY');
  return residuesMatch(leftY, rightY);
}

/**
 * Decodes a proof into its 64 x values (K bits each, MSB-first); the length must be 8·K bytes (160).
 * @example parseProof(proof)[0] // the first x value
 */
export function parseProof(proof: Uint8Array, opts: PosOptions = {}): Uint32Array {
  const k = ak(opts.k, POS_K);
  abytes(proof, proofSize(k), 'proof');
  return unpackXs(proof, k);
}

/**
 * Encodes 64 x values (each < 2^K) as a proof of 8·K bytes (160), MSB-first.
 * @example serializeProof(parseProof(proof)) // equals proof
 */
export function serializeProof(xs: ArrayLike<number>, opts: PosOptions = {}): Uint8Array {
  const k = ak(opts.k, POS_K);
  if (xs === null || typeof xs !== 'object' || typeof xs.length !== 'number') {
    throw new PlotterError({
      code: 'PLOTTER_INVALID_ARGUMENT',
      what: 'xs',
      reason: 'expected an array of numbers',
    });
  }
  if (xs.length !== POS_PROOF_X_COUNT) {
    throw new PlotterError({
      code: 'PLOTTER_INVALID_LENGTH',
      what: 'xs',
      expected: POS_PROOF_X_COUNT,
      actual: xs.length,
    });
  }
  for (let i = 0; i < POS_PROOF_X_COUNT; i++) aint(xs[i], 0, 2 ** k - 1, `xs[${i}]`);
  return packXs(xs, k);
}

/**
 * BLAKE3 of the proof bytes (8·K = 160 bytes): the mask that plotting XORs into a chunk (farming §2.3).
 * @example const mask = proofHash(proof); // 32 bytes
 */
export function proofHash(proof: Uint8Array, opts: PosOptions = {}): Uint8Array {
  const k = ak(opts.k, POS_K);
  abytes(proof, proofSize(k), 'proof');
  return blake3(proof);
}

/**
 * The consensus verifier (farming §3.7): recomputes f1 of the 64 x values and folds them pairwise
 * through fn for tables 2..7, failing if any pair breaks the residue-only match rule; valid iff the
 * last y carries the K-bit challenge of `sBucket` (§3.5). About 60 µs in TypeScript.
 * @example isProofValid(seed, 1011, proof) // true for the proof findProof returned for 1011
 */
export function isProofValid(
  seed: Uint8Array,
  sBucket: number,
  proof: Uint8Array,
  opts: PosOptions = {},
): boolean {
  const k = ak(opts.k, POS_K);
  abytes(seed, POS_SEED_SIZE, 'seed');
  aindex(sBucket);
  abytes(proof, proofSize(k), 'proof');
  return verifyProof(seed, sBucket, proof, k);
}

/**
 * Sector ids and what derives from them (farming §4.1, §4.2, §4.3 step 1, §4.8, §5 steps 3-5).
 * These are consensus rules: the plotter uses them to build sectors and every node to verify
 * solutions, so they live here once.
 */
import { abigint, abytes, auint } from './assert.js';
import { blake3, blake3Keyed } from './blake3.js';
import {
  BLAKE3_HASH_SIZE,
  COMMITMENT_SIZE,
  MAX_PIECES_IN_SECTOR,
  MIN_SECTOR_LIFETIME,
  NUM_PIECES,
  PUBLIC_KEY_SIZE,
  RECENT_HISTORY_FRACTION,
  RECENT_SEGMENTS,
  SECTOR_ID_SIZE,
} from './constants.js';
import { PrimitivesError } from './errors.js';
import { U64_MAX } from './scale.js';
import {
  assertHistorySize,
  type HistorySize,
  type PieceIndex,
  sectorExpirationCheckHistorySize,
} from './segments.js';

const U16_MAX = 0xffff;
const PIECES = BigInt(NUM_PIECES);

/** A 32-byte sector id. */
export type SectorId = Uint8Array;

function leU256(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return v;
}

/** `BLAKE3(public_key)`: the key of the farmer's sector ids. */
export function publicKeyHash(publicKey: Uint8Array): Uint8Array {
  abytes(publicKey, PUBLIC_KEY_SIZE, 'public key');
  return blake3(publicKey);
}

/**
 * `sector_id = keyed_BLAKE3(public_key_hash, LE_u16(sector_index) ‖ LE_u64(history_size))`.
 * The history size is the one the sector was plotted at (farming §4.1).
 * @example sectorId(publicKeyHash(pk), 0, 1n)
 */
export function sectorId(
  publicKeyHashBytes: Uint8Array,
  sectorIndex: number,
  historySize: HistorySize,
): SectorId {
  abytes(publicKeyHashBytes, BLAKE3_HASH_SIZE, 'public key hash');
  auint(sectorIndex, 'sector index', U16_MAX);
  assertHistorySize(historySize);
  const input = new Uint8Array(2 + 8);
  const view = new DataView(input.buffer);
  view.setUint16(0, sectorIndex, true);
  view.setBigUint64(2, historySize, true);
  return blake3Keyed(publicKeyHashBytes, input);
}

/**
 * The proof-of-space seed of the record at `pieceOffset`: `BLAKE3(sector_id ‖ LE_u16(piece_offset))`.
 * farming §4.3 step 1
 */
export function sectorEvaluationSeed(id: SectorId, pieceOffset: number): Uint8Array {
  abytes(id, SECTOR_ID_SIZE, 'sector id');
  auint(pieceOffset, 'piece offset', U16_MAX);
  const input = new Uint8Array(SECTOR_ID_SIZE + 2);
  input.set(id);
  input[SECTOR_ID_SIZE] = pieceOffset & 0xff;
  input[SECTOR_ID_SIZE + 1] = pieceOffset >>> 8;
  return blake3(input); // a 32-byte PoS seed (POS_SEED_SIZE)
}

/** `sector_id XOR global_challenge`, the challenge of one sector in one slot. farming §5 step 4 */
export function sectorSlotChallenge(id: SectorId, globalChallenge: Uint8Array): Uint8Array {
  abytes(id, SECTOR_ID_SIZE, 'sector id');
  abytes(globalChallenge, BLAKE3_HASH_SIZE, 'global challenge');
  const out = new Uint8Array(SECTOR_ID_SIZE);
  for (let i = 0; i < SECTOR_ID_SIZE; i++) out[i] = id[i]! ^ globalChallenge[i]!;
  return out;
}

/** The s-bucket audited in a slot: the first two bytes of the sector slot challenge, LE. farming §5 step 5 */
export function sBucketAuditIndex(sectorSlotChallengeBytes: Uint8Array): number {
  abytes(sectorSlotChallengeBytes, BLAKE3_HASH_SIZE, 'sector slot challenge');
  return sectorSlotChallengeBytes[0]! | (sectorSlotChallengeBytes[1]! << 8);
}

/** Parameters of verifiable sector construction; the defaults are the runtime's. */
export interface PieceSelectionParams {
  /** The runtime's maximum pieces per sector (not the farmer's own sector size). Default 1000. */
  maxPiecesInSector?: number;
  /** Default 5 (the code; the spec says 3). */
  recentSegments?: bigint;
  /** Default (1, 10). */
  recentHistoryFraction?: readonly [bigint, bigint];
}

/**
 * The piece stored at `pieceOffset` of a sector plotted at `historySize` (farming §4.2): uniform
 * over all history, except that odd offsets below the interleave bound draw from the last
 * `recentSegments` segments once history is long enough.
 * @example sectorDerivePieceIndex(id, 0, 1n) // a piece of segment 0
 */
export function sectorDerivePieceIndex(
  id: SectorId,
  pieceOffset: number,
  historySize: HistorySize,
  params: PieceSelectionParams = {},
): PieceIndex {
  abytes(id, SECTOR_ID_SIZE, 'sector id');
  auint(pieceOffset, 'piece offset', U16_MAX);
  assertHistorySize(historySize);
  const maxPieces = params.maxPiecesInSector ?? MAX_PIECES_IN_SECTOR;
  auint(maxPieces, 'max pieces in sector', U16_MAX);
  const recentSegments = params.recentSegments ?? BigInt(RECENT_SEGMENTS);
  const [fracNum, fracDen] = params.recentHistoryFraction ?? [
    BigInt(RECENT_HISTORY_FRACTION[0]),
    BigInt(RECENT_HISTORY_FRACTION[1]),
  ];
  for (const [v, what] of [
    [recentSegments, 'recent segments'],
    [fracNum, 'recent history fraction numerator'],
    [fracDen, 'recent history fraction denominator'],
  ] as const) {
    assertHistorySize(v);
    if (v * PIECES > U64_MAX)
      throw new PrimitivesError({ code: 'PRIMITIVES_OUT_OF_RANGE', what, value: String(v) });
  }
  const historyPieces = historySize * PIECES;
  if (historyPieces > U64_MAX)
    throw new PrimitivesError({
      code: 'PRIMITIVES_OUT_OF_RANGE',
      what: 'history size in pieces',
      value: String(historyPieces),
    });
  const recentPieces = recentSegments * PIECES;
  // Integer arithmetic in the reference's order: multiply by the piece-scaled numerator, then divide.
  const minHistoryPieces = (recentPieces * (fracDen * PIECES)) / (fracNum * PIECES);
  const key = new Uint8Array(32);
  key[0] = pieceOffset & 0xff;
  key[1] = pieceOffset >>> 8;
  const inputHash = leU256(blake3Keyed(key, id));
  let interleaved = ((BigInt(maxPieces) * (fracNum * PIECES)) / (fracDen * PIECES)) * 2n;
  if (interleaved < 1n) interleaved = 1n;
  if (historyPieces > minHistoryPieces && BigInt(pieceOffset) < interleaved && pieceOffset % 2 === 1) {
    return (inputHash % recentPieces) + (historyPieces - recentPieces);
  }
  return inputHash % historyPieces;
}

/**
 * The history size at which a sector plotted at `historySize` expires (farming §4.8), given the
 * segment commitment of segment `historySize + minSectorLifetime - 1`; `undefined` on u64 overflow
 * (consensus reports that as an invalid history size).
 */
export function sectorExpirationHistorySize(
  id: SectorId,
  historySize: HistorySize,
  expirationCheckSegmentCommitment: Uint8Array,
  minSectorLifetime = MIN_SECTOR_LIFETIME,
): HistorySize | undefined {
  abytes(id, SECTOR_ID_SIZE, 'sector id');
  abytes(expirationCheckSegmentCommitment, COMMITMENT_SIZE, 'segment commitment');
  abigint(historySize, 'history size', U64_MAX);
  const checkHs = sectorExpirationCheckHistorySize(historySize, minSectorLifetime);
  if (checkHs === undefined) return undefined;
  const times4 = historySize * 4n;
  if (times4 > U64_MAX) return undefined;
  const lastPossible = BigInt(minSectorLifetime) + times4;
  if (lastPossible > U64_MAX || lastPossible < checkHs) return undefined;
  const input = new Uint8Array(SECTOR_ID_SIZE + COMMITMENT_SIZE);
  input.set(id);
  input.set(expirationCheckSegmentCommitment, SECTOR_ID_SIZE);
  const span = lastPossible - checkHs;
  if (span === 0n) return undefined; // unreachable for a valid history size (span = 3·historySize)
  return checkHs + (leU256(blake3(input)) % span);
}

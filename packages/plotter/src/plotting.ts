/**
 * Plotting one sector (farming §4): choose its pieces (§4.2), encode each record with the tables of
 * its evaluation seed (§4.3), and lay the sector out s-bucket by s-bucket with its contents map,
 * record metadata and checksums (§4.4-§4.6).
 */
import { ErasureError } from '@autonomys/erasure';
import {
  blake3,
  COMMITMENT_SIZE,
  MAX_PIECES_IN_SECTOR,
  PUBLIC_KEY_SIZE,
  publicKeyHash,
  RECORD_METADATA_SIZE,
  sectorDerivePieceIndex,
  sectorEvaluationSeed,
  sectorId,
  WITNESS_SIZE,
} from '@autonomys/primitives';
import { abytes, ahistorySize, aint } from './assert.js';
import { PlotterError } from './errors.js';
import type { AbortOptions, PosTableGenerator } from './pos/generator.js';
import { type EncodedRecord, encodeRecord, writeSBuckets } from './sector/encoding.js';
import {
  encodeSectorContentsMap,
  SectorContentsMap,
  type SectorMetadata,
  type SectorOptions,
  sectorLayout,
} from './sector/layout.js';

/**
 * Fetches a piece by index (from a piece cache, the network, an archiver): the piece's bytes
 * (record ‖ commitment ‖ witness), or `undefined` when it cannot be found.
 */
export type PieceGetter = (pieceIndex: bigint, opts: AbortOptions) => Promise<Uint8Array | undefined>;

/** Progress of {@link plotSector}. */
export type PlotProgressEvent =
  | { type: 'plot:piece-fetched'; detail: { pieceOffset: number; pieceIndex: bigint } }
  | {
      type: 'plot:record-encoded';
      detail: { pieceOffset: number; pieceIndex: bigint; encodedChunks: number };
    }
  | { type: 'plot:sector-written'; detail: { sectorIndex: number; bytes: number } };

/** Inputs of {@link plotSector}. */
export interface PlotSectorOptions extends SectorOptions, AbortOptions {
  /** The farmer's 32-byte public key. */
  publicKey: Uint8Array;
  /** u16. */
  sectorIndex: number;
  /** The current history size (segments archived): pieces come from `[0, historySize · 256)`. */
  historySize: bigint;
  /** Records in this sector (1 ≤ piecesInSector ≤ maxPiecesInSector). */
  piecesInSector: number;
  pieceGetter: PieceGetter;
  /** Builds the proof-of-space table of each record (Chia on the network, shim on test networks). */
  tableGenerator: PosTableGenerator;
  /** The runtime's maximum (default 1000): piece selection depends on it, not on piecesInSector. */
  maxPiecesInSector?: number;
  /**
   * Records fetched and encoded at once (default: the generator's `threads`, so each of its workers
   * has a table to build while the calling thread encodes; 1 for a generator without the field).
   */
  concurrency?: number;
  /** Where to write the sector (exactly `sectorSize(piecesInSector)` bytes); default: a new buffer. */
  out?: Uint8Array;
  onProgress?: (event: PlotProgressEvent) => void;
}

/** A plotted sector. */
export interface PlottedSector {
  /** The sector bytes (farming §4.6). */
  readonly sector: Uint8Array;
  /** What the farm stores beside it (encode with `encodeSectorMetadataChecksummed`). */
  readonly metadata: SectorMetadata;
  readonly sectorId: Uint8Array;
  /** The piece index of every record, by piece offset. */
  readonly pieceIndexes: readonly bigint[];
}

function aborted(signal: AbortSignal): PlotterError {
  return new PlotterError({
    code: 'PLOTTER_ABORTED',
    what: 'plotSector',
    reason: String(signal.reason ?? 'aborted'),
  });
}

/**
 * Plots one sector: piece `sectorDerivePieceIndex(sectorId, offset, historySize)` at each offset,
 * each record erasure-extended and masked with the hashes of its first proofs, written s-bucket by
 * s-bucket. The result does not depend on `concurrency` (records are independent).
 * @example
 * const { sector, metadata } = await plotSector({
 *   publicKey, sectorIndex: 0, historySize: 1n, piecesInSector: 1000, pieceGetter,
 *   tableGenerator: createPosTableGenerator(), signal,
 * });
 */
export async function plotSector(opts: PlotSectorOptions): Promise<PlottedSector> {
  abytes(opts.publicKey, PUBLIC_KEY_SIZE, 'publicKey');
  aint(opts.sectorIndex, 0, 0xffff, 'sectorIndex');
  ahistorySize(opts.historySize);
  const maxPieces = opts.maxPiecesInSector ?? MAX_PIECES_IN_SECTOR;
  aint(maxPieces, 1, 0xffff, 'maxPiecesInSector');
  aint(opts.piecesInSector, 1, maxPieces, 'piecesInSector');
  const genThreads = opts.tableGenerator?.threads;
  const concurrency =
    opts.concurrency ??
    (typeof genThreads === 'number' && Number.isInteger(genThreads) && genThreads > 1
      ? Math.min(genThreads, 1024)
      : 1);
  aint(concurrency, 1, 1024, 'concurrency');
  if (typeof opts.pieceGetter !== 'function')
    throw new PlotterError({
      code: 'PLOTTER_INVALID_ARGUMENT',
      what: 'pieceGetter',
      reason: 'expected a function',
    });
  const layout = sectorLayout(opts.piecesInSector, opts);
  const out = opts.out ?? new Uint8Array(layout.size);
  abytes(out, layout.size, 'out');
  const { signal, onProgress, tableGenerator, pieceGetter } = opts;
  const check = () => {
    if (signal?.aborted) throw aborted(signal);
  };
  check();

  const id = sectorId(publicKeyHash(opts.publicKey), opts.sectorIndex, opts.historySize);
  const pieces = opts.piecesInSector;
  const pieceIndexes = Array.from({ length: pieces }, (_, p) =>
    sectorDerivePieceIndex(id, p, opts.historySize, { maxPiecesInSector: maxPieces }),
  );
  const records: EncodedRecord[] = new Array(pieces);

  const plotRecord = async (p: number) => {
    const pieceIndex = pieceIndexes[p]!;
    let piece: Uint8Array | undefined;
    try {
      piece = await pieceGetter(pieceIndex, signal === undefined ? {} : { signal });
    } catch (e) {
      check();
      throw new PlotterError({
        code: 'PLOTTER_PIECE_GETTER_FAILED',
        pieceIndex,
        reason: e instanceof Error ? e.message : String(e),
      });
    }
    check();
    if (piece === undefined)
      throw new PlotterError({ code: 'PLOTTER_PIECE_GETTER_FAILED', pieceIndex, reason: 'piece not found' });
    if (!(piece instanceof Uint8Array) || piece.length !== layout.pieceSize)
      throw new PlotterError({
        code: 'PLOTTER_INVALID_PIECE',
        pieceIndex,
        reason: `expected ${layout.pieceSize} bytes, got ${piece instanceof Uint8Array ? piece.length : typeof piece}`,
      });
    onProgress?.({ type: 'plot:piece-fetched', detail: { pieceOffset: p, pieceIndex } });
    const table = await tableGenerator.generate(
      sectorEvaluationSeed(id, p),
      signal === undefined ? {} : { signal },
    );
    check();
    let rec: EncodedRecord;
    try {
      rec = encodeRecord(piece.subarray(0, layout.recordSize), table, layout.numChunks);
      table.release?.(); // its memory goes back to the generator for the next table
    } catch (e) {
      if (e instanceof ErasureError)
        throw new PlotterError({ code: 'PLOTTER_INVALID_PIECE', pieceIndex, reason: e.message });
      throw e;
    }
    records[p] = rec;
    // Record metadata: commitment ‖ witness ‖ BLAKE3(piece) (§4.6).
    const m = layout.recordMetadataOffset + p * RECORD_METADATA_SIZE;
    out.set(piece.subarray(layout.recordSize, layout.recordSize + COMMITMENT_SIZE + WITNESS_SIZE), m);
    out.set(blake3(piece), m + COMMITMENT_SIZE + WITNESS_SIZE);
    onProgress?.({
      type: 'plot:record-encoded',
      detail: { pieceOffset: p, pieceIndex, encodedChunks: rec.encodedChunks },
    });
  };

  let next = 0;
  let failed = false;
  const lane = async () => {
    // After a failure the other lanes finish their current record and start no other.
    while (next < pieces && !failed) {
      const p = next++;
      try {
        await plotRecord(p);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, pieces) }, lane));
  check();

  const bitfields = new Uint8Array(pieces * layout.bitfieldSize);
  for (let p = 0; p < pieces; p++) bitfields.set(records[p]!.bitfield, p * layout.bitfieldSize);
  const map = new SectorContentsMap(pieces, bitfields, opts);
  out.set(encodeSectorContentsMap(map), 0);
  writeSBuckets(records, map, out, layout.sBucketsOffset);
  out.set(blake3(out.subarray(0, layout.checksumOffset)), layout.checksumOffset);
  onProgress?.({
    type: 'plot:sector-written',
    detail: { sectorIndex: opts.sectorIndex, bytes: layout.size },
  });
  return {
    sector: out,
    metadata: {
      sectorIndex: opts.sectorIndex,
      piecesInSector: pieces,
      sBucketSizes: map.sBucketSizes().slice(),
      historySize: opts.historySize,
    },
    sectorId: id,
    pieceIndexes,
  };
}

/**
 * Whole segments from the network: pieces fetched with bounded concurrency, source pieces first;
 * when some are missing, the segment is reconstructed from any half of its pieces (erasure
 * coding, via @autonomys/archiver). Reconstructions run through a shared limiter so that memory
 * stays bounded however many segments have missing pieces.
 */
import { type ArchivingParams, recoverSegment, segmentGeometry } from '@autonomys/archiver';
import { DsnError } from './errors.js';
import type { GetPieceOptions, PieceGetter } from './retrieval.js';

/** A counting semaphore. */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  /** The most that ran at once (for tests and metrics). */
  peak = 0;
  constructor(readonly limit: number) {}
  async run<T>(f: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    try {
      return await f();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export interface SegmentDownloadOptions extends GetPieceOptions {
  readonly params?: ArchivingParams;
  /** Pieces fetched at once (default 32). */
  readonly concurrency?: number;
  /** Shared limit on reconstructions (default: one at a time). */
  readonly reconstructionLimiter?: Limiter;
  /** Called after each piece obtained (progress). */
  readonly onProgress?: (e: { segmentIndex: bigint; pieces: number; needed: number }) => void;
}

const defaultLimiter = new Limiter(1);

/**
 * The recorded history bytes of segment `segmentIndex` (ready for the archiver's Reconstructor).
 * The getter must return validated pieces only (as the DSN getters do).
 * @example const bytes = await downloadSegment(3n, getter, { params })
 */
export async function downloadSegment(
  segmentIndex: bigint,
  getter: PieceGetter,
  opts: SegmentDownloadOptions = {},
): Promise<{ segment: Uint8Array; reconstructed: boolean }> {
  const g = segmentGeometry(opts.params);
  const n = g.numPieces;
  const first = segmentIndex * BigInt(n);
  const pieces: (Uint8Array | undefined)[] = new Array(n).fill(undefined);
  // Sources first (positions 0, 2, ...), then parity: with all sources no decoding is needed.
  const order = [
    ...Array.from({ length: n / 2 }, (_, i) => 2 * i),
    ...Array.from({ length: n / 2 }, (_, i) => 2 * i + 1),
  ];
  let have = 0;
  let next = 0;
  const needed = n / 2;
  const worker = async () => {
    while (next < order.length) {
      // Stop asking once enough pieces are in hand to recover (sources first, so usually all sources).
      const sourcesDone = pieces.every((p, i) => i % 2 === 1 || p !== undefined);
      if (sourcesDone || have >= needed) return;
      const pos = order[next++] ?? 0;
      if (opts.signal?.aborted) throw new DsnError({ code: 'DSN_ABORTED' });
      const piece = await getter.getPiece(first + BigInt(pos), opts.signal ? { signal: opts.signal } : {});
      if (piece) {
        pieces[pos] = piece;
        have++;
        opts.onProgress?.({ segmentIndex, pieces: have, needed });
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 32 }, worker));
  if (have < needed) {
    throw new DsnError({
      code: 'DSN_NOT_FOUND',
      what: `segment ${segmentIndex}: ${have} of ${n} pieces, need ${needed}`,
    });
  }
  const reconstructed = pieces.some((p, i) => i % 2 === 0 && p === undefined);
  const run = () => Promise.resolve(recoverSegment(pieces, opts.params).segment);
  const segment = reconstructed ? await (opts.reconstructionLimiter ?? defaultLimiter).run(run) : await run();
  return { segment, reconstructed };
}

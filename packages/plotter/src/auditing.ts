/**
 * Auditing (farming §5): in each slot every sector reads one s-bucket, hashes each stored chunk with
 * keyed BLAKE3 under the sector slot challenge, and keeps the chunks whose distance to the global
 * challenge is within half the solution range.
 */
import {
  BLAKE3_HASH_SIZE,
  createBlake3Keyed32,
  FULL_BYTES,
  PUBLIC_KEY_SIZE,
  publicKeyHash,
  sBucketAuditIndex,
  sectorId,
  sectorSlotChallenge,
} from '@autonomys/primitives';
import { abytes, au64 } from './assert.js';
import { PlotterError } from './errors.js';
import { type SectorMetadata, type SectorOptions, sBucketOffsets, sectorLayout } from './sector/layout.js';

/**
 * Random access to a sector's bytes: the bytes themselves, or a reader of `length` bytes at
 * `offset` (a file region, a remote store). Auditing reads one s-bucket per sector per slot.
 */
export type SectorSource = Uint8Array | ((offset: number, length: number) => Promise<Uint8Array>);

/** A chunk of the audited s-bucket that is within range. */
export interface ChunkCandidate {
  /** Position of the chunk inside the s-bucket. */
  readonly chunkOffset: number;
  /** Its audit distance (≤ solutionRange / 2). */
  readonly distance: bigint;
}

/** What auditing one sector found. */
export interface SectorAuditResult {
  readonly sectorIndex: number;
  readonly sectorId: Uint8Array;
  /** The audited s-bucket. */
  readonly sBucket: number;
  /** Sorted by distance, ascending (stable); never empty. */
  readonly candidates: readonly ChunkCandidate[];
}

/** Inputs of {@link auditSector}. */
export interface AuditSectorOptions extends SectorOptions {
  publicKey: Uint8Array;
  metadata: SectorMetadata;
  sector: SectorSource;
  /** `slotGlobalChallenge(potOutput, slot)` (32 bytes). */
  globalChallenge: Uint8Array;
  /** The range to audit with: the voting range of the slot (u64). */
  solutionRange: bigint;
}

/** The audited s-bucket of a sector: the challenge's u16, reduced to the record size of a test preset. */
export function auditSBucket(slotChallenge: Uint8Array, numSBuckets: number): number {
  // At the network's size (65 536 s-buckets) the modulo is the identity; test presets wrap.
  return sBucketAuditIndex(slotChallenge) % numSBuckets;
}

const TWO32 = 2 ** 32;

/**
 * Audits the chunks of one s-bucket (the bytes as stored, masked or not): the keyed BLAKE3 of each
 * chunk, its first 8 bytes as a LE u64, distance = the shorter way around 2^64 to the challenge's.
 */
export function auditChunks(
  chunks: Uint8Array,
  slotChallenge: Uint8Array,
  globalChallenge: Uint8Array,
  solutionRange: bigint,
): ChunkCandidate[] {
  const hash = createBlake3Keyed32(slotChallenge);
  const out = new Uint8Array(BLAKE3_HASH_SIZE);
  const ov = new DataView(out.buffer);
  const gv = new DataView(globalChallenge.buffer, globalChallenge.byteOffset, 8);
  const gLo = gv.getUint32(0, true);
  const gHi = gv.getUint32(4, true);
  const half = solutionRange / 2n;
  const hHi = Number(half >> 32n);
  const hLo = Number(half & 0xffffffffn);
  const found: ChunkCandidate[] = [];
  const n = chunks.length / FULL_BYTES;
  // u64 arithmetic as two u32 halves: no BigInt in the loop (500 chunks per sector per slot).
  for (let j = 0; j < n; j++) {
    hash(out, 0, chunks, j * FULL_BYTES);
    const aLo = ov.getUint32(0, true);
    const aHi = ov.getUint32(4, true);
    // d1 = g − a, d2 = a − g (mod 2^64)
    let lo1 = gLo - aLo;
    let hi1 = gHi - aHi;
    if (lo1 < 0) {
      lo1 += TWO32;
      hi1 -= 1;
    }
    hi1 = hi1 >>> 0;
    let lo2 = aLo - gLo;
    let hi2 = aHi - gHi;
    if (lo2 < 0) {
      lo2 += TWO32;
      hi2 -= 1;
    }
    hi2 = hi2 >>> 0;
    let dHi = hi1;
    let dLo = lo1;
    if (hi2 < hi1 || (hi2 === hi1 && lo2 < lo1)) {
      dHi = hi2;
      dLo = lo2;
    }
    if (dHi < hHi || (dHi === hHi && dLo <= hLo))
      found.push({ chunkOffset: j, distance: (BigInt(dHi) << 32n) | BigInt(dLo) });
  }
  // Array.prototype.sort is stable: equal distances keep s-bucket order.
  return found.sort((a, b) => (a.distance < b.distance ? -1 : a.distance > b.distance ? 1 : 0));
}

function check(o: Pick<AuditSectorOptions, 'publicKey' | 'globalChallenge' | 'solutionRange'>): void {
  abytes(o.publicKey, PUBLIC_KEY_SIZE, 'publicKey');
  abytes(o.globalChallenge, BLAKE3_HASH_SIZE, 'globalChallenge');
  au64(o.solutionRange, 'solutionRange');
}

async function audit(
  pkHash: Uint8Array,
  o: Omit<AuditSectorOptions, 'publicKey'>,
): Promise<SectorAuditResult | undefined> {
  const m = o.metadata;
  const layout = sectorLayout(m.piecesInSector, o);
  if (!(m.sBucketSizes instanceof Uint16Array) || m.sBucketSizes.length !== layout.numSBuckets)
    throw new PlotterError({
      code: 'PLOTTER_INVALID_SECTOR_METADATA',
      reason: `expected ${layout.numSBuckets} s-bucket sizes`,
      sectorIndex: m.sectorIndex,
    });
  const id = sectorId(pkHash, m.sectorIndex, m.historySize);
  const challenge = sectorSlotChallenge(id, o.globalChallenge);
  const s = auditSBucket(challenge, layout.numSBuckets);
  const size = m.sBucketSizes[s]!;
  if (size === 0) return undefined; // an empty s-bucket: nothing to audit
  const offset = sBucketOffsets(m.sBucketSizes, layout.contentsMapSize)[s]!;
  const length = size * FULL_BYTES;
  let chunks: Uint8Array;
  if (o.sector instanceof Uint8Array) {
    abytes(o.sector, layout.size, 'sector');
    chunks = o.sector.subarray(offset, offset + length);
  } else if (typeof o.sector === 'function') {
    chunks = await o.sector(offset, length);
    abytes(chunks, length, 's-bucket read');
  } else {
    throw new PlotterError({
      code: 'PLOTTER_INVALID_ARGUMENT',
      what: 'sector',
      reason: 'expected bytes or a reader',
    });
  }
  const candidates = auditChunks(chunks, challenge, o.globalChallenge, o.solutionRange);
  if (candidates.length === 0) return undefined;
  return { sectorIndex: m.sectorIndex, sectorId: id, sBucket: s, candidates };
}

/**
 * Audits one sector in one slot: `undefined` when no chunk of its audited s-bucket is within range.
 * @example
 * const r = await auditSector({ publicKey, metadata, sector, globalChallenge, solutionRange });
 */
export async function auditSector(o: AuditSectorOptions): Promise<SectorAuditResult | undefined> {
  check(o);
  return audit(publicKeyHash(o.publicKey), o);
}

/** Inputs of {@link auditPlot}. */
export interface AuditPlotOptions extends Omit<AuditSectorOptions, 'metadata' | 'sector'> {
  sectors: readonly { metadata: SectorMetadata; sector: SectorSource }[];
}

/**
 * Audits every sector of a plot in one slot; results (sectors with candidates) sorted by their best
 * distance, so the first is the one to prove first.
 * @example
 * const results = await auditPlot({ publicKey, sectors, globalChallenge: slotGlobalChallenge(pot, slot), solutionRange });
 */
export async function auditPlot(o: AuditPlotOptions): Promise<SectorAuditResult[]> {
  check(o);
  if (!Array.isArray(o.sectors))
    throw new PlotterError({
      code: 'PLOTTER_INVALID_ARGUMENT',
      what: 'sectors',
      reason: 'expected an array',
    });
  const pkHash = publicKeyHash(o.publicKey);
  const results = await Promise.all(o.sectors.map((s) => audit(pkHash, { ...o, ...s })));
  return results
    .filter((r): r is SectorAuditResult => r !== undefined)
    .sort((a, b) => {
      const x = a.candidates[0]!.distance;
      const y = b.candidates[0]!.distance;
      return x < y ? -1 : x > y ? 1 : 0;
    });
}

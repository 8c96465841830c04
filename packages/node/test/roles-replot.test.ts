/**
 * farming §4.8 from the farmer's side: as segments are archived, a sector whose expiration history
 * size comes within one segment is replotted at the current history size. The node here is a
 * stand-in (deterministic pieces, synthetic segment headers): expiration depends only on the sector
 * id, its history size and the commitment of the check segment.
 */

import { Kzg, loadPublicParameters } from '@autonomys/kzg';
import { createShimTableGenerator } from '@autonomys/plotter';
import { blake3, type SegmentHeader, sr25519PairFromSeed } from '@autonomys/primitives';
import { describe, expect, it } from 'vitest';
import { Farmer, type FarmerEvent } from '../src/roles/farmer.js';
import type { FarmerAppInfo, FarmerNode, SlotInfo } from '../src/roles/types.js';

const NUM_CHUNKS = 4;
const PIECE_SIZE = NUM_CHUNKS * 32 + 48 + 48;

class StandInNode implements FarmerNode {
  historySize = 1n;
  headers: SegmentHeader[] = [];
  private segmentListeners = new Set<(h: SegmentHeader) => void>();
  async farmerAppInfo(): Promise<FarmerAppInfo> {
    return {
      genesisHash: new Uint8Array(32),
      protocolInfo: {
        historySize: this.historySize,
        maxPiecesInSector: 1000,
        recentSegments: 5n,
        recentHistoryFraction: [1n, 10n],
        minSectorLifetime: 4,
      },
      numChunks: NUM_CHUNKS,
      numRawRecords: 128,
      shimProofOfSpace: true,
    };
  }
  async onSlotInfo(_l: (i: SlotInfo) => void) {
    return () => {};
  }
  async submitSolution() {}
  async onRewardSigning() {
    return () => {};
  }
  async submitRewardSignature() {}
  async onArchivedSegmentHeader(l: (h: SegmentHeader) => void) {
    this.segmentListeners.add(l);
    return () => this.segmentListeners.delete(l);
  }
  async segmentHeaders(indexes: readonly bigint[]) {
    return indexes.map((i) => this.headers[Number(i)]);
  }
  async piece(index: bigint) {
    // Deterministic bytes of the right size; chunks are kept below the field modulus.
    const piece = new Uint8Array(PIECE_SIZE);
    for (let i = 0; i < PIECE_SIZE; i += 32)
      piece.set(
        blake3(new TextEncoder().encode(`${index}/${i}`)).subarray(0, Math.min(32, PIECE_SIZE - i)),
        i,
      );
    for (let c = 0; c < NUM_CHUNKS; c++) piece[c * 32] = 0;
    return piece;
  }
  archive() {
    const segmentIndex = BigInt(this.headers.length);
    const header: SegmentHeader = {
      segmentIndex,
      // 48 arbitrary bytes: expiration only hashes the commitment (no curve point is needed).
      segmentCommitment: new Uint8Array([
        ...blake3(new TextEncoder().encode(`a${segmentIndex}`)),
        ...blake3(new TextEncoder().encode(`b${segmentIndex}`)).subarray(0, 16),
      ]),
      prevSegmentHeaderHash: new Uint8Array(32),
      lastArchivedBlock: { number: Number(segmentIndex), archivedProgress: { type: 'complete' } },
    };
    this.headers.push(header);
    this.historySize = segmentIndex + 1n;
    for (const l of this.segmentListeners) l(header);
  }
}

describe('farmer replotting', () => {
  it('replots sectors as they expire, at the new history size', { timeout: 60_000 }, async () => {
    const node = new StandInNode();
    node.archive(); // segment 0
    const events: FarmerEvent[] = [];
    const farmer = new Farmer({
      node,
      keypair: sr25519PairFromSeed(new Uint8Array(32).fill(3)),
      sectorCount: 2,
      piecesInSector: 4,
      tableGenerator: createShimTableGenerator(),
      kzg: new Kzg(await loadPublicParameters({ g1Count: 256 })),
      onEvent: (e) => events.push(e),
    });
    await farmer.start();
    const plotted = () =>
      events.filter(
        (e): e is Extract<FarmerEvent, { type: 'sector-plotted' }> => e.type === 'sector-plotted',
      );
    expect(plotted().map((e) => [e.sectorIndex, e.historySize, e.replot])).toEqual([
      [0, 1n, false],
      [1, 1n, false],
    ]);
    // A sector plotted at history size 1 is checked at segment 4 and expires within 3 more.
    for (let i = 0; i < 8; i++) {
      node.archive();
      await new Promise((r) => setTimeout(r, 20));
    }
    const t0 = Date.now();
    while (farmer.plotting().replots < 2 && Date.now() - t0 < 20_000)
      await new Promise((r) => setTimeout(r, 50));
    const replots = plotted().filter((e) => e.replot);
    expect(replots.map((e) => e.sectorIndex).sort()).toEqual([0, 1]);
    for (const r of replots) expect(r.historySize).toBeGreaterThan(4n);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    await farmer.stop();
  });
});

/**
 * The one real-size run: K = 20 tables, 32 768-chunk records, a one-piece sector, audited, proven
 * and verified with the network's parameters (piece checks included). Opt-in
 * (`AUTONOMYS_SLOW_TESTS=1`): ~20-40 s on two cores.
 */
import { Kzg, loadPublicParameters, poly } from '@autonomys/kzg';
import {
  blake3,
  blake3_254,
  decodeSolution,
  encodeSolution,
  NUM_CHUNKS,
  publicKeyHash,
  type Solution,
  sectorDerivePieceIndex,
  sectorId,
  slotGlobalChallenge,
} from '@autonomys/primitives';
import { describe, expect, it } from 'vitest';
import {
  auditSector,
  checkSector,
  createPosTableGenerator,
  plotSector,
  proveSolutions,
  readPiece,
  verifySolution,
} from '../src/index.js';
import { scalars } from './farm.js';

const PK = new Uint8Array(32).fill(5);
const U64_MAX = 2n ** 64n - 1n;

describe('slow: farming at real sizes (K = 20, 2^15 chunks per record)', () => {
  it('plot one piece, read it back, audit, prove and verify with piece checks', async () => {
    const kzg = new Kzg(await loadPublicParameters());
    const gen = createPosTableGenerator({ threads: 0 });
    const id = sectorId(publicKeyHash(PK), 0, 1n);
    const position = Number(sectorDerivePieceIndex(id, 0, 1n));
    // A real record and commitment; the segment's other 255 values are arbitrary scalars (a verifier
    // only sees the segment commitment and this opening).
    const record = scalars(NUM_CHUNKS, 42);
    const commitment = kzg.commit(poly(record));
    const segValues = scalars(256, 43);
    segValues.set(blake3_254(commitment), 32 * position);
    const segPoly = poly(segValues);
    const segmentCommitment = kzg.commit(segPoly);
    const piece = new Uint8Array(record.length + 96);
    piece.set(record);
    piece.set(commitment, record.length);
    piece.set(kzg.createWitness(segPoly, 256, position), record.length + 48);

    let t = performance.now();
    const plotted = await plotSector({
      publicKey: PK,
      sectorIndex: 0,
      historySize: 1n,
      piecesInSector: 1,
      pieceGetter: async () => piece,
      tableGenerator: gen,
    });
    console.log(`plotSector, 1 piece, K=20: ${(performance.now() - t).toFixed(0)} ms`);
    checkSector(plotted.sector, plotted.metadata);
    const o = { publicKey: PK, metadata: plotted.metadata, sector: plotted.sector, tableGenerator: gen };
    expect(blake3(await readPiece({ ...o, pieceOffset: 0 }))).toEqual(blake3(piece));

    let solution: Solution | undefined;
    let slot = 0n;
    let pot = new Uint8Array(16);
    let audits = 0;
    let auditMs = 0;
    while (solution === undefined) {
      slot++;
      pot = blake3(new Uint8Array([Number(slot)])).slice(0, 16);
      t = performance.now();
      const audit = await auditSector({
        publicKey: PK,
        metadata: plotted.metadata,
        sector: plotted.sector,
        globalChallenge: slotGlobalChallenge(pot, slot),
        solutionRange: U64_MAX,
      });
      auditMs += performance.now() - t;
      audits++;
      if (audit === undefined) continue;
      t = performance.now();
      for await (const s of proveSolutions({ ...o, rewardAddress: PK, kzg, audit, maxSolutions: 1 }))
        solution = s;
      if (solution !== undefined)
        console.log(`proveSolutions, 1 solution: ${(performance.now() - t).toFixed(0)} ms`);
    }
    console.log(`auditSector: ${((auditMs / audits) * 1000).toFixed(0)} µs per slot (${audits} slots)`);
    const params = {
      slot,
      potOutput: pot,
      solutionRange: U64_MAX,
      pieceCheck: { maxPiecesInSector: 1000, segmentCommitment, currentHistorySize: 1n },
    };
    t = performance.now();
    const distance = verifySolution(decodeSolution(encodeSolution(solution)), params, { kzg });
    console.log(`verifySolution with piece checks: ${(performance.now() - t).toFixed(1)} ms`);
    expect(distance <= U64_MAX / 2n).toBe(true);
    await gen.close();
  }, 600_000);
});

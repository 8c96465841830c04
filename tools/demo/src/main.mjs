// The main job until @autonomys/node (issue #7) exists: the farming loop of the network, run on the
// real packages as a third-party farmer would assemble them (built `dist/`, no test doubles).
// History is archived into segments, two sectors are plotted from the archived pieces, and every
// slot a proof-of-time output gives the challenge: audit, prove, verify. The record size is the
// small preset (32 chunks per record, 256 pieces per segment, the shim proof of space) so that it
// runs in a minute; the code paths are the network's.
import { randomBytes } from 'node:crypto';
import { Archiver, isPieceValid, kzgSegmentCommitter, verifySegmentHeaderChain } from '@autonomys/archiver';
import { Kzg, loadPublicParameters } from '@autonomys/kzg';
import {
  auditPlot,
  createShimTableGenerator,
  isShimProofValid,
  plotSector,
  proveSolutions,
  solutionPieceIndex,
  verifySolution,
} from '@autonomys/plotter';
import { prove, verify } from '@autonomys/pot';
import { bytesToHex, potOutputToSeed, potSeedFromGenesis, slotGlobalChallenge } from '@autonomys/primitives';

const NUM_CHUNKS = 32;
const params = { numChunks: NUM_CHUNKS, numRawRecords: 128 };
const PIECES_IN_SECTOR = 16;
const SLOTS = Number(process.env.DEMO_SLOTS ?? 20);
const SLOT_ITERATIONS = 1 << 20;
const t0 = performance.now();
const log = (msg) => console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${msg}`);

log('loading the KZG public parameters (first 256 powers)');
const parameters = { g1Count: 256 };
const kzg = new Kzg(await loadPublicParameters(parameters));

// 1. Archive history: random blocks until three segments exist.
const committer = kzgSegmentCommitter({ threads: 2, parameters });
const archiver = new Archiver({ params, committer });
const headers = [];
const pieces = new Map();
for (let number = 0; headers.length < 3; number++) {
  const { segments } = await archiver.addBlock(randomBytes(40_000), [], { number });
  for (const s of segments) {
    headers.push(s.header);
    const pieceSize = s.pieces.length / 256;
    for (let i = 0; i < 256; i++)
      pieces.set(
        s.header.segmentIndex * 256n + BigInt(i),
        s.pieces.subarray(i * pieceSize, (i + 1) * pieceSize),
      );
    log(
      `segment ${s.header.segmentIndex} archived at block ${number}: commitment ${bytesToHex(s.header.segmentCommitment).slice(0, 16)}…, last block ${JSON.stringify(s.header.lastArchivedBlock)}`,
    );
  }
}
await committer.close();
verifySegmentHeaderChain(headers);
const valid = [0, 1, 255].every((i) =>
  isPieceValid(kzg, pieces.get(BigInt(i)), headers[0].segmentCommitment, i, params),
);
log(`segment header chain verified; sample pieces verify against their segment commitment: ${valid}`);

// 2. Plot two sectors from the archived pieces.
const publicKey = randomBytes(32);
const rewardAddress = randomBytes(32);
const historySize = BigInt(headers.length);
const tableGenerator = createShimTableGenerator();
const pieceGetter = async (i) => pieces.get(i);
const sectors = [];
for (let sectorIndex = 0; sectorIndex < 2; sectorIndex++) {
  const { sector, metadata } = await plotSector({
    publicKey,
    sectorIndex,
    historySize,
    piecesInSector: PIECES_IN_SECTOR,
    pieceGetter,
    tableGenerator,
    numChunks: NUM_CHUNKS,
  });
  sectors.push({ sector, metadata });
  log(`sector ${sectorIndex} plotted: ${PIECES_IN_SECTOR} pieces, ${sector.length} bytes`);
}

// 3. Slots: proof of time, audit, prove, verify.
let seed = potSeedFromGenesis(new Uint8Array(32), new TextEncoder().encode('autonomys-ts demo'));
const solutionRange = (1n << 64n) / 32n; // generous: about one winning chunk every other slot
let wins = 0;
for (let slot = 1n; slot <= BigInt(SLOTS); slot++) {
  const checkpoints = prove(seed, SLOT_ITERATIONS);
  if (!verify(seed, SLOT_ITERATIONS, checkpoints)) throw new Error('proof of time did not verify');
  const potOutput = checkpoints.subarray(112, 128);
  const globalChallenge = slotGlobalChallenge(potOutput, slot);
  const audits = await auditPlot({
    publicKey,
    sectors,
    globalChallenge,
    solutionRange,
    numChunks: NUM_CHUNKS,
  });
  let line = `slot ${slot}: PoT ${bytesToHex(potOutput).slice(0, 12)}…, ${audits.length} sector(s) with candidates`;
  for (const audit of audits.slice(0, 1)) {
    const { sector, metadata } = sectors[audit.sectorIndex];
    for await (const solution of proveSolutions({
      publicKey,
      rewardAddress,
      metadata,
      sector,
      tableGenerator,
      kzg,
      audit,
      maxSolutions: 1,
      numChunks: NUM_CHUNKS,
    })) {
      const segmentIndex = solutionPieceIndex(solution, 1000) / 256n;
      const distance = verifySolution(
        solution,
        {
          slot,
          potOutput,
          solutionRange,
          pieceCheck: {
            maxPiecesInSector: 1000,
            segmentCommitment: headers[Number(segmentIndex)].segmentCommitment,
            currentHistorySize: historySize,
          },
        },
        { kzg, isProofValid: isShimProofValid, numChunks: NUM_CHUNKS },
      );
      wins++;
      line += ` -> solution from sector ${solution.sectorIndex}, piece offset ${solution.pieceOffset}, distance ${distance}: verified`;
    }
  }
  log(line);
  seed = potOutputToSeed(potOutput);
}
await tableGenerator.close?.();
log(`${wins} verified solutions in ${SLOTS} slots. Next: the chain (issue #7) turns these into blocks.`);

/**
 * A test author: plots sectors from the chain's own archived pieces, proves PoT slots, audits,
 * proves a solution, builds, seals and imports blocks (B.3 without wall-clock time: slots advance
 * as fast as they are proved).
 */
import {
  auditPlot,
  createShimTableGenerator,
  type PosTableGenerator,
  plotSector,
  proveSolutions,
  type SectorMetadata,
} from '@autonomys/plotter';
import { type PotSlotProof, proveSlots } from '@autonomys/pot';
import { type Solution, slotGlobalChallenge, sr25519PairFromSeed } from '@autonomys/primitives';
import { type Chain, type SignedBlock, sealBlock } from '../../src/index.js';

export interface Farmer {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
  readonly rewardAddress: Uint8Array;
  readonly sectors: { sector: Uint8Array; metadata: SectorMetadata }[];
  readonly tableGenerator: PosTableGenerator;
}

export async function makeFarmer(
  chain: Chain,
  seedByte = 7,
  sectorCount = 2,
  piecesInSector = 8,
): Promise<Farmer> {
  const pair = sr25519PairFromSeed(new Uint8Array(32).fill(seedByte));
  const tableGenerator = createShimTableGenerator();
  const historySize = chain.historySize();
  const sectors = [];
  for (let sectorIndex = 0; sectorIndex < sectorCount; sectorIndex++) {
    const { sector, metadata } = await plotSector({
      publicKey: pair.publicKey,
      sectorIndex,
      historySize,
      piecesInSector,
      pieceGetter: async (i) => chain.getPiece(i),
      tableGenerator,
      numChunks: chain.spec.archiving.numChunks,
    });
    sectors.push({ sector, metadata });
  }
  return {
    publicKey: pair.publicKey,
    secretKey: pair.secretKey,
    rewardAddress: pair.publicKey,
    sectors,
    tableGenerator,
  };
}

export interface Claim {
  readonly slot: bigint;
  readonly solution: Solution;
  readonly proofs: PotSlotProof[];
  readonly firstSlot: bigint;
}

/** Finds the first slot after the parent that the farmer wins (proving PoT as it goes). */
export async function findClaim(
  chain: Chain,
  farmer: Farmer,
  parentHash?: Uint8Array,
  minSlot = 0n,
): Promise<Claim> {
  const ctx = chain.authoringContext(parentHash);
  const proofs: PotSlotProof[] = [];
  const change = ctx.potParametersChange;
  const proveUpTo = (slot: bigint) => {
    while (proofs.length === 0 || proofs[proofs.length - 1]!.slot < slot) {
      const last = proofs[proofs.length - 1];
      const [p] =
        last === undefined
          ? proveSlots(ctx.nextSlotInput, 1, change)
          : proveSlots(
              {
                ...nextInput(last, change),
              },
              1,
              change,
            );
      proofs.push(p!);
    }
  };
  for (let slot = ctx.parentSlot + 1n; slot < ctx.parentSlot + 200n; slot++) {
    proveUpTo(slot + 4n);
    if (slot < minSlot) continue;
    const proof = proofs.find((p) => p.slot === slot)!;
    const potOutput = proof.checkpoints.subarray(112, 128);
    const audits = await auditPlot({
      publicKey: farmer.publicKey,
      sectors: farmer.sectors,
      globalChallenge: slotGlobalChallenge(potOutput, slot),
      solutionRange: ctx.solutionRange,
      numChunks: chain.spec.archiving.numChunks,
    });
    for (const audit of audits) {
      const { sector, metadata } = farmer.sectors[audit.sectorIndex]!;
      for await (const solution of proveSolutions({
        publicKey: farmer.publicKey,
        rewardAddress: farmer.rewardAddress,
        metadata,
        sector,
        tableGenerator: farmer.tableGenerator,
        kzg: chain.kzg,
        audit,
        maxSolutions: 1,
        numChunks: chain.spec.archiving.numChunks,
      })) {
        return { slot, solution, proofs, firstSlot: ctx.firstJustificationSlot };
      }
    }
  }
  throw new Error('no winning slot in 200 slots');
}

function nextInput(last: PotSlotProof, change: Parameters<typeof proveSlots>[2]) {
  // proveSlots(input, 2) would re-prove `last`; derive the next input the same way it does.
  return proveSlotsNext(last, change);
}

import { nextSlotInput } from '@autonomys/pot';

function proveSlotsNext(last: PotSlotProof, change: Parameters<typeof proveSlots>[2]) {
  return nextSlotInput(last.slot, last.slotIterations, last.checkpoints.subarray(112, 128), change);
}

/** Builds and seals (does not import) the block of a claim. */
export async function buildClaim(
  chain: Chain,
  farmer: Farmer,
  claim: Claim,
  parentHash?: Uint8Array,
  extrinsics?: Uint8Array[],
): Promise<SignedBlock> {
  const parent = parentHash ?? chain.head().hash;
  const out = (s: bigint) => claim.proofs.find((p) => p.slot === s)!.checkpoints.subarray(112, 128);
  const just = claim.proofs.filter((p) => p.slot >= claim.firstSlot && p.slot <= claim.slot + 4n);
  const unsealed = await chain.buildBlock({
    parentHash: parent,
    slot: claim.slot,
    solution: claim.solution,
    proofOfTime: out(claim.slot),
    futureProofOfTime: out(claim.slot + 4n),
    checkpoints: just.map((p) => p.checkpoints),
    checkpointsSeed: just[0]!.seed,
    timestamp: 1_000n * claim.slot,
    ...(extrinsics === undefined ? {} : { extrinsics }),
  });
  return sealBlock(unsealed, farmer.secretKey, farmer.publicKey);
}

/** Produces and imports one block on the best chain (or on `parentHash`). */
export async function produce(
  chain: Chain,
  farmer: Farmer,
  parentHash?: Uint8Array,
  extrinsics?: Uint8Array[],
): Promise<SignedBlock> {
  const claim = await findClaim(chain, farmer, parentHash);
  const block = await buildClaim(chain, farmer, claim, parentHash, extrinsics);
  const r = await chain.importBlock(block, 'own');
  if (r.status !== 'imported')
    throw new Error(
      `own block not imported: ${JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`,
    );
  return block;
}

/**
 * The runtime's block execution on synthetic pre-digests (no proofs needed at this level): the PoT
 * entropy injection of A.5, era changes of B.6 and the subsidy curve of B.8.
 */
import { blake3 } from '@autonomys/primitives';
import { describe, expect, it } from 'vitest';
import {
  type ConsensusLog,
  encodeExtrinsic,
  executeBlock,
  genesisState,
  MAINNET_GENESIS,
  nextPotParametersChange,
  type PreDigest,
  type RuntimeState,
  referenceSubsidy,
  testChainSpec,
} from '../src/index.js';

const spec = testChainSpec();
const ctx = { spec, genesisHash: new Uint8Array(32).fill(9) };

function pre(number: number, slot: bigint): PreDigest {
  return {
    slot,
    solution: {
      publicKey: new Uint8Array(32).fill(1),
      rewardAddress: new Uint8Array(32).fill(2),
      sectorIndex: 0,
      historySize: 1n,
      pieceOffset: 0,
      recordCommitment: new Uint8Array(48),
      recordWitness: new Uint8Array(48),
      chunk: new Uint8Array(32).fill(number & 0xff),
      chunkWitness: new Uint8Array(48),
      proofOfSpace: new Uint8Array(160),
    },
    potInfo: {
      proofOfTime: new Uint8Array(16).fill((number * 7) & 0xff),
      futureProofOfTime: new Uint8Array(16),
    },
  };
}

function run(blocks: number, slotOf: (n: number) => bigint, s0: RuntimeState = genesisState(spec)) {
  let state = s0;
  const logs: ConsensusLog[][] = [[]];
  const states: RuntimeState[] = [state];
  for (let n = 1; n <= blocks; n++) {
    const ts = encodeExtrinsic({
      type: 'Bare',
      version: 5,
      call: { type: 'Timestamp.set', now: BigInt(n) * 1000n },
    });
    const out = executeBlock(
      {
        parent: state,
        parentHash: new Uint8Array(32).fill(n & 0xff),
        preDigest: pre(n, slotOf(n)),
        extrinsics: [ts],
        mode: 'import',
        expectedSegmentHeaders: [],
      },
      ctx,
    );
    state = out.state;
    logs.push([...out.logs]);
    states.push(state);
  }
  return { logs, states };
}

describe('A.5 entropy injection', () => {
  it('first collected at 50, first injected via 150 with entropy of block 50 at slot(150) + 15, only until the target passes', () => {
    const slotOf = (n: number) => BigInt(n) * 6n;
    const { logs, states } = run(200, slotOf);
    const changes = logs.map((l) => l.find((x) => x.type === 'PotParametersChange'));
    for (let n = 1; n < 150; n++) expect(changes[n], `block ${n}`).toBeUndefined();
    const target = slotOf(150) + 15n; // 915: block 150 (source 50) sets the target
    const entropy50 = blake3(
      Uint8Array.of(...pre(50, 0n).solution.chunk, ...pre(50, 0n).potInfo.proofOfTime),
    );
    // Present from block 150 through the first block whose slot exceeds the target (153: 918).
    const present = changes.map((c, n) => (c === undefined ? -1 : n)).filter((n) => n >= 0);
    expect(present[0]).toBe(150);
    const c150 = changes[150]!;
    expect(c150).toMatchObject({ type: 'PotParametersChange', slotIterations: spec.potSlotIterations });
    if (c150.type !== 'PotParametersChange') throw new Error('type');
    expect(c150.entropy).toEqual(entropy50);
    expect(c150.slot).toBe(target);
    expect(present.filter((n) => n < 200)).toEqual([150, 151, 152, 153]);
    expect(present).toContain(200); // the next injection (source 100)
    expect(nextPotParametersChange(states[152]!)).toMatchObject({ slot: target, entropy: entropy50 });
    expect(nextPotParametersChange(states[153]!)).toBeUndefined();
    expect(states[149]!.potEntropy.get(50)?.targetSlot).toBeUndefined();
    expect(states[150]!.potEntropy.get(50)?.targetSlot).toBe(target);
  });

  it('with slots close together the change stays until the first block past the target (A.5 invariant 13)', () => {
    // One slot per block: target = slot(150) + 15 = 165; block 166 (slot 166) is the first past it.
    const slotOf = (n: number) => BigInt(n);
    const { logs, states } = run(170, slotOf);
    const present = logs
      .map((l, n) => (l.some((x) => x.type === 'PotParametersChange') ? n : -1))
      .filter((n) => n >= 0);
    expect(present).toEqual(Array.from({ length: 17 }, (_, i) => 150 + i));
    expect(states[170]!.potEntropy.has(50)).toBe(false);
    expect(states[170]!.potEntropy.has(100)).toBe(true);
    expect(states[170]!.potEntropy.has(150)).toBe(true);
  });
});

describe('B.6 era change and B.8 subsidy', () => {
  it('adjustment off: every eraDuration blocks NextSolutionRange = current, voting range = block range', () => {
    const short = testChainSpec({ eraDuration: 10 });
    const s0 = genesisState(short);
    let state = s0;
    for (let n = 1; n <= 11; n++) {
      const ts = encodeExtrinsic({
        type: 'Bare',
        version: 5,
        call: { type: 'Timestamp.set', now: BigInt(n) },
      });
      const out = executeBlock(
        {
          parent: state,
          parentHash: new Uint8Array(32),
          preDigest: pre(n, BigInt(n)),
          extrinsics: [ts],
          mode: 'import',
          expectedSegmentHeaders: [],
        },
        { spec: short, genesisHash: new Uint8Array(32) },
      );
      const next = out.logs.find((l) => l.type === 'NextSolutionRange');
      if (n === 10)
        expect(next).toEqual({ type: 'NextSolutionRange', solutionRange: short.initialSolutionRange });
      else expect(next).toBeUndefined();
      state = out.state;
    }
    expect(state.solutionRanges).toEqual({
      current: short.initialSolutionRange,
      next: undefined,
      votingCurrent: short.initialSolutionRange,
      votingNext: undefined,
    });
    expect(state.eraStartSlot).toBe(10n);
  });

  it('reference subsidy: piecewise linear with division first, constant after the last point', () => {
    const p = MAINNET_GENESIS.proposerSubsidyPoints;
    expect(referenceSubsidy(p, 0)).toBe(454_545_454_545_455_000n);
    expect(referenceSubsidy(p, 10_512_000)).toBe(423_672_207_997_007_000n);
    const step = (454_545_454_545_455_000n - 423_672_207_997_007_000n) / 10_512_000n;
    expect(referenceSubsidy(p, 1000)).toBe(454_545_454_545_455_000n - step * 1000n);
    expect(referenceSubsidy(p, 300_000_000)).toBe(18_033_114_698_427_300n);
    expect(referenceSubsidy([[10, 5n]], 3)).toBe(0n);
    expect(
      referenceSubsidy(
        [
          [0, 5n],
          [10, 9n],
        ],
        3,
      ),
    ).toBe(0n);
  });
});

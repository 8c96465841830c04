import { genesisSlotInput, potCheckpointsOutput, verify } from '@autonomys/pot';
import { REWARD_SIGNING_CONTEXT, sr25519PairFromSeed, sr25519Sign } from '@autonomys/primitives';
import { describe, expect, it } from 'vitest';
import { FarmingHub, type HubChain } from '../src/roles/hub.js';
import { TimekeeperRole } from '../src/roles/timekeeper.js';

describe('TimekeeperRole', () => {
  it('publishes chained, verifiable proofs paced to the slot clock after a fast catch-up', {
    timeout: 30_000,
  }, async () => {
    const input = genesisSlotInput(new Uint8Array(32).fill(1), 'test', 1024);
    const tk = new TimekeeperRole({ input, slotDurationMs: 60, catchUpTo: 3n });
    const got: { slot: bigint; at: number; seed: Uint8Array; checkpoints: Uint8Array }[] = [];
    tk.onProof((p) =>
      got.push({ slot: p.slot, at: performance.now(), seed: p.seed, checkpoints: p.checkpoints }),
    );
    tk.start();
    while (got.length < 8) await new Promise((r) => setTimeout(r, 10));
    await tk.stop();
    expect(got.map((g) => g.slot)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n].slice(0, got.length));
    for (const g of got) expect(verify(g.seed, 1024, g.checkpoints)).toBe(true);
    // Chained: each output is the next seed (no parameters change).
    for (let i = 1; i < got.length; i++)
      expect(got[i]!.seed).toEqual(potCheckpointsOutput(got[i - 1]!.checkpoints));
    // Paced after the catch-up: slots 5..8 come about 60 ms apart (allow timer slack, not bursts).
    const gaps = got.slice(4).map((g, i) => g.at - got[3 + i]!.at);
    for (const gap of gaps) expect(gap).toBeGreaterThan(40);
    expect(tk.published).toBe(got.length);
  });
});

describe('FarmingHub', () => {
  const chain = { on: () => chain, off: () => chain } as unknown as HubChain;

  it('keeps solutions for recent announced slots only', async () => {
    const hub = new FarmingHub(chain, { keepSlots: 2 });
    const solution = { chunk: new Uint8Array(32), sectorIndex: 0 } as never;
    await hub.submitSolution({ slotNumber: 1n, solution }); // not announced yet
    hub.publishSlot({
      slotNumber: 1n,
      globalChallenge: new Uint8Array(32),
      solutionRange: 1n,
      votingSolutionRange: 1n,
    });
    await hub.submitSolution({ slotNumber: 1n, solution });
    await hub.submitSolution({ slotNumber: 1n, solution }); // duplicate
    expect(hub.stats).toMatchObject({ solutionsAccepted: 1, solutionsIgnored: 2 });
    expect(hub.slotsWithSolutions(5n)).toEqual([1n]);
    hub.publishSlot({
      slotNumber: 3n,
      globalChallenge: new Uint8Array(32),
      solutionRange: 1n,
      votingSolutionRange: 1n,
    });
    expect(hub.takeSolutions(1n)).toEqual([]); // slot 1 fell out of the window
  });

  it('accepts the first valid reward signature and ignores bad ones', async () => {
    const hub = new FarmingHub(chain, { rewardSigningTimeoutMs: 1000 });
    const farmer = sr25519PairFromSeed(new Uint8Array(32).fill(4));
    const other = sr25519PairFromSeed(new Uint8Array(32).fill(5));
    const hash = new Uint8Array(32).fill(9);
    await hub.onRewardSigning((info) => {
      void hub.submitRewardSignature({ hash: info.hash, signature: new Uint8Array(64).fill(1) }); // garbage
      void hub.submitRewardSignature({
        hash: info.hash,
        signature: sr25519Sign(other.secretKey, other.publicKey, info.hash, {
          context: REWARD_SIGNING_CONTEXT,
        }),
      });
      void hub.submitRewardSignature({
        hash: info.hash,
        signature: sr25519Sign(farmer.secretKey, farmer.publicKey, info.hash, {
          context: REWARD_SIGNING_CONTEXT,
        }),
      });
    });
    const sig = await hub.requestRewardSignature(hash, farmer.publicKey);
    expect(sig).toBeDefined();
    expect(await hub.requestRewardSignature(hash, new Uint8Array(32).fill(7), 100)).toBeUndefined();
  });
});

/**
 * B.3 step 4 end to end in one process: with solution range adjustment on (voting range 10 × the
 * block range), the farmer's solutions that do not win a block become votes: the author has them
 * signed by the farmer and pooled, the next blocks carry them, and the voter is rewarded.
 */
import { createShimTableGenerator } from '@autonomys/plotter';
import { sr25519PairFromSeed } from '@autonomys/primitives';
import { afterAll, describe, expect, it } from 'vitest';
import { Chain, decodeExtrinsic, NodeService, testChainSpec } from '../src/index.js';
import type { AuthorEvent } from '../src/roles/author.js';

async function until(cond: () => boolean, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('author role: votes (B.3 step 4)', () => {
  let service: NodeService | undefined;
  afterAll(async () => {
    await service?.stop();
  });

  it('solutions inside the voting range only become votes in the next blocks, and voters are paid', {
    timeout: 120_000,
  }, async () => {
    const chain = await Chain.open({ spec: testChainSpec({ adjustSolutionRange: true }) });
    const keypair = sr25519PairFromSeed(new Uint8Array(32).fill(3));
    const voted: AuthorEvent[] = [];
    service = await NodeService.start({
      chain,
      slotDurationMs: 100,
      rpc: false,
      closeChain: true,
      farmer: {
        keypair,
        sectorCount: 2,
        piecesInSector: 8,
        tableGenerator: createShimTableGenerator(),
        kzg: chain.kzg,
      },
      onEvent: (e) => {
        if (e.type === 'author' && e.event.type === 'voted') voted.push(e.event);
      },
    });
    let votesInBlocks = 0;
    let withVotes: Uint8Array | undefined;
    chain.on('blockImported', (info) => {
      void chain.getBlock(info.hash).then((b) => {
        for (const x of b?.extrinsics ?? []) {
          const d = decodeExtrinsic(x);
          if (d.type === 'Bare' && d.call.type === 'Subspace.vote') {
            votesInBlocks++;
            withVotes = info.hash;
          }
        }
      });
    });
    await until(() => votesInBlocks >= 2, 100_000);
    expect(voted.some((e) => e.type === 'voted' && e.result.status === 'ready')).toBe(true);
    // The voter is on the block's voter list with its reward address (paid at finalisation, B.8).
    const voters = [...chain.runtimeState(withVotes).currentBlockVoters.values()];
    expect(voters.length).toBeGreaterThan(0);
    expect(voters.every((v) => v.rewardAddress !== undefined)).toBe(true);
  });
});

/**
 * Chain behaviour on a wide-range test chain (every slot wins): the root farmer restriction, a
 * proof of time that does not follow the parent, fork choice by weight and reorgs, transfers from
 * the pool signed by @polkadot/keyring, rewards, era change and solution range adjustment.
 */

import { auditPlot, proveSolutions } from '@autonomys/plotter';
import { slotGlobalChallenge } from '@autonomys/primitives';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AI3,
  Chain,
  type ChainSpec,
  encodeCall,
  encodeExtrinsic,
  extractSubspaceDigestItems,
  IMMORTAL,
  type ReorgEvent,
  signingPayload,
  testChainSpec,
} from '../src/index.js';
import { buildClaim, type Farmer, findClaim, makeFarmer, produce } from './helpers/farm.js';

const U64_MAX = (1n << 64n) - 1n;
/** Every slot wins (distance ≤ 2^63 − 1), and blocks still weigh 1 each. */
const WIDE = U64_MAX - 1n;
let spec: ChainSpec;
let chain: Chain;
let root: Farmer;
let other: Farmer;
let keyring: Keyring;

beforeAll(async () => {
  await cryptoWaitReady();
  keyring = new Keyring({ type: 'sr25519', ss58Format: 6094 });
  const alice = keyring.addFromUri('//Alice');
  spec = testChainSpec({
    initialSolutionRange: WIDE,
    allowAuthoringBy: 'FirstFarmer',
    adjustSolutionRange: true,
    eraDuration: 4,
    balances: [{ accountId: alice.publicKey, balance: 1000n * AI3 }],
  });
  chain = await Chain.open({ spec });
  root = await makeFarmer(chain, 1, 1, 4);
  other = await makeFarmer(chain, 2, 1, 4);
}, 300_000);

afterAll(async () => {
  await chain.close();
});

describe('authoring rules', () => {
  it('block 1 fixes the root farmer (RootPlotPublicKeyUpdate); another farmer is NOT_ROOT_FARMER', async () => {
    const b1 = await produce(chain, root);
    expect(extractSubspaceDigestItems(b1.header.digest).rootPlotPublicKeyUpdate?.publicKey).toEqual(
      root.publicKey,
    );
    const c = await findClaim(chain, other);
    const b = await buildClaim(chain, other, c);
    const r = await chain.importBlock(b);
    expect(r.status === 'rejected' && r.rejection.code).toBe('NOT_ROOT_FARMER');
  }, 30_000);

  it('INVALID_PROOF_OF_TIME: a claimed PoT output that is not the chain of the parent', async () => {
    const c = await findClaim(chain, root);
    const slot = chain.head().slot + 1n;
    let fake = new Uint8Array(16);
    let solution: typeof c.solution | undefined;
    for (let k = 1; solution === undefined && k < 64; k++) {
      fake = new Uint8Array(16).fill(k);
      const audits = await auditPlot({
        publicKey: root.publicKey,
        sectors: root.sectors,
        globalChallenge: slotGlobalChallenge(fake, slot),
        solutionRange: WIDE,
        numChunks: spec.archiving.numChunks,
      });
      for (const audit of audits) {
        const { metadata, sector } = root.sectors[audit.sectorIndex]!;
        for await (const s of proveSolutions({
          publicKey: root.publicKey,
          rewardAddress: root.rewardAddress,
          metadata,
          sector,
          tableGenerator: root.tableGenerator,
          kzg: chain.kzg,
          audit,
          maxSolutions: 1,
          numChunks: spec.archiving.numChunks,
        }))
          solution = s;
        if (solution !== undefined) break;
      }
    }
    expect(solution).toBeDefined();
    const proofs = c.proofs.map((p) =>
      p.slot === slot ? { ...p, checkpoints: Uint8Array.of(...p.checkpoints.subarray(0, 112), ...fake) } : p,
    );
    const b = await buildClaim(chain, root, { ...c, slot, solution: solution!, proofs });
    const r = await chain.importBlock(b);
    expect(r.status === 'rejected' && r.rejection.code).toBe('INVALID_PROOF_OF_TIME');
  }, 30_000);
});

describe('fork choice (B.5) and reorgs', () => {
  it('a longer fork wins; equal weight keeps the first; events report the reorg', async () => {
    const base = chain.head();
    const a1 = await produce(chain, root);
    const a1hash = chain.head().hash;
    // A sibling of a1: same weight, so the first seen stays best.
    const c = await findClaim(chain, root, base.hash, chain.head().slot + 1n);
    const b1 = await buildClaim(chain, root, c, base.hash);
    const r1 = await chain.importBlock(b1);
    expect(r1.status === 'imported' && r1.isBest).toBe(false);
    expect(chain.head().hash).toEqual(a1hash);
    void a1;
    // Extend the b fork: it becomes heavier and best.
    const reorgs: ReorgEvent[] = [];
    chain.on('reorg', (e) => reorgs.push(e));
    const b1hash = (r1 as { hash: Uint8Array }).hash;
    const c2 = await findClaim(chain, root, b1hash);
    const b2 = await buildClaim(chain, root, c2, b1hash);
    const r2 = await chain.importBlock(b2);
    expect(r2.status === 'imported' && r2.isBest).toBe(true);
    expect(reorgs).toHaveLength(1);
    expect(reorgs[0]!.retracted.map((x) => x.hash)).toEqual([a1hash]);
    expect(reorgs[0]!.enacted.map((x) => x.number)).toEqual([base.number + 1, base.number + 2]);
    expect(chain.getBlockInfo(base.number + 1)!.hash).toEqual(b1hash);
    expect(chain.head().weight).toBe(
      chain.getBlockInfo(base.number + 1)!.weight + (U64_MAX - chain.solutionRanges(b1hash).current),
    );
  }, 60_000);
});

describe('transactions, rewards, eras', () => {
  it('a keyring-signed transfer from the pool is included; balances, nonces and issuance follow', async () => {
    const alice = keyring.addFromUri('//Alice');
    const bob = keyring.addFromUri('//Bob');
    const call = { type: 'Balances.transfer_keep_alive', dest: bob.publicKey, value: 7n * AI3 } as const;
    const explicit = { era: IMMORTAL, nonce: chain.nextNonce(alice.publicKey), tip: 0n };
    const implicit = {
      specVersion: 10,
      transactionVersion: 1,
      genesisHash: chain.genesisHash,
      birthHash: chain.genesisHash,
    };
    const signature = alice.sign(signingPayload(call, explicit, implicit));
    const tx = encodeExtrinsic({
      type: 'Signed',
      signer: alice.publicKey,
      signature: { type: 'Sr25519', signature },
      ...explicit,
      call,
    });
    const issuance = chain.totalIssuance();
    expect(chain.submitExtrinsic(tx).status).toBe('ready');
    expect(chain.submitExtrinsic(tx).status).toBe('invalid');
    const bad = tx.slice();
    bad[bad.length - 40]! ^= 1;
    const badResult = chain.submitExtrinsic(bad);
    expect(badResult.status === 'invalid' && badResult.code).toBe('BAD_PROOF');
    expect(chain.nextNonce(alice.publicKey)).toBe(1);
    const block = await produce(chain, root);
    expect(block.extrinsics).toContainEqual(tx);
    expect(chain.pendingExtrinsics()).toHaveLength(0);
    expect(chain.account(bob.publicKey).free).toBe(7n * AI3);
    expect(chain.account(bob.publicKey).nonce).toBe(chain.head().number); // new accounts start at the block number
    expect(chain.account(alice.publicKey)).toMatchObject({ nonce: 1, free: 993n * AI3 });
    // The author was paid the block reward (rewards from block 1), minted into issuance.
    expect(chain.totalIssuance()).toBeGreaterThan(issuance);
    expect(chain.account(root.rewardAddress).free).toBe(chain.totalIssuance() - 1000n * AI3);
    // A replay of the same transaction is stale.
    const again = chain.submitExtrinsic(tx);
    expect(again.status === 'invalid' && again.code).toBe('STALE');
    void encodeCall;
  }, 30_000);

  it('era change every 4 blocks: NextSolutionRange in the era block, current in the next (B.6)', async () => {
    while (chain.head().number % 4 !== 3) await produce(chain, root);
    const eraBlock = await produce(chain, root);
    const items = extractSubspaceDigestItems(eraBlock.header.digest);
    expect(items.nextSolutionRange).toBeDefined();
    const next = items.nextSolutionRange!;
    expect(next).toBeLessThanOrEqual(items.solutionRange);
    expect(next).toBeGreaterThanOrEqual(items.solutionRange / 4n);
    const after = await produce(chain, root);
    expect(extractSubspaceDigestItems(after.header.digest).solutionRange).toBe(next);
    expect(chain.solutionRanges().votingCurrent).toBe(next * 10n > U64_MAX ? U64_MAX : next * 10n);
  }, 60_000);
});

describe('bad transactions are refused with reasons, never thrown', () => {
  it('random, truncated and oversized extrinsics', () => {
    expect(chain.submitExtrinsic(Uint8Array.of(1, 2, 3))).toMatchObject({
      status: 'invalid',
      code: 'MALFORMED',
    });
    expect(chain.submitExtrinsic(new Uint8Array(6 * 1024 * 1024))).toMatchObject({
      status: 'invalid',
      code: 'EXHAUSTS_RESOURCES',
    });
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed;
    };
    for (let i = 0; i < 300; i++) {
      const n = rand() % 700;
      const bytes = new Uint8Array(n).map(() => rand() >>> 24);
      if (n > 2) bytes[2] = 0x84; // often a signed-extrinsic version byte after the length
      const r = chain.submitExtrinsic(bytes);
      expect(r.status).toBe('invalid');
      expect((r as { detail: string }).detail.length).toBeGreaterThan(0);
    }
  });
});

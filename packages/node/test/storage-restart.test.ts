/**
 * The archiver continues byte-identically after a restart (B.10): a chain in a data directory is
 * closed and reopened while segment 1 is partly filled; the segment it then completes equals the
 * one of a chain that imported the same blocks without stopping.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Chain, IMMORTAL, type SignedBlock, signExtrinsic, testChainSpec } from '../src/index.js';
import { makeFarmer, produce } from './helpers/farm.js';

const dir = mkdtempSync(join(tmpdir(), 'autonomys-node-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('archiver restart', () => {
  it('segment 1 is the same with and without a restart in the middle', async () => {
    const spec = testChainSpec();
    let a = await Chain.open({ spec, dataDir: dir });
    const b = await Chain.open({ spec });
    const farmer = await makeFarmer(a);
    const blocks: SignedBlock[] = [];
    const remark = (chain: Chain) =>
      signExtrinsic(
        { type: 'System.remark', remark: new Uint8Array(30_000).fill(blocks.length) },
        { era: IMMORTAL, nonce: chain.nextNonce(farmer.publicKey), tip: 0n },
        {
          specVersion: spec.specVersion,
          transactionVersion: spec.transactionVersion,
          genesisHash: chain.genesisHash,
          birthHash: chain.genesisHash,
        },
        farmer.secretKey,
        farmer.publicKey,
      );
    let restarted = false;
    while (a.lastSegmentIndex() < 1n && blocks.length < 40) {
      const extrinsics = blocks.length === 0 ? [] : [remark(a)];
      blocks.push(await produce(a, farmer, undefined, extrinsics));
      await a.archivingIdle();
      if (!restarted && blocks.length === 9) {
        await a.close();
        a = await Chain.open({ spec, dataDir: dir });
        restarted = true;
        expect(a.head().number).toBe(9);
      }
    }
    expect(restarted).toBe(true);
    expect(a.lastSegmentIndex()).toBe(1n);
    for (const blk of blocks) expect((await b.importBlock(blk)).status).toBe('imported');
    await b.archivingIdle();
    expect(b.lastSegmentIndex()).toBe(1n);
    expect(a.getSegmentHeader(1n)).toEqual(b.getSegmentHeader(1n));
    expect(await a.getPiece(300n)).toEqual(await b.getPiece(300n));
    // Its header enters the chain K + 1 blocks after the block it ends in (B.10).
    const end = a.getSegmentHeader(1n)!.lastArchivedBlock.number;
    while (a.head().number < end + 1 + spec.confirmationDepthK) await produce(a, farmer);
    expect(a.segmentCommitment(1n)).toEqual(a.getSegmentHeader(1n)!.segmentCommitment);
    expect(a.segmentCommitment(1n, end + spec.confirmationDepthK)).toBeUndefined();
    expect(a.historySize()).toBe(2n);
    await a.close();
    await b.close();
  }, 300_000);
});

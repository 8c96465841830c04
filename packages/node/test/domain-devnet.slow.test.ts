/**
 * Adversarial end to end on a dev network with one domain (`startDevNetwork({ domain })`): two
 * operators staked at genesis, operator 0 puts a wrong state root in a receipt; the watchtower's
 * fraud proof is included and verified by the runtime, the bad receipt is pruned and operator 0
 * slashed; operator 1's receipts confirm after the (2-block) challenge period; a fraud proof
 * against a correct receipt is never included. Small presets: shim proof of space, 100 ms slots.
 * About 15–25 s (dev network start included), so it is a slow suite; the same flow on the real
 * executor without farming runs in CI (domain-runtime.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type DomainEvent,
  type ExecutionReceipt,
  executionTraceRoot,
  hexOf,
  receiptHash,
} from '@autonomys/decex';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Chain,
  type DevNetwork,
  domainsExtrinsic,
  encodeExtrinsic,
  startDevNetwork,
} from '../src/index.js';

type Ev = DomainEvent & { block: number };

function corruptStateRoot(er: ExecutionReceipt): ExecutionReceipt {
  const bad = new Uint8Array(32).fill(0xee);
  const trace = [...er.executionTrace.slice(0, -1), bad];
  return {
    ...er,
    executionTrace: trace,
    executionTraceRoot: executionTraceRoot(trace)!,
    finalStateRoot: bad,
  };
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('dev network with a domain', () => {
  let net: DevNetwork | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'autonomys-domain-'));
  afterAll(async () => {
    await net?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a wrong state root is proven, pruned and slashed; honest receipts confirm; a proof against a correct receipt fails', {
    timeout: 120_000,
  }, async () => {
    // Operator 0 corrupts every receipt from domain block 2 on (one of them lands as the new head
    // when operator 0 is the first or only operator elected in a block).
    const tampered = new Set<string>();
    const opts: Parameters<typeof startDevNetwork>[0] = {
      dataDir: dir,
      fastPos: true,
      potSlotIterations: 4096,
      slotDurationMs: 100,
      numChunks: 4,
      sectors: 1,
      piecesInSector: 8,
      slotsPerBlock: 1,
      rpc: false,
      domain: {
        operators: 2,
        challengePeriod: 2,
        tamper: {
          operator: 0,
          receipt: (er) => {
            if (er.domainBlockNumber < 2) return er;
            const bad = corruptStateRoot(er);
            tampered.add(hexOf(receiptHash(bad)));
            return bad;
          },
        },
      },
    };
    net = await startDevNetwork(opts);
    const chain = net.chain as Chain;
    const domain = net.domain!;
    const events = (): Ev[] => {
      const out: Ev[] = [];
      for (let n = 1; n <= chain.head().number; n++)
        for (const e of chain.runtimeState(n).domains?.events.get(0) ?? []) out.push({ ...e, block: n });
      return out;
    };
    await until(() => domain.state().ledger.operatorStatus(0n)?.type === 'Slashed', 40_000);
    const ev = events();
    const added = ev.find((e) => e.type === 'ReceiptAdded' && tampered.has(hexOf(e.receiptHash)));
    expect(added).toBeDefined();
    const bad = hexOf((added as { receiptHash: Uint8Array }).receiptHash);
    const fp = ev.find((e) => e.type === 'FraudProofProcessed');
    expect(fp && hexOf((fp as { badReceiptHash: Uint8Array }).badReceiptHash)).toBe(bad);
    const pruned = ev.find((e) => e.type === 'ReceiptPruned') as Extract<
      DomainEvent,
      { type: 'ReceiptPruned' }
    >;
    expect(hexOf(pruned.receiptHash)).toBe(bad);
    expect(pruned.slashed).toEqual([0n]);
    const badNumber = (added as { domainBlockNumber: number }).domainBlockNumber;

    // honest receipts confirm after the challenge period
    await until(() => domain.state().domains.get(0)!.latestConfirmed.domainBlockNumber >= badNumber, 20_000);
    const honest = domain.operators[1]!.follower.derive;
    const confirmed = domain.state().domains.get(0)!.latestConfirmed;
    expect(hexOf(receiptHash(confirmed))).toBe(
      hexOf(receiptHash(honest.receiptAt(confirmed.domainBlockNumber)!)),
    );

    // a fraud proof retargeted at a correct receipt in the tree is never included
    const dc = domain.state().domains.get(0)!;
    const correct = dc.receiptAt(dc.headReceiptNumber)!;
    const proof = [...domain.watchtower!.fraudProofs.values()][0]!;
    const x = encodeExtrinsic(
      domainsExtrinsic({
        type: 'submit_fraud_proof',
        fraudProof: { ...proof, badReceiptHash: receiptHash(correct) },
      }),
    );
    const from = chain.head().number;
    domain.pool.submit(x, 3);
    await until(() => chain.head().number >= from + 3, 20_000);
    expect(events().filter((e) => e.type === 'FraudProofProcessed').length).toBe(1);
    const xh = hexOf(x);
    for (let n = from; n <= chain.head().number; n++) {
      const block = await chain.getBlock(n);
      expect(block!.extrinsics.some((e) => hexOf(e) === xh)).toBe(false);
    }

    // a restart replays the journal: the same state roots (domain state included), and the domain
    // goes on from where it was
    const head = chain.head().number;
    const root = hexOf(chain.getHeader(head)!.stateRoot);
    const confirmedBefore = domain.state().domains.get(0)!.latestConfirmed.domainBlockNumber;
    await net.stop();
    net = await startDevNetwork(opts);
    const chain2 = net.chain as Chain;
    expect(hexOf(chain2.getHeader(head)!.stateRoot)).toBe(root);
    expect(chain2.runtimeState(head).domains!.domains.get(0)!.latestConfirmed.domainBlockNumber).toBe(
      confirmedBefore,
    );
    await until(
      () => net!.domain!.state().domains.get(0)!.latestConfirmed.domainBlockNumber > confirmedBefore,
      20_000,
    );
  });
});

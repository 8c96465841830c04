/**
 * Honest consensus -> domain transfers end to end on one dev network with a domain
 * (`startDevNetwork({ domain })`: real farming, PoT, block production, one operator, the
 * watchtower and the relayer; shim proof of space, 100 ms slots):
 *
 * - the dev account signs `Transporter.transfer(Domain(0)/receiver, amount)` (`3d 00`); the block
 *   burns the amount from it, writes `Messenger::Outbox[(Domain(0), 0, nonce)]` into the consensus
 *   state and counts the amount in flight (`UnconfirmedTransfers`);
 * - the relayer proves the outbox entry (MMR leaf of the source block against the root of the next
 *   block, storage proof in the source state) and hands the relay to the operator, whose bundle
 *   carries it; the domain credits the receiver exactly once (at the operator's derived head) and
 *   moves the channel's inbox nonce;
 * - the receipt with `transfers_in[consensus] = amount` confirms after the challenge period with
 *   no fraud proof and moves the amount from `UnconfirmedTransfers` into `DomainBalances[0]`;
 * - a second transfer gets nonce 1 and is credited too;
 * - conservation at every consensus block: total issuance + remaining (unminted) issuance +
 *   in flight + `DomainBalances` is constant, and once confirmed `DomainBalances[0]` equals the sum
 *   of the domain's accounts (the genesis account and the receiver; no domain transactions run).
 *
 * About 8–12 s on a quiet 2-core machine (block production). Then, on the real executor without
 * farming (fast): failed transfers (no channel, too much, zero, a batch failing later, undecodable
 * arguments) change nothing but the nonce; a transfer's outbox entry is in the state trie; the
 * confirmation rules of `ConsensusTransporter`; call round trips and random bytes; and the
 * relayer on the runtime harness (relays once, only once deep enough; a restarted relayer skips
 * delivered messages).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AI3,
  DecexError,
  type DomainEvent,
  decodeMessage,
  decodeTransfer,
  hexOf,
  inboxNonceKey,
  outboxKey,
  receiptHash,
} from '@autonomys/decex';
import { sr25519PairFromSeed } from '@autonomys/primitives';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  accountKey,
  type Chain,
  ConsensusTransporter,
  type DevNetwork,
  decodeCall,
  decodeTransporterCall,
  domainRuntime,
  EXISTENTIAL_DEPOSIT,
  encodeCall,
  headerHash,
  IMMORTAL,
  NodeError,
  Relayer,
  type RuntimeState,
  signExtrinsic,
  startDevNetwork,
  storageEntries,
  transporterTransferCall,
} from '../src/index.js';
import { author, chainOn, owners, stakeDomain, stakeSetup, stakeSpec } from './domain-stake-harness.js';

type Ev = DomainEvent & { block: number };
type Call = Parameters<typeof signExtrinsic>[0];

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function conserved(s: RuntimeState): bigint {
  const tp = s.domains!.transporter;
  let domains = 0n;
  for (const v of tp.domainBalances.balances.values()) domains += v;
  return s.totalIssuance + s.rewards.remainingIssuance + tp.inFlight() + domains;
}

describe('consensus -> domain transfers on the dev network', () => {
  let net: DevNetwork | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'autonomys-xdm-'));
  afterAll(async () => {
    await net?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a signed transfer is relayed, credited once, confirmed, and the next one gets the next nonce', {
    timeout: 150_000,
  }, async () => {
    const roleErrors: unknown[] = [];
    net = await startDevNetwork({
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
        challengePeriod: 2,
        onEvent: (e) => {
          if (e.type === 'domain:error') roleErrors.push(e.error);
        },
      },
    });
    const chain = net.chain as Chain;
    const domain = net.domain!;
    const relayer = domain.relayer!;
    const op = domain.operators[0]!.follower;
    const me = net.keypair;
    const receiver = sr25519PairFromSeed(new Uint8Array(32).fill(91)).publicKey;
    const genesisHash = headerHash(chain.getHeader(0)!);
    const amounts = [3n * AI3, 5n * AI3];

    const tp = (n?: number) => chain.runtimeState(n).domains!.transporter;
    const domainFree = (id: Uint8Array) => {
      const d = op.derive;
      return domainRuntime().account(d.stateAt(d.headNumber)!, id).free;
    };
    const inboxNonce = () => {
      const d = op.derive;
      const raw = d.stateAt(d.headNumber)!.get(inboxNonceKey('consensus', 0n));
      return raw === undefined ? 0n : BigInt(`0x${hexOf(raw.slice().reverse())}`);
    };
    const events = (): Ev[] => {
      const out: Ev[] = [];
      for (let n = 1; n <= chain.head().number; n++)
        for (const e of chain.runtimeState(n).domains?.events.get(0) ?? []) out.push({ ...e, block: n });
      return out;
    };
    const freeOf = (id: Uint8Array, n?: number) => chain.runtimeState(n).accounts.get(accountKey(id))?.free;
    const submit = (pair: typeof me, call: Call) => {
      const nonce = chain.runtimeState().accounts.get(accountKey(pair.publicKey))!.nonce;
      const x = signExtrinsic(
        call,
        { era: IMMORTAL, nonce, tip: 0n },
        {
          specVersion: net!.spec.specVersion,
          transactionVersion: net!.spec.transactionVersion,
          genesisHash,
          birthHash: genesisHash,
        },
        pair.secretKey,
        pair.publicKey,
      );
      const r = chain.submitExtrinsic(x);
      expect(r.status === 'invalid' ? `${r.code}: ${r.detail}` : r.status).toBe('ready');
    };
    const domainGenesis = domainFree(me.publicKey);
    expect(tp(0).domainBalances.balance(0)).toBe(domainGenesis);
    const before = conserved(chain.runtimeState(0));

    // 0. a sender that is not the block author (its balance moves only by its own calls)
    const alice = sr25519PairFromSeed(new Uint8Array(32).fill(92));
    submit(me, { type: 'Balances.transfer_keep_alive', dest: alice.publicKey, value: 100n * AI3 });
    await until(() => freeOf(alice.publicKey) !== undefined, 10_000, 'sender funded');
    const send = (amount: bigint) => submit(alice, transporterTransferCall(0, receiver, amount));

    // 1. the first transfer lands: debited, outbox entry 0, in flight
    send(amounts[0]!);
    await until(() => tp().nextOutboxNonce.get(0) === 1n, 10_000, 'transfer included');
    let sentAt = chain.head().number;
    while (tp(sentAt - 1).nextOutboxNonce.get(0) === 1n) sentAt--;
    expect(freeOf(alice.publicKey, sentAt)).toBe(100n * AI3 - amounts[0]!);
    expect(tp(sentAt - 1).inFlight()).toBe(0n);
    expect(tp(sentAt).inFlight()).toBe(amounts[0]);
    expect(tp(sentAt).outbox.size).toBe(1);

    // 2. relayed (proof on block sentAt + 1), credited exactly once at the operator's head
    await until(() => domainFree(receiver) === amounts[0], 40_000, 'credited on the domain');
    expect(relayer.relayed).toHaveLength(1);
    expect(relayer.relayed[0]).toMatchObject({ nonce: 0n, sourceBlock: sentAt, proofBlock: sentAt + 1 });
    expect(inboxNonce()).toBe(1n);

    // 3. the receipt carrying transfers_in confirms (no fraud proof); DomainBalances moves
    const carrying = () => {
      const d = op.derive;
      for (let n = 1; n <= d.headNumber; n++) {
        const er = d.receiptAt(n);
        if (er?.transfers.transfersIn.get('consensus') === amounts[0]) return er;
      }
      return undefined;
    };
    const er = carrying();
    expect(er).toBeDefined();
    const h = hexOf(receiptHash(er!));
    await until(
      () => events().some((e) => e.type === 'ReceiptConfirmed' && hexOf(e.receiptHash) === h),
      40_000,
      'receipt confirmed',
    );
    await until(
      () => tp().domainBalances.balance(0) === domainGenesis + amounts[0]!,
      5_000,
      'DomainBalances',
    );
    expect(tp().inFlight()).toBe(0n);
    expect(tp().domainBalances.balance(0)).toBe(domainFree(me.publicKey) + domainFree(receiver));

    // 4. a second transfer: nonce 1, credited once more
    send(amounts[1]!);
    await until(() => domainFree(receiver) === amounts[0]! + amounts[1]!, 40_000, 'second credit').catch(
      (e) => {
        const d = op.derive;
        throw new Error(
          `${(e as Error).message}; head ${chain.head().number}, derived ${d.headNumber}, outbox nonce ${tp().nextOutboxNonce.get(0)}, relayed ${relayer.relayed.map((r) => `${r.nonce}@${r.sourceBlock}`)}, inbox ${inboxNonce()}, pool ${d.pool.length}, errors ${roleErrors.map(String)}, ` +
            JSON.stringify(
              events()
                .filter((x) => x.type !== 'BundleStored')
                .slice(-8),
              (_, v) => (typeof v === 'bigint' ? String(v) : v instanceof Uint8Array ? hexOf(v) : v),
            ),
        );
      },
    );
    expect(relayer.relayed.map((r) => r.nonce)).toEqual([0n, 1n]);
    expect(inboxNonce()).toBe(2n);

    // Conservation at every block; nothing fraudulent happened; the receiver was never over-credited.
    for (let n = 0; n <= chain.head().number; n++) expect(conserved(chain.runtimeState(n))).toBe(before);
    expect(events().filter((e) => e.type === 'ReceiptPruned' || e.type === 'FraudProofProcessed')).toEqual(
      [],
    );
    expect(domain.watchtower!.fraudProofs.size).toBe(0);
    expect(tp().rejectedConfirmations).toEqual([]);
    expect(roleErrors).toEqual([]);
    expect(domainFree(receiver)).toBe(amounts[0]! + amounts[1]!);
  });
});

describe('Transporter.transfer in the runtime', () => {
  const chain = chainOn(stakeSpec(stakeDomain({ operators: 1 })));
  const sender = owners[1]!; // 2 000 AI3, owns no operator here
  const receiver = new Uint8Array(32).fill(93);
  const implicit = {
    specVersion: chain.spec.specVersion,
    transactionVersion: chain.spec.transactionVersion,
    genesisHash: chain.blocks[0]!.hash,
    birthHash: chain.blocks[0]!.hash,
  };
  const nonceOf = () => chain.runtimeState().accounts.get(accountKey(sender.publicKey))!.nonce;
  const tx = (call: Call, nonce = nonceOf()) =>
    signExtrinsic(call, { era: IMMORTAL, nonce, tip: 0n }, implicit, sender.secretKey, sender.publicKey);
  const free = (s: RuntimeState) => s.accounts.get(accountKey(sender.publicKey))!.free;

  it('a failed transfer (no channel, too much, zero, a batch that fails later) changes nothing but the nonce', () => {
    const rejected: Call[] = [
      transporterTransferCall(7, receiver, AI3), // no channel to domain 7
      transporterTransferCall(0, receiver, 2_000n * AI3 - EXISTENTIAL_DEPOSIT + 1n), // would kill the account
      transporterTransferCall(0, receiver, 0n),
      {
        type: 'Utility.batch_all',
        calls: [
          transporterTransferCall(0, receiver, AI3),
          { type: 'Balances.transfer_keep_alive', dest: author, value: 10_000n * AI3 },
        ],
      },
    ];
    for (const call of rejected) {
      const parent = chain.runtimeState();
      const out = chain.produce([tx(call)]);
      expect(out.dropped).toEqual([]);
      const s = chain.runtimeState();
      expect(s.accounts.get(accountKey(sender.publicKey))!.nonce).toBe(nonceOf());
      expect(free(s)).toBe(free(parent));
      expect(s.totalIssuance).toBe(parent.totalIssuance);
      expect(s.domains!.transporter.outbox.size).toBe(0);
      expect(s.domains!.transporter.nextOutboxNonce.get(0)).toBe(0n);
      expect(s.domains!.transporter.inFlight()).toBe(0n);
    }
    // arguments that do not decode: not a transaction at all (dropped, CALL)
    const bad = { type: 'Opaque' as const, palletIndex: 61, callIndex: 0, args: Uint8Array.of(1, 0, 0) };
    const out = chain.produce([tx(bad)]);
    expect(out.dropped.map((d) => d.code)).toEqual(['CALL']);
  });

  it('a transfer burns the amount, writes the outbox entry into the state trie, and nonces follow', () => {
    for (const [i, amount] of [AI3, 2n * AI3].entries()) {
      const parent = chain.runtimeState();
      chain.produce([tx(transporterTransferCall(0, receiver, amount))]);
      const s = chain.runtimeState();
      expect(free(s)).toBe(free(parent) - amount);
      expect(s.totalIssuance).toBe(parent.totalIssuance - amount);
      const tp = s.domains!.transporter;
      expect(tp.nextOutboxNonce.get(0)).toBe(BigInt(i + 1));
      const key = hexOf(outboxKey(0, 0n, BigInt(i)));
      const entry = storageEntries(s).find(([k]) => hexOf(k) === key);
      expect(entry).toBeDefined();
      const m = decodeMessage(entry![1]);
      expect(m).toMatchObject({ srcChainId: 'consensus', dstChainId: 0, channelId: 0n, nonce: BigInt(i) });
      if (m.payload.type !== 'EndpointRequest') throw new Error('not a request');
      const t = decodeTransfer(m.payload.req.payload);
      expect(t.amount).toBe(amount);
      expect(
        hexOf(t.receiver.accountId.type === 'AccountId32' ? t.receiver.accountId.id : new Uint8Array()),
      ).toBe(hexOf(receiver));
      expect(tp.inFlight()).toBe(AI3 * BigInt(i === 0 ? 1 : 3));
      // the parent block's transporter is untouched (per-block copies)
      expect(parent.domains!.transporter.nextOutboxNonce.get(0)).toBe(BigInt(i));
    }
  });

  it('a confirmation never takes more than is in flight, nor makes a domain balance negative', () => {
    const tp = new ConsensusTransporter([[0, 10n]]);
    tp.send(0, new Uint8Array(32), receiver, 5n);
    const t = (inn: bigint, out = 0n) => ({
      transfersIn: new Map([['consensus' as const, inn]]),
      transfersOut: new Map([['consensus' as const, out]]),
      rejectedTransfersClaimed: new Map(),
      transfersRejected: new Map(),
    });
    // more than in flight; a negative domain balance: recorded, no balance moves, nothing throws
    tp.applyReceiptTransfers(0, t(6n));
    tp.applyReceiptTransfers(0, t(5n, 16n));
    expect(tp.rejectedConfirmations.map((r) => r.domainId)).toEqual([0, 0]);
    expect([tp.inFlight(), tp.domainBalances.balance(0)]).toEqual([5n, 10n]);
    tp.applyReceiptTransfers(0, t(5n));
    expect([tp.inFlight(), tp.domainBalances.balance(0)]).toEqual([0n, 15n]);
  });

  it('call arguments round-trip; random bytes decode or throw a DecexError', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 0xffff_ffff }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
        (d, who, amount) => {
          const c = decodeTransporterCall(transporterTransferCall(d, who, amount).args);
          expect(c.amount).toBe(amount);
          expect(c.dstLocation.chainId).toBe(d);
          expect(c.dstLocation.accountId).toEqual({ type: 'AccountId32', id: who });
          // inside a batch the call is delimited by its arguments' decoding
          const batch: Call = {
            type: 'Utility.batch',
            calls: [transporterTransferCall(d, who, amount), { type: 'System.remark', remark: who }],
          };
          expect(decodeCall(encodeCall(batch))).toEqual(batch);
        },
      ),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (b) => {
        // a batch of one nested transporter call with random arguments: decodes or is malformed
        try {
          decodeCall(Uint8Array.of(8, 0, 4, 61, 0, ...b));
        } catch (e) {
          expect(e).toBeInstanceOf(NodeError);
        }
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
        try {
          decodeTransporterCall(b);
        } catch (e) {
          expect(e).toBeInstanceOf(DecexError);
        }
      }),
    );
  });
});

describe('the relayer on the runtime harness', () => {
  it('relays each message once, after the confirmed block; a restarted relayer skips what was delivered', async () => {
    const cfg = stakeDomain({ operators: 1 });
    const { chain, ops, step } = stakeSetup(cfg);
    const sender = owners[1]!;
    const receiver = new Uint8Array(32).fill(94);
    const implicit = {
      specVersion: chain.spec.specVersion,
      transactionVersion: chain.spec.transactionVersion,
      genesisHash: chain.blocks[0]!.hash,
      birthHash: chain.blocks[0]!.hash,
    };
    const send = (amount: bigint) => {
      const nonce = chain.runtimeState().accounts.get(accountKey(sender.publicKey))!.nonce;
      return signExtrinsic(
        transporterTransferCall(0, receiver, amount),
        { era: IMMORTAL, nonce, tip: 0n },
        implicit,
        sender.secretKey,
        sender.publicKey,
      );
    };
    const derive = ops[0]!.follower.derive;
    const delivered = () => {
      const raw = derive.stateAt(derive.headNumber)!.get(inboxNonceKey('consensus', 0n));
      return raw === undefined ? 0n : BigInt(`0x${hexOf(raw.slice().reverse())}`);
    };
    const credited = () => domainRuntime().account(derive.stateAt(derive.headNumber)!, receiver).free;
    const relayer = new Relayer({
      chain,
      domainId: 0,
      confirmationDepth: 1,
      deliveredNonce: delivered,
      submit: (x) => ops[0]!.submitTransaction(x),
    });
    const tick = async (extra: Uint8Array[] = []) => {
      await step(extra);
      relayer.onNewHead();
    };
    await tick();
    await tick([send(AI3)]);
    const m = chain.head().number; // the outbox entry is in block m's state
    await tick(); // m + 1 is the head: not deep enough yet
    expect(relayer.relayed).toHaveLength(0);
    await tick(); // m + 1 is one below the head
    expect(relayer.relayed.map((r) => [r.nonce, r.sourceBlock, r.proofBlock])).toEqual([[0n, m, m + 1]]);
    for (let i = 0; i < 3 && credited() === 0n; i++) await tick();
    expect(credited()).toBe(AI3);
    expect(delivered()).toBe(1n);
    for (let i = 0; i < 3; i++) await tick();
    expect(relayer.relayed).toHaveLength(1); // once
    expect(credited()).toBe(AI3);
    // a relayer started afresh (a restart) scans every block but relays nothing delivered
    const again = new Relayer({
      chain,
      domainId: 0,
      confirmationDepth: 1,
      deliveredNonce: delivered,
      submit: () => {
        throw new Error('nothing to relay');
      },
    });
    again.onNewHead();
    expect(again.relayed).toEqual([]);
    // the next transfer gets nonce 1 and is credited
    await tick([send(2n * AI3)]);
    for (let i = 0; i < 6 && credited() === AI3; i++) await tick();
    expect(relayer.relayed.map((r) => r.nonce)).toEqual([0n, 1n]);
    expect(credited()).toBe(3n * AI3);
  });
});

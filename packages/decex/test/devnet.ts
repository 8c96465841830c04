/**
 * A small development network for tests: an in-memory consensus chain, the staking ledger, one
 * domain's consensus state machine, operators that produce bundles when elected and derive the
 * domain chain, and watchtowers that check every new receipt. It uses the package's real code
 * paths; only block production and PoT are simulated (the PoT output of slot s is blake3(le64 s)).
 */
import { blake3, encodeCompact, ScaleWriter, sr25519PairFromSeed } from '@autonomys/primitives';
import {
  AI3,
  BalancesRuntime,
  type Bundle,
  blockInherentExtrinsicDataKey,
  DomainConsensus,
  type DomainEvent,
  DomainOperator,
  type ExecutionReceipt,
  encodeInherentExtrinsicData,
  type FraudProof,
  hexOf,
  InMemoryConsensusChain,
  receiptHash,
  StakingLedger,
  sealSingletonReceipt,
  successfulBundlesKey,
} from '../src/index.js';

export const SLOTS_PER_BLOCK = 6;
export const DOMAIN_ID = 0;

export function potOf(slot: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, slot, true);
  return blake3(b).slice(0, 16);
}

export function keyOf(seedByte: number) {
  return sr25519PairFromSeed(new Uint8Array(32).fill(seedByte));
}

export interface DevnetOptions {
  operators?: number;
  pruningDepth?: number;
  users?: number;
  transactionByteFee?: bigint;
}

export interface StepOptions {
  /** Operators (indexes) allowed to submit this block, in order (default all). */
  submitters?: number[];
  /** Tamper with the receipt an operator puts in its bundle. */
  tamper?: (operator: number, er: ExecutionReceipt) => ExecutionReceipt;
  /** Extra bundles from an operator: build with these extrinsics instead of the pool. */
  craft?: (operator: number, bundle: Bundle) => Bundle;
  /** Skip the watchtowers this block. */
  noWatch?: boolean;
  /** Extra consensus storage writes of this block (e.g. an outbox entry to relay). */
  writes?: [Uint8Array, Uint8Array][];
}

export class Devnet {
  readonly chain = new InMemoryConsensusChain();
  readonly ledger: StakingLedger;
  readonly runtime = new BalancesRuntime();
  readonly dc: DomainConsensus;
  readonly operators: DomainOperator[] = [];
  readonly opKeys: ReturnType<typeof keyOf>[] = [];
  readonly users: ReturnType<typeof keyOf>[] = [];
  readonly genesis: [Uint8Array, Uint8Array][];
  /** Fraud proofs found by watchtowers, submitted at the start of the next block. */
  readonly pendingFraudProofs: FraudProof[] = [];
  readonly rejections: { block: number; operator: number; code: string; reason: string }[] = [];
  readonly bundlesByBlock = new Map<number, Bundle[]>();
  readonly events: DomainEvent[] = [];
  readonly fraudProofsSubmitted: FraudProof[] = [];

  constructor(opts: DevnetOptions = {}) {
    this.ledger = new StakingLedger({ withdrawalPeriod: 5 });
    for (let i = 0; i < (opts.users ?? 4); i++) this.users.push(keyOf(100 + i));
    this.genesis = BalancesRuntime.genesis(this.users.map((u) => [u.publicKey, 1_000n * AI3] as const));
    for (let i = 0; i < (opts.operators ?? 2); i++) this.opKeys.push(keyOf(1 + i));
    const probe = new DomainOperator(DOMAIN_ID, 0n, this.opKeys[0]!, this.runtime, this.genesis);
    this.dc = new DomainConsensus(
      {
        domainId: DOMAIN_ID,
        bundleSlotProbability: [1n, 1n],
        maxBundleSize: 1 << 20,
        maxBundleWeight: { refTime: 10n ** 15n, proofSize: 1n << 40n },
        pruningDepth: opts.pruningDepth ?? 5,
        epochDuration: 1000,
        transactionByteFee: opts.transactionByteFee ?? 1n,
      },
      probe.genesisReceipt,
      {
        ledger: this.ledger,
        mmr: this.chain,
        runtime: this.runtime,
        slots: {
          checkSlot: (slot, pot) => {
            const c = BigInt(this.dc.currentBlockNumber);
            if (slot >= (c + 1n) * BigInt(SLOTS_PER_BLOCK)) return 'SlotInTheFuture';
            if (slot < (c - 5n) * BigInt(SLOTS_PER_BLOCK)) return 'SlotInThePast';
            return hexOf(pot) === hexOf(potOf(slot)) ? undefined : 'InvalidProofOfTime';
          },
        },
      },
    );
    this.opKeys.forEach((k, i) => {
      const owner = `owner${i}`;
      this.ledger.mint(owner, 10_000n * AI3);
      const id = this.ledger.registerOperator(owner, DOMAIN_ID, 1_000n * AI3, {
        signingKey: k.publicKey,
        minimumNominatorStake: AI3,
        nominationTax: 5,
      });
      this.operators.push(new DomainOperator(DOMAIN_ID, id, k, this.runtime, this.genesis));
    });
    this.ledger.transitionEpoch(DOMAIN_ID); // operators join the election
    this.ledger.onFinalize(DOMAIN_ID);
  }

  get blockNumber(): number {
    return this.chain.blocks.length;
  }

  /** Puts an extrinsic in every operator's pool. */
  gossip(ext: Uint8Array): void {
    for (const o of this.operators) o.pool.push(ext);
  }

  private receiptFor(op: number, er: ExecutionReceipt, opts: StepOptions): ExecutionReceipt {
    return opts.tamper ? opts.tamper(op, er) : er;
  }

  /** Produces one consensus block. Returns the bundles accepted in it. */
  step(opts: StepOptions = {}): Bundle[] {
    const C = this.blockNumber;
    const dc = this.dc;
    const eventsBefore = dc.events.length;
    dc.initializeBlock(C, this.chain.best.hash);
    // 1. fraud proofs first
    while (this.pendingFraudProofs.length > 0) {
      const fp = this.pendingFraudProofs.shift()!;
      try {
        dc.submitFraudProof(fp);
        this.fraudProofsSubmitted.push(fp);
      } catch (e) {
        this.rejections.push({
          block: C,
          operator: -1,
          code: (e as { code: string }).code,
          reason: (e as { type: { reason?: string } }).type.reason ?? '',
        });
      }
    }
    const accepted: Bundle[] = [];
    const order = opts.submitters ?? this.operators.map((_, i) => i);
    for (const i of order) {
      const op = this.operators[i]!;
      const stake = this.ledger.operatorStakeInfo(DOMAIN_ID, op.operatorId);
      if (stake === undefined || !this.ledger.canSubmitBundle(op.operatorId)) continue;
      for (let s = 0; s < SLOTS_PER_BLOCK; s++) {
        const slot = BigInt(C * SLOTS_PER_BLOCK + s);
        const input = {
          slot,
          proofOfTime: potOf(slot),
          operatorStake: stake.stake,
          totalStake: stake.total,
          bundleSlotProbability: dc.params.bundleSlotProbability,
        };
        const vrf = op.elect(input);
        if (vrf === undefined) continue;
        try {
          if (dc.receiptGap() > 1) {
            const n = dc.headReceiptNumber + 1;
            const er = op.receiptAt(n);
            if (er === undefined) break;
            const poe = {
              domainId: DOMAIN_ID,
              slotNumber: slot,
              proofOfTime: input.proofOfTime,
              vrfSignature: vrf,
              operatorId: op.operatorId,
            };
            dc.submitSingletonReceipt(
              sealSingletonReceipt(
                { proofOfElection: poe, receipt: this.receiptFor(i, er, opts) },
                this.opKeys[i]!.secretKey,
                this.opKeys[i]!.publicKey,
              ),
            );
            break;
          }
          const n = dc.expectedReceiptNumber();
          const honest = op.receiptAt(n);
          if (honest === undefined) break;
          let bundle = op.buildBundle(input, vrf, n, dc.params);
          const er = this.receiptFor(i, honest, opts);
          if (er !== honest) {
            const h = { ...bundle.sealedHeader.header, receipt: er };
            bundle = { ...bundle, sealedHeader: sealBundle(h, this.opKeys[i]!) };
          }
          if (opts.craft) bundle = opts.craft(i, bundle);
          dc.submitBundle(bundle);
          accepted.push(bundle);
        } catch (e) {
          this.rejections.push({
            block: C,
            operator: i,
            code: (e as { code: string }).code,
            reason: (e as { type: { reason?: string } }).type?.reason ?? String(e),
          });
        }
        break; // one bundle per operator per block
      }
    }
    dc.finalizeBlock();
    const inherent: {
      extrinsicsShufflingSeed: Uint8Array;
      timestamp: bigint;
      consensusTransactionByteFee: bigint;
    } = {
      extrinsicsShufflingSeed: new Uint8Array(32),
      timestamp: BigInt(C) * 6000n,
      consensusTransactionByteFee: 1n,
    };
    const randomness = blake3(potOf(BigInt(C * SLOTS_PER_BLOCK)));
    const seedBytes = extrinsicsSeed(randomness);
    inherent.extrinsicsShufflingSeed = seedBytes;
    const bundleHashes = new ScaleWriter(8 + 32 * dc.successfulBundles.length).compact(
      dc.successfulBundles.length,
    );
    for (const h of dc.successfulBundles) bundleHashes.bytes(h);
    const block = this.chain.addBlock([
      [successfulBundlesKey(DOMAIN_ID), bundleHashes.finish()],
      [blockInherentExtrinsicDataKey(), encodeInherentExtrinsicData(inherent)],
      ...(opts.writes ?? []),
    ]);
    this.bundlesByBlock.set(C, accepted);
    if (accepted.length > 0) {
      const info = {
        number: C,
        hash: block.hash,
        blockRandomness: randomness,
        timestamp: inherent.timestamp,
        consensusTransactionByteFee: 1n,
      };
      // decex §5 step 1d: XDM MMR proofs against the roots this chain wrote up to block C
      const roots = {
        mmrRoot: (x: number) => (x >= 1 && x <= C ? this.chain.mmr.root(BigInt(x)) : undefined),
      };
      const verifyXdm = xdmVerifier(this.runtime, roots, C);
      for (const o of this.operators) o.deriveBlock(info, accepted, { verifyXdm });
    }
    const newEvents = dc.events.slice(eventsBefore);
    this.events.push(...newEvents);
    // watchtowers: check every receipt added this block
    if (!opts.noWatch) {
      for (const ev of newEvents) {
        if (ev.type !== 'ReceiptAdded') continue;
        const node = dc.node(ev.receiptHash);
        if (node === undefined) continue;
        for (let w = 0; w < this.operators.length; w++) {
          if (!this.ledger.canSubmitBundle(this.operators[w]!.operatorId)) continue;
          const fp = this.operators[w]!.checkReceipt(node.receipt, this.chain);
          if (fp !== undefined) {
            this.pendingFraudProofs.push(fp);
            break;
          }
        }
      }
    }
    return accepted;
  }
}

import { extrinsicsShufflingSeed as extrinsicsSeed, sealBundleHeader, xdmVerifier } from '../src/index.js';

function sealBundle(h: Parameters<typeof sealBundleHeader>[0], k: ReturnType<typeof keyOf>) {
  return sealBundleHeader(h, k.secretKey, k.publicKey);
}

export { encodeCompact, receiptHash };

/**
 * A consensus chain for runtime-level domain and MMR tests: blocks executed by the node's real
 * `executeBlock` on synthetic pre-digests (no farming or PoT needed at this level), with headers,
 * hashes and states kept per block, implementing what the domain roles read.
 */
import { AI3, type ExecutionReceipt, executionTraceRoot } from '@autonomys/decex';
import { blake3, sr25519PairFromSeed } from '@autonomys/primitives';
import {
  type BlockId,
  type DomainChainSpec,
  DomainExtrinsicPool,
  type DomainGenesisConfig,
  DomainOperatorRole,
  type DomainOperatorRoleInit,
  type DomainRoleEvent,
  devOperatorKey,
  EMPTY_TRIE_ROOT,
  encodeExtrinsic,
  executeBlock,
  genesisState,
  type Header,
  headerHash,
  type PreDigest,
  type RuntimeState,
  stateRootOf,
  testChainSpec,
  type VoteCheckEnv,
  Watchtower,
} from '../src/index.js';

export function preDigest(number: number, slot: bigint): PreDigest {
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
      proofOfTime: potOf(slot),
      futureProofOfTime: potOf(slot + 4n),
    },
  };
}

export function potOf(slot: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, slot, true);
  return blake3(b).slice(0, 16);
}

interface Block {
  header: Header;
  hash: Uint8Array;
  extrinsics: Uint8Array[];
  state: RuntimeState;
}

export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** The synthetic PoT chain (`potOf`) as the executor's PoT source; votes are not used here. */
const potEnv: VoteCheckEnv = {
  maxPiecesInSector: 1,
  segmentIndexOf: () => {
    throw new Error('no votes in this harness');
  },
  verifySolution: () => {
    throw new Error('no votes in this harness');
  },
  potOutputAt: (_parentHash, slot) => potOf(slot),
};

export class TestChain {
  readonly spec: DomainChainSpec;
  readonly blocks: Block[] = [];
  readonly ctx;

  constructor(domains?: readonly DomainGenesisConfig[]) {
    this.spec = { ...testChainSpec(), ...(domains === undefined ? {} : { domains }) };
    const state = genesisState(this.spec);
    const header: Header = {
      parentHash: new Uint8Array(32),
      number: 0,
      stateRoot: stateRootOf(state),
      extrinsicsRoot: EMPTY_TRIE_ROOT.slice(),
      digest: [],
    };
    this.blocks.push({ header, hash: headerHash(header), extrinsics: [], state });
    this.ctx = { spec: this.spec, genesisHash: this.blocks[0]!.hash };
  }

  get best(): Block {
    return this.blocks[this.blocks.length - 1]!;
  }

  /** Executes the next block (default: build mode, invalid extrinsics dropped). */
  execute(extra: readonly Uint8Array[], mode: 'build' | 'import' = 'build', slotGap = 1n) {
    const parent = this.best;
    const n = parent.header.number + 1;
    const slot = parent.state.slot + slotGap;
    const ts = encodeExtrinsic({
      type: 'Bare',
      version: 5,
      call: { type: 'Timestamp.set', now: BigInt(n) * 1000n },
    });
    return executeBlock(
      {
        parent: parent.state,
        parentHash: parent.hash,
        preDigest: preDigest(n, slot),
        extrinsics: [ts, ...extra],
        mode,
        expectedSegmentHeaders: [],
        votes: potEnv,
      },
      this.ctx,
    );
  }

  /** Executes and appends the next block. */
  produce(extra: readonly Uint8Array[] = [], slotGap = 1n) {
    const out = this.execute(extra, 'build', slotGap);
    const parent = this.best;
    const header: Header = {
      parentHash: parent.hash,
      number: parent.header.number + 1,
      stateRoot: out.stateRoot,
      extrinsicsRoot: out.extrinsicsRoot,
      digest: [],
    };
    this.blocks.push({ header, hash: headerHash(header), extrinsics: [...out.extrinsics], state: out.state });
    return out;
  }

  private find(id: BlockId): Block | undefined {
    if (typeof id === 'number') return this.blocks[id];
    return this.blocks.find((b) => hex(b.hash) === hex(id));
  }

  // DomainChainView
  head() {
    return { number: this.best.header.number, hash: this.best.hash };
  }
  getHeader(id: BlockId) {
    return this.find(id)?.header;
  }
  async getBlock(id: BlockId) {
    return this.find(id);
  }
  runtimeState(at: BlockId = this.best.header.number): RuntimeState {
    const b = this.find(at);
    if (b === undefined) throw new Error('unknown block');
    return b.state;
  }
}

export const user = sr25519PairFromSeed(new Uint8Array(32).fill(42));
export const user2 = sr25519PairFromSeed(new Uint8Array(32).fill(43));

export function domainConfig(operators: number, challengePeriod = 3): DomainGenesisConfig {
  return {
    domainId: 0,
    balances: [
      [user.publicKey, 1_000n * AI3],
      [user2.publicKey, 10n * AI3],
    ],
    operators: Array.from({ length: operators }, (_, i) => ({
      signingKey: devOperatorKey(i).publicKey,
      owner: `op${i}`,
    })),
    challengePeriod,
  };
}

/** A wrong final state root that still passes the block tree's structural checks. */
export function corruptStateRoot(er: ExecutionReceipt): ExecutionReceipt {
  const bad = new Uint8Array(32).fill(0xee);
  const trace = [...er.executionTrace.slice(0, -1), bad];
  return {
    ...er,
    executionTrace: trace,
    executionTraceRoot: executionTraceRoot(trace)!,
    finalStateRoot: bad,
  };
}

export function setup(opts: {
  operators: number;
  /** Slots per consensus block (default 1). */
  slotGap?: bigint;
  bundleSlotProbability?: readonly [bigint, bigint];
  tamper?: (op: number, er: ExecutionReceipt) => ExecutionReceipt;
  /** Adversarial bundle bodies (see `DomainOperatorRoleInit.tamperBundle`). */
  tamperBundle?: (
    op: number,
    b: Parameters<NonNullable<DomainOperatorRoleInit['tamperBundle']>>[0],
  ) => ReturnType<NonNullable<DomainOperatorRoleInit['tamperBundle']>>;
}) {
  const cfg: DomainGenesisConfig = {
    ...domainConfig(opts.operators),
    ...(opts.bundleSlotProbability === undefined
      ? {}
      : { bundleSlotProbability: opts.bundleSlotProbability }),
  };
  const chain = new TestChain([cfg]);
  const pool = new DomainExtrinsicPool(chain);
  const events: DomainRoleEvent[] = [];
  /** When set, only these operators' extrinsics reach the pool (the others still derive). */
  const gate: { only: ReadonlySet<number> | undefined } = { only: undefined };
  const ops = cfg.operators.map(
    (_, i) =>
      new DomainOperatorRole({
        chain,
        config: cfg,
        operatorId: BigInt(i),
        keys: devOperatorKey(i),
        slotPot: potOf,
        submit: (x) => {
          if (gate.only === undefined || gate.only.has(i)) pool.submit(x);
        },
        ...(opts.tamper ? { tamperReceipt: (er: ExecutionReceipt) => opts.tamper!(i, er) } : {}),
        ...(opts.tamperBundle ? { tamperBundle: (b) => opts.tamperBundle!(i, b) } : {}),
        onEvent: (e) => events.push(e),
      }),
  );
  const tower = new Watchtower({
    chain,
    config: cfg,
    submit: (x) => pool.submit(x, 32),
    onEvent: (e) => events.push(e),
  });
  const step = async () => {
    const out = chain.produce(pool.take(), opts.slotGap ?? 1n);
    pool.onNewHead(chain.head().number, out.extrinsics);
    for (const o of ops) await o.onNewHead();
    await tower.onNewHead();
    return out;
  };
  const dc = () => chain.runtimeState().domains!.domains.get(0)!;
  const ledger = () => chain.runtimeState().domains!.ledger;
  const domainEvents = (n: number) => chain.runtimeState(n).domains!.events.get(0) ?? [];
  const allEvents = () =>
    chain.blocks.slice(1).flatMap((_, i) => domainEvents(i + 1).map((e) => ({ ...e, block: i + 1 })));
  return { cfg, chain, pool, ops, tower, step, dc, ledger, allEvents, events, gate };
}

/**
 * The node's side of farming (reference: sc-consensus-subspace-rpc): it announces every slot to the
 * farmers, keeps the solutions they send back for the last few slots until the block author claims
 * the slot, and relays reward-signing requests (first valid signature wins, B.3 step 5). In-process
 * farmers use it directly as their {@link FarmerNode}; the RPC server exposes the same operations.
 */
import {
  equalBytes,
  MIN_SECTOR_LIFETIME,
  RECENT_HISTORY_FRACTION,
  RECENT_SEGMENTS,
  REWARD_SIGNING_CONTEXT,
  type SegmentHeader,
  sr25519Verify,
} from '@autonomys/primitives';
import type { ChainApi } from '../consensus/api.js';
import type {
  FarmerAppInfo,
  FarmerNode,
  RewardSignatureResponse,
  RewardSigningInfo,
  SlotInfo,
  SolutionCandidate,
  SolutionResponse,
  Unsubscribe,
} from './types.js';

/** The parts of the chain core the hub reads. */
export type HubChain = Pick<
  ChainApi,
  'spec' | 'genesisHash' | 'historySize' | 'getSegmentHeader' | 'getPiece' | 'on' | 'off'
>;

/** Options of {@link FarmingHub}. */
export interface FarmingHubOptions {
  /** Slots whose solutions are kept (default 32: the 4-slot authoring delay, and late solutions). */
  keepSlots?: number;
  /** Solutions kept per slot (default 10: one block and the expected 9 votes). */
  maxSolutionsPerSlot?: number;
  /** How long the author waits for a reward signature, ms (default 500, as the reference). */
  rewardSigningTimeoutMs?: number;
}

class Listeners<T> {
  private readonly set = new Set<(v: T) => void>();
  add(l: (v: T) => void): Unsubscribe {
    this.set.add(l);
    return () => this.set.delete(l);
  }
  emit(v: T): void {
    for (const l of [...this.set]) {
      try {
        l(v);
      } catch {
        // one listener's failure must not stop the others
      }
    }
  }
  get size(): number {
    return this.set.size;
  }
}

/**
 * @example
 * const hub = new FarmingHub(chain);
 * hub.publishSlot({ slotNumber, globalChallenge, solutionRange, votingSolutionRange });
 * const solutions = hub.takeSolutions(slotNumber);
 */
export class FarmingHub implements FarmerNode {
  private readonly chain: HubChain;
  private readonly slots = new Listeners<SlotInfo>();
  private readonly signing = new Listeners<RewardSigningInfo>();
  private readonly segments = new Listeners<SegmentHeader>();
  private readonly solutions = new Map<bigint, SolutionCandidate[]>();
  private readonly signatureWaiters = new Map<string, (sig: Uint8Array) => boolean>();
  private readonly keepSlots: number;
  private readonly maxPerSlot: number;
  private readonly signingTimeout: number;
  private lastSlot: bigint | undefined;
  /** Solutions received (accepted into a slot's buffer) and ignored (too late, too many). */
  readonly stats = { slots: 0, solutionsAccepted: 0, solutionsIgnored: 0 };
  private readonly onSegment = (e: { header: SegmentHeader }) => this.segments.emit(e.header);

  constructor(chain: HubChain, opts: FarmingHubOptions = {}) {
    this.chain = chain;
    this.keepSlots = opts.keepSlots ?? 32;
    this.maxPerSlot = opts.maxSolutionsPerSlot ?? 10;
    this.signingTimeout = opts.rewardSigningTimeoutMs ?? 500;
    chain.on('segmentArchived', this.onSegment);
  }

  /** Detaches from the chain's events. */
  close(): void {
    this.chain.off('segmentArchived', this.onSegment);
  }

  /** Farmers listening for slots now. */
  get farmerCount(): number {
    return this.slots.size;
  }

  /** The last slot announced. */
  get currentSlot(): bigint | undefined {
    return this.lastSlot;
  }

  /** Announces a slot to every farmer and opens its solution buffer. */
  publishSlot(info: SlotInfo): void {
    this.lastSlot = info.slotNumber;
    this.stats.slots++;
    if (!this.solutions.has(info.slotNumber)) this.solutions.set(info.slotNumber, []);
    for (const slot of this.solutions.keys())
      if (slot + BigInt(this.keepSlots) <= info.slotNumber) this.solutions.delete(slot);
    this.slots.emit(info);
  }

  /** Slots at or below `maxSlot` whose buffers hold solutions, oldest first. */
  slotsWithSolutions(maxSlot: bigint): bigint[] {
    return [...this.solutions.entries()]
      .filter(([slot, list]) => slot <= maxSlot && list.length > 0)
      .map(([slot]) => slot)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** The solutions received for a slot so far (the buffer is emptied). */
  takeSolutions(slot: bigint): SolutionCandidate[] {
    const list = this.solutions.get(slot) ?? [];
    this.solutions.set(slot, []);
    return list;
  }

  /**
   * Asks the farmers to sign a block's pre-hash with `publicKey`; resolves with the first valid
   * signature, or `undefined` after the timeout.
   */
  requestRewardSignature(
    hash: Uint8Array,
    publicKey: Uint8Array,
    timeoutMs = this.signingTimeout,
  ): Promise<Uint8Array | undefined> {
    const key = Buffer.from(hash).toString('hex');
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.signatureWaiters.delete(key);
        resolve(undefined);
      }, timeoutMs);
      this.signatureWaiters.set(key, (sig) => {
        let ok = false;
        try {
          ok = sr25519Verify(sig, hash, publicKey, { context: REWARD_SIGNING_CONTEXT });
        } catch {
          ok = false;
        }
        if (!ok) return false;
        clearTimeout(timer);
        this.signatureWaiters.delete(key);
        resolve(sig);
        return true;
      });
      this.signing.emit({ hash, publicKey });
    });
  }

  // ---- FarmerNode ----

  async farmerAppInfo(): Promise<FarmerAppInfo> {
    const spec = this.chain.spec;
    return {
      genesisHash: this.chain.genesisHash,
      protocolInfo: {
        historySize: this.chain.historySize(),
        maxPiecesInSector: spec.maxPiecesInSector,
        recentSegments: BigInt(RECENT_SEGMENTS),
        recentHistoryFraction: [BigInt(RECENT_HISTORY_FRACTION[0]), BigInt(RECENT_HISTORY_FRACTION[1])],
        minSectorLifetime: MIN_SECTOR_LIFETIME,
      },
      numChunks: spec.archiving.numChunks,
      numRawRecords: spec.archiving.numRawRecords,
      shimProofOfSpace: spec.shimProofOfSpace,
    };
  }

  async onSlotInfo(listener: (info: SlotInfo) => void): Promise<Unsubscribe> {
    return this.slots.add(listener);
  }

  /** Keeps the solution for its slot when the slot is recent and its buffer not full; else ignores it (as the reference). */
  async submitSolution(response: SolutionResponse): Promise<void> {
    const list = this.solutions.get(response.slotNumber);
    if (list === undefined || list.length >= this.maxPerSlot) {
      this.stats.solutionsIgnored++;
      return;
    }
    if (
      list.some(
        (c) =>
          equalBytes(c.solution.chunk, response.solution.chunk) &&
          c.solution.sectorIndex === response.solution.sectorIndex,
      )
    ) {
      this.stats.solutionsIgnored++;
      return;
    }
    list.push({ slot: response.slotNumber, solution: response.solution });
    this.stats.solutionsAccepted++;
  }

  async onRewardSigning(listener: (info: RewardSigningInfo) => void): Promise<Unsubscribe> {
    return this.signing.add(listener);
  }

  async submitRewardSignature(response: RewardSignatureResponse): Promise<void> {
    if (response.signature === undefined) return;
    this.signatureWaiters.get(Buffer.from(response.hash).toString('hex'))?.(response.signature);
  }

  async onArchivedSegmentHeader(listener: (header: SegmentHeader) => void): Promise<Unsubscribe> {
    return this.segments.add(listener);
  }

  async segmentHeaders(indexes: readonly bigint[]): Promise<(SegmentHeader | undefined)[]> {
    return indexes.map((i) => this.chain.getSegmentHeader(i));
  }

  piece(index: bigint): Promise<Uint8Array | undefined> {
    return this.chain.getPiece(index);
  }
}

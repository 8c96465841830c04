/**
 * The typed seams between the roles (timekeeper, farmer, block author) and whatever connects them:
 * the same process, JSON-RPC, or later a network layer. Each role takes its collaborators through
 * these interfaces and never imports another role's implementation.
 */
import type { PotSlotProof } from '@autonomys/pot';
import type { SegmentHeader, Solution } from '@autonomys/primitives';
import type {
  FarmerAppInfo,
  RewardSignatureResponse,
  RewardSigningInfo,
  SlotInfo,
  SolutionResponse,
} from '../rpc/codec.js';

export type { FarmerAppInfo, RewardSignatureResponse, RewardSigningInfo, SlotInfo, SolutionResponse };

/** Ends a subscription. */
export type Unsubscribe = () => void;

/** Where proofs of time come from (a local timekeeper; later, PoT gossip). */
export interface PotSource {
  onProof(listener: (proof: PotSlotProof) => void): Unsubscribe;
}

/**
 * The node as a farmer sees it: slots to audit, where solutions and reward signatures go, and the
 * archived history to plot from. Implemented in-process by `FarmingHub` and over JSON-RPC by
 * `RpcFarmerNode`.
 */
export interface FarmerNode {
  farmerAppInfo(): Promise<FarmerAppInfo>;
  onSlotInfo(listener: (info: SlotInfo) => void): Promise<Unsubscribe>;
  submitSolution(response: SolutionResponse): Promise<void>;
  onRewardSigning(listener: (info: RewardSigningInfo) => void): Promise<Unsubscribe>;
  submitRewardSignature(response: RewardSignatureResponse): Promise<void>;
  onArchivedSegmentHeader(listener: (header: SegmentHeader) => void): Promise<Unsubscribe>;
  segmentHeaders(indexes: readonly bigint[]): Promise<(SegmentHeader | undefined)[]>;
  /** A piece (record ‖ commitment ‖ witness) by index, `undefined` when the node has none. */
  piece(index: bigint): Promise<Uint8Array | undefined>;
}

/** A solution that reached the node for a slot (what the block author chooses from). */
export interface SolutionCandidate {
  readonly slot: bigint;
  readonly solution: Solution;
}

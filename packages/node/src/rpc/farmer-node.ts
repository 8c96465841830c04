/**
 * {@link FarmerNode} over JSON-RPC: what a farmer in another process (or another program: see
 * examples/custom-farmer) uses to talk to a node. Built on the reconnecting {@link RpcClient}, so
 * subscriptions come back by themselves after the node restarts.
 */
import type { SegmentHeader } from '@autonomys/primitives';
import type { FarmerNode, Unsubscribe } from '../roles/types.js';
import { RpcClient, type RpcClientOptions } from './client.js';
import {
  bytesFromJson,
  type FarmerAppInfo,
  farmerAppInfoFromJson,
  type RewardSignatureResponse,
  type RewardSigningInfo,
  rewardSignatureResponseToJson,
  rewardSigningInfoFromJson,
  type SlotInfo,
  type SolutionResponse,
  segmentHeaderFromJson,
  slotInfoFromJson,
  solutionResponseToJson,
  u64ToJson,
} from './codec.js';

/**
 * @example
 * const node = new RpcFarmerNode('ws://127.0.0.1:9944');
 * const unsubscribe = await node.onSlotInfo((slot) => console.log(slot.slotNumber));
 */
export class RpcFarmerNode implements FarmerNode {
  readonly client: RpcClient;

  constructor(urlOrClient: string | RpcClient, opts: RpcClientOptions = {}) {
    this.client = typeof urlOrClient === 'string' ? new RpcClient(urlOrClient, opts) : urlOrClient;
  }

  async farmerAppInfo(): Promise<FarmerAppInfo> {
    return farmerAppInfoFromJson(await this.client.request('subspace_getFarmerAppInfo'));
  }

  private async sub<T>(
    method: string,
    notification: string,
    unsubscribe: string,
    decode: (v: unknown) => T,
    listener: (v: T) => void,
  ): Promise<Unsubscribe> {
    const s = await this.client.subscribe(method, [], notification, unsubscribe, (item) => {
      let value: T;
      try {
        value = decode(item);
      } catch {
        return; // a malformed notification is dropped
      }
      listener(value);
    });
    return () => void s.unsubscribe();
  }

  onSlotInfo(listener: (info: SlotInfo) => void): Promise<Unsubscribe> {
    return this.sub(
      'subspace_subscribeSlotInfo',
      'subspace_slot_info',
      'subspace_unsubscribeSlotInfo',
      slotInfoFromJson,
      listener,
    );
  }

  async submitSolution(response: SolutionResponse): Promise<void> {
    await this.client.request('subspace_submitSolutionResponse', [solutionResponseToJson(response)]);
  }

  onRewardSigning(listener: (info: RewardSigningInfo) => void): Promise<Unsubscribe> {
    return this.sub(
      'subspace_subscribeRewardSigning',
      'subspace_reward_signing',
      'subspace_unsubscribeRewardSigning',
      rewardSigningInfoFromJson,
      listener,
    );
  }

  async submitRewardSignature(response: RewardSignatureResponse): Promise<void> {
    await this.client.request('subspace_submitRewardSignature', [rewardSignatureResponseToJson(response)]);
  }

  onArchivedSegmentHeader(listener: (header: SegmentHeader) => void): Promise<Unsubscribe> {
    return this.sub(
      'subspace_subscribeArchivedSegmentHeader',
      'subspace_archived_segment_header',
      'subspace_unsubscribeArchivedSegmentHeader',
      segmentHeaderFromJson,
      listener,
    );
  }

  async segmentHeaders(indexes: readonly bigint[]): Promise<(SegmentHeader | undefined)[]> {
    const out = await this.client.request<unknown>('subspace_segmentHeaders', [indexes.map(u64ToJson)]);
    if (!Array.isArray(out)) return indexes.map(() => undefined);
    return out.map((v) => (v === null ? undefined : segmentHeaderFromJson(v)));
  }

  async piece(index: bigint): Promise<Uint8Array | undefined> {
    const v = await this.client.request<unknown>('subspace_piece', [u64ToJson(index)]);
    return v === null ? undefined : bytesFromJson(v, 'piece');
  }

  /** Closes the connection. */
  close(): Promise<void> {
    return this.client.close();
  }
}

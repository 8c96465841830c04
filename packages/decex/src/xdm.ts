/**
 * Cross-domain messaging (decex §8): channels with U256 nonces, an outbox kept in the chain's
 * state trie (so relayers prove messages with storage proofs), relaying with proofs anchored in
 * the consensus MMR, responses, and the transporter with its balance accounting and the
 * consensus-side `DomainBalances`. Channels open and close through the protocol's messages
 * (`ChannelOpen` / `ChannelClose` requests and their responses) with the owner's channel reserve
 * on hold; endpoint requests carry the XDM fees the sender paid up front (see xdm-fees.ts).
 */
import { concatBytes, ScaleWriter, uintToLe } from '@autonomys/primitives';
import { decodeWith, encodeWith } from './codec.js';
import {
  CHANNEL_RESERVE_FEE,
  MAX_OUTGOING_MESSAGES,
  TRANSPORTER_ENDPOINT_ID,
  TRANSPORTER_MESSAGE_RESPONSE_WEIGHT,
  TRANSPORTER_MESSAGE_WEIGHT,
} from './constants.js';
import { invalidArgument, xdmRejected } from './errors.js';
import { storagePrefix, twox64Concat } from './hash.js';
import { type MmrRootSource, verifyMmrProofAndExtractLeaf } from './mmr.js';
import { createStorageProof, readStorageProof, TrieState } from './trie.js';
import {
  type ChainId,
  type Channel,
  type CrossDomainMessage,
  chainIdCodec,
  compareChainId,
  type DomainId,
  type ExecutionReceipt,
  type H256,
  type Message,
  type MessagePayload,
  messageCodec,
  type Transfer,
  transferCodec,
} from './types.js';
import {
  type CollectedFee,
  channelInitReservePortion,
  DEFAULT_XDM_FEE_MODEL,
  type EndpointWeights,
  type XdmFeeModel,
  type XdmRewards,
  xdmCollectedFee,
} from './xdm-fees.js';

function chainKey(c: ChainId): string {
  return c === 'consensus' ? 'c' : `d${c}`;
}
const u256le = (v: bigint): Uint8Array => uintToLe(v, 32);

/** `Messenger::Outbox[(dst, channel, nonce)]` (Twox64Concat over the SCALE key tuple). */
export function outboxKey(dst: ChainId, channelId: bigint, nonce: bigint): Uint8Array {
  const w = new ScaleWriter(72);
  chainIdCodec.enc(w, dst);
  return concatBytes(
    storagePrefix('Messenger', 'Outbox'),
    twox64Concat(concatBytes(w.finish(), u256le(channelId), u256le(nonce))),
  );
}
/** `Messenger::InboxResponses[(src, channel, nonce)]`. */
export function inboxResponseKey(src: ChainId, channelId: bigint, nonce: bigint): Uint8Array {
  const w = new ScaleWriter(72);
  chainIdCodec.enc(w, src);
  return concatBytes(
    storagePrefix('Messenger', 'InboxResponses'),
    twox64Concat(concatBytes(w.finish(), u256le(channelId), u256le(nonce))),
  );
}
/** The consensus-state key holding a domain's latest confirmed state root (our layout: raw H256). */
export function confirmedDomainStateRootKey(domainId: DomainId): Uint8Array {
  return concatBytes(
    storagePrefix('Domains', 'LatestConfirmedDomainStateRoot'),
    new ScaleWriter(4).u32(domainId).finish(),
  );
}

/**
 * Returns the source chain's state root a cross-domain message is proven against, or throws
 * `DECEX_XDM_REJECTED` `BadProof`. Consensus sources: the MMR leaf's state root. Domain sources:
 * the MMR leaf's consensus state root, then the domain's confirmed state root read from it.
 */
export function xdmSourceStateRoot(mmr: MmrRootSource, msg: CrossDomainMessage): H256 {
  let leafRoot: H256;
  try {
    leafRoot = verifyMmrProofAndExtractLeaf(mmr, msg.proof.consensusChainMmrProof).stateRoot;
  } catch (e) {
    throw xdmRejected('BadProof', e instanceof Error ? e.message : String(e));
  }
  if (msg.proof.type === 'Consensus') {
    if (msg.srcChainId !== 'consensus') throw xdmRejected('BadProof', 'consensus proof for a domain source');
    return leafRoot;
  }
  if (msg.srcChainId === 'consensus') throw xdmRejected('BadProof', 'domain proof for the consensus source');
  let root: Uint8Array | undefined;
  try {
    root = readStorageProof(leafRoot, msg.proof.domainProof, confirmedDomainStateRootKey(msg.srcChainId));
  } catch (e) {
    throw xdmRejected('BadProof', e instanceof Error ? e.message : String(e));
  }
  if (root === undefined || root.length !== 32)
    throw xdmRejected('BadProof', 'no confirmed domain state root');
  return root;
}

/** What an endpoint returns for a request: Ok(bytes) or an error. */
export type EndpointResult = { ok: true; value: Uint8Array } | { ok: false };

/** An endpoint handler (the transporter is one). */
export interface Endpoint {
  /** Weights (ref_time) of `onRequest` on the destination and `onResponse` here: they set the XDM fee. */
  readonly weights: EndpointWeights;
  onRequest(src: ChainId, payload: Uint8Array): EndpointResult;
  onResponse(
    dst: ChainId,
    channelId: bigint,
    nonce: bigint,
    request: Uint8Array,
    result: EndpointResult,
  ): void;
}

/** Who closes a channel: its owner (an account of this chain) or root (`Sudo`). */
export type CloseChannelBy = { type: 'Owner'; account: string } | { type: 'Sudo' };

/** Options of a `Messenger`. */
export interface MessengerOptions {
  /** Weight-to-fee inputs of this chain (default: the consensus runtime's, multiplier 1.0). */
  feeModel?: XdmFeeModel;
  /** `ChannelReserveFee` held from a channel's owner (default 100 AI3). */
  channelReserveFee?: bigint;
  /** `MaxOutgoingMessages` of the channels this chain initiates (default 10_000). */
  maxOutgoingMessages?: number;
  /** `ChainAllowlist`: chains whose channel-open requests are accepted (default: every chain). */
  allowlist?: readonly ChainId[];
}

interface OutboxEntry {
  msg: Message;
  /** `OutboxFee`: the response-execution fee held here until the response arrives. */
  fee: bigint;
}

const ERR_RESPONSE = { ok: false, error: { type: 'Other' } } as const;

/**
 * The messenger of one chain: channels, outbox (in `state`), inbox processing and responses, and
 * the XDM money it is responsible for: account balances (shared with the transporter), channel
 * reserves on hold, fees on hold, and rewards not yet handed out.
 */
export class Messenger {
  readonly chainId: ChainId;
  /** The chain's message state (outbox and responses are proven from it). */
  readonly state = TrieState.fromEntries([]);
  /** Free balances of this chain's accounts (hex account id → Shannon). */
  readonly balances = new Map<string, bigint>();
  /** Balances on hold for channel reserves (`HoldIdentifier::MessengerChannel`). */
  readonly held = new Map<string, bigint>();
  /** `InboxFeesOnHold` / `OutboxFeesOnHold`. */
  inboxFeesOnHold = 0n;
  outboxFeesOnHold = 0n;
  /** Fees sent to / received from other chains inside messages (noted as chain transfers). */
  readonly feesOut = new Map<ChainId, bigint>();
  readonly feesIn = new Map<ChainId, bigint>();
  readonly feeModel: XdmFeeModel;
  readonly channelReserveFee: bigint;
  readonly maxOutgoingMessages: number;
  private readonly allowlist: ReadonlySet<string> | undefined;
  private readonly channels = new Map<string, Channel>();
  private readonly nextChannelId = new Map<string, bigint>();
  private readonly outbox = new Map<string, OutboxEntry>();
  private readonly outboxCount = new Map<string, number>();
  private readonly responses = new Map<string, Message>();
  private readonly inboxFee = new Map<string, bigint>();
  private readonly endpoints = new Map<bigint, Endpoint>();
  private rewards: XdmRewards = { operatorRewards: 0n, chainProtocolFees: new Map() };

  constructor(chainId: ChainId, opts: MessengerOptions = {}) {
    this.chainId = chainId;
    this.feeModel = opts.feeModel ?? DEFAULT_XDM_FEE_MODEL;
    this.channelReserveFee = opts.channelReserveFee ?? CHANNEL_RESERVE_FEE;
    this.maxOutgoingMessages = opts.maxOutgoingMessages ?? MAX_OUTGOING_MESSAGES;
    if (this.channelReserveFee <= 0n) throw invalidArgument('channelReserveFee', 'must be positive');
    if (!Number.isInteger(this.maxOutgoingMessages) || this.maxOutgoingMessages < 1)
      throw invalidArgument('maxOutgoingMessages', 'must be at least 1');
    this.allowlist = opts.allowlist && new Set(opts.allowlist.map(chainKey));
  }

  registerEndpoint(id: bigint, e: Endpoint): void {
    this.endpoints.set(id, e);
  }

  balance(account: string): bigint {
    return this.balances.get(account) ?? 0n;
  }

  channel(peer: ChainId, channelId: bigint): Channel | undefined {
    const c = this.channels.get(channelKey(peer, channelId));
    return c && { ...c };
  }

  /** Outgoing messages on a channel not yet answered (`OutboxMessageCount`). */
  pendingOutgoing(dst: ChainId, channelId: bigint): number {
    return this.outboxCount.get(channelKey(dst, channelId)) ?? 0;
  }

  /**
   * `initiate_channel(dst)`: holds `channelReserveFee` from `owner`, creates the channel
   * `Initiated` with the next channel id to `dst` and queues the `ChannelOpen` request.
   */
  initiateChannel(owner: string, dst: ChainId): { channelId: bigint; message: Message } {
    if (compareChainId(dst, this.chainId) === 0) throw xdmRejected('InvalidChain');
    const reserve = this.channelReserveFee;
    if (this.balance(owner) < reserve) throw xdmRejected('InsufficientBalance', 'channel reserve');
    this.balances.set(owner, this.balance(owner) - reserve);
    this.held.set(owner, (this.held.get(owner) ?? 0n) + reserve);
    const channelId = this.nextChannelId.get(chainKey(dst)) ?? 0n;
    this.nextChannelId.set(chainKey(dst), channelId + 1n);
    this.channels.set(channelKey(dst, channelId), {
      channelId,
      state: 'Initiated',
      nextInboxNonce: 0n,
      nextOutboxNonce: 0n,
      latestResponseReceivedMessageNonce: undefined,
      maxOutgoingMessages: this.maxOutgoingMessages,
      maybeOwner: hexBytes(owner),
      channelReserveFee: reserve,
    });
    const message = this.pushOutbox(dst, channelId, {
      type: 'ProtocolChannelOpen',
      maxOutgoingMessages: this.maxOutgoingMessages,
    });
    return { channelId, message };
  }

  /**
   * `close_channel(peer, channel)` by the owner or root: releases the reserve (all of it if the
   * channel is Open; otherwise `ChannelInitReservePortion` is kept as a protocol fee for `peer`),
   * marks the channel Closed and queues the `ChannelClose` request. Responses to messages
   * already sent are still accepted; new requests are not.
   */
  closeChannel(peer: ChainId, channelId: bigint, by: CloseChannelBy): Message {
    const key = channelKey(peer, channelId);
    const c = this.channels.get(key);
    if (c === undefined) throw xdmRejected('MissingChannel');
    if (this.pendingOutgoing(peer, channelId) >= c.maxOutgoingMessages) throw xdmRejected('OutboxFull');
    this.doCloseChannel(peer, c, by);
    return this.pushOutbox(peer, channelId, { type: 'ProtocolChannelClose' });
  }

  private doCloseChannel(peer: ChainId, c: Channel, by: CloseChannelBy): void {
    if (c.state === 'Closed') throw xdmRejected('InvalidChannelState', 'already closed');
    const owner = c.maybeOwner && toHex(c.maybeOwner);
    if (by.type === 'Owner' && owner !== by.account) throw xdmRejected('ChannelOwner');
    if (owner !== undefined) {
      const locked = c.channelReserveFee;
      const kept = c.state === 'Open' ? 0n : channelInitReservePortion(locked);
      const held = this.held.get(owner) ?? 0n;
      if (held < locked) throw xdmRejected('InsufficientBalance', 'channel reserve not on hold');
      this.held.set(owner, held - locked);
      this.balances.set(owner, this.balance(owner) + locked - kept);
      if (kept > 0n) addTo(this.rewards.chainProtocolFees, peer, kept);
    }
    c.state = 'Closed';
  }

  /** `collect_fees_for_message_v1`: the fees a request to endpoint `endpointId` costs its sender. */
  requestFee(endpointId: bigint): CollectedFee {
    const ep = this.endpoints.get(endpointId);
    if (ep === undefined) throw xdmRejected('NoMessageHandler', `endpoint ${endpointId}`);
    return xdmCollectedFee(ep.weights, this.feeModel);
  }

  /**
   * Queues an endpoint request from `sender` to `dst` on an Open channel and returns the message
   * (with its nonce). The sender pays both execution fees up front: the response fee is held
   * here (`OutboxFee`), the destination fee travels with the message as its collected fee.
   */
  sendRequest(
    sender: string,
    dst: ChainId,
    channelId: bigint,
    dstEndpoint: bigint,
    payload: Uint8Array,
  ): Message {
    if (compareChainId(dst, this.chainId) === 0) throw xdmRejected('InvalidChain');
    const c = this.channels.get(channelKey(dst, channelId));
    if (c === undefined) throw xdmRejected('MissingChannel');
    if (c.state !== 'Open') throw xdmRejected('InvalidChannelState');
    if (this.pendingOutgoing(dst, channelId) >= c.maxOutgoingMessages) throw xdmRejected('OutboxFull');
    const fee = this.requestFee(dstEndpoint);
    const total = fee.srcChainFee + fee.dstChainFee;
    if (this.balance(sender) < total) throw xdmRejected('InsufficientBalance', 'XDM fee');
    this.balances.set(sender, this.balance(sender) - total);
    const msg = this.pushOutbox(
      dst,
      channelId,
      {
        type: 'EndpointRequest',
        req: { srcEndpoint: dstEndpoint, dstEndpoint, payload },
        collectedFee: fee,
      },
      fee.srcChainFee,
    );
    this.outboxFeesOnHold += fee.srcChainFee;
    addTo(this.feesOut, dst, fee.dstChainFee);
    return msg;
  }

  private pushOutbox(dst: ChainId, channelId: bigint, payload: MessagePayload, fee = 0n): Message {
    const c = this.channels.get(channelKey(dst, channelId))!;
    const msg: Message = {
      srcChainId: this.chainId,
      dstChainId: dst,
      channelId,
      nonce: c.nextOutboxNonce,
      payload,
      lastDeliveredMessageResponseNonce: c.latestResponseReceivedMessageNonce,
    };
    c.nextOutboxNonce += 1n;
    const ck = channelKey(dst, channelId);
    this.outbox.set(`${ck}:${msg.nonce}`, { msg, fee });
    this.outboxCount.set(ck, (this.outboxCount.get(ck) ?? 0) + 1);
    this.state.set(outboxKey(dst, channelId, msg.nonce), encodeWith(messageCodec, msg));
    return msg;
  }

  /** A relayer's proof of an outbox message (or response) in this chain's current state. */
  proveOutbox(dst: ChainId, channelId: bigint, nonce: bigint): { stateRoot: H256; proof: Uint8Array[] } {
    const t = this.state.toTrie();
    return { stateRoot: t.root, proof: createStorageProof(t, [outboxKey(dst, channelId, nonce)]) };
  }
  proveResponse(src: ChainId, channelId: bigint, nonce: bigint): { stateRoot: H256; proof: Uint8Array[] } {
    const t = this.state.toTrie();
    return { stateRoot: t.root, proof: createStorageProof(t, [inboxResponseKey(src, channelId, nonce)]) };
  }

  /**
   * `relay_message`: reads the message from the source state (`sourceRoot` from the proof's
   * anchor) with `messageProof` and checks it against the channel, in order: duplicates are
   * `MessageAlreadyDelivered`, gaps `InvalidMessageNonce` (a channel not seen yet expects nonce
   * 0); a first message other than `ChannelOpen` is `MissingChannel`; a `ChannelOpen` on an existing channel,
   * a `ChannelClose` on a closed one or an endpoint request on one not yet open is
   * `InvalidChannelState`. Nothing changes on a rejection. Then it runs the request (opens or
   * closes this side, or runs the endpoint, storing the collected fee on hold first) and stores
   * the response; responses the source has confirmed (`last_delivered_message_response_nonce`)
   * are dropped and their fees rewarded.
   */
  relayMessage(
    src: ChainId,
    channelId: bigint,
    nonce: bigint,
    sourceRoot: H256,
    messageProof: readonly Uint8Array[],
  ): void {
    const msg = readMessage(sourceRoot, messageProof, outboxKey(this.chainId, channelId, nonce));
    if (
      compareChainId(msg.srcChainId, src) !== 0 ||
      compareChainId(msg.dstChainId, this.chainId) !== 0 ||
      msg.channelId !== channelId ||
      msg.nonce !== nonce
    )
      throw xdmRejected('BadProof', 'message does not match its key');
    const p = msg.payload;
    if (p.type === 'ProtocolResponse' || p.type === 'EndpointResponse')
      throw xdmRejected('BadProof', 'not a request');
    const ck = channelKey(src, channelId);
    const existing = this.channels.get(ck);
    const next = existing?.nextInboxNonce ?? 0n;
    if (nonce < next) throw xdmRejected('MessageAlreadyDelivered');
    if (nonce > next) throw xdmRejected('InvalidMessageNonce');
    if (existing === undefined && p.type !== 'ProtocolChannelOpen') throw xdmRejected('MissingChannel');
    if (p.type === 'ProtocolChannelOpen') {
      if (existing !== undefined) throw xdmRejected('InvalidChannelState', 'channel already exists');
      if (channelId !== (this.nextChannelId.get(chainKey(src)) ?? 0n))
        throw xdmRejected('InvalidChannelState', 'not the next channel id');
      if (p.maxOutgoingMessages < 1) throw xdmRejected('InvalidChannelState', 'max outgoing messages is 0');
    } else if (p.type === 'ProtocolChannelClose') {
      if (existing!.state === 'Closed') throw xdmRejected('InvalidChannelState', 'already closed');
    } else if (existing!.state === 'Initiated') throw xdmRejected('InvalidChannelState', 'channel not open');

    let c = existing;
    if (c === undefined) {
      // opened from the other side: no owner and no reserve here
      c = {
        channelId,
        state: 'Initiated',
        nextInboxNonce: 0n,
        nextOutboxNonce: 0n,
        latestResponseReceivedMessageNonce: undefined,
        maxOutgoingMessages: (p as { maxOutgoingMessages: number }).maxOutgoingMessages,
        maybeOwner: undefined,
        channelReserveFee: 0n,
      };
      this.channels.set(ck, c);
      this.nextChannelId.set(chainKey(src), channelId + 1n);
    }
    c.nextInboxNonce = nonce + 1n;

    let response: MessagePayload;
    if (p.type === 'ProtocolChannelOpen') {
      const allowed = this.allowlist === undefined || this.allowlist.has(chainKey(src));
      if (allowed) c.state = 'Open';
      response = { type: 'ProtocolResponse', result: allowed ? { ok: true, value: null } : ERR_RESPONSE };
    } else if (p.type === 'ProtocolChannelClose') {
      this.doCloseChannel(src, c, { type: 'Sudo' });
      response = { type: 'ProtocolResponse', result: { ok: true, value: null } };
    } else {
      // the fee was paid on the source for this execution: held here whatever the outcome
      const dstFee = p.collectedFee.dstChainFee;
      this.inboxFeesOnHold += dstFee;
      this.inboxFee.set(`${ck}:${nonce}`, dstFee);
      addTo(this.feesIn, src, dstFee);
      const ep = c.state === 'Open' ? this.endpoints.get(p.req.dstEndpoint) : undefined;
      const result: EndpointResult = ep === undefined ? { ok: false } : ep.onRequest(src, p.req.payload);
      response = {
        type: 'EndpointResponse',
        result: result.ok ? { ok: true, value: result.value } : ERR_RESPONSE,
      };
    }
    const resp: Message = {
      srcChainId: this.chainId,
      dstChainId: src,
      channelId,
      nonce,
      payload: response,
      lastDeliveredMessageResponseNonce: undefined,
    };
    this.responses.set(`${ck}:${nonce}`, resp);
    this.state.set(inboxResponseKey(src, channelId, nonce), encodeWith(messageCodec, resp));
    this.rewardInboxExecution(ck, msg.lastDeliveredMessageResponseNonce);
  }

  /** `reward_operators_for_inbox_execution`: responses up to `confirmed` (downwards while present). */
  private rewardInboxExecution(ck: string, confirmed: bigint | undefined): void {
    let fees = 0n;
    for (let n = confirmed; n !== undefined && n >= 0n; n = n > 0n ? n - 1n : undefined) {
      const k = `${ck}:${n}`;
      if (!this.responses.delete(k)) break;
      fees += this.inboxFee.get(k) ?? 0n;
      this.inboxFee.delete(k);
    }
    if (fees === 0n) return;
    this.inboxFeesOnHold -= fees;
    this.rewards.operatorRewards += fees;
  }

  /**
   * `relay_message_response`: the answer to one of this chain's requests, in nonce order (older
   * is `MessageAlreadyDelivered`, a gap `InvalidMessageNonce`). An accepted `ChannelOpen` opens
   * the channel (a rejected one leaves it `Initiated`, for its owner to close); an endpoint
   * response runs the endpoint's handler and rewards the held response fee.
   */
  relayResponse(
    dst: ChainId,
    channelId: bigint,
    nonce: bigint,
    sourceRoot: H256,
    responseProof: readonly Uint8Array[],
  ): void {
    const ck = channelKey(dst, channelId);
    const c = this.channels.get(ck);
    if (c === undefined) throw xdmRejected('MissingChannel');
    const expected =
      c.latestResponseReceivedMessageNonce === undefined ? 0n : c.latestResponseReceivedMessageNonce + 1n;
    if (nonce < expected) throw xdmRejected('MessageAlreadyDelivered');
    if (nonce > expected) throw xdmRejected('InvalidMessageNonce');
    const resp = readMessage(sourceRoot, responseProof, inboxResponseKey(this.chainId, channelId, nonce));
    if (
      compareChainId(resp.srcChainId, dst) !== 0 ||
      compareChainId(resp.dstChainId, this.chainId) !== 0 ||
      resp.channelId !== channelId ||
      resp.nonce !== nonce
    )
      throw xdmRejected('BadProof', 'response does not match its key');
    const entry = this.outbox.get(`${ck}:${nonce}`);
    if (entry === undefined) throw xdmRejected('MessageAlreadyDelivered');
    const req = entry.msg.payload;
    const rp = resp.payload;
    const protocol = req.type === 'ProtocolChannelOpen' || req.type === 'ProtocolChannelClose';
    if (protocol ? rp.type !== 'ProtocolResponse' : rp.type !== 'EndpointResponse')
      throw xdmRejected('BadProof', 'response kind does not match the request');
    this.outbox.delete(`${ck}:${nonce}`);
    this.outboxCount.set(ck, (this.outboxCount.get(ck) ?? 1) - 1);
    c.latestResponseReceivedMessageNonce = nonce;
    if (req.type === 'ProtocolChannelOpen') {
      if (rp.type === 'ProtocolResponse' && rp.result.ok && c.state === 'Initiated') c.state = 'Open';
      return;
    }
    if (req.type !== 'EndpointRequest' || rp.type !== 'EndpointResponse') return;
    const r = rp.result;
    this.endpoints
      .get(req.req.srcEndpoint)
      ?.onResponse(
        dst,
        channelId,
        nonce,
        req.req.payload,
        r.ok ? { ok: true, value: r.value } : { ok: false },
      );
    this.outboxFeesOnHold -= entry.fee;
    this.rewards.operatorRewards += entry.fee;
  }

  /** Rewards accrued and not yet taken (a copy). */
  pendingRewards(): XdmRewards {
    return {
      operatorRewards: this.rewards.operatorRewards,
      chainProtocolFees: new Map(this.rewards.chainProtocolFees),
    };
  }
  /**
   * Hands out the accrued rewards (the runtime's `OnXDMRewards`: see `noteXdmRewardsInBlockFees`
   * for a domain, `payConsensusXdmRewards` for the consensus chain) and resets them.
   */
  takeRewards(): XdmRewards {
    const r = this.rewards;
    this.rewards = { operatorRewards: 0n, chainProtocolFees: new Map() };
    return r;
  }

  /**
   * All value this messenger accounts for: free and held balances, fees on hold and rewards not
   * yet taken. Fees in transit to another chain are `feesOut` there minus `feesIn` here.
   */
  total(): bigint {
    let s = this.inboxFeesOnHold + this.outboxFeesOnHold + this.rewards.operatorRewards;
    for (const v of this.balances.values()) s += v;
    for (const v of this.held.values()) s += v;
    for (const v of this.rewards.chainProtocolFees.values()) s += v;
    return s;
  }
}

function channelKey(peer: ChainId, channelId: bigint): string {
  return `${chainKey(peer)}:${channelId}`;
}
function addTo(m: Map<ChainId, bigint>, k: ChainId, v: bigint): void {
  m.set(k, (m.get(k) ?? 0n) + v);
}

function readMessage(root: H256, proof: readonly Uint8Array[], key: Uint8Array): Message {
  let v: Uint8Array | undefined;
  try {
    v = readStorageProof(root, proof, key);
  } catch (e) {
    throw xdmRejected('BadProof', e instanceof Error ? e.message : String(e));
  }
  if (v === undefined) throw xdmRejected('BadProof', 'message not in the source state');
  return decodeWith(messageCodec, v, 'Message');
}

/**
 * The transporter endpoint of one chain: debits the sender (amount plus the XDM fees) and sends a
 * `Transfer`; credits the receiver on the destination; refunds the amount (not the fees) when the
 * destination rejects. Balances are the messenger's.
 */
export class Transporter implements Endpoint {
  /** Debited, not yet confirmed or refunded (by message key). */
  readonly inFlight = new Map<string, bigint>();
  readonly weights: EndpointWeights;

  constructor(
    readonly messenger: Messenger,
    /** Accounts that do not exist on this chain make a transfer fail (to exercise refunds). */
    private readonly accepts: (account: string) => boolean = () => true,
    weights: EndpointWeights = {
      message: TRANSPORTER_MESSAGE_WEIGHT,
      response: TRANSPORTER_MESSAGE_RESPONSE_WEIGHT,
    },
  ) {
    this.weights = weights;
    messenger.registerEndpoint(TRANSPORTER_ENDPOINT_ID, this);
  }

  /** The chain's balances (the messenger's map). */
  get balances(): Map<string, bigint> {
    return this.messenger.balances;
  }
  balance(account: string): bigint {
    return this.balances.get(account) ?? 0n;
  }
  /** What a transfer costs on top of its amount. */
  fee(): CollectedFee {
    return this.messenger.requestFee(TRANSPORTER_ENDPOINT_ID);
  }

  /** `transfer(dst_location, amount)`: the sender pays `amount` plus the XDM fees. */
  transfer(sender: string, dst: ChainId, channelId: bigint, receiver: Uint8Array, amount: bigint): Message {
    if (amount <= 0n) throw xdmRejected('InsufficientBalance', 'zero amount');
    const f = this.fee();
    if (this.balance(sender) < amount + f.srcChainFee + f.dstChainFee)
      throw xdmRejected('InsufficientBalance');
    const t: Transfer = {
      amount,
      sender: { chainId: this.messenger.chainId, accountId: { type: 'AccountId32', id: hexBytes(sender) } },
      receiver: { chainId: dst, accountId: { type: 'AccountId32', id: receiver } },
    };
    const msg = this.messenger.sendRequest(
      sender,
      dst,
      channelId,
      TRANSPORTER_ENDPOINT_ID,
      encodeWith(transferCodec, t),
    );
    this.balances.set(sender, this.balance(sender) - amount);
    this.inFlight.set(`${String(dst)}:${channelId}:${msg.nonce}`, amount);
    return msg;
  }

  onRequest(_src: ChainId, payload: Uint8Array): EndpointResult {
    let t: Transfer;
    try {
      t = decodeWith(transferCodec, payload, 'Transfer');
    } catch {
      return { ok: false };
    }
    const to = toHex(t.receiver.accountId.id);
    if (t.receiver.chainId !== this.messenger.chainId || !this.accepts(to)) return { ok: false };
    this.balances.set(to, this.balance(to) + t.amount);
    return { ok: true, value: new Uint8Array(0) };
  }

  onResponse(
    dst: ChainId,
    channelId: bigint,
    nonce: bigint,
    request: Uint8Array,
    result: EndpointResult,
  ): void {
    const k = `${String(dst)}:${channelId}:${nonce}`;
    this.inFlight.delete(k);
    if (result.ok) return;
    const t = decodeWith(transferCodec, request, 'Transfer');
    const from = toHex(t.sender.accountId.id);
    this.balances.set(from, this.balance(from) + t.amount); // claim the rejected transfer back
  }

  /** Sum of the chain's free balances plus in-flight amounts. */
  total(): bigint {
    let s = 0n;
    for (const v of this.balances.values()) s += v;
    for (const v of this.inFlight.values()) s += v;
    return s;
  }
}

/**
 * The consensus chain's `DomainBalances`: how much each domain holds. Confirmed receipts' transfers
 * move it; a domain can never go negative (the economic safety bound).
 */
export class DomainBalances {
  readonly balances = new Map<DomainId, bigint>();
  balance(d: DomainId): bigint {
    return this.balances.get(d) ?? 0n;
  }
  /** `initialize_domain_balance`. */
  initialize(d: DomainId, amount: bigint): void {
    this.balances.set(d, amount);
  }
  /** Applies a confirmed receipt's transfers; throws `DomainBalanceUnderflow` and changes nothing if any balance would go negative. */
  applyReceiptTransfers(domainId: DomainId, t: ExecutionReceipt['transfers']): void {
    for (const m of [t.transfersIn, t.transfersOut, t.rejectedTransfersClaimed, t.transfersRejected])
      if (m.has(domainId)) throw xdmRejected('InvalidChain', 'transfers name the domain itself');
    const next = new Map(this.balances);
    const add = (d: ChainId, v: bigint) => {
      if (d === 'consensus') return;
      next.set(d, (next.get(d) ?? 0n) + v);
    };
    // in: credited to the domain; out: leaves it (in transit until the destination confirms);
    // a rejected outgoing transfer claimed back comes in again. Rejected incoming transfers were
    // never credited, so they do not change this domain's balance.
    for (const [, v] of t.transfersIn) add(domainId, v);
    for (const [, v] of t.transfersOut) add(domainId, -v);
    for (const [, v] of t.rejectedTransfersClaimed) add(domainId, v);
    for (const [d, v] of next) if (v < 0n) throw xdmRejected('DomainBalanceUnderflow', `domain ${d}`);
    for (const [d, v] of next) this.balances.set(d, v);
  }
}

function hexBytes(h: string): Uint8Array {
  const s = h.length === 64 ? h : h.padStart(64, '0').slice(-64);
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number.parseInt(s.slice(2 * i, 2 * i + 2), 16) || 0;
  return out;
}
function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

/**
 * Cross-domain messaging (decex §8): channels with U256 nonces, an outbox kept in the chain's
 * state trie (so relayers prove messages with storage proofs), relaying with proofs anchored in
 * the consensus MMR, responses, and the transporter with its balance accounting and the
 * consensus-side `DomainBalances`. Channel opening is modelled as a state change on both ends
 * (the protocol's open request/response is not exchanged here).
 */
import { concatBytes, ScaleWriter } from '@autonomys/primitives';
import { decodeWith, encodeWith } from './codec.js';
import { MAX_OUTGOING_MESSAGES, TRANSPORTER_ENDPOINT_ID } from './constants.js';
import { xdmRejected } from './errors.js';
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
  messageCodec,
  type Transfer,
  transferCodec,
} from './types.js';

function chainKey(c: ChainId): string {
  return c === 'consensus' ? 'c' : `d${c}`;
}
function u256le(v: bigint): Uint8Array {
  const b = new Uint8Array(32);
  let x = v;
  for (let i = 0; i < 32; i++) {
    b[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return b;
}

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
  onRequest(src: ChainId, payload: Uint8Array): EndpointResult;
  onResponse(
    dst: ChainId,
    channelId: bigint,
    nonce: bigint,
    request: Uint8Array,
    result: EndpointResult,
  ): void;
}

/** The messenger of one chain: channels, outbox (in `state`), inbox processing and responses. */
export class Messenger {
  readonly chainId: ChainId;
  /** The chain's message state (outbox and responses are proven from it). */
  readonly state = TrieState.fromEntries([]);
  private readonly channels = new Map<string, Channel>();
  private readonly nextChannelId = new Map<string, bigint>();
  private readonly outbox = new Map<string, Message>();
  private readonly responses = new Map<string, Message>();
  private readonly endpoints = new Map<bigint, Endpoint>();

  constructor(chainId: ChainId) {
    this.chainId = chainId;
  }

  registerEndpoint(id: bigint, e: Endpoint): void {
    this.endpoints.set(id, e);
  }

  /** Opens channel `id` to `dst` (both ends call it with the same id). */
  openChannel(dst: ChainId, channelId?: bigint): bigint {
    const id = channelId ?? this.nextChannelId.get(chainKey(dst)) ?? 0n;
    this.nextChannelId.set(chainKey(dst), id + 1n);
    this.channels.set(`${chainKey(dst)}:${id}`, {
      channelId: id,
      state: 'Open',
      nextInboxNonce: 0n,
      nextOutboxNonce: 0n,
      latestResponseReceivedMessageNonce: undefined,
      maxOutgoingMessages: MAX_OUTGOING_MESSAGES,
      maybeOwner: undefined,
      channelReserveFee: 0n,
    });
    return id;
  }
  channel(peer: ChainId, channelId: bigint): Channel | undefined {
    const c = this.channels.get(`${chainKey(peer)}:${channelId}`);
    return c && { ...c };
  }
  closeChannel(peer: ChainId, channelId: bigint): void {
    const c = this.channels.get(`${chainKey(peer)}:${channelId}`);
    if (c === undefined) throw xdmRejected('MissingChannel');
    c.state = 'Closed';
  }

  /** Outgoing, not yet answered messages on a channel. */
  pendingOutgoing(dst: ChainId, channelId: bigint): number {
    let n = 0;
    for (const m of this.outbox.values()) if (m.dstChainId === dst && m.channelId === channelId) n++;
    return n;
  }

  /** Queues an endpoint request to `dst` and returns the message (with its nonce). */
  sendRequest(
    dst: ChainId,
    channelId: bigint,
    dstEndpoint: bigint,
    payload: Uint8Array,
    collectedFee = 0n,
  ): Message {
    if (compareChainId(dst, this.chainId) === 0) throw xdmRejected('InvalidChain');
    const c = this.channels.get(`${chainKey(dst)}:${channelId}`);
    if (c === undefined) throw xdmRejected('MissingChannel');
    if (c.state !== 'Open') throw xdmRejected('InvalidChannelState');
    if (this.pendingOutgoing(dst, channelId) >= c.maxOutgoingMessages) throw xdmRejected('OutboxFull');
    const msg: Message = {
      srcChainId: this.chainId,
      dstChainId: dst,
      channelId,
      nonce: c.nextOutboxNonce,
      payload: {
        type: 'EndpointRequest',
        req: { srcEndpoint: dstEndpoint, dstEndpoint, payload },
        collectedFee,
      },
      lastDeliveredMessageResponseNonce: c.latestResponseReceivedMessageNonce,
    };
    c.nextOutboxNonce += 1n;
    this.outbox.set(`${chainKey(dst)}:${channelId}:${msg.nonce}`, msg);
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
   * anchor) with `messageProof`, checks channel and nonce, runs the endpoint and stores the
   * response. Duplicates are `MessageAlreadyDelivered`, gaps `InvalidMessageNonce`; nothing changes then.
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
      msg.srcChainId !== src ||
      msg.dstChainId !== this.chainId ||
      msg.channelId !== channelId ||
      msg.nonce !== nonce
    )
      throw xdmRejected('BadProof', 'message does not match its key');
    const c = this.channels.get(`${chainKey(src)}:${channelId}`);
    if (c === undefined) throw xdmRejected('MissingChannel');
    if (c.state !== 'Open') throw xdmRejected('InvalidChannelState');
    if (nonce < c.nextInboxNonce) throw xdmRejected('MessageAlreadyDelivered');
    if (nonce > c.nextInboxNonce) throw xdmRejected('InvalidMessageNonce');
    if (msg.payload.type !== 'EndpointRequest') throw xdmRejected('BadProof', 'not a request');
    const ep = this.endpoints.get(msg.payload.req.dstEndpoint);
    const result: EndpointResult =
      ep === undefined ? { ok: false } : ep.onRequest(src, msg.payload.req.payload);
    c.nextInboxNonce += 1n;
    const resp: Message = {
      srcChainId: this.chainId,
      dstChainId: src,
      channelId,
      nonce,
      payload: {
        type: 'EndpointResponse',
        result: result.ok ? { ok: true, value: result.value } : { ok: false, error: { type: 'Other' } },
      },
      lastDeliveredMessageResponseNonce: undefined,
    };
    this.responses.set(`${chainKey(src)}:${channelId}:${nonce}`, resp);
    this.state.set(inboxResponseKey(src, channelId, nonce), encodeWith(messageCodec, resp));
  }

  /** `relay_message_response`: the answer to one of this chain's requests; runs the endpoint's response handler. */
  relayResponse(
    dst: ChainId,
    channelId: bigint,
    nonce: bigint,
    sourceRoot: H256,
    responseProof: readonly Uint8Array[],
  ): void {
    const resp = readMessage(sourceRoot, responseProof, inboxResponseKey(this.chainId, channelId, nonce));
    const key = `${chainKey(dst)}:${channelId}:${nonce}`;
    const req = this.outbox.get(key);
    if (req === undefined) throw xdmRejected('MessageAlreadyDelivered');
    if (resp.payload.type !== 'EndpointResponse' || req.payload.type !== 'EndpointRequest')
      throw xdmRejected('BadProof', 'not a response');
    const c = this.channels.get(`${chainKey(dst)}:${channelId}`)!;
    this.outbox.delete(key);
    c.latestResponseReceivedMessageNonce =
      c.latestResponseReceivedMessageNonce === undefined || nonce > c.latestResponseReceivedMessageNonce
        ? nonce
        : c.latestResponseReceivedMessageNonce;
    const r = resp.payload.result;
    this.endpoints
      .get(req.payload.req.srcEndpoint)
      ?.onResponse(
        dst,
        channelId,
        nonce,
        req.payload.req.payload,
        r.ok ? { ok: true, value: r.value } : { ok: false },
      );
  }
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
 * The transporter endpoint of one chain: debits the sender and sends a `Transfer`; credits the
 * receiver on the destination; refunds the sender when the destination rejects.
 */
export class Transporter implements Endpoint {
  readonly balances = new Map<string, bigint>();
  /** Debited, not yet confirmed or refunded (by message key). */
  readonly inFlight = new Map<string, bigint>();

  constructor(
    readonly messenger: Messenger,
    /** Accounts that do not exist on this chain make a transfer fail (to exercise refunds). */
    private readonly accepts: (account: string) => boolean = () => true,
  ) {
    messenger.registerEndpoint(TRANSPORTER_ENDPOINT_ID, this);
  }

  balance(account: string): bigint {
    return this.balances.get(account) ?? 0n;
  }

  /** `transfer(dst_location, amount)`. */
  transfer(sender: string, dst: ChainId, channelId: bigint, receiver: Uint8Array, amount: bigint): Message {
    if (amount <= 0n || this.balance(sender) < amount) throw xdmRejected('InsufficientBalance');
    const t: Transfer = {
      amount,
      sender: { chainId: this.messenger.chainId, accountId: { type: 'AccountId32', id: hexBytes(sender) } },
      receiver: { chainId: dst, accountId: { type: 'AccountId32', id: receiver } },
    };
    const msg = this.messenger.sendRequest(
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

  /** Sum of balances plus in-flight amounts. */
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

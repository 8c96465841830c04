/**
 * Cross-domain messages relayed INTO a domain inside its bundles (decex §5 step 1d, §7a.7, §8):
 * `BalancesRuntime`'s relay extrinsic, the checks the domain side runs on it, and the consensus
 * MMR check of block derivation that decides `InvalidBundleType::InvalidXDM`.
 *
 * The relay extrinsic is OUR runtime's format (the live EVM domain's `relay_message` call has a
 * pallet index and signed extensions we do not model): `0x04 ‖ SCALE(CrossDomainMessage)`, an
 * unsigned extrinsic. What it carries is the network's `CrossDomainMessage` with
 * `Proof::Consensus { consensus_chain_mmr_proof, message_proof }`; the rules follow the live chain:
 *
 * - derivation (step d) checks the MMR proof against the consensus chain at the consensus block
 *   being derived ({@link xdmVerifier}); the first failing XDM makes the bundle `InvalidXDM(i)`;
 * - the in-block check trusts the MMR leaf (`MessengerTrustedMmrExtension`: the leaf is only
 *   decoded) and verifies the message storage proof, the outbox entry
 *   `Messenger::Outbox[(dst, channel, nonce)]`, against `leaf.state_root`
 *   ({@link readRelayedTransfer});
 * - dispatch credits the transporter transfer's receiver, adds the amount to the block's
 *   `transfers_in[src]` and moves the channel's inbox nonce on (replays and gaps are illegal).
 */
import { concatBytes, ScaleWriter, uintToLe } from '@autonomys/primitives';
import { decodeWith, encodeWith } from './codec.js';
import { MMR_LEAF_SIZE, TRANSPORTER_ENDPOINT_ID } from './constants.js';
import { DecexError, xdmRejected } from './errors.js';
import { storagePrefix, twox64Concat } from './hash.js';
import { type MmrRootSource, verifyConsensusMmrProof } from './mmr.js';
import { readStorageProof } from './trie.js';
import {
  type ChainId,
  type ConsensusChainMmrLeafProof,
  type CrossDomainMessage,
  chainIdCodec,
  compareChainId,
  crossDomainMessageCodec,
  type H256,
  type Message,
  messageCodec,
  mmrLeafCodec,
  type Transfer,
  transferCodec,
} from './types.js';
import { outboxKey } from './xdm.js';

/** First byte of `BalancesRuntime`'s relay extrinsic. */
export const RELAY_MESSAGE_KIND = 4;

/** The relay extrinsic of a message: `0x04 ‖ SCALE(CrossDomainMessage)`. @example relayMessageExtrinsic(msg) */
export function relayMessageExtrinsic(msg: CrossDomainMessage): Uint8Array {
  return concatBytes(Uint8Array.of(RELAY_MESSAGE_KIND), encodeWith(crossDomainMessageCodec, msg, 512));
}

/** The message of a relay extrinsic, `undefined` when `body` is not one (exact decoding, no trailing bytes). */
export function decodeRelayMessageExtrinsic(body: Uint8Array): CrossDomainMessage | undefined {
  if (body[0] !== RELAY_MESSAGE_KIND) return undefined;
  try {
    return decodeWith(crossDomainMessageCodec, body.subarray(1), 'CrossDomainMessage');
  } catch {
    return undefined;
  }
}

/** The consensus MMR proof an XDM extrinsic carries (both `Proof` variants have one). */
export function xdmMmrProofOf(msg: CrossDomainMessage): ConsensusChainMmrLeafProof {
  return msg.proof.consensusChainMmrProof;
}

const u256le = (v: bigint): Uint8Array => uintToLe(v, 32);

/**
 * The domain-state key of the next inbox nonce of a channel (ours:
 * `twox128("Messenger") ‖ twox128("NextInboxNonce") ‖ twox64Concat(SCALE(src) ‖ le256(channel))`,
 * value a 32-byte LE U256; absent = 0). The live pallet keeps it inside its `Channels` record.
 */
export function inboxNonceKey(src: ChainId, channelId: bigint): Uint8Array {
  const w = new ScaleWriter(40);
  chainIdCodec.enc(w, src);
  return concatBytes(
    storagePrefix('Messenger', 'NextInboxNonce'),
    twox64Concat(concatBytes(w.finish(), u256le(channelId))),
  );
}

/** A transporter transfer read from a relayed message. */
export interface RelayedTransfer {
  src: ChainId;
  channelId: bigint;
  nonce: bigint;
  /** The receiver's 32-byte account id on the destination. */
  receiver: Uint8Array;
  amount: bigint;
  /** The source outbox entry, as proven. */
  message: Message;
}

/**
 * The in-block check of a relayed message (the leaf is trusted, as `MessengerTrustedMmrExtension`):
 * decodes the MMR leaf (exactly 101 bytes) for its consensus state root, reads the outbox entry
 * `Outbox[(dst, channel, nonce)]` from it with `message_proof`, and checks that it is this
 * message and a transporter transfer to an `AccountId32` on the destination. Only consensus
 * sources (`Proof::Consensus`) are accepted. `dstChain`, when given, must be the message's
 * destination. Throws `DECEX_XDM_REJECTED` (`BadProof`, `InvalidChain`, `NoMessageHandler`).
 */
export function readRelayedTransfer(msg: CrossDomainMessage, dstChain?: ChainId): RelayedTransfer {
  if (msg.proof.type !== 'Consensus' || msg.srcChainId !== 'consensus')
    throw xdmRejected('BadProof', 'only consensus-chain sources are relayed here');
  if (dstChain !== undefined && compareChainId(msg.dstChainId, dstChain) !== 0)
    throw xdmRejected('InvalidChain', 'message for another chain');
  const leafBytes = msg.proof.consensusChainMmrProof.opaqueMmrLeaf;
  if (leafBytes.length !== MMR_LEAF_SIZE) throw xdmRejected('BadProof', 'MMR leaf is not 101 bytes');
  let message: Message;
  try {
    const stateRoot = decodeWith(mmrLeafCodec, leafBytes, 'MmrLeaf').stateRoot;
    const raw = readStorageProof(
      stateRoot,
      msg.proof.messageProof,
      outboxKey(msg.dstChainId, msg.channelId, msg.nonce),
    );
    if (raw === undefined) throw xdmRejected('BadProof', 'message not in the source outbox');
    message = decodeWith(messageCodec, raw, 'Message');
  } catch (e) {
    if (e instanceof DecexError && e.type.code === 'DECEX_XDM_REJECTED') throw e;
    throw xdmRejected('BadProof', e instanceof Error ? e.message : String(e));
  }
  if (
    compareChainId(message.srcChainId, msg.srcChainId) !== 0 ||
    compareChainId(message.dstChainId, msg.dstChainId) !== 0 ||
    message.channelId !== msg.channelId ||
    message.nonce !== msg.nonce
  )
    throw xdmRejected('BadProof', 'message does not match its key');
  const p = message.payload;
  if (p.type !== 'EndpointRequest' || p.req.dstEndpoint !== TRANSPORTER_ENDPOINT_ID)
    throw xdmRejected('NoMessageHandler', 'not a transporter request');
  let t: Transfer;
  try {
    t = decodeWith(transferCodec, p.req.payload, 'Transfer');
  } catch (e) {
    throw xdmRejected('BadProof', e instanceof Error ? e.message : String(e));
  }
  if (compareChainId(t.receiver.chainId, msg.dstChainId) !== 0)
    throw xdmRejected('InvalidChain', 'receiver on another chain');
  if (t.receiver.accountId.type !== 'AccountId32')
    throw xdmRejected('BadProof', 'receiver is not an AccountId32');
  if (t.amount <= 0n) throw xdmRejected('BadProof', 'zero amount');
  return {
    src: msg.srcChainId,
    channelId: msg.channelId,
    nonce: msg.nonce,
    receiver: t.receiver.accountId.id,
    amount: t.amount,
    message,
  };
}

/**
 * Whether an XDM's consensus MMR proof holds at consensus block `atBlock` given `rootX`, the MMR
 * root `MmrRootHashes[X]` (X = the proof's `consensus_block_number`): X must be at most `atBlock`
 * (a root the chain being derived has), then the proof is verified statelessly (decex §7a.5) with
 * exactly 101 leaf bytes. This one predicate decides step 1d of derivation and the InvalidXDM
 * fraud proof, so the two always agree.
 */
export function xdmMmrProofHolds(
  rootX: H256 | undefined,
  p: ConsensusChainMmrLeafProof,
  atBlock: number,
): boolean {
  if (p.consensusBlockNumber > atBlock || rootX === undefined) return false;
  try {
    verifyConsensusMmrProof(rootX, p);
    return true;
  } catch {
    return false;
  }
}

/**
 * The `verifyXdm` of block derivation (decex §5 step 1d) for the domain block of consensus block
 * `consensusBlockNumber`: `undefined` for extrinsics that are not XDMs, else whether the XDM's MMR
 * proof verifies against `roots.mmrRoot(X)`, where `roots` gives the root each block `X` wrote as
 * `MmrRootHashes[X]` (any X up to the derived block: the node's off-chain MMR, as the live
 * preprocessor's stateful `verify_proof` at that block; not limited to the 1024-root window).
 * @example deriveDomainBlock(rt, parent, state, info, bundles, { verifyXdm: xdmVerifier(rt, roots, info.number) })
 */
export function xdmVerifier(
  runtime: { xdmMmrProof?(body: Uint8Array): ConsensusChainMmrLeafProof | undefined },
  roots: MmrRootSource,
  consensusBlockNumber: number,
): (body: Uint8Array) => boolean | undefined {
  return (body) => {
    const p = runtime.xdmMmrProof?.(body);
    if (p === undefined) return undefined;
    const x = p.consensusBlockNumber;
    return xdmMmrProofHolds(
      x <= consensusBlockNumber ? roots.mmrRoot(x) : undefined,
      p,
      consensusBlockNumber,
    );
  };
}

/**
 * A relayer's `CrossDomainMessage` for an outbox `message` of the consensus chain: its MMR proof
 * (the leaf of the block whose state holds the outbox entry) and the storage proof of
 * `Outbox[(dst, channel, nonce)]` in that block's state (decex §8 `Proof::Consensus`).
 */
export function consensusRelayMessage(
  message: Message,
  consensusChainMmrProof: ConsensusChainMmrLeafProof,
  messageProof: Uint8Array[],
): CrossDomainMessage {
  const p = message.payload;
  const weightTag =
    p.type === 'EndpointRequest'
      ? ({ type: 'EndpointRequest', endpoint: p.req.dstEndpoint } as const)
      : ({ type: 'None' } as const);
  return {
    srcChainId: message.srcChainId,
    dstChainId: message.dstChainId,
    channelId: message.channelId,
    nonce: message.nonce,
    proof: { type: 'Consensus', consensusChainMmrProof, messageProof },
    weightTag,
  };
}

/**
 * The consensus side of transporter transfers into a domain (decex §8), in the node's runtime:
 * the signed call `Transporter.transfer(dst_location, amount)` (`3d 00`, pallet index 61 of the
 * B-table; the call index is the pallet's first call), the Messenger outbox it writes into the
 * consensus state (`Messenger::Outbox[(dst, channel, nonce)]`, the key and message encoding
 * `@autonomys/decex`'s relay checks read with a storage proof), and the transporter's accounting:
 * the amount leaves the sender's `System.Account` and the total issuance (burnt, as the live
 * pallet does), waits in `UnconfirmedTransfers[domain]` while in flight, and moves into
 * `DomainBalances[domain]` when the domain's receipt carrying it in `transfers_in` confirms.
 *
 * Deviations from the live chain (documented in the README): channel 0 to every genesis domain
 * is open from genesis (no `initiate_channel` / channel reserve), the XDM fees are not charged
 * (`collected_fee` is zero), and the response path back to the consensus chain
 * (`relay_message_response`, outbox clean-up, refunds of rejected transfers) is not modelled: an
 * outbox entry stays in the state.
 */

import {
  type ChainId,
  DomainBalances,
  type DomainTransfersTracker,
  decodeWith,
  type ExecutionReceipt,
  encodeWith,
  hexOf,
  invalidArgument,
  type Location,
  locationCodec,
  type Message,
  messageCodec,
  outboxKey,
  TRANSPORTER_ENDPOINT_ID,
  transferCodec,
  xdmRejected,
} from '@autonomys/decex';
import { type ScaleReader, ScaleWriter, uintToLe } from '@autonomys/primitives';
import type { Call } from '../runtime/extrinsic.js';
import { storageKey, twox64Concat } from '../runtime/hashing.js';

/** Pallet index of Transporter (B-table). */
export const TRANSPORTER_PALLET_INDEX = 61;
/** Call index of `Transporter.transfer`. */
export const TRANSPORTER_TRANSFER_CALL_INDEX = 0;
/** The channel to every genesis domain, open from genesis (dev networks). */
export const GENESIS_CHANNEL_ID = 0n;

/** A decoded `Transporter.transfer` call. */
export interface TransporterTransferCall {
  readonly dstLocation: Location;
  readonly amount: bigint;
}

/** Whether a call is `Transporter.transfer`. */
export function isTransporterCall(call: Call): boolean {
  return (
    call.type === 'Opaque' &&
    call.palletIndex === TRANSPORTER_PALLET_INDEX &&
    call.callIndex === TRANSPORTER_TRANSFER_CALL_INDEX
  );
}

/** Decodes the arguments of `Transporter.transfer` (`DECEX_INVALID_ENCODING` on bad bytes). */
export function decodeTransporterCall(args: Uint8Array): TransporterTransferCall {
  return decodeWith(
    {
      enc: () => {},
      dec: (r: ScaleReader) => {
        const dstLocation = locationCodec.dec(r);
        const lo = r.u64('amount');
        return { dstLocation, amount: lo | (r.u64('amount') << 64n) };
      },
    },
    args,
    'Transporter.transfer',
  );
}

/**
 * The call `Transporter.transfer({ chain_id: Domain(domainId), account_id: AccountId32(receiver) }, amount)`
 * (sign it with `signExtrinsic` like any call).
 * @example signExtrinsic(transporterTransferCall(0, alice, 10n ** 18n), extra, implicit, sk, pk)
 */
export function transporterTransferCall(
  domainId: number,
  receiver: Uint8Array,
  amount: bigint,
): Extract<Call, { type: 'Opaque' }> {
  if (receiver.length !== 32) throw invalidArgument('transfer receiver', 'account ids are 32 bytes');
  if (amount < 0n || amount >= 1n << 128n) throw invalidArgument('transfer amount', 'not a u128');
  const w = new ScaleWriter(64);
  locationCodec.enc(w, { chainId: domainId, accountId: { type: 'AccountId32', id: receiver } });
  w.u64(amount & 0xffff_ffff_ffff_ffffn).u64(amount >> 64n);
  return {
    type: 'Opaque',
    palletIndex: TRANSPORTER_PALLET_INDEX,
    callIndex: TRANSPORTER_TRANSFER_CALL_INDEX,
    args: w.finish(),
  };
}

const u128 = (v: bigint): Uint8Array => uintToLe(v, 16);
const u256 = (v: bigint): Uint8Array => uintToLe(v, 32);
function le32(n: number): Uint8Array {
  return new ScaleWriter(4).u32(n).finish();
}

/** An outbox entry: its storage key and the SCALE message. */
export interface OutboxEntry {
  readonly key: Uint8Array;
  readonly message: Message;
  readonly encoded: Uint8Array;
}

/**
 * The consensus chain's Messenger outbox and transporter accounting for its domains. One instance
 * per block (cloned at the block's start; treat a finished block's as immutable).
 */
export class ConsensusTransporter implements DomainTransfersTracker {
  /** `DomainBalances` (decex): what each domain holds, moved by confirmed receipts. */
  domainBalances: DomainBalances;
  /** `UnconfirmedTransfers[(consensus, domain)]`: sent, not yet confirmed by a domain receipt. */
  unconfirmed: Map<number, bigint>;
  /** Next outbox nonce of channel 0 to each domain. */
  nextOutboxNonce: Map<number, bigint>;
  /** Outbox entries by hex storage key. */
  outbox: Map<string, OutboxEntry>;

  constructor(genesis: readonly (readonly [number, bigint])[] = []) {
    this.domainBalances = new DomainBalances();
    for (const [d, v] of genesis) this.domainBalances.initialize(d, v);
    this.unconfirmed = new Map();
    this.nextOutboxNonce = new Map(genesis.map(([d]) => [d, 0n]));
    this.outbox = new Map();
  }

  /** A copy for the next block. */
  clone(): ConsensusTransporter {
    const c = new ConsensusTransporter();
    c.restore(this.save());
    return c;
  }

  private save() {
    return {
      balances: new Map(this.domainBalances.balances),
      unconfirmed: new Map(this.unconfirmed),
      next: new Map(this.nextOutboxNonce),
      outbox: new Map(this.outbox),
      rejected: this.rejectedConfirmations,
    };
  }
  private restore(s: ReturnType<ConsensusTransporter['save']>): void {
    this.domainBalances = new DomainBalances();
    for (const [d, v] of s.balances) this.domainBalances.balances.set(d, v);
    this.unconfirmed = s.unconfirmed;
    this.nextOutboxNonce = s.next;
    this.outbox = s.outbox;
    this.rejectedConfirmations = s.rejected;
  }

  /** A restore point (a failed dispatch or batch reverts the transporter with the accounts). */
  snapshot(): () => void {
    const s = this.save();
    return () =>
      this.restore({
        ...s,
        unconfirmed: new Map(s.unconfirmed),
        next: new Map(s.next),
        outbox: new Map(s.outbox),
      });
  }

  /** Whether `domainId` has a channel from this chain. */
  hasChannel(domainId: number): boolean {
    return this.nextOutboxNonce.has(domainId);
  }

  /**
   * Writes the outbox message of a transfer of `amount` from `sender` (consensus) to `receiver`
   * on domain `domainId` and counts it in flight. The caller has debited the sender. Throws
   * `DECEX_XDM_REJECTED` (`InvalidChain`) without a channel to the domain.
   */
  send(domainId: number, sender: Uint8Array, receiver: Uint8Array, amount: bigint): OutboxEntry {
    const nonce = this.nextOutboxNonce.get(domainId);
    if (nonce === undefined) throw xdmRejected('InvalidChain', `no channel to domain ${domainId}`);
    const transfer = encodeWith(transferCodec, {
      amount,
      sender: { chainId: 'consensus', accountId: { type: 'AccountId32', id: sender.slice() } },
      receiver: { chainId: domainId, accountId: { type: 'AccountId32', id: receiver.slice() } },
    });
    const message: Message = {
      srcChainId: 'consensus',
      dstChainId: domainId,
      channelId: GENESIS_CHANNEL_ID,
      nonce,
      payload: {
        type: 'EndpointRequest',
        req: {
          srcEndpoint: TRANSPORTER_ENDPOINT_ID,
          dstEndpoint: TRANSPORTER_ENDPOINT_ID,
          payload: transfer,
        },
        collectedFee: { srcChainFee: 0n, dstChainFee: 0n },
      },
      lastDeliveredMessageResponseNonce: undefined,
    };
    const key = outboxKey(domainId, GENESIS_CHANNEL_ID, nonce);
    const entry = { key, message, encoded: encodeWith(messageCodec, message, 256) };
    this.outbox.set(hexOf(key), entry);
    this.nextOutboxNonce.set(domainId, nonce + 1n);
    this.unconfirmed.set(domainId, (this.unconfirmed.get(domainId) ?? 0n) + amount);
    return entry;
  }

  /** The outbox entries to `domainId` with nonces in `[from, to)`. */
  messages(domainId: number, from: bigint, to: bigint): OutboxEntry[] {
    const out: OutboxEntry[] = [];
    for (let n = from; n < to; n++) {
      const e = this.outbox.get(hexOf(outboxKey(domainId, GENESIS_CHANNEL_ID, n)));
      if (e !== undefined) out.push(e);
    }
    return out;
  }

  /**
   * Confirmed receipts whose transfers were not applied: they confirmed more from the consensus
   * chain than was in flight to the domain, or would have made a `DomainBalances` entry negative.
   * Only a bad receipt that went unchallenged through the challenge period gets here; the live
   * pallet fails the extrinsic that would confirm it instead (decex's block tree is not
   * transactional, so the node confirms the receipt and leaves its transfers out).
   */
  rejectedConfirmations: readonly { domainId: number; reason: string }[] = [];

  /**
   * A confirmed receipt's transfers (`DomainTransfersTracker`): the consensus chain's incoming
   * transfers confirmed by the domain leave `UnconfirmedTransfers` and, with the rest, move
   * `DomainBalances` (decex's rules: never negative). Never throws: inconsistent transfers are
   * recorded in {@link rejectedConfirmations} and change no balance.
   */
  applyReceiptTransfers(domainId: number, t: ExecutionReceipt['transfers']): void {
    const fromConsensus = t.transfersIn.get('consensus' as ChainId) ?? 0n;
    const inFlight = this.unconfirmed.get(domainId) ?? 0n;
    const reject = (reason: string) => {
      this.rejectedConfirmations = [...this.rejectedConfirmations, { domainId, reason }];
    };
    if (fromConsensus > inFlight) {
      reject('confirms more than was sent to the domain');
      return;
    }
    try {
      this.domainBalances.applyReceiptTransfers(domainId, t);
    } catch (e) {
      reject(e instanceof Error ? e.message : String(e));
      return;
    }
    if (fromConsensus > 0n) this.unconfirmed.set(domainId, inFlight - fromConsensus);
  }

  /** Total in flight to all domains. */
  inFlight(): bigint {
    let s = 0n;
    for (const v of this.unconfirmed.values()) s += v;
    return s;
  }

  /** The storage entries (part of the consensus state root, so relayers can prove the outbox). */
  storageEntries(): [Uint8Array, Uint8Array][] {
    const out: [Uint8Array, Uint8Array][] = [];
    for (const e of this.outbox.values()) out.push([e.key, e.encoded]);
    for (const [d, n] of this.nextOutboxNonce)
      out.push([storageKey('Messenger', 'NextOutboxNonce', twox64Concat(le32(d))), u256(n)]);
    for (const [d, v] of this.domainBalances.balances)
      if (typeof d === 'number')
        out.push([storageKey('Transporter', 'DomainBalances', twox64Concat(le32(d))), u128(v)]);
    for (const [d, v] of this.unconfirmed)
      out.push([storageKey('Transporter', 'UnconfirmedTransfers', twox64Concat(le32(d))), u128(v)]);
    return out;
  }
}

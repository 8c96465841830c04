/**
 * The domain runtime interface and a minimal runtime (balances and transfers) that produces real
 * state roots. A full EVM runtime plugs in by implementing `DomainRuntime`; the block derivation,
 * receipts and fraud proofs only use this interface.
 *
 * `BalancesRuntime`'s extrinsic format and storage items are OURS (not the network's EVM domain):
 * receipts and fraud proofs built on it verify against this TypeScript runtime only.
 */
import {
  concatBytes,
  leToBigint,
  ScaleReader,
  ScaleWriter,
  sr25519Sign,
  sr25519Verify,
  uintToLe,
} from '@autonomys/primitives';
import { sr25519VerifyBatch } from './batch.js';
import { consensusBlockInfoDigest } from './bundle.js';
import { decodeWith, encodeWith } from './codec.js';
import { OPERATOR_SIGNING_CONTEXT } from './constants.js';
import { DecexError } from './errors.js';
import { blake2b256, blake2128Concat, storagePrefix } from './hash.js';
import {
  type BlockFees,
  blockFeesCodec,
  type ChainId,
  type ConsensusChainMmrLeafProof,
  chainIdCodec,
  type H256,
  messageCodec,
  type Transfers,
  transfersCodec,
  type Weight,
} from './types.js';
import { inboxResponseKey } from './xdm.js';
import {
  decodeRelayMessageExtrinsic,
  inboxNonceKey,
  RELAY_MESSAGE_KIND,
  type RelayedTransfer,
  readRelayedTransfer,
  xdmMmrProofOf,
} from './xdm-relay.js';

/** Key/value state the runtime runs on (a full `TrieState`, a proof-backed one, or an overlay). */
export interface StateView {
  get(key: Uint8Array): Uint8Array | undefined;
  set(key: Uint8Array, value: Uint8Array): void;
}

/** What the block preprocessor needs to know about one extrinsic. */
export interface ExtrinsicInfo {
  /** The signer's AccountId SCALE bytes (32 bytes) or `undefined` for unsigned extrinsics. */
  signer: Uint8Array | undefined;
  /** Inherents may only be built by the block author, never come in bundles. */
  isInherent: boolean;
  weight: Weight;
}

/** The consensus data a domain block is derived from (what the inherents carry). */
export interface BlockContext {
  number: number;
  parentHash: H256;
  consensusBlockHash: H256;
  timestamp: bigint;
  consensusTransactionByteFee: bigint;
}

/**
 * A domain runtime. All methods are deterministic functions of their inputs and the state; none
 * may keep hidden state that changes results (caches are fine).
 */
export interface DomainRuntime {
  /** Decodes an extrinsic body; `undefined` if it is not decodable. */
  inspect(body: Uint8Array): ExtrinsicInfo | undefined;
  /** The inherent extrinsics of a block, in order (decex §5 step 5). */
  inherents(ctx: BlockContext): Uint8Array[];
  /** `initialize_block`. */
  initializeBlock(state: StateView, ctx: BlockContext): void;
  /**
   * Validity + pre-dispatch of a bundle extrinsic on `state` (side effects kept, as
   * `check_extrinsics_and_do_pre_dispatch`): `true` if it may be included.
   */
  checkExtrinsic(state: StateView, body: Uint8Array): boolean;
  /** `apply_extrinsic`: never throws for an included extrinsic; failures only change the outcome. */
  applyExtrinsic(state: StateView, body: Uint8Array): void;
  /** `finalize_block`. */
  finalizeBlock(state: StateView): void;
  /** Storage keys of the items fraud proofs read from a final state. */
  readonly keys: { blockFees: Uint8Array; transfers: Uint8Array; digest: Uint8Array };
  /**
   * The consensus MMR proof of an XDM extrinsic (what derivation step 1d and the InvalidXDM fraud
   * proof check), `undefined` for extrinsics that are not XDMs. Absent: the runtime has no XDMs.
   */
  xdmMmrProof?(body: Uint8Array): ConsensusChainMmrLeafProof | undefined;
  /**
   * Optional hint before a block's bundles are checked, with every bundle extrinsic: a runtime may
   * verify their signatures in one batch and cache the results (results must not change).
   */
  prepare?(bodies: readonly Uint8Array[]): void;
}

// ---------------------------------------------------------------------------------------------

const K_ACCOUNT = storagePrefix('System', 'Account');
const K_NUMBER = storagePrefix('System', 'Number');
const K_PARENT = storagePrefix('System', 'ParentHash');
const K_DIGEST = storagePrefix('System', 'Digest');
const K_TIMESTAMP = storagePrefix('Timestamp', 'Now');
const K_BYTE_FEE = storagePrefix('BlockFees', 'NextConsensusChainByteFee');
const K_BLOCK_FEES = storagePrefix('BlockFees', 'CollectedBlockFees');
const K_TRANSFERS = storagePrefix('Transporter', 'ChainTransfers');
const K_ISSUANCE = storagePrefix('Balances', 'TotalIssuance');

/** Extrinsic kinds of `BalancesRuntime` (first byte of the body). */
export const BalancesCall = {
  Timestamp: 0,
  ByteFee: 1,
  Transfer: 2,
  TransferOut: 3,
  /** `0x04 ‖ SCALE(CrossDomainMessage)`: a relayed transporter transfer (xdm-relay.ts). */
  RelayMessage: RELAY_MESSAGE_KIND,
} as const;

/** `System.Account` key: `twox128("System") ‖ twox128("Account") ‖ blake2_128_concat(id)`. */
export function accountKey(id: Uint8Array): Uint8Array {
  return concatBytes(K_ACCOUNT, blake2128Concat(id));
}

/** Account record in the Substrate `AccountInfo` layout (80 bytes): nonce, refcounts, free, reserved, frozen, flags. */
export interface AccountInfo {
  nonce: number;
  free: bigint;
}
const FLAGS_NEW_LOGIC = 1n << 127n;
function encodeAccount(a: AccountInfo): Uint8Array {
  return new ScaleWriter(80)
    .u32(a.nonce)
    .u32(0)
    .u32(1)
    .u32(0)
    .bytes(u128le(a.free))
    .bytes(u128le(0n))
    .bytes(u128le(0n))
    .bytes(u128le(FLAGS_NEW_LOGIC))
    .finish();
}
function decodeAccount(b: Uint8Array): AccountInfo {
  const r = new ScaleReader(b, 'AccountInfo');
  const nonce = r.u32();
  r.fixed(12);
  const free = readU128(r);
  return { nonce, free };
}
function u128le(v: bigint): Uint8Array {
  const b = new Uint8Array(16);
  let x = v;
  for (let i = 0; i < 16; i++) {
    b[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return b;
}
function readU128(r: ScaleReader): bigint {
  const b = r.bytesView(16);
  let v = 0n;
  for (let i = 15; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

/** A signed call of `BalancesRuntime`. */
export type BalancesSignedCall =
  | { type: 'Transfer'; dest: Uint8Array; amount: bigint }
  | { type: 'TransferOut'; dstChain: ChainId; dest: Uint8Array; amount: bigint };

interface SignedTx {
  kind: number;
  signer: Uint8Array;
  nonce: number;
  fee: bigint;
  call: BalancesSignedCall;
  payload: Uint8Array;
  signature: Uint8Array;
}

/**
 * Builds a signed extrinsic body: `kind ‖ signer ‖ nonce u32 ‖ fee u128 ‖ call fields ‖ sr25519
 * signature` (Substrate context) over `BlakeTwo256(kind ‖ … ‖ call fields)`.
 */
export function signBalancesExtrinsic(
  secretKey: Uint8Array,
  publicKey: Uint8Array,
  nonce: number,
  fee: bigint,
  call: BalancesSignedCall,
): Uint8Array {
  const w = new ScaleWriter(160);
  w.u8(call.type === 'Transfer' ? BalancesCall.Transfer : BalancesCall.TransferOut)
    .bytes(publicKey)
    .u32(nonce)
    .bytes(u128le(fee));
  if (call.type === 'TransferOut') chainIdCodec.enc(w, call.dstChain);
  w.bytes(call.dest).bytes(u128le(call.amount));
  const payload = w.finish();
  const sig = sr25519Sign(secretKey, publicKey, blake2b256(payload), { context: OPERATOR_SIGNING_CONTEXT });
  return concatBytes(payload, sig);
}

function parseSigned(body: Uint8Array): SignedTx | undefined {
  try {
    const r = new ScaleReader(body, 'extrinsic');
    const kind = r.u8();
    const signer = r.fixed(32);
    const nonce = r.u32();
    const fee = readU128(r);
    let call: BalancesSignedCall;
    if (kind === BalancesCall.Transfer) call = { type: 'Transfer', dest: r.fixed(32), amount: readU128(r) };
    else {
      const dstChain = chainIdCodec.dec(r);
      call = { type: 'TransferOut', dstChain, dest: r.fixed(32), amount: readU128(r) };
    }
    const payload = body.subarray(0, r.offset);
    const signature = r.fixed(64);
    r.finish();
    return { kind, signer, nonce, fee, call, payload, signature };
  } catch {
    return undefined;
  }
}

function addTo(m: Map<ChainId, bigint>, k: ChainId, v: bigint): void {
  m.set(k, (m.get(k) ?? 0n) + v);
}

/** Options of a `BalancesRuntime`. */
export interface BalancesRuntimeOptions {
  /** This domain's chain id: relayed messages must be addressed to it (default: not checked). */
  chainId?: ChainId;
}

/**
 * The minimal domain runtime: accounts with nonces and balances, signed transfers (fee to the
 * block's `domain_execution_fee`), transfers out to other chains, relayed incoming transfers
 * (`RelayMessage`: a `CrossDomainMessage` with its consensus proofs, xdm-relay.ts; recorded in the
 * block's `Transfers`), a timestamp and a byte-fee inherent.
 */
export class BalancesRuntime implements DomainRuntime {
  readonly keys = { blockFees: K_BLOCK_FEES, transfers: K_TRANSFERS, digest: K_DIGEST };
  /** Signature results by extrinsic (a cache: the result is a pure function of the bytes). */
  private readonly sigOk = new Map<string, boolean>();
  /** Reference weight per extrinsic kind (ref_time); proof_size is the encoded length. */
  static readonly REF_TIME = [1_000_000n, 1_000_000n, 50_000_000n, 60_000_000n, 40_000_000n] as const;
  private readonly chainId: ChainId | undefined;

  constructor(opts: BalancesRuntimeOptions = {}) {
    this.chainId = opts.chainId;
  }

  /** Genesis storage with the given balances. */
  static genesis(balances: Iterable<readonly [Uint8Array, bigint]>): [Uint8Array, Uint8Array][] {
    let total = 0n;
    const out: [Uint8Array, Uint8Array][] = [];
    for (const [id, free] of balances) {
      out.push([accountKey(id), encodeAccount({ nonce: 0, free })]);
      total += free;
    }
    out.push([K_ISSUANCE, u128le(total)]);
    return out;
  }

  /** Reads an account (zero balance, nonce 0 if absent). */
  account(state: StateView, id: Uint8Array): AccountInfo {
    const b = state.get(accountKey(id));
    return b === undefined ? { nonce: 0, free: 0n } : decodeAccount(b);
  }

  inspect(body: Uint8Array): ExtrinsicInfo | undefined {
    const kind = body[0];
    if (kind === undefined) return undefined;
    const weight = (k: number): Weight => ({
      refTime: BalancesRuntime.REF_TIME[k]!,
      proofSize: BigInt(body.length),
    });
    if (kind === BalancesCall.Timestamp)
      return body.length === 9 ? { signer: undefined, isInherent: true, weight: weight(kind) } : undefined;
    if (kind === BalancesCall.ByteFee)
      return body.length === 17 ? { signer: undefined, isInherent: true, weight: weight(kind) } : undefined;
    if (kind === BalancesCall.RelayMessage)
      return decodeRelayMessageExtrinsic(body) === undefined
        ? undefined
        : { signer: undefined, isInherent: false, weight: weight(kind) };
    if (kind === BalancesCall.Transfer || kind === BalancesCall.TransferOut) {
      const tx = parseSigned(body);
      return tx === undefined ? undefined : { signer: tx.signer, isInherent: false, weight: weight(kind) };
    }
    return undefined;
  }

  xdmMmrProof(body: Uint8Array): ConsensusChainMmrLeafProof | undefined {
    const msg = decodeRelayMessageExtrinsic(body);
    return msg === undefined ? undefined : xdmMmrProofOf(msg);
  }

  /**
   * The pre-dispatch of a relayed message: the message proof against the (trusted) MMR leaf's
   * state root, a transporter transfer to this chain, and the channel's next inbox nonce (a
   * replay or a gap is illegal); on success moves the nonce on.
   */
  private preDispatchRelay(state: StateView, body: Uint8Array): RelayedTransfer | undefined {
    const msg = decodeRelayMessageExtrinsic(body);
    if (msg === undefined) return undefined;
    let t: RelayedTransfer;
    try {
      t = readRelayedTransfer(msg, this.chainId);
    } catch {
      return undefined;
    }
    const key = inboxNonceKey(t.src, t.channelId);
    const raw = state.get(key);
    const next = raw === undefined ? 0n : leToBigint(raw);
    if (t.nonce !== next) return undefined;
    state.set(key, uintToLe(next + 1n, 32));
    return t;
  }

  inherents(ctx: BlockContext): Uint8Array[] {
    return [
      new ScaleWriter(9).u8(BalancesCall.Timestamp).u64(ctx.timestamp).finish(),
      concatBytes(Uint8Array.of(BalancesCall.ByteFee), u128le(ctx.consensusTransactionByteFee)),
    ];
  }

  initializeBlock(state: StateView, ctx: BlockContext): void {
    state.set(K_NUMBER, new ScaleWriter(4).u32(ctx.number).finish());
    state.set(K_PARENT, ctx.parentHash.slice());
    const digest = new ScaleWriter(40)
      .compact(1)
      .bytes(consensusBlockInfoDigest(ctx.consensusBlockHash))
      .finish();
    state.set(K_DIGEST, digest);
    state.set(K_BLOCK_FEES, encodeWith(blockFeesCodec, emptyFees()));
    state.set(K_TRANSFERS, encodeWith(transfersCodec, emptyTr()));
  }

  /** Batch-verifies the signatures of `bodies` not cached yet (one by one when the batch fails). */
  prepare(bodies: readonly Uint8Array[]): void {
    const todo: { tx: SignedTx; body: Uint8Array; message: Uint8Array }[] = [];
    for (const body of bodies) {
      if (this.sigOk.has(bytesKey(body))) continue;
      const tx = parseSigned(body);
      if (tx !== undefined) todo.push({ tx, body, message: blake2b256(tx.payload) });
    }
    if (todo.length < 2) return;
    const ok = sr25519VerifyBatch(
      todo.map((t) => ({ signature: t.tx.signature, message: t.message, publicKey: t.tx.signer })),
      { context: OPERATOR_SIGNING_CONTEXT },
    );
    if (!ok) return; // verifySig checks each on demand
    if (this.sigOk.size + todo.length > 100_000) this.sigOk.clear();
    for (const t of todo) this.sigOk.set(bytesKey(t.body), true);
  }

  private verifySig(tx: SignedTx, body: Uint8Array): boolean {
    const k = bytesKey(body);
    let ok = this.sigOk.get(k);
    if (ok === undefined) {
      try {
        ok = sr25519Verify(tx.signature, blake2b256(tx.payload), tx.signer, {
          context: OPERATOR_SIGNING_CONTEXT,
        });
      } catch {
        ok = false;
      }
      if (this.sigOk.size > 100_000) this.sigOk.clear();
      this.sigOk.set(k, ok);
    }
    return ok;
  }

  /** Signature, nonce and fee: the pre-dispatch checks; on success bumps the nonce and takes the fee. */
  private preDispatch(state: StateView, body: Uint8Array): SignedTx | undefined {
    const tx = parseSigned(body);
    if (tx === undefined || !this.verifySig(tx, body)) return undefined;
    const acc = this.account(state, tx.signer);
    if (acc.nonce !== tx.nonce || acc.free < tx.fee) return undefined;
    state.set(accountKey(tx.signer), encodeAccount({ nonce: acc.nonce + 1, free: acc.free - tx.fee }));
    const fees = readFees(state);
    fees.domainExecutionFee += tx.fee;
    state.set(K_BLOCK_FEES, encodeWith(blockFeesCodec, fees));
    return tx;
  }

  checkExtrinsic(state: StateView, body: Uint8Array): boolean {
    const info = this.inspect(body);
    if (info === undefined || info.isInherent) return false;
    if (body[0] === BalancesCall.RelayMessage) return this.preDispatchRelay(state, body) !== undefined;
    return this.preDispatch(state, body) !== undefined;
  }

  applyExtrinsic(state: StateView, body: Uint8Array): void {
    const kind = body[0];
    if (kind === BalancesCall.Timestamp && body.length === 9) {
      state.set(K_TIMESTAMP, body.slice(1));
      return;
    }
    if (kind === BalancesCall.ByteFee && body.length === 17) {
      state.set(K_BYTE_FEE, body.slice(1));
      return;
    }
    if (kind === BalancesCall.RelayMessage) {
      const t = this.preDispatchRelay(state, body);
      if (t === undefined) return; // not includable any more (a replay): no effect
      const acc = this.account(state, t.receiver);
      state.set(accountKey(t.receiver), encodeAccount({ nonce: acc.nonce, free: acc.free + t.amount }));
      const tr = readTransfers(state);
      addTo(tr.transfersIn, t.src, t.amount);
      state.set(K_TRANSFERS, encodeWith(transfersCodec, tr));
      // the response the source will be relayed back (`InboxResponses`)
      const response = {
        srcChainId: t.message.dstChainId,
        dstChainId: t.src,
        channelId: t.channelId,
        nonce: t.nonce,
        payload: {
          type: 'EndpointResponse' as const,
          result: { ok: true as const, value: new Uint8Array(0) },
        },
        lastDeliveredMessageResponseNonce: undefined,
      };
      state.set(inboxResponseKey(t.src, t.channelId, t.nonce), encodeWith(messageCodec, response));
      return;
    }
    const tx = this.preDispatch(state, body);
    if (tx === undefined) return; // not includable any more: no effect
    const from = this.account(state, tx.signer);
    if (from.free < tx.call.amount) return; // dispatch error: fee paid, nonce used, no transfer
    state.set(accountKey(tx.signer), encodeAccount({ nonce: from.nonce, free: from.free - tx.call.amount }));
    if (tx.call.type === 'Transfer') {
      const to = this.account(state, tx.call.dest);
      state.set(accountKey(tx.call.dest), encodeAccount({ nonce: to.nonce, free: to.free + tx.call.amount }));
    } else {
      const tr = readTransfers(state);
      addTo(tr.transfersOut, tx.call.dstChain, tx.call.amount);
      state.set(K_TRANSFERS, encodeWith(transfersCodec, tr));
    }
  }

  finalizeBlock(state: StateView): void {
    // Fees and transfers are kept up to date by each extrinsic; finalization re-encodes them
    // canonically (a no-op for an honest state) so their final values are what the ER reports.
    state.set(K_BLOCK_FEES, encodeWith(blockFeesCodec, readFees(state)));
    state.set(K_TRANSFERS, encodeWith(transfersCodec, readTransfers(state)));
  }
}

function emptyFees(): BlockFees {
  return { consensusStorageFee: 0n, domainExecutionFee: 0n, burnedBalance: 0n, chainRewards: new Map() };
}
function emptyTr(): Transfers {
  return {
    transfersIn: new Map(),
    transfersOut: new Map(),
    rejectedTransfersClaimed: new Map(),
    transfersRejected: new Map(),
  };
}
function readFees(state: StateView): BlockFees {
  const b = state.get(K_BLOCK_FEES);
  return b === undefined ? emptyFees() : decodeWith(blockFeesCodec, b, 'BlockFees');
}
function readTransfers(state: StateView): Transfers {
  const b = state.get(K_TRANSFERS);
  return b === undefined ? emptyTr() : decodeWith(transfersCodec, b, 'Transfers');
}

function bytesKey(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** A copy-on-write overlay over a state (for checks that must not touch the base). */
export class OverlayState implements StateView {
  private readonly writes = new Map<string, Uint8Array>();
  constructor(private readonly base: StateView) {}
  get(key: Uint8Array): Uint8Array | undefined {
    return this.writes.get(bytesKey(key)) ?? this.base.get(key);
  }
  set(key: Uint8Array, value: Uint8Array): void {
    this.writes.set(bytesKey(key), value);
  }
  /** Moves the writes of a child overlay into this one. */
  commit(child: OverlayState): void {
    for (const [k, v] of child.writes) this.writes.set(k, v);
  }
}

/** Records the keys a step touches (for execution proofs). */
export class RecordingState implements StateView {
  readonly touched = new Map<string, Uint8Array>();
  constructor(private readonly base: StateView) {}
  get(key: Uint8Array): Uint8Array | undefined {
    this.touched.set(bytesKey(key), key);
    return this.base.get(key);
  }
  set(key: Uint8Array, value: Uint8Array): void {
    this.touched.set(bytesKey(key), key);
    this.base.set(key, value);
  }
}

/** Reads a `BlockFees` / `Transfers` / digest value written by the runtime (helpers for tests and proofs). */
export function readRuntimeBlockFees(state: StateView): BlockFees {
  return readFees(state);
}
export function readRuntimeTransfers(state: StateView): Transfers {
  return readTransfers(state);
}
/** Decodes `Vec<DigestItem>` as stored (items kept as bytes: we only produce `Other` items). */
export function decodeStoredDigest(b: Uint8Array): Uint8Array[] {
  try {
    const r = new ScaleReader(b, 'Digest');
    const n = r.compactU32();
    const out: Uint8Array[] = [];
    for (let i = 0; i < n; i++) {
      const start = r.offset;
      const tag = r.u8();
      if (tag !== 0)
        throw new DecexError({
          code: 'DECEX_INVALID_ENCODING',
          what: 'DigestItem',
          reason: `unsupported tag ${tag}`,
        });
      r.vecU8('DigestItem::Other', r.remaining);
      out.push(b.slice(start, r.offset));
    }
    r.finish();
    return out;
  } catch (e) {
    if (e instanceof DecexError) throw e;
    throw new DecexError({
      code: 'DECEX_INVALID_ENCODING',
      what: 'Digest',
      reason: String((e as Error).message),
    });
  }
}

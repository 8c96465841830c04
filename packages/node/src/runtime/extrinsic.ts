/**
 * Extrinsics and calls of the Autonomys runtime (pot-consensus-dsn B.11): the `RuntimeCall`s the
 * node executes (System remarks, Timestamp.set, Subspace.store_segment_headers and vote, Balances
 * transfers, Utility batches), the `UncheckedExtrinsic` wire format (Bare / Signed v4 / General v5),
 * mortality eras, the signed extensions' explicit and implicit bytes and the signing payload.
 */

import { type Location, locationCodec } from '@autonomys/decex';
import {
  PrimitivesError,
  readSegmentHeader,
  ScaleReader,
  ScaleWriter,
  type SegmentHeader,
  SUBSTRATE_SIGNING_CONTEXT,
  sr25519Sign,
  sr25519Verify,
  writeSegmentHeader,
} from '@autonomys/primitives';
import { ed25519 } from '@noble/curves/ed25519.js';
import { abytes } from '../chain/assert.js';
import { blake2b256 } from '../chain/hash.js';
import { decoding, encoding, NodeError } from '../errors.js';

/** Pallet indices of `construct_runtime!` (B.11). */
export const PALLET_INDEX = {
  System: 0,
  Timestamp: 1,
  Subspace: 2,
  Rewards: 4,
  Balances: 5,
  TransactionFees: 6,
  TransactionPayment: 7,
  Utility: 8,
  Domains: 12,
  RuntimeConfigs: 14,
  Sudo: 100,
} as const;

/** `[pallet, call]` index bytes of the calls this node decodes. */
export const CALL_INDEX = {
  'System.remark': [0, 0],
  'System.remark_with_event': [0, 7],
  'Timestamp.set': [1, 0],
  'Subspace.store_segment_headers': [2, 0],
  'Subspace.vote': [2, 2],
  'Balances.transfer_allow_death': [5, 0],
  'Balances.transfer_keep_alive': [5, 3],
  'Balances.transfer_all': [5, 4],
  'Utility.batch': [8, 0],
  'Utility.batch_all': [8, 2],
  'Utility.force_batch': [8, 4],
} as const satisfies Record<string, readonly [number, number]>;

/** A call: the decoded ones, or `Opaque` (any other pallet/call at the top level of an extrinsic). */
export type Call =
  | { readonly type: 'System.remark' | 'System.remark_with_event'; readonly remark: Uint8Array }
  /** Milliseconds (`Compact<u64>`). */
  | { readonly type: 'Timestamp.set'; readonly now: bigint }
  | { readonly type: 'Subspace.store_segment_headers'; readonly segmentHeaders: readonly SegmentHeader[] }
  /** The 553-byte SCALE `SignedVote` (B.7). */
  | { readonly type: 'Subspace.vote'; readonly signedVote: Uint8Array }
  | {
      readonly type: 'Balances.transfer_allow_death' | 'Balances.transfer_keep_alive';
      /** 32-byte account id (`MultiAddress::Id`). */
      readonly dest: Uint8Array;
      /** Shannon (`Compact<u128>`). */
      readonly value: bigint;
    }
  | { readonly type: 'Balances.transfer_all'; readonly dest: Uint8Array; readonly keepAlive: boolean }
  | {
      readonly type: 'Utility.batch' | 'Utility.batch_all' | 'Utility.force_batch';
      readonly calls: readonly Call[];
    }
  | {
      readonly type: 'Opaque';
      readonly palletIndex: number;
      readonly callIndex: number;
      readonly args: Uint8Array;
    };

export type CallType = Call['type'];

/** Signed vote size (B.7). */
export const SIGNED_VOTE_SIZE = 553;
const U128_MAX = (1n << 128n) - 1n;
/** Nesting limit of Utility batches when decoding. */
const MAX_CALL_DEPTH = 16;

function writeAddress(w: ScaleWriter, id: Uint8Array): void {
  abytes(id, 32, 'account id');
  w.u8(0).bytes(id);
}

function readAddress(r: ScaleReader): Uint8Array {
  const t = r.tag(5, 'MultiAddress');
  if (t !== 0) {
    // Index / Raw / Address32 / Address20 decode but `AccountIdLookup` resolves only `Id`.
    throw new NodeError({
      code: 'NODE_INVALID_ARGUMENT',
      what: 'MultiAddress',
      reason: `variant ${t} is not resolvable (only Id is)`,
    });
  }
  return r.fixed(32, 'account id');
}

function writeU128Compact(w: ScaleWriter, v: bigint, what: string): void {
  if (typeof v !== 'bigint' || v < 0n || v > U128_MAX)
    throw new NodeError({ code: 'NODE_INVALID_ARGUMENT', what, reason: 'expected a u128 bigint' });
  w.compact(v);
}

/** Writes a `RuntimeCall` (pallet byte, call byte, arguments). */
export function writeCall(w: ScaleWriter, call: Call): void {
  if (call.type === 'Opaque') {
    w.u8(call.palletIndex).u8(call.callIndex).bytes(call.args);
    return;
  }
  const [p, c] = CALL_INDEX[call.type];
  w.u8(p).u8(c);
  switch (call.type) {
    case 'System.remark':
    case 'System.remark_with_event':
      abytes(call.remark, undefined, 'remark');
      w.vecU8(call.remark);
      return;
    case 'Timestamp.set':
      w.compact(call.now);
      return;
    case 'Subspace.store_segment_headers':
      w.compact(call.segmentHeaders.length);
      for (const h of call.segmentHeaders) writeSegmentHeader(w, h);
      return;
    case 'Subspace.vote':
      abytes(call.signedVote, SIGNED_VOTE_SIZE, 'signed vote');
      w.bytes(call.signedVote);
      return;
    case 'Balances.transfer_allow_death':
    case 'Balances.transfer_keep_alive':
      writeAddress(w, call.dest);
      writeU128Compact(w, call.value, 'transfer value');
      return;
    case 'Balances.transfer_all':
      writeAddress(w, call.dest);
      w.u8(call.keepAlive ? 1 : 0);
      return;
    case 'Utility.batch':
    case 'Utility.batch_all':
    case 'Utility.force_batch':
      w.compact(call.calls.length);
      for (const inner of call.calls) writeCall(w, inner);
      return;
  }
}

/**
 * Reads a `RuntimeCall`. An unknown call can only be skipped at the top level of an extrinsic
 * (`rest` true: its arguments are the remaining bytes); nested inside a batch it is malformed.
 */
export function readCall(r: ScaleReader, rest: boolean, depth = 0): Call {
  const p = r.u8('pallet index');
  const c = r.u8('call index');
  const key = `${p}.${c}`;
  switch (key) {
    case '0.0':
    case '0.7':
      return { type: c === 0 ? 'System.remark' : 'System.remark_with_event', remark: r.vecU8('remark') };
    case '1.0':
      return { type: 'Timestamp.set', now: r.compactBig('now', 8) };
    case '2.0': {
      const n = r.compactU32('segment headers count');
      if (n > r.remaining)
        throw new NodeError({
          code: 'NODE_INVALID_ARGUMENT',
          what: 'segment headers',
          reason: 'count exceeds bytes',
        });
      const segmentHeaders: SegmentHeader[] = [];
      for (let i = 0; i < n; i++) segmentHeaders.push(readSegmentHeader(r));
      return { type: 'Subspace.store_segment_headers', segmentHeaders };
    }
    case '2.2':
      return { type: 'Subspace.vote', signedVote: r.fixed(SIGNED_VOTE_SIZE, 'signed vote') };
    case '5.0':
    case '5.3':
      return {
        type: c === 0 ? 'Balances.transfer_allow_death' : 'Balances.transfer_keep_alive',
        dest: readAddress(r),
        value: r.compactBig('value', 16),
      };
    case '5.4': {
      const dest = readAddress(r);
      const b = r.tag(2, 'keep_alive');
      return { type: 'Balances.transfer_all', dest, keepAlive: b === 1 };
    }
    case '8.0':
    case '8.2':
    case '8.4': {
      if (depth >= MAX_CALL_DEPTH)
        throw new NodeError({
          code: 'NODE_INVALID_ARGUMENT',
          what: 'call',
          reason: 'batches nested too deep',
        });
      const n = r.compactU32('calls count');
      if (n * 2 > r.remaining)
        throw new NodeError({ code: 'NODE_INVALID_ARGUMENT', what: 'batch', reason: 'count exceeds bytes' });
      const calls: Call[] = [];
      for (let i = 0; i < n; i++) calls.push(readCall(r, false, depth + 1));
      const type = c === 0 ? 'Utility.batch' : c === 2 ? 'Utility.batch_all' : 'Utility.force_batch';
      return { type, calls };
    }
    case '61.0':
      // `Transporter.transfer` inside a batch: its arguments are delimited by their decoding
      // (`Location`, then a u128); at the top level it stays opaque like the other pallet calls.
      if (!rest) {
        let location: Location;
        try {
          location = locationCodec.dec(r);
        } catch (e) {
          if (e instanceof PrimitivesError) throw e;
          throw new NodeError({ code: 'NODE_INVALID_ARGUMENT', what: 'call', reason: (e as Error).message });
        }
        const amount = r.fixed(16, 'amount');
        const w = new ScaleWriter(64);
        locationCodec.enc(w, location);
        w.bytes(amount);
        return { type: 'Opaque', palletIndex: p, callIndex: c, args: w.finish() };
      }
      return { type: 'Opaque', palletIndex: p, callIndex: c, args: r.fixed(r.remaining, 'call arguments') };
    default:
      if (!rest)
        throw new NodeError({
          code: 'NODE_INVALID_ARGUMENT',
          what: 'call',
          reason: `unknown nested call ${key}`,
        });
      return { type: 'Opaque', palletIndex: p, callIndex: c, args: r.fixed(r.remaining, 'call arguments') };
  }
}

/** SCALE bytes of a call. */
export function encodeCall(call: Call): Uint8Array {
  return encoding('call', () => {
    const w = new ScaleWriter(64);
    writeCall(w, call);
    return w.finish();
  });
}

/** Decodes a whole call (strict; an unknown call becomes `Opaque`). */
export function decodeCall(bytes: Uint8Array): Call {
  return decodingAll('call', () => {
    const r = new ScaleReader(bytes, 'call');
    const c = readCall(r, true);
    r.finish();
    return c;
  });
}

function decodingAll<T>(what: string, fn: () => T): T {
  try {
    return decoding(what, fn);
  } catch (e) {
    if (e instanceof NodeError && e.type.code === 'NODE_INVALID_ARGUMENT')
      throw new NodeError({
        code: 'NODE_MALFORMED',
        what,
        cause: 'PRIMITIVES_INVALID_TAG',
        detail: e.message,
      });
    throw e;
  }
}

// ---- Era ----

/** `Era`: immortal, or mortal with a power-of-two period in 4..=65536 and a phase below it. */
export type Era =
  | { readonly type: 'Immortal' }
  | { readonly type: 'Mortal'; readonly period: number; readonly phase: number };

export const IMMORTAL: Era = { type: 'Immortal' };

/**
 * The mortal era of `period` blocks starting around block `current` (period rounded up to a power
 * of two and clamped to 4..=65536; the phase quantised as the reference does).
 * @example mortalEra(64, 1000) // { type: 'Mortal', period: 64, phase: 40 }
 */
export function mortalEra(period: number, current: number): Era {
  let p = 4;
  while (p < period && p < 65536) p *= 2;
  const q = Math.max(p >> 12, 1);
  const phase = Math.floor((current % p) / q) * q;
  return { type: 'Mortal', period: p, phase };
}

export function writeEra(w: ScaleWriter, era: Era): void {
  if (era.type === 'Immortal') {
    w.u8(0);
    return;
  }
  const q = Math.max(era.period >> 12, 1);
  const log2 = Math.log2(era.period);
  const low = Math.min(15, Math.max(1, log2 - 1));
  w.u16(low | (Math.floor(era.phase / q) << 4));
}

export function readEra(r: ScaleReader): Era {
  const first = r.u8('era');
  if (first === 0) return IMMORTAL;
  const second = r.u8('era');
  const e = first | (second << 8);
  const period = 2 << (e & 15);
  const q = Math.max(period >> 12, 1);
  const phase = (e >> 4) * q;
  if (period < 4 || phase >= period)
    throw new NodeError({ code: 'NODE_INVALID_ARGUMENT', what: 'era', reason: `invalid mortal era ${e}` });
  return { type: 'Mortal', period, phase };
}

/** The era's birth block for a current block number (immortal: genesis, 0). */
export function eraBirth(era: Era, current: number): number {
  if (era.type === 'Immortal') return 0;
  return Math.floor((Math.max(current, era.phase) - era.phase) / era.period) * era.period + era.phase;
}

/** The first block number at which the era is dead (immortal: never). */
export function eraDeath(era: Era, current: number): number {
  return era.type === 'Immortal' ? Number.POSITIVE_INFINITY : eraBirth(era, current) + era.period;
}

// ---- Extrinsics ----

export type MultiSignature =
  | { readonly type: 'Ed25519'; readonly signature: Uint8Array }
  | { readonly type: 'Sr25519'; readonly signature: Uint8Array }
  | { readonly type: 'Ecdsa'; readonly signature: Uint8Array };

/** The explicit bytes of the signed extensions: `era ‖ Compact(nonce) ‖ Compact(tip)`. */
export interface ExtensionsExplicit {
  readonly era: Era;
  readonly nonce: number;
  /** Shannon. */
  readonly tip: bigint;
}

/** An `UncheckedExtrinsic` (B.11). */
export type Extrinsic =
  | { readonly type: 'Bare'; readonly version: 4 | 5; readonly call: Call }
  | ({
      readonly type: 'Signed';
      readonly signer: Uint8Array;
      readonly signature: MultiSignature;
      readonly call: Call;
    } & ExtensionsExplicit)
  | ({ readonly type: 'General'; readonly call: Call } & ExtensionsExplicit);

/** The implicit bytes of the signed extensions (signed, never sent). */
export interface ExtensionsImplicit {
  readonly specVersion: number;
  readonly transactionVersion: number;
  readonly genesisHash: Uint8Array;
  /** Hash of the era's birth block (the genesis hash for immortal transactions). */
  readonly birthHash: Uint8Array;
}

function writeExplicit(w: ScaleWriter, x: ExtensionsExplicit): void {
  writeEra(w, x.era);
  w.compact(x.nonce);
  writeU128Compact(w, x.tip, 'tip');
}

function readExplicit(r: ScaleReader): ExtensionsExplicit {
  const era = readEra(r);
  const nonce = r.compactU32('nonce');
  const tip = r.compactBig('tip', 16);
  return { era, nonce, tip };
}

const SIG_TAG = { Ed25519: 0, Sr25519: 1, Ecdsa: 2 } as const;

/**
 * The wire encoding of an extrinsic: `Compact(len) ‖ preamble ‖ call`.
 * @example encodeExtrinsic({ type: 'Bare', version: 5, call: { type: 'Timestamp.set', now: 1n } })
 */
export function encodeExtrinsic(x: Extrinsic): Uint8Array {
  return encoding('extrinsic', () => {
    const w = new ScaleWriter(128);
    if (x.type === 'Bare') {
      w.u8(x.version);
    } else if (x.type === 'Signed') {
      w.u8(0x84);
      writeAddress(w, x.signer);
      const s = x.signature;
      abytes(s.signature, s.type === 'Ecdsa' ? 65 : 64, 'signature');
      w.u8(SIG_TAG[s.type]).bytes(s.signature);
      writeExplicit(w, x);
    } else {
      w.u8(0x45).u8(0);
      writeExplicit(w, x);
    }
    writeCall(w, x.call);
    const body = w.finish();
    return new ScaleWriter(body.length + 5).compact(body.length).bytes(body).finish();
  });
}

/** Largest extrinsic accepted (the block length limit). */
export const MAX_EXTRINSIC_SIZE = 5 * 1024 * 1024;

/**
 * Decodes one extrinsic from its full wire bytes (strict: the length prefix must cover exactly the
 * rest). Malformed input is `NODE_MALFORMED`.
 */
export function decodeExtrinsic(bytes: Uint8Array): Extrinsic {
  abytes(bytes, undefined, 'extrinsic bytes');
  return decodingAll('extrinsic', () => {
    const r = new ScaleReader(bytes, 'extrinsic');
    const len = r.compactU32('extrinsic length');
    if (len !== r.remaining)
      throw new NodeError({
        code: 'NODE_INVALID_ARGUMENT',
        what: 'extrinsic',
        reason: `length prefix ${len}, ${r.remaining} bytes follow`,
      });
    const b = r.u8('preamble');
    const v = b & 0x3f;
    const t = b & 0xc0;
    let x: Extrinsic;
    if ((v === 4 || v === 5) && t === 0) {
      x = { type: 'Bare', version: v, call: readCall(r, true) };
    } else if (v === 4 && t === 0x80) {
      const signer = readAddress(r);
      const tag = r.tag(3, 'MultiSignature');
      const type = tag === 0 ? 'Ed25519' : tag === 1 ? 'Sr25519' : 'Ecdsa';
      const signature = { type, signature: r.fixed(tag === 2 ? 65 : 64, 'signature') } as const;
      const ext = readExplicit(r);
      x = { type: 'Signed', signer, signature, ...ext, call: readCall(r, true) };
    } else if (v === 5 && t === 0x40) {
      const extVersion = r.u8('extension version');
      if (extVersion !== 0)
        throw new NodeError({
          code: 'NODE_INVALID_ARGUMENT',
          what: 'extension version',
          reason: `${extVersion}`,
        });
      const ext = readExplicit(r);
      x = { type: 'General', ...ext, call: readCall(r, true) };
    } else {
      throw new NodeError({
        code: 'NODE_INVALID_ARGUMENT',
        what: 'preamble',
        reason: `invalid version byte 0x${b.toString(16)}`,
      });
    }
    r.finish();
    return x;
  });
}

/**
 * The signing payload `call ‖ extra ‖ implicit`, BLAKE2-256-hashed when longer than 256 bytes.
 * @example signingPayload(call, { era: IMMORTAL, nonce: 0, tip: 0n }, implicit)
 */
export function signingPayload(
  call: Call,
  explicit: ExtensionsExplicit,
  implicit: ExtensionsImplicit,
): Uint8Array {
  return encoding('signing payload', () => {
    abytes(implicit.genesisHash, 32, 'genesis hash');
    abytes(implicit.birthHash, 32, 'birth block hash');
    const w = new ScaleWriter(256);
    writeCall(w, call);
    writeExplicit(w, explicit);
    w.u32(implicit.specVersion)
      .u32(implicit.transactionVersion)
      .bytes(implicit.genesisHash)
      .bytes(implicit.birthHash);
    const payload = w.finish();
    return payload.length > 256 ? blake2b256(payload) : payload;
  });
}

/**
 * A signed transaction from an sr25519 key pair (64-byte secret of @polkadot/util-crypto), signed
 * with the Substrate context `substrate`.
 * @example signExtrinsic(call, { era: IMMORTAL, nonce: 0, tip: 0n }, implicit, pair.secretKey, pair.publicKey)
 */
export function signExtrinsic(
  call: Call,
  explicit: ExtensionsExplicit,
  implicit: ExtensionsImplicit,
  secretKey: Uint8Array,
  publicKey: Uint8Array,
): Uint8Array {
  const msg = signingPayload(call, explicit, implicit);
  const signature = encoding('signature', () =>
    sr25519Sign(secretKey, publicKey, msg, { context: SUBSTRATE_SIGNING_CONTEXT }),
  );
  return encodeExtrinsic({
    type: 'Signed',
    signer: publicKey,
    signature: { type: 'Sr25519', signature },
    ...explicit,
    call,
  });
}

/** Whether a signed extrinsic's signature verifies for its signer (sr25519 `substrate` or ed25519; ECDSA unsupported). */
export function verifyExtrinsicSignature(
  x: Extract<Extrinsic, { type: 'Signed' }>,
  implicit: ExtensionsImplicit,
): boolean {
  const msg = signingPayload(x.call, x, implicit);
  try {
    if (x.signature.type === 'Sr25519')
      return sr25519Verify(x.signature.signature, msg, x.signer, { context: SUBSTRATE_SIGNING_CONTEXT });
    if (x.signature.type === 'Ed25519') return ed25519.verify(x.signature.signature, msg, x.signer);
    return false;
  } catch {
    return false;
  }
}

/** The transaction hash (BLAKE2-256 of the wire encoding). */
export function extrinsicHash(bytes: Uint8Array): Uint8Array {
  return blake2b256(bytes);
}

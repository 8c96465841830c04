/**
 * Merlin transcripts over Strobe-128: the Fiat-Shamir layer of schnorrkel (sr25519 signatures and
 * the VRF). Only the Strobe operations Merlin uses are here: AD, meta-AD, PRF and KEY, over
 * keccak-f[1600] from @noble/hashes. Labels are UTF-8 strings or raw bytes; they are hashed as
 * bytes, so `'sign:c'` and `utf8('sign:c')` are the same label.
 */
import { keccakP } from '@noble/hashes/sha3.js';
import { swap32IfBE } from '@noble/hashes/utils.js';
import { abytes, auint } from './assert.js';
import { PrimitivesError } from './errors.js';

/** A transcript or Strobe label: UTF-8 text or raw bytes. */
export type TranscriptLabel = string | Uint8Array;

const encoder = new TextEncoder();

function labelBytes(label: TranscriptLabel, what: string): Uint8Array {
  if (typeof label === 'string') return encoder.encode(label);
  abytes(label, undefined, what);
  return label;
}

// Strobe-128: 1600-bit state, security 128, so the rate is 200 - 2·16 - 2 = 166 bytes.
const STROBE_R = 166;
const FLAG_I = 1;
const FLAG_A = 1 << 1;
const FLAG_C = 1 << 2;
const FLAG_M = 1 << 4;
const FLAG_K = 1 << 5;

// The state after Strobe's fixed initialisation (the personalisation block and one permutation) is
// the same for every instance: computed once, copied by each constructor.
let initialState: Uint8Array | undefined;

/**
 * The Strobe-128 subset Merlin uses. Operations never "continue" a different operation: `more`
 * only extends the operation just begun with the same flags, as in Merlin.
 */
class Strobe128 {
  readonly state: Uint8Array;
  private readonly state32: Uint32Array;
  pos = 0;
  posBegin = 0;
  curFlags = 0;

  constructor(from?: Strobe128) {
    this.state = new Uint8Array(200);
    this.state32 = new Uint32Array(this.state.buffer, this.state.byteOffset, 50);
    if (from !== undefined) {
      this.state.set(from.state);
      this.pos = from.pos;
      this.posBegin = from.posBegin;
      this.curFlags = from.curFlags;
    } else {
      if (initialState === undefined) {
        // [1, R + 2, 1, 0, 1, 96] ‖ "STROBEv1.0.2": the Strobe personalisation for security 128.
        this.state.set([1, STROBE_R + 2, 1, 0, 1, 96]);
        this.state.set(encoder.encode('STROBEv1.0.2'), 6);
        this.permute();
        initialState = this.state.slice();
      } else this.state.set(initialState);
    }
  }

  clone(): Strobe128 {
    return new Strobe128(this);
  }

  private permute(): void {
    // keccakP works on little-endian 32-bit lanes; the state is bytes.
    swap32IfBE(this.state32);
    keccakP(this.state32, 24);
    swap32IfBE(this.state32);
  }

  private runF(): void {
    const s = this.state;
    s[this.pos]! ^= this.posBegin;
    s[this.pos + 1]! ^= 0x04;
    s[STROBE_R + 1]! ^= 0x80;
    this.permute();
    this.pos = 0;
    this.posBegin = 0;
  }

  private absorb(data: Uint8Array): void {
    const s = this.state;
    for (let i = 0; i < data.length; i++) {
      s[this.pos++]! ^= data[i]!;
      if (this.pos === STROBE_R) this.runF();
    }
  }

  private overwrite(data: Uint8Array): void {
    const s = this.state;
    for (let i = 0; i < data.length; i++) {
      s[this.pos++] = data[i]!;
      if (this.pos === STROBE_R) this.runF();
    }
  }

  private squeeze(out: Uint8Array): void {
    const s = this.state;
    for (let i = 0; i < out.length; i++) {
      out[i] = s[this.pos]!;
      s[this.pos++] = 0;
      if (this.pos === STROBE_R) this.runF();
    }
  }

  private beginOp(flags: number, more: boolean): void {
    if (more) {
      // Merlin only continues the operation it just began; anything else is a programming error.
      if (this.curFlags !== flags) throw new Error('strobe: continued an operation with other flags');
      return;
    }
    const oldBegin = this.posBegin;
    this.posBegin = this.pos + 1;
    this.curFlags = flags;
    this.absorb(Uint8Array.of(oldBegin, flags));
    // Operations with the C or K flag start on a fresh block.
    if ((flags & (FLAG_C | FLAG_K)) !== 0 && this.pos !== 0) this.runF();
  }

  metaAd(data: Uint8Array, more: boolean): void {
    this.beginOp(FLAG_M | FLAG_A, more);
    this.absorb(data);
  }

  ad(data: Uint8Array, more: boolean): void {
    this.beginOp(FLAG_A, more);
    this.absorb(data);
  }

  prf(out: Uint8Array, more: boolean): void {
    this.beginOp(FLAG_I | FLAG_A | FLAG_C, more);
    this.squeeze(out);
  }

  key(data: Uint8Array, more: boolean): void {
    this.beginOp(FLAG_A | FLAG_C, more);
    this.overwrite(data);
  }
}

function u32Le(n: number): Uint8Array {
  return Uint8Array.of(n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff);
}

const MERLIN_PROTOCOL_LABEL = encoder.encode('Merlin v1.0');
const DOM_SEP = encoder.encode('dom-sep');
const RNG_LABEL = encoder.encode('rng');
const U32_MAX = 0xffffffff;
const U64_MAX = (1n << 64n) - 1n;

/** The 32 random bytes that key a transcript RNG: injected, or from `crypto.getRandomValues`. */
export function transcriptRandomness(random?: Uint8Array): Uint8Array {
  if (random !== undefined) {
    abytes(random, 32, 'random');
    return random;
  }
  return crypto.getRandomValues(new Uint8Array(32));
}

/**
 * A Merlin transcript (merlin 3.x, "Merlin v1.0"): a running hash of labelled messages from which
 * challenges are squeezed. Methods that add data return `this` for chaining; `challengeBytes`
 * changes the transcript too (later challenges depend on earlier ones). `clone()` forks it.
 *
 * @example
 * const t = new Transcript('test protocol').appendMessage('some label', utf8('some data'));
 * bytesToHex(t.challengeBytes('challenge', 32));
 * // d5a21972d0d5fe320c0d263fac7fffb8145aa640af6e9bca177c03c7efcf0615 (merlin's own test vector)
 */
export class Transcript {
  private strobe: Strobe128;

  /** `Transcript::new(label)`. */
  constructor(label: TranscriptLabel) {
    this.strobe = new Strobe128();
    this.strobe.metaAd(MERLIN_PROTOCOL_LABEL, false);
    this.appendMessage(DOM_SEP, labelBytes(label, 'label'));
  }

  /** An independent copy: what is appended to one is not seen by the other. */
  clone(): Transcript {
    const t = Object.create(Transcript.prototype) as Transcript;
    t.strobe = this.strobe.clone();
    return t;
  }

  /** `append_message(label, message)`: meta-AD(label ‖ LE u32 length), then AD(message). */
  appendMessage(label: TranscriptLabel, message: Uint8Array): this {
    const l = labelBytes(label, 'label');
    abytes(message, undefined, 'message');
    auint(message.length, 'message length', U32_MAX);
    this.strobe.metaAd(l, false);
    this.strobe.metaAd(u32Le(message.length), true);
    this.strobe.ad(message, false);
    return this;
  }

  /** `append_u64(label, x)`: the message is `x` as 8 little-endian bytes. */
  appendU64(label: TranscriptLabel, value: bigint | number): this {
    const v = typeof value === 'number' ? toU64(value) : value;
    if (typeof v !== 'bigint' || v < 0n || v > U64_MAX) {
      throw new PrimitivesError({
        code: 'PRIMITIVES_OUT_OF_RANGE',
        what: 'u64',
        value: String(value),
        min: '0',
        max: String(U64_MAX),
      });
    }
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, v, true);
    return this.appendMessage(label, b);
  }

  /** `challenge_bytes(label, dest)`: `length` bytes that depend on everything appended so far. */
  challengeBytes(label: TranscriptLabel, length: number): Uint8Array {
    const l = labelBytes(label, 'label');
    auint(length, 'length', U32_MAX);
    const out = new Uint8Array(length);
    this.strobe.metaAd(l, false);
    this.strobe.metaAd(u32Le(length), true);
    this.strobe.prf(out, false);
    return out;
  }

  /**
   * Merlin's transcript RNG (`build_rng().rekey_with_witness_bytes(label, w)… .finalize(rng)`):
   * `length` bytes from a fork of the transcript keyed with each secret `witness` and then with
   * 32 random bytes. The transcript itself is not changed. `random` injects the 32 bytes for test
   * vectors; by default they come from `crypto.getRandomValues`.
   */
  witnessBytes(
    label: TranscriptLabel,
    length: number,
    witnesses: readonly Uint8Array[],
    random?: Uint8Array,
  ): Uint8Array {
    const l = labelBytes(label, 'label');
    auint(length, 'length', U32_MAX);
    const rnd = transcriptRandomness(random);
    const s = this.strobe.clone();
    for (const w of witnesses) {
      abytes(w, undefined, 'witness');
      s.metaAd(l, false);
      s.metaAd(u32Le(w.length), true);
      s.key(w, false);
    }
    s.metaAd(RNG_LABEL, false);
    s.key(rnd, false);
    const out = new Uint8Array(length);
    s.metaAd(u32Le(length), false);
    s.prf(out, false);
    return out;
  }
}

function toU64(n: number): bigint | undefined {
  return Number.isSafeInteger(n) ? BigInt(n) : undefined;
}

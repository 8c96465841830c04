/**
 * sr25519 (schnorrkel 0.11) with a caller-chosen signing context: Schnorr signatures over
 * ristretto255 with Merlin transcripts, keys from a 32-byte mini secret ("ed25519 mode" expansion,
 * as Substrate and @polkadot/util-crypto use), and the schnorrkel VRF (pre-output + DLEQ proof).
 *
 * Why here: reward signatures and votes are signed with the context `subspace_reward`
 * (pot-consensus-dsn B.3), extrinsics with `substrate`, and the bundle election VRF
 * (decex §4) runs over a transcript the caller builds. The npm implementations fix the context to
 * `substrate` or take none.
 *
 * Byte formats: public keys are compressed ristretto255 points (32 bytes); secret keys are the
 * 64 bytes of schnorrkel `SecretKey::to_ed25519_bytes()` (the scalar times the cofactor 8,
 * little-endian, then the 32-byte nonce), the format of @polkadot/util-crypto and its keyring;
 * signatures are `R ‖ s` with the schnorrkel marker bit (bit 7 of byte 63) set.
 */
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { abytes } from './assert.js';
import { equalBytes } from './bytes.js';
import { PrimitivesError } from './errors.js';
import { Transcript, type TranscriptLabel } from './merlin.js';

export { Transcript, type TranscriptLabel, transcriptRandomness } from './merlin.js';

const Point = ristretto255.Point;
// ristretto255 `from_uniform_bytes` (RFC 9496 element derivation from 64 bytes); optional in
// noble's hasher type, always present for ristretto255.
const fromUniformBytes = ristretto255_hasher.deriveToCurve!;
type Point = InstanceType<typeof Point>;
const Fn = Point.Fn;
/** The order of ristretto255: 2^252 + 27742317777372353535851937790883648493. */
const L = Fn.ORDER;

/** The signing context of block seals and votes (`REWARD_SIGNING_CONTEXT`, pot-consensus-dsn B.3). */
export const REWARD_SIGNING_CONTEXT = 'subspace_reward';
/** The signing context of Substrate (extrinsic signatures, `MultiSignature::Sr25519`). */
export const SUBSTRATE_SIGNING_CONTEXT = 'substrate';

export const SR25519_PUBLIC_KEY_SIZE = 32;
export const SR25519_SECRET_KEY_SIZE = 64;
export const SR25519_SEED_SIZE = 32;
export const SR25519_SIGNATURE_SIZE = 64;
export const SR25519_VRF_PRE_OUTPUT_SIZE = 32;
export const SR25519_VRF_PROOF_SIZE = 64;

/** An sr25519 key pair: a 32-byte public key and the 64-byte secret key (ed25519 form). */
export interface Sr25519Keypair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

export interface Sr25519SignOptions {
  /** The signing context, e.g. {@link REWARD_SIGNING_CONTEXT} or {@link SUBSTRATE_SIGNING_CONTEXT}. */
  context: TranscriptLabel;
  /**
   * The 32 random bytes that key the nonce derivation (tests and vectors only). By default they
   * come from `crypto.getRandomValues`; the nonce also depends on the secret nonce and the
   * transcript, so a bad source does not leak the key, but a repeated one makes signing deterministic.
   */
  random?: Uint8Array;
}

export interface Sr25519VerifyOptions {
  /** The signing context the signature was made with. */
  context: TranscriptLabel;
}

/** A schnorrkel VRF signature: the pre-output (a compressed point) and the DLEQ proof `c ‖ s`. */
export interface Sr25519VrfSignature {
  preOutput: Uint8Array;
  proof: Uint8Array;
}

export interface Sr25519VrfOptions {
  /**
   * The transcript the DLEQ proof is bound to (schnorrkel `vrf_sign_extra`). Default
   * `new Transcript('VRF')`, what `vrf_sign` and sp-core use. It is not modified.
   */
  extra?: Transcript;
  /** For `sr25519VrfSign`: injected randomness, as in {@link Sr25519SignOptions.random}. */
  random?: Uint8Array;
}

function invalid(what: string, reason: string): PrimitivesError {
  return new PrimitivesError({ code: 'PRIMITIVES_INVALID_ARGUMENT', what, reason });
}

function decodePoint(bytes: Uint8Array, what: string): Point {
  try {
    return Point.fromBytes(bytes);
  } catch {
    throw invalid(what, 'not a canonical ristretto255 point encoding');
  }
}

/** A little-endian scalar that must be < l (curve25519-dalek `Scalar::from_canonical_bytes`). */
function canonicalScalar(bytes: Uint8Array, what: string): bigint {
  const n = bytesToNumberLE(bytes);
  if (n >= L) throw invalid(what, 'non-canonical scalar (>= the ristretto255 group order)');
  return n;
}

/** 64 bytes reduced mod l (`Scalar::from_bytes_mod_order_wide`): challenges and witnesses. */
function wideScalar(bytes: Uint8Array): bigint {
  return Fn.create(bytesToNumberLE(bytes));
}

function scalarBytes(n: bigint): Uint8Array {
  return numberToBytesLE(n, 32);
}

// noble's constant-time `multiply` rejects 0; secret scalars are 0 with probability ~2^-252, a
// secret key of 0 only if a caller builds one by hand.
function mulSecret(p: Point, k: bigint): Point {
  return k === 0n ? Point.ZERO : p.multiply(k);
}

/** The secret scalar of a 64-byte secret key: the first half read little-endian, divided by 8. */
function secretScalar(secretKey: Uint8Array): bigint {
  abytes(secretKey, SR25519_SECRET_KEY_SIZE, 'secretKey');
  // schnorrkel `SecretKey::from_ed25519_bytes`: divide by the cofactor, then require canonical.
  return canonicalScalar(scalarBytes(bytesToNumberLE(secretKey.subarray(0, 32)) >> 3n), 'secretKey');
}

/**
 * A key pair from a 32-byte mini secret, schnorrkel `MiniSecretKey::expand_to_keypair(Ed25519)`
 * (what Substrate and @polkadot/util-crypto's `sr25519PairFromSeed` do): SHA-512 of the seed,
 * the first half clamped as for ed25519 and divided by 8 is the scalar, the second half the nonce.
 *
 * @example
 * const { publicKey, secretKey } = sr25519PairFromSeed(seed32);
 */
export function sr25519PairFromSeed(seed: Uint8Array): Sr25519Keypair {
  abytes(seed, SR25519_SEED_SIZE, 'seed');
  const h = sha512(seed);
  h[0]! &= 248;
  h[31]! &= 63;
  h[31]! |= 64;
  const key = bytesToNumberLE(h.subarray(0, 32)) >> 3n; // < 2^251 < l
  const secretKey = new Uint8Array(SR25519_SECRET_KEY_SIZE);
  secretKey.set(scalarBytes(key << 3n));
  secretKey.set(h.subarray(32, 64), 32);
  h.fill(0);
  return { publicKey: mulSecret(Point.BASE, key).toBytes(), secretKey };
}

/**
 * The public key of a 64-byte secret key (ed25519 form).
 * @example sr25519PublicKey(pair.secretKey) // equals pair.publicKey
 */
export function sr25519PublicKey(secretKey: Uint8Array): Uint8Array {
  return mulSecret(Point.BASE, secretScalar(secretKey)).toBytes();
}

/**
 * schnorrkel `signing_context(context)`: `Transcript::new("SigningContext")` with the context
 * appended under the empty label. Append a message with `appendMessage('sign-bytes', msg)`
 * (schnorrkel `SigningContext::bytes`), which is what {@link sr25519Sign} signs.
 *
 * @example
 * const t = signingContext(REWARD_SIGNING_CONTEXT).appendMessage('sign-bytes', preHash);
 * sr25519SignTranscript(secretKey, publicKey, t);
 */
export function signingContext(context: TranscriptLabel): Transcript {
  return new Transcript('SigningContext').appendMessage(
    '',
    typeof context === 'string' ? utf8(context) : context,
  );
}

const encoder = new TextEncoder();
function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

const SCHNORR_SIG = utf8('Schnorr-sig');
const DLEQ_PROOF = utf8('DLEQProof');

function messageTranscript(context: TranscriptLabel, message: Uint8Array): Transcript {
  abytes(message, undefined, 'message');
  return signingContext(context).appendMessage('sign-bytes', message);
}

/**
 * Signs a message with a signing context: schnorrkel `SecretKey::sign(signing_context(context)
 * .bytes(message), publicKey)`. `publicKey` must be the key pair's (it is hashed, not checked:
 * a wrong one makes signatures that do not verify).
 *
 * @example
 * const sig = sr25519Sign(secretKey, publicKey, preHash, { context: REWARD_SIGNING_CONTEXT });
 * sr25519Verify(sig, preHash, publicKey, { context: REWARD_SIGNING_CONTEXT }); // true
 */
export function sr25519Sign(
  secretKey: Uint8Array,
  publicKey: Uint8Array,
  message: Uint8Array,
  opts: Sr25519SignOptions,
): Uint8Array {
  return sr25519SignTranscript(secretKey, publicKey, messageTranscript(opts.context, message), opts);
}

/**
 * Signs a transcript the caller built (schnorrkel `SecretKey::sign(t, public)`). The transcript
 * is cloned, not consumed.
 * @example sr25519SignTranscript(secretKey, publicKey, signingContext('ctx').appendMessage('sign-bytes', msg))
 */
export function sr25519SignTranscript(
  secretKey: Uint8Array,
  publicKey: Uint8Array,
  transcript: Transcript,
  opts: { random?: Uint8Array } = {},
): Uint8Array {
  const key = secretScalar(secretKey);
  abytes(publicKey, SR25519_PUBLIC_KEY_SIZE, 'publicKey');
  const t = transcript.clone();
  t.appendMessage('proto-name', SCHNORR_SIG);
  t.appendMessage('sign:pk', publicKey);
  const r = wideScalar(t.witnessBytes('signing', 64, [secretKey.subarray(32, 64)], opts.random));
  const R = mulSecret(Point.BASE, r).toBytes();
  t.appendMessage('sign:R', R);
  const k = wideScalar(t.challengeBytes('sign:c', 64));
  const sig = new Uint8Array(SR25519_SIGNATURE_SIZE);
  sig.set(R);
  sig.set(scalarBytes(Fn.add(Fn.mul(k, key), r)), 32);
  sig[63]! |= 0x80; // schnorrkel marker: tells these from the pre-0.8 (ed25519-like) format
  return sig;
}

/**
 * Verifies a signature made with a signing context. Returns `false` when the equation fails;
 * throws {@link PrimitivesError} when an input cannot be a signature or key at all: wrong sizes
 * (`PRIMITIVES_INVALID_LENGTH`), a signature without the schnorrkel marker bit, a non-canonical
 * `s`, or a public key that is not a ristretto255 point (`PRIMITIVES_INVALID_ARGUMENT`) — the
 * cases schnorrkel reports as errors before checking the equation.
 *
 * @example sr25519Verify(sig, preHash, publicKey, { context: REWARD_SIGNING_CONTEXT })
 */
export function sr25519Verify(
  signature: Uint8Array,
  message: Uint8Array,
  publicKey: Uint8Array,
  opts: Sr25519VerifyOptions,
): boolean {
  return sr25519VerifyTranscript(signature, messageTranscript(opts.context, message), publicKey);
}

/**
 * Verifies a signature over a transcript the caller built (schnorrkel `PublicKey::verify`);
 * errors as {@link sr25519Verify}. The transcript is cloned, not consumed.
 * @example sr25519VerifyTranscript(sig, signingContext('ctx').appendMessage('sign-bytes', msg), publicKey)
 */
export function sr25519VerifyTranscript(
  signature: Uint8Array,
  transcript: Transcript,
  publicKey: Uint8Array,
): boolean {
  abytes(signature, SR25519_SIGNATURE_SIZE, 'signature');
  abytes(publicKey, SR25519_PUBLIC_KEY_SIZE, 'publicKey');
  if ((signature[63]! & 0x80) === 0)
    throw invalid('signature', 'not marked as schnorrkel (bit 7 of byte 63 is clear)');
  const sBytes = signature.slice(32, 64);
  sBytes[31]! &= 0x7f;
  const s = canonicalScalar(sBytes, 'signature');
  const A = decodePoint(publicKey, 'publicKey');
  const R = signature.subarray(0, 32);
  const t = transcript.clone();
  t.appendMessage('proto-name', SCHNORR_SIG);
  t.appendMessage('sign:pk', publicKey);
  t.appendMessage('sign:R', R);
  const k = wideScalar(t.challengeBytes('sign:c', 64));
  // R' = s·B − k·A, compared as encodings: R itself is never decoded (as schnorrkel).
  const expected = Point.BASE.multiplyUnsafe(s).subtract(A.multiplyUnsafe(k));
  return equalBytes(expected.toBytes(), R);
}

/** schnorrkel `PublicKey::vrf_hash`: the VRF input point of a transcript for a public key. */
function vrfInput(publicKey: Uint8Array, transcript: Transcript): Point {
  const t = transcript.clone();
  t.appendMessage('vrf-nm-pk', publicKey); // binds the input to the key ("non-malleable")
  return fromUniformBytes(t.challengeBytes('VRFHash', 64));
}

function dleqTranscript(extra: Transcript | undefined, input: Point): Transcript {
  const t = extra === undefined ? new Transcript('VRF') : extra.clone();
  t.appendMessage('proto-name', DLEQ_PROOF);
  t.appendMessage('vrf:h', input.toBytes());
  return t;
}

/**
 * The schnorrkel VRF over a transcript the caller built (`Keypair::vrf_sign`, i.e. sp-core's
 * sr25519 `vrf_sign` with no extra transcript): the pre-output `sk·H(pk, transcript)` and a DLEQ
 * proof (`c ‖ s`, in the Kusama form that also commits the public key). The pre-output is a
 * deterministic function of the key and transcript; the proof is randomised.
 *
 * @example
 * const t = new Transcript('bundle_producer_election')
 *   .appendMessage('domain', domainIdLe4).appendMessage('global_challenge', challenge);
 * const { preOutput, proof } = sr25519VrfSign(secretKey, publicKey, t);
 */
export function sr25519VrfSign(
  secretKey: Uint8Array,
  publicKey: Uint8Array,
  transcript: Transcript,
  opts: Sr25519VrfOptions = {},
): Sr25519VrfSignature {
  const key = secretScalar(secretKey);
  abytes(publicKey, SR25519_PUBLIC_KEY_SIZE, 'publicKey');
  const input = vrfInput(publicKey, transcript);
  const preOutput = mulSecret(input, key).toBytes();
  // schnorrkel `dleq_proove(extra, inout, kusama = true)`
  const t = dleqTranscript(opts.extra, input);
  // The witness label is b"proving\00" in schnorrkel: "proving", a NUL byte, then the digit 0.
  const r = wideScalar(t.witnessBytes('proving\u00000', 64, [secretKey.subarray(32, 64)], opts.random));
  t.appendMessage('vrf:R=g^r', mulSecret(Point.BASE, r).toBytes());
  t.appendMessage('vrf:h^r', mulSecret(input, r).toBytes());
  t.appendMessage('vrf:pk', publicKey);
  t.appendMessage('vrf:h^sk', preOutput);
  const c = wideScalar(t.challengeBytes('prove', 64));
  const proof = new Uint8Array(SR25519_VRF_PROOF_SIZE);
  proof.set(scalarBytes(c));
  proof.set(scalarBytes(Fn.sub(r, Fn.mul(c, key))), 32);
  return { preOutput, proof };
}

/**
 * Verifies a schnorrkel VRF signature for a public key and transcript (`PublicKey::vrf_verify`).
 * Returns `false` when the proof does not check; throws {@link PrimitivesError} for wrong sizes,
 * a public key or pre-output that is not a ristretto255 point, or a non-canonical `c` or `s`.
 *
 * @example sr25519VrfVerify(publicKey, transcript, { preOutput, proof }) // true
 */
export function sr25519VrfVerify(
  publicKey: Uint8Array,
  transcript: Transcript,
  signature: Sr25519VrfSignature,
  opts: Pick<Sr25519VrfOptions, 'extra'> = {},
): boolean {
  abytes(publicKey, SR25519_PUBLIC_KEY_SIZE, 'publicKey');
  const { preOutput, proof } = signature;
  abytes(preOutput, SR25519_VRF_PRE_OUTPUT_SIZE, 'preOutput');
  abytes(proof, SR25519_VRF_PROOF_SIZE, 'proof');
  const c = canonicalScalar(proof.subarray(0, 32), 'proof');
  const s = canonicalScalar(proof.subarray(32, 64), 'proof');
  const A = decodePoint(publicKey, 'publicKey');
  const output = decodePoint(preOutput, 'preOutput');
  const input = vrfInput(publicKey, transcript);
  const t = dleqTranscript(opts.extra, input);
  // R = c·pk + s·B and h^r = c·out + s·in: equal to the prover's when s = r − c·sk.
  t.appendMessage('vrf:R=g^r', A.multiplyUnsafe(c).add(Point.BASE.multiplyUnsafe(s)).toBytes());
  t.appendMessage('vrf:h^r', output.multiplyUnsafe(c).add(input.multiplyUnsafe(s)).toBytes());
  t.appendMessage('vrf:pk', publicKey);
  t.appendMessage('vrf:h^sk', preOutput);
  return wideScalar(t.challengeBytes('prove', 64)) === c;
}

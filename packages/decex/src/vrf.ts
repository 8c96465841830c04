/**
 * The bundle slot election (decex §4): global challenge from the PoT output, the custom Merlin
 * transcript `bundle_producer_election`, schnorrkel's VRF (pre-output + DLEQ proof, built on
 * primitives' sr25519 module), the threshold formula in the code's operation order, and the
 * tx-range rule. Nothing here needs more than primitives already exports.
 */
import {
  blake3,
  type Sr25519VrfSignature,
  sr25519VrfSign,
  sr25519VrfVerify,
  Transcript,
} from '@autonomys/primitives';
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { BUNDLE_PRODUCER_ELECTION_LABEL, INITIAL_DOMAIN_TX_RANGE, U128_MAX, U256_MAX } from './constants.js';
import { invalidArgument } from './errors.js';
import type { VrfSignature } from './types.js';

function u32le(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

/** `global_randomness = blake3(pot_output)` (16-byte PoT output). */
export function globalRandomness(potOutput: Uint8Array): Uint8Array {
  if (potOutput.length !== 16) throw invalidArgument('potOutput', 'expected 16 bytes');
  return blake3(potOutput);
}

/** `global_challenge = blake3(global_randomness ‖ slot as u64 LE)`. */
export function globalChallenge(globalRandomness32: Uint8Array, slot: bigint): Uint8Array {
  if (globalRandomness32.length !== 32) throw invalidArgument('globalRandomness', 'expected 32 bytes');
  const b = new Uint8Array(40);
  b.set(globalRandomness32);
  new DataView(b.buffer).setBigUint64(32, BigInt.asUintN(64, slot), true);
  return blake3(b);
}

/** The election transcript: `Transcript::new("bundle_producer_election")`, then domain (u32 LE) and the challenge. */
export function bundleElectionTranscript(domainId: number, challenge: Uint8Array): Transcript {
  return new Transcript(BUNDLE_PRODUCER_ELECTION_LABEL)
    .appendMessage('domain', u32le(domainId))
    .appendMessage('global_challenge', challenge);
}

/**
 * `calculate_threshold`: `u128::MAX / den * num / total_stake * operator_stake` with integer
 * division left to right (the code's order, not the exact rational). `undefined` when the total
 * stake or `den` is zero (`InvalidThreshold`).
 */
export function calculateThreshold(
  operatorStake: bigint,
  totalDomainStake: bigint,
  bundleSlotProbability: readonly [bigint, bigint],
): bigint | undefined {
  const [num, den] = bundleSlotProbability;
  if (totalDomainStake === 0n || den === 0n) return undefined;
  const t = ((U128_MAX / den) * num) / totalDomainStake;
  const r = t * operatorStake;
  // u128 arithmetic: checked in the code; an overflow is an invalid threshold too.
  return r > U128_MAX ? undefined : r;
}

/** `elected iff u128_le(pre_output[0..16]) < threshold`. */
export function isBelowThreshold(preOutput: Uint8Array, threshold: bigint): boolean {
  let v = 0n;
  for (let i = 15; i >= 0; i--) v = (v << 8n) | BigInt(preOutput[i]!);
  return v < threshold;
}

/** `vrf_hash = blake3(pre_output ‖ proof)`. */
export function vrfHash(sig: VrfSignature): Uint8Array {
  const b = new Uint8Array(96);
  b.set(sig.preOutput);
  b.set(sig.proof, 32);
  return blake3(b);
}

/** Signs the election transcript with the operator key (sp-core `vrf_sign`, default extra transcript). */
export function electionVrfSign(
  secretKey: Uint8Array,
  publicKey: Uint8Array,
  domainId: number,
  challenge: Uint8Array,
  opts: { random?: Uint8Array } = {},
): VrfSignature {
  const s: Sr25519VrfSignature = sr25519VrfSign(
    secretKey,
    publicKey,
    bundleElectionTranscript(domainId, challenge),
    opts.random === undefined ? {} : { random: opts.random },
  );
  return { preOutput: s.preOutput, proof: s.proof };
}

/** Verifies an election VRF signature; malformed points/scalars count as a failed proof. */
export function electionVrfVerify(
  publicKey: Uint8Array,
  domainId: number,
  challenge: Uint8Array,
  sig: VrfSignature,
): boolean {
  try {
    return sr25519VrfVerify(publicKey, bundleElectionTranscript(domainId, challenge), sig);
  } catch {
    return false;
  }
}

/**
 * The VRF pre-output alone (`sk · H(pk, transcript)`, schnorrkel `vrf_create_hash`): one scalar
 * multiplication instead of the three of a full signature, so an operator can test every slot
 * cheaply and prove only the slots it wins. Equal to `electionVrfSign(...).preOutput`.
 */
export function electionVrfPreOutput(
  secretKey: Uint8Array,
  publicKey: Uint8Array,
  domainId: number,
  challenge: Uint8Array,
): Uint8Array {
  if (secretKey.length !== 64) throw invalidArgument('secretKey', 'expected 64 bytes');
  if (publicKey.length !== 32) throw invalidArgument('publicKey', 'expected 32 bytes');
  const t = bundleElectionTranscript(domainId, challenge);
  t.appendMessage('vrf-nm-pk', publicKey);
  const input = ristretto255_hasher.deriveToCurve!(t.challengeBytes('VRFHash', 64));
  let k = 0n;
  for (let i = 31; i >= 0; i--) k = (k << 8n) | BigInt(secretKey[i]!);
  k >>= 3n; // the ed25519-form secret key holds the scalar times the cofactor
  const L = ristretto255.Point.Fn.ORDER;
  if (k === 0n || k >= L) throw invalidArgument('secretKey', 'not a valid sr25519 secret key');
  return input.multiply(k).toBytes();
}

/** Whether an operator wins a slot: the signature if its pre-output is below the threshold. */
export function tryElect(
  secretKey: Uint8Array,
  publicKey: Uint8Array,
  domainId: number,
  challenge: Uint8Array,
  threshold: bigint,
): VrfSignature | undefined {
  if (!isBelowThreshold(electionVrfPreOutput(secretKey, publicKey, domainId, challenge), threshold))
    return undefined;
  return electionVrfSign(secretKey, publicKey, domainId, challenge);
}

/** `U256::MAX / 3`: the tx range every verifier and operator uses in practice. */
export const DEFAULT_TX_RANGE = U256_MAX / INITIAL_DOMAIN_TX_RANGE;

/** `bidirectional_distance(a, b) = min(a − b, b − a) mod 2^256`. */
export function bidirectionalDistance(a: bigint, b: bigint): bigint {
  const d1 = (a - b) & U256_MAX;
  const d2 = (b - a) & U256_MAX;
  // biome-ignore lint/complexity/useMathMinMax: bigints (Math.min/max take numbers)
  return d1 < d2 ? d1 : d2;
}

/** `signer_id_hash = U256_be(blake3(SCALE(Vec<u8>(SCALE(account_id)))))` (double encoding). */
export function signerIdHash(accountIdScale: Uint8Array): bigint {
  const len = accountIdScale.length;
  // compact length prefix of the byte vector
  const prefix = len < 64 ? [len << 2] : [((len << 2) | 1) & 0xff, (len << 2) >> 8];
  const b = new Uint8Array(prefix.length + len);
  b.set(prefix);
  b.set(accountIdScale, prefix.length);
  return beBig(blake3(b));
}

function beBig(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

/** Tx-range membership: `bidirectional_distance(vrf_hash, signer) <= tx_range / 2`. */
export function signerInTxRange(
  bundleVrfHash: bigint,
  signerHash: bigint,
  txRange: bigint = DEFAULT_TX_RANGE,
): boolean {
  return bidirectionalDistance(bundleVrfHash, signerHash) <= txRange / 2n;
}

/** The bundle's vrf hash as the big-endian U256 the tx range uses. */
export function vrfHashU256(sig: VrfSignature): bigint {
  return beBig(vrfHash(sig));
}

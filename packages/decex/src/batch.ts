/**
 * Batch verification of sr25519 (schnorrkel) signatures: one multi-scalar multiplication for many
 * signatures instead of two scalar multiplications each. With random 128-bit weights z_i the batch
 * holds iff Σ z_i·s_i·B − Σ z_i·R_i − Σ (z_i·k_i)·A_i = 0, which (ristretto255 has prime order)
 * fails for any invalid signature except with probability 2^-128. A failed batch says only that
 * some signature is invalid: callers then verify one by one, so results never depend on the
 * randomness.
 */
import { type Sr25519VerifyOptions, signingContext } from '@autonomys/primitives';
import { pippenger } from '@noble/curves/abstract/curve.js';
import { ristretto255 } from '@noble/curves/ed25519.js';
import { bytesToNumberLE } from '@noble/curves/utils.js';

const Point = ristretto255.Point;
type Point = InstanceType<typeof Point>;
const Fn = Point.Fn;
const SCHNORR_SIG = new TextEncoder().encode('Schnorr-sig');

export interface Sr25519BatchItem {
  signature: Uint8Array;
  message: Uint8Array;
  publicKey: Uint8Array;
}

function randomWeight(): bigint {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return bytesToNumberLE(b) | 1n;
}

/**
 * `true` iff every signature verifies (as `sr25519Verify` with the same context), up to a 2^-128
 * chance of accepting a batch with an invalid signature. Malformed inputs make it `false`.
 */
export function sr25519VerifyBatch(items: readonly Sr25519BatchItem[], opts: Sr25519VerifyOptions): boolean {
  if (items.length === 0) return true;
  const points: Point[] = [Point.BASE];
  const scalars: bigint[] = [0n];
  let sSum = 0n;
  for (const it of items) {
    const sig = it.signature;
    if (sig.length !== 64 || it.publicKey.length !== 32 || (sig[63]! & 0x80) === 0) return false;
    const sBytes = sig.slice(32, 64);
    sBytes[31]! &= 0x7f;
    const s = bytesToNumberLE(sBytes);
    if (s >= Fn.ORDER) return false;
    let A: Point;
    let R: Point;
    try {
      A = Point.fromBytes(it.publicKey);
      R = Point.fromBytes(sig.subarray(0, 32));
    } catch {
      return false;
    }
    const t = signingContext(opts.context).appendMessage('sign-bytes', it.message);
    t.appendMessage('proto-name', SCHNORR_SIG);
    t.appendMessage('sign:pk', it.publicKey);
    t.appendMessage('sign:R', sig.subarray(0, 32));
    const k = Fn.create(bytesToNumberLE(t.challengeBytes('sign:c', 64)));
    const z = randomWeight();
    sSum = Fn.add(sSum, Fn.mul(z, s));
    points.push(R, A);
    scalars.push(Fn.neg(z), Fn.neg(Fn.mul(z, k)));
  }
  scalars[0] = sSum;
  // pippenger wants scalars in [0, order): negatives are already reduced by Fn.neg.
  return pippenger(Point, points, scalars).is0();
}

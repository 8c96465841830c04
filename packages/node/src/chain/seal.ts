/**
 * Sealing (B.3 step 5) and seal verification (B.4 steps 4 and 6): sr25519 with the signing context
 * `subspace_reward` over the 32-byte pre-hash, by the key of the pre-digest's solution.
 */
import { PrimitivesError, REWARD_SIGNING_CONTEXT, sr25519Sign, sr25519Verify } from '@autonomys/primitives';
import { encoding } from '../errors.js';
import { abytes } from './assert.js';
import { type Header, headerPreHash, unsealHeader } from './header.js';
import { extractSubspaceDigestItems, sealItem } from './subspace-digest.js';

/** Options of {@link sealHeader}. */
export interface SealOptions {
  /** 32 bytes of signing randomness (tests and vectors); fresh random bytes by default. */
  readonly random?: Uint8Array;
}

/**
 * Signs an unsealed header's pre-hash with the farmer key and appends the `SUB_` seal.
 * `secretKey` is the 64-byte sr25519 secret of @polkadot/util-crypto; `publicKey` should be the
 * pre-digest's `solution.publicKey` (the verifier checks against that key).
 * @example const sealed = sealHeader(unsealed, pair.secretKey, pair.publicKey)
 */
export function sealHeader(
  unsealed: Header,
  secretKey: Uint8Array,
  publicKey: Uint8Array,
  opts: SealOptions = {},
): Header {
  abytes(secretKey, 64, 'secret key');
  abytes(publicKey, 32, 'public key');
  const preHash = headerPreHash(unsealed);
  const signature = encoding('seal', () =>
    sr25519Sign(
      secretKey,
      publicKey,
      preHash,
      opts.random === undefined
        ? { context: REWARD_SIGNING_CONTEXT }
        : { context: REWARD_SIGNING_CONTEXT, random: opts.random },
    ),
  );
  return { ...unsealed, digest: [...unsealed.digest, sealItem(signature)] };
}

/**
 * Verifies a sealed header's signature: pops the seal (`NODE_UNSEALED` / `NODE_BAD_SEAL`), extracts
 * the Subspace items of the rest (digest errors as {@link extractSubspaceDigestItems}) and checks
 * the sr25519 `subspace_reward` signature over the pre-hash with `solution.publicKey`. A signature
 * or key that cannot verify (wrong equation, no schnorrkel marker, non-canonical scalar, invalid
 * point) gives `false`, as a node rejects the block with "bad signature".
 * @example verifyHeaderSeal(sealed) // true
 */
export function verifyHeaderSeal(sealed: Header): boolean {
  const { header, signature } = unsealHeader(sealed);
  const { preDigest } = extractSubspaceDigestItems(header.digest);
  const preHash = headerPreHash(header);
  try {
    return sr25519Verify(signature, preHash, preDigest.solution.publicKey, {
      context: REWARD_SIGNING_CONTEXT,
    });
  } catch (e) {
    if (e instanceof PrimitivesError) return false;
    throw e;
  }
}

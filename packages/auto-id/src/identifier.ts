/**
 * Auto ID identifiers, derived exactly as the pallet's `derive_identifier` (identity.md §1):
 * root `blake2b_256(CN)`, leaf `blake2b_256(issuer_id ‖ CN)` with the 32 raw issuer bytes. The
 * serial is not hashed, so a renewed certificate (same CN, same issuer) keeps its Auto ID. The old
 * client SDK hashed the issuer id as `0x…` text for leaves; that never matched the chain.
 */
import { blake2b } from '@noble/hashes/blake2.js';
import { abytes } from './assert.js';
import { IDENTIFIER_SIZE } from './constants.js';
import type { Identifier } from './types.js';
import { decodeTbs, extractTbs } from './x509.js';

/**
 * The Auto ID of a certificate whose subject's first commonName value is `commonName` (its raw
 * content bytes, or a string taken as UTF-8), issued by `issuerId` (undefined for a root).
 *
 * @example
 * deriveAutoId('Vedhavyas Sinhareddi') // 8d66f57e…3bf9 (the pallet's issuer fixture)
 * deriveAutoId('Vedhavyas Singareddi Leaf', issuerId) // 5c549b31…61a1
 */
export function deriveAutoId(commonName: Uint8Array | string, issuerId?: Identifier): Identifier {
  const cn = typeof commonName === 'string' ? new TextEncoder().encode(commonName) : commonName;
  abytes(cn, 'commonName');
  if (issuerId === undefined) return blake2b(cn, { dkLen: 32 });
  abytes(issuerId, 'issuerId', IDENTIFIER_SIZE);
  const data = new Uint8Array(IDENTIFIER_SIZE + cn.length);
  data.set(issuerId);
  data.set(cn, IDENTIFIER_SIZE);
  return blake2b(data, { dkLen: 32 });
}

/**
 * The Auto ID a certificate gets when registered under `issuerId` (undefined: as a root). Takes a
 * whole certificate's DER, or a bare TBSCertificate with `{ tbs: true }`.
 *
 * @example
 * autoIdFromCertificate(leafDer, deriveAutoId('Vedhavyas Sinhareddi'))
 */
export function autoIdFromCertificate(
  certificate: Uint8Array,
  issuerId?: Identifier,
  opts: { tbs?: boolean } = {},
): Identifier {
  const tbs = opts.tbs ? certificate : extractTbs(certificate).tbs;
  return deriveAutoId(decodeTbs(tbs).subjectCommonName, issuerId);
}

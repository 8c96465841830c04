/** Sizes and object identifiers of the pallet's layouts (identity.md §1). */

/** An Auto ID identifier is an H256. */
export const IDENTIFIER_SIZE = 32;
/** Serials and nonces are U256: 32 bytes little-endian in SCALE. */
export const U256_SIZE = 32;
export const U256_MAX = (1n << 256n) - 1n;
export const U64_MAX = (1n << 64n) - 1n;
/** SCALE(CertificateAction) = id (32) + nonce U256 LE (32) + action type (1). */
export const CERTIFICATE_ACTION_SIZE = IDENTIFIER_SIZE + U256_SIZE + 1;

/** Object identifiers the package recognises. */
export const OID = {
  commonName: '2.5.4.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha1WithRSAEncryption: '1.2.840.113549.1.1.5',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  sha384WithRSAEncryption: '1.2.840.113549.1.1.12',
  sha512WithRSAEncryption: '1.2.840.113549.1.1.13',
  rsassaPss: '1.2.840.113549.1.1.10',
  mgf1: '1.2.840.113549.1.1.8',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  p256: '1.2.840.10045.3.1.7',
  p384: '1.3.132.0.34',
  ed25519: '1.3.101.112',
} as const;

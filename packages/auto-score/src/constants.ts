/**
 * Sizes, limits and identifiers of Auto Score, in one place. Nothing here is defined by the
 * network (identity.md §3: the chain has no Auto Score); the names of the SDK's claim types and
 * the nullifier rule come from the old auto-sdk (identity.md §2), everything else is our design.
 */

/** An Auto ID identifier, a nullifier and a claim-type hash are 32 bytes (blake2b-256). */
export const HASH_SIZE = 32;
/** An Ethereum-style address (Reclaim witnesses): the last 20 bytes of keccak-256(public key). */
export const ETH_ADDRESS_SIZE = 20;
/** A recoverable secp256k1 signature `r ‖ s ‖ v`. */
export const RECOVERABLE_SIGNATURE_SIZE = 65;

/** The version of the default scoring policy (README "Scoring model"). Bumped on any change of weights or rules. */
export const DEFAULT_POLICY_VERSION = 'auto-score/v1';

/** At most this many claims in one evaluation (oversized input is refused, not truncated). */
export const MAX_CLAIMS = 256;
/** Upper bound on the serialized size of one proof (a JSON Reclaim proof, an EF.SOD, a data group). */
export const MAX_PROOF_BYTES = 64 * 1024;
/** Upper bound on a single string field of a proof (parameters, context, a serviceId). */
export const MAX_STRING_LENGTH = 32 * 1024;
/** At most this many witness signatures on one Reclaim proof. */
export const MAX_WITNESS_SIGNATURES = 32;
/** At most this many certificates inside one EF.SOD. */
export const MAX_SOD_CERTIFICATES = 8;
/** ICAO 9303 data groups are numbered 1..16. */
export const MAX_DATA_GROUP = 16;

/** The claim-type names of the SDK (auto-sdk `SupportedClaimHashes`); the hash is blake2b_256(utf8(name)). */
export const SDK_CLAIM_TYPES = ['UberUUID', 'GithubUsername', 'GoogleEmail'] as const;

/** Claim-type names of our own factors, hashed the same way as the SDK's. */
export const OWN_CLAIM_TYPES = ['EPassport', 'ZkPassport', 'AutoId', 'ChainParticipation'] as const;

/** The factor kinds the default policy knows; a custom policy may add more (with their verifiers). */
export const FACTORS = [
  'e-passport',
  'zk-passport',
  'zktls-account',
  'auto-id',
  'chain-participation',
] as const;

/** Default serviceIds used in nullifiers, per factor (a verifier may be configured with another). */
export const DEFAULT_SERVICE_IDS = {
  'e-passport': 'icao9303',
  'zk-passport': 'zkpassport',
  'auto-id': 'auto-id',
  'chain-participation': 'autonomys-farmer',
} as const;

/** OIDs used by passive authentication (ICAO 9303 part 10/11, RFC 5652). */
export const OID = {
  signedData: '1.2.840.113549.1.7.2',
  ldsSecurityObject: '2.23.136.1.1.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  sha1: '1.3.14.3.2.26',
  sha224: '2.16.840.1.101.3.4.2.4',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha1WithRSAEncryption: '1.2.840.113549.1.1.5',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  sha384WithRSAEncryption: '1.2.840.113549.1.1.12',
  sha512WithRSAEncryption: '1.2.840.113549.1.1.13',
  rsassaPss: '1.2.840.113549.1.1.10',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha1: '1.2.840.10045.4.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
} as const;

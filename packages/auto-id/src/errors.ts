import { AutonomysError } from '@autonomys/primitives';

/**
 * The pallet's `Error` enum in index order (pallet-auto-id): the index is what a node reports in a
 * `Module` dispatch error, so the order is part of the API.
 */
export const PALLET_ERRORS = [
  'UnknownIssuer',
  'UnknownAutoId',
  'InvalidCertificate',
  'InvalidSignature',
  'CertificateSerialAlreadyIssued',
  'ExpiredCertificate',
  'CertificateRevoked',
  'CertificateAlreadyRevoked',
  'NonceOverflow',
  'AutoIdIdentifierAlreadyExists',
  'AutoIdIdentifierMismatch',
  'PublicKeyMismatch',
] as const;

/** A variant name of the pallet's error enum. */
export type PalletErrorName = (typeof PALLET_ERRORS)[number];

/** The package code of each pallet error: `UnknownIssuer` -> `AUTO_ID_UNKNOWN_ISSUER`. */
export type PalletErrorCode =
  | 'AUTO_ID_UNKNOWN_ISSUER'
  | 'AUTO_ID_UNKNOWN_AUTO_ID'
  | 'AUTO_ID_INVALID_CERTIFICATE'
  | 'AUTO_ID_INVALID_SIGNATURE'
  | 'AUTO_ID_CERTIFICATE_SERIAL_ALREADY_ISSUED'
  | 'AUTO_ID_EXPIRED_CERTIFICATE'
  | 'AUTO_ID_CERTIFICATE_REVOKED'
  | 'AUTO_ID_CERTIFICATE_ALREADY_REVOKED'
  | 'AUTO_ID_NONCE_OVERFLOW'
  | 'AUTO_ID_IDENTIFIER_ALREADY_EXISTS'
  | 'AUTO_ID_IDENTIFIER_MISMATCH'
  | 'AUTO_ID_PUBLIC_KEY_MISMATCH';

const PALLET_CODES: Record<PalletErrorName, PalletErrorCode> = {
  UnknownIssuer: 'AUTO_ID_UNKNOWN_ISSUER',
  UnknownAutoId: 'AUTO_ID_UNKNOWN_AUTO_ID',
  InvalidCertificate: 'AUTO_ID_INVALID_CERTIFICATE',
  InvalidSignature: 'AUTO_ID_INVALID_SIGNATURE',
  CertificateSerialAlreadyIssued: 'AUTO_ID_CERTIFICATE_SERIAL_ALREADY_ISSUED',
  ExpiredCertificate: 'AUTO_ID_EXPIRED_CERTIFICATE',
  CertificateRevoked: 'AUTO_ID_CERTIFICATE_REVOKED',
  CertificateAlreadyRevoked: 'AUTO_ID_CERTIFICATE_ALREADY_REVOKED',
  NonceOverflow: 'AUTO_ID_NONCE_OVERFLOW',
  AutoIdIdentifierAlreadyExists: 'AUTO_ID_IDENTIFIER_ALREADY_EXISTS',
  AutoIdIdentifierMismatch: 'AUTO_ID_IDENTIFIER_MISMATCH',
  PublicKeyMismatch: 'AUTO_ID_PUBLIC_KEY_MISMATCH',
};

/** A rejection by the registry model: the pallet would fail the extrinsic with `pallet`. */
export type PalletErrorType = {
  code: PalletErrorCode;
  /** The pallet's variant name. */
  pallet: PalletErrorName;
  /** Its index in the pallet's error enum. */
  index: number;
  /** Which check failed, for people (not part of the API). */
  detail: string;
};

export type AutoIdErrorType =
  | PalletErrorType
  /** A caller passed something of the wrong kind or out of range. */
  | { code: 'AUTO_ID_INVALID_ARGUMENT'; what: string; reason: string }
  /** Bytes that are not the DER structure expected (certificate, TBS, SPKI, AlgorithmIdentifier). */
  | { code: 'AUTO_ID_MALFORMED_DER'; what: string; reason: string; offset: number }
  /** Text that is not a PEM block of the expected label, or whose base64 is broken. */
  | { code: 'AUTO_ID_INVALID_PEM'; reason: string }
  /** A signature or key algorithm the pallet does not verify (or a key size it refuses). */
  | { code: 'AUTO_ID_UNSUPPORTED_ALGORITHM'; what: string; algorithm: string }
  /** A certificate signing request that does not parse or whose self-signature does not verify. */
  | { code: 'AUTO_ID_INVALID_CSR'; reason: string }
  /** Bytes that do not decode as the SCALE type (truncated, bad tag, trailing bytes, ...). */
  | { code: 'AUTO_ID_INVALID_SCALE'; what: string; reason: string }
  /** A content identifier that is not a CIDv1 (raw or dag-pb, BLAKE3 or SHA-256 multihash). */
  | { code: 'AUTO_ID_INVALID_CID'; reason: string }
  /** A `did:autoid:` identifier or DID URL that does not parse. */
  | { code: 'AUTO_ID_INVALID_DID'; did: string; reason: string }
  /** An Auto ID (issuer, signer, agent) that the registry does not hold. */
  | { code: 'AUTO_ID_UNRESOLVED_IDENTITY'; id: string }
  /** A credential or presentation that is not well-formed VC 2.0 JSON (or a malformed VC-JOSE JWS). */
  | { code: 'AUTO_ID_INVALID_CREDENTIAL'; reason: string }
  /** A JSON-LD context this package does not know (it never fetches contexts). */
  | { code: 'AUTO_ID_UNKNOWN_CONTEXT'; context: string }
  /** A proof type, cryptosuite or JOSE `alg` this package does not verify. */
  | { code: 'AUTO_ID_UNSUPPORTED_PROOF'; proof: string }
  /** A signature (credential proof, JWS, provenance record) that does not verify. */
  | { code: 'AUTO_ID_INVALID_PROOF'; reason: string }
  /** An identity in the chain (or the credential's status) is revoked or deactivated. */
  | { code: 'AUTO_ID_REVOKED'; id: string; reason: string }
  /** A credential, delegation or certificate outside its validity window at the time checked. */
  | { code: 'AUTO_ID_NOT_VALID_AT'; what: string; reason: string }
  /** An agent asked for a permission its delegation does not grant. */
  | { code: 'AUTO_ID_PERMISSION_DENIED'; permission: string; reason: string }
  /**
   * A certificate in a chain larger than the credential layer accepts (oversized extensions): the
   * pallet registers it, relying parties here refuse it.
   */
  | { code: 'AUTO_ID_CERTIFICATE_TOO_LARGE'; id: string; size: number; limit: number }
  /** Bytes (or JSON) that are not a provenance record of a known version. */
  | { code: 'AUTO_ID_INVALID_PROVENANCE'; reason: string };

/**
 * The error class of `@autonomys/auto-id`: `err.code` is stable API, `err.type` carries the data.
 * Registry rejections carry the pallet's variant name and index (`err.type.pallet`, `.index`).
 *
 * @example
 * try { await registry.registerAutoId(req, { now }); } catch (e) {
 *   if (e instanceof AutoIdError && e.code === 'AUTO_ID_EXPIRED_CERTIFICATE') console.log(e.type);
 * }
 */
export class AutoIdError extends AutonomysError<AutoIdErrorType> {}

export type AutoIdErrorCode = AutoIdErrorType['code'];

/** True when `e` is an AutoIdError that the pallet would report as one of its error variants. */
export function isPalletError(e: unknown): e is AutoIdError & { type: PalletErrorType } {
  return e instanceof AutoIdError && 'pallet' in e.type;
}

/** Throws the registry error for a pallet variant. */
export function palletError(pallet: PalletErrorName, detail: string): never {
  throw new AutoIdError({ code: PALLET_CODES[pallet], pallet, index: PALLET_ERRORS.indexOf(pallet), detail });
}

/** Throws AUTO_ID_INVALID_ARGUMENT. */
export function invalidArgument(what: string, reason: string): never {
  throw new AutoIdError({ code: 'AUTO_ID_INVALID_ARGUMENT', what, reason });
}

/** Throws AUTO_ID_MALFORMED_DER. */
export function malformedDer(what: string, reason: string, offset: number): never {
  throw new AutoIdError({ code: 'AUTO_ID_MALFORMED_DER', what, reason, offset });
}

/** Throws AUTO_ID_UNSUPPORTED_ALGORITHM. */
export function unsupported(what: string, algorithm: string): never {
  throw new AutoIdError({ code: 'AUTO_ID_UNSUPPORTED_ALGORITHM', what, algorithm });
}

/** Throws an AutoIdError of one of the credential-layer codes. */
export function fail(type: Exclude<AutoIdErrorType, PalletErrorType>): never {
  throw new AutoIdError(type);
}

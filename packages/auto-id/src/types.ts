/** The pallet's types in TypeScript (identity.md §1). u64/U256 values are bigints. */

/** An Auto ID identifier (H256): 32 bytes. */
export type Identifier = Uint8Array;

/** A validity window in milliseconds since the UNIX epoch, both bounds inclusive. */
export interface Validity {
  notBefore: bigint;
  notAfter: bigint;
}

/** The fields the pallet reads from a TBSCertificate (`sp-auto-id` `decode_tbs_certificate`). */
export interface TbsCertificate {
  /** The serialNumber INTEGER's content read as an unsigned big-endian magnitude (fits U256). */
  serial: bigint;
  /** The content bytes of the first commonName value of the subject (no tag, no length). */
  subjectCommonName: Uint8Array;
  /** The raw DER of SubjectPublicKeyInfo. */
  subjectPublicKeyInfo: Uint8Array;
  /** notBefore / notAfter in ms: `seconds * 1000 + milliseconds`. */
  validity: Validity;
}

/** An X.509 certificate split into what a registration carries. */
export interface CertificateParts {
  /** The TBSCertificate DER: the pallet's `certificate` field and the stored `raw`. */
  tbs: Uint8Array;
  /** The outer signatureAlgorithm AlgorithmIdentifier, DER. */
  signatureAlgorithm: Uint8Array;
  /** The signatureValue BIT STRING content without its unused-bits byte. */
  signature: Uint8Array;
}

/** A parsed certificate: its DER, its parts and the TBS fields the pallet uses. */
export interface ParsedCertificate extends CertificateParts, TbsCertificate {
  /** The whole certificate DER. */
  der: Uint8Array;
}

/** `CertificateActionType`: what a signed certificate action does. */
export type CertificateActionType = 'RevokeCertificate' | 'DeactivateAutoId';

/** `CertificateAction`: the payload an issuer (revoke) or the identity itself (deactivate) signs. */
export interface CertificateAction {
  id: Identifier;
  nonce: bigint;
  actionType: CertificateActionType;
}

/** `Signature { signature_algorithm: DerVec, value: Vec<u8> }`. */
export interface Signature {
  signatureAlgorithm: Uint8Array;
  value: Uint8Array;
}

/** `RegisterAutoId::X509(RegisterAutoIdX509::Root | Leaf)`. */
export type RegisterAutoId =
  | { type: 'Root'; certificate: Uint8Array; signatureAlgorithm: Uint8Array; signature: Uint8Array }
  | {
      type: 'Leaf';
      issuerId: Identifier;
      certificate: Uint8Array;
      signatureAlgorithm: Uint8Array;
      signature: Uint8Array;
    };

/** `RenewAutoId::X509(RenewX509Certificate)`; `issuerId` undefined renews a root. */
export interface RenewAutoId {
  issuerId: Identifier | undefined;
  certificate: Uint8Array;
  signatureAlgorithm: Uint8Array;
  signature: Uint8Array;
}

/** `X509Certificate`: what the pallet stores for an Auto ID. */
export interface X509Certificate {
  issuerId: Identifier | undefined;
  serial: bigint;
  subjectCommonName: Uint8Array;
  subjectPublicKeyInfo: Uint8Array;
  validity: Validity;
  /** The TBSCertificate DER as submitted. */
  raw: Uint8Array;
  /** Serials this identity has issued (its own included), ascending. */
  issuedSerials: bigint[];
  /** Bumped on each revocation this identity signs. */
  nonce: bigint;
}

/** `AutoId { certificate: Certificate::X509(..) }`: the value of the `AutoIds` storage map. */
export interface AutoId {
  certificate: X509Certificate;
}

/** The pallet's events. */
export type AutoIdEvent =
  | { type: 'NewAutoIdRegistered'; id: Identifier }
  | { type: 'CertificateRevoked'; id: Identifier }
  | { type: 'AutoIdDeactivated'; id: Identifier }
  | { type: 'AutoIdRenewed'; id: Identifier };

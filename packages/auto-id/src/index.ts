/**
 * @autonomys/auto-id: Auto ID identities compatible with the chain's Auto ID pallet: certificates,
 * identifiers, the pallet's SCALE types and its state machine as a pure model.
 */

export * from './agent.js';
export * from './certificates.js';
export * from './cid.js';
export * from './constants.js';
export {
  autoIdFromDid,
  DID_KEY_FRAGMENT,
  DID_PREFIX,
  type DidDocument,
  type DidResolution,
  didFromAutoId,
  resolveDid,
  spkiToJwk,
  verificationMethodOf,
} from './did.js';
export {
  base32Decode,
  base32Encode,
  base58Decode,
  base58Encode,
  base64urlDecode,
  base64urlEncode,
  canonicalize,
  type JsonValue,
} from './encoding.js';
export {
  AutoIdError,
  type AutoIdErrorCode,
  type AutoIdErrorType,
  isPalletError,
  PALLET_ERRORS,
  type PalletErrorCode,
  type PalletErrorName,
  type PalletErrorType,
} from './errors.js';
export * from './identifier.js';
export * from './provenance.js';
export * from './registry.js';
export {
  type AutoIdCall,
  CALL_INDEX,
  decodeAutoId,
  decodeCall,
  decodeCertificateAction,
  decodeEvent,
  decodeRegisterAutoId,
  decodeRenewAutoId,
  decodeSerialSet,
  decodeSignature,
  encodeAutoId,
  encodeCall,
  encodeCertificateAction,
  encodeEvent,
  encodeRegisterAutoId,
  encodeRenewAutoId,
  encodeSerialSet,
  encodeSignature,
} from './scale.js';
export {
  type PublicKeyInfo,
  parsePublicKeyInfo,
  parseSignatureAlgorithm,
  type SignatureScheme,
  verifyX509Signature,
} from './signature.js';
export { type ChainCheck, checkChain, MAX_CHAIN_CERTIFICATE_SIZE } from './trust.js';
export type * from './types.js';
export {
  AUTO_ID_CONTEXT,
  AUTO_ID_STATUS_TYPE,
  type AutoIdSigner,
  addDataIntegrityProof,
  CRYPTOSUITES,
  type Credential,
  type Cryptosuite,
  createPresentation,
  type DataIntegrityProof,
  type DecodedJose,
  decodeJose,
  issueCredential,
  JOSE_ALGS,
  type JoseAlg,
  type JsonObject,
  MAX_CREDENTIAL_SIZE,
  type Presentation,
  type ProofOptions,
  type SecuredCredential,
  signJose,
  VC_CONTEXT_V2,
  type VerifiedCredential,
  type VerifiedPresentation,
  type VerifyOptions,
  verifyCredential,
  verifyDataIntegrityProof,
  verifyJose,
  verifyPresentation,
} from './vc.js';
export { decodeTbs, derToPem, extractTbs, parseCertificate, pemToDer } from './x509.js';

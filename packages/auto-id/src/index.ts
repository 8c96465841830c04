/**
 * @autonomys/auto-id: Auto ID identities compatible with the chain's Auto ID pallet: certificates,
 * identifiers, the pallet's SCALE types and its state machine as a pure model.
 */
export * from './certificates.js';
export * from './constants.js';
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
export * from './signature.js';
export type * from './types.js';
export { decodeTbs, derToPem, extractTbs, parseCertificate, pemToDer } from './x509.js';

/**
 * SCALE codecs of the pallet's types (identity.md §1; field order = encoding order). Built on
 * primitives' strict ScaleReader/ScaleWriter; any decoding failure is AUTO_ID_INVALID_SCALE.
 */
import { PrimitivesError, ScaleReader, ScaleWriter } from '@autonomys/primitives';
import { abytes, au64, au256 } from './assert.js';
import { CERTIFICATE_ACTION_SIZE, IDENTIFIER_SIZE, U256_SIZE } from './constants.js';
import { AutoIdError, invalidArgument } from './errors.js';
import type {
  AutoId,
  AutoIdEvent,
  CertificateAction,
  CertificateActionType,
  Identifier,
  RegisterAutoId,
  RenewAutoId,
  Signature,
  Validity,
  X509Certificate,
} from './types.js';

const ACTION_TYPES: readonly CertificateActionType[] = ['RevokeCertificate', 'DeactivateAutoId'];
const EVENTS = ['NewAutoIdRegistered', 'CertificateRevoked', 'AutoIdDeactivated', 'AutoIdRenewed'] as const;

/** The pallet's calls with their `call_index`. */
export type AutoIdCall =
  | { call: 'register_auto_id'; req: RegisterAutoId }
  | { call: 'revoke_certificate'; id: Identifier; signature: Signature }
  | { call: 'deactivate_auto_id'; id: Identifier; signature: Signature }
  | { call: 'renew_auto_id'; id: Identifier; req: RenewAutoId };
export const CALL_INDEX = {
  register_auto_id: 0,
  revoke_certificate: 1,
  deactivate_auto_id: 2,
  renew_auto_id: 3,
} as const;
const CALLS = ['register_auto_id', 'revoke_certificate', 'deactivate_auto_id', 'renew_auto_id'] as const;

// --- U256 / H256 --------------------------------------------------------------------------------

/** A U256 as SCALE: 32 bytes little-endian. */
export function writeU256(w: ScaleWriter, v: bigint): void {
  const out = new Uint8Array(U256_SIZE);
  let x = v;
  for (let i = 0; i < U256_SIZE; i++, x >>= 8n) out[i] = Number(x & 0xffn);
  w.bytes(out);
}

export function readU256(r: ScaleReader, what = 'U256'): bigint {
  const b = r.bytesView(U256_SIZE, what);
  let v = 0n;
  for (let i = U256_SIZE - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

const readId = (r: ScaleReader, what = 'Identifier') => r.fixed(IDENTIFIER_SIZE, what);

// --- field writers / readers --------------------------------------------------------------------

function writeValidity(w: ScaleWriter, v: Validity): void {
  w.u64(au64(v.notBefore, 'validity.notBefore')).u64(au64(v.notAfter, 'validity.notAfter'));
}
const readValidity = (r: ScaleReader): Validity => ({
  notBefore: r.u64('validity.not_before'),
  notAfter: r.u64('validity.not_after'),
});

function writeSignature(w: ScaleWriter, s: Signature): void {
  abytes(s.signatureAlgorithm, 'signature.signatureAlgorithm');
  abytes(s.value, 'signature.value');
  w.vecU8(s.signatureAlgorithm).vecU8(s.value);
}
const readSignature = (r: ScaleReader): Signature => ({
  signatureAlgorithm: r.vecU8('signature_algorithm'),
  value: r.vecU8('value'),
});

function writeRegister(w: ScaleWriter, q: RegisterAutoId): void {
  w.u8(0); // RegisterAutoId::X509
  if (q.type === 'Root') w.u8(0);
  else if (q.type === 'Leaf') {
    abytes(q.issuerId, 'req.issuerId', IDENTIFIER_SIZE);
    w.u8(1).bytes(q.issuerId);
  } else invalidArgument('req.type', "expected 'Root' or 'Leaf'");
  abytes(q.certificate, 'req.certificate');
  abytes(q.signatureAlgorithm, 'req.signatureAlgorithm');
  abytes(q.signature, 'req.signature');
  w.vecU8(q.certificate).vecU8(q.signatureAlgorithm).vecU8(q.signature);
}
function readRegister(r: ScaleReader): RegisterAutoId {
  r.tag(1, 'RegisterAutoId');
  if (r.tag(2, 'RegisterAutoIdX509') === 0) {
    return {
      type: 'Root',
      certificate: r.vecU8('certificate'),
      signatureAlgorithm: r.vecU8('signature_algorithm'),
      signature: r.vecU8('signature'),
    };
  }
  return {
    type: 'Leaf',
    issuerId: readId(r, 'issuer_id'),
    certificate: r.vecU8('certificate'),
    signatureAlgorithm: r.vecU8('signature_algorithm'),
    signature: r.vecU8('signature'),
  };
}

function writeRenew(w: ScaleWriter, q: RenewAutoId): void {
  w.u8(0); // RenewAutoId::X509
  if (q.issuerId === undefined) w.u8(0);
  else {
    abytes(q.issuerId, 'req.issuerId', IDENTIFIER_SIZE);
    w.u8(1).bytes(q.issuerId);
  }
  abytes(q.certificate, 'req.certificate');
  abytes(q.signatureAlgorithm, 'req.signatureAlgorithm');
  abytes(q.signature, 'req.signature');
  w.vecU8(q.certificate).vecU8(q.signatureAlgorithm).vecU8(q.signature);
}
function readRenew(r: ScaleReader): RenewAutoId {
  r.tag(1, 'RenewAutoId');
  return {
    issuerId: r.option((x) => readId(x, 'issuer_id'), 'issuer_id'),
    certificate: r.vecU8('certificate'),
    signatureAlgorithm: r.vecU8('signature_algorithm'),
    signature: r.vecU8('signature'),
  };
}

// BTreeSet<U256> encodes as a Vec in ascending order. parity-scale-codec decodes any order and
// drops duplicates; so do we (such bytes then do not re-encode identically: they are not canonical).
function writeSerialSet(w: ScaleWriter, set: readonly bigint[], what: string): void {
  for (const s of set) au256(s, what);
  const sorted = [...new Set(set)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  w.compact(sorted.length);
  for (const s of sorted) writeU256(w, s);
}
function readSerialSet(r: ScaleReader, what: string): bigint[] {
  const n = r.compactU32(`${what} length`);
  if (n * U256_SIZE > r.remaining) r.bytesView(n * U256_SIZE, what); // throws UNEXPECTED_END before allocating anything
  const set = new Set<bigint>();
  for (let i = 0; i < n; i++) set.add(readU256(r, what));
  return [...set].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function writeX509(w: ScaleWriter, c: X509Certificate): void {
  if (c.issuerId === undefined) w.u8(0);
  else {
    abytes(c.issuerId, 'certificate.issuerId', IDENTIFIER_SIZE);
    w.u8(1).bytes(c.issuerId);
  }
  au256(c.serial, 'certificate.serial');
  writeU256(w, c.serial);
  abytes(c.subjectCommonName, 'certificate.subjectCommonName');
  abytes(c.subjectPublicKeyInfo, 'certificate.subjectPublicKeyInfo');
  w.vecU8(c.subjectCommonName).vecU8(c.subjectPublicKeyInfo);
  writeValidity(w, c.validity);
  abytes(c.raw, 'certificate.raw');
  w.vecU8(c.raw);
  writeSerialSet(w, c.issuedSerials, 'certificate.issuedSerials');
  au256(c.nonce, 'certificate.nonce');
  writeU256(w, c.nonce);
}
function readX509(r: ScaleReader): X509Certificate {
  return {
    issuerId: r.option((x) => readId(x, 'issuer_id'), 'issuer_id'),
    serial: readU256(r, 'serial'),
    subjectCommonName: r.vecU8('subject_common_name'),
    subjectPublicKeyInfo: r.vecU8('subject_public_key_info'),
    validity: readValidity(r),
    raw: r.vecU8('raw'),
    issuedSerials: readSerialSet(r, 'issued_serials'),
    nonce: readU256(r, 'nonce'),
  };
}

// --- whole-value codecs -------------------------------------------------------------------------

function encode(write: (w: ScaleWriter) => void, capacity = 256): Uint8Array {
  const w = new ScaleWriter(capacity);
  try {
    write(w);
  } catch (e) {
    if (e instanceof PrimitivesError) invalidArgument(e.type.what, e.message);
    throw e;
  }
  return w.finish();
}

function decode<T>(bytes: Uint8Array, what: string, read: (r: ScaleReader) => T): T {
  abytes(bytes, what);
  try {
    const r = new ScaleReader(bytes, what);
    const v = read(r);
    r.finish();
    return v;
  } catch (e) {
    if (e instanceof PrimitivesError)
      throw new AutoIdError({ code: 'AUTO_ID_INVALID_SCALE', what: e.type.what, reason: e.message });
    throw e;
  }
}

/**
 * SCALE of a `RegisterAutoId` (the argument of `register_auto_id`).
 * @example encodeRegisterAutoId({ type: 'Root', certificate: tbs, signatureAlgorithm, signature })
 */
export const encodeRegisterAutoId = (req: RegisterAutoId): Uint8Array =>
  encode((w) => writeRegister(w, req), 64 + (req?.certificate?.length ?? 0));
/** Decodes a `RegisterAutoId`. @example decodeRegisterAutoId(paramsBytes).type // 'Root' */
export const decodeRegisterAutoId = (bytes: Uint8Array): RegisterAutoId =>
  decode(bytes, 'RegisterAutoId', readRegister);

/** SCALE of a `RenewAutoId`. @example encodeRenewAutoId({ issuerId: undefined, certificate, signatureAlgorithm, signature }) */
export const encodeRenewAutoId = (req: RenewAutoId): Uint8Array =>
  encode((w) => writeRenew(w, req), 64 + (req?.certificate?.length ?? 0));
/** Decodes a `RenewAutoId`. @example decodeRenewAutoId(bytes).issuerId */
export const decodeRenewAutoId = (bytes: Uint8Array): RenewAutoId => decode(bytes, 'RenewAutoId', readRenew);

/** SCALE of a `Signature`. @example encodeSignature({ signatureAlgorithm, value }) */
export const encodeSignature = (sig: Signature): Uint8Array => encode((w) => writeSignature(w, sig));
/** Decodes a `Signature`. @example decodeSignature(bytes).value.length // 256 */
export const decodeSignature = (bytes: Uint8Array): Signature => decode(bytes, 'Signature', readSignature);

/**
 * SCALE of a `CertificateAction`: `id (32) ‖ nonce U256 LE (32) ‖ action type (1)`, 65 bytes, the
 * exact bytes a revocation or deactivation signs (the old SDK wrote the nonce big-endian: wrong).
 *
 * @example
 * encodeCertificateAction({ id, nonce: 0n, actionType: 'RevokeCertificate' }) // 65 bytes
 */
export function encodeCertificateAction(action: CertificateAction): Uint8Array {
  abytes(action.id, 'action.id', IDENTIFIER_SIZE);
  au256(action.nonce, 'action.nonce');
  const t = ACTION_TYPES.indexOf(action.actionType);
  if (t < 0) invalidArgument('action.actionType', "expected 'RevokeCertificate' or 'DeactivateAutoId'");
  return encode((w) => {
    w.bytes(action.id);
    writeU256(w, action.nonce);
    w.u8(t);
  }, CERTIFICATE_ACTION_SIZE);
}
/** Decodes a `CertificateAction`. @example decodeCertificateAction(payload).nonce // 0n */
export const decodeCertificateAction = (bytes: Uint8Array): CertificateAction =>
  decode(bytes, 'CertificateAction', (r) => ({
    id: readId(r, 'id'),
    nonce: readU256(r, 'nonce'),
    actionType: ACTION_TYPES[r.tag(2, 'action_type')]!,
  }));

/** SCALE of an `AutoId` (a value of the `AutoIds` storage map). @example encodeAutoId(registry.getAutoId(id)!) */
export const encodeAutoId = (autoId: AutoId): Uint8Array =>
  encode(
    (w) => {
      w.u8(0); // Certificate::X509
      writeX509(w, autoId.certificate);
    },
    128 + (autoId?.certificate?.raw?.length ?? 0),
  );
/** Decodes an `AutoId` storage value. @example decodeAutoId(storageBytes).certificate.nonce */
export const decodeAutoId = (bytes: Uint8Array): AutoId =>
  decode(bytes, 'AutoId', (r) => {
    r.tag(1, 'Certificate');
    return { certificate: readX509(r) };
  });

/** SCALE of a `CertificateRevocationList` value (`BTreeSet<U256>`, ascending). @example encodeSerialSet([1n, 2n]) */
export const encodeSerialSet = (serials: readonly bigint[]): Uint8Array =>
  encode((w) => writeSerialSet(w, serials, 'serials'));
/** Decodes a `BTreeSet<U256>` (sorted, duplicates dropped). @example decodeSerialSet(storageBytes) */
export const decodeSerialSet = (bytes: Uint8Array): bigint[] =>
  decode(bytes, 'BTreeSet<U256>', (r) => readSerialSet(r, 'serials'));

/** SCALE of a pallet event (variant index ‖ identifier). @example encodeEvent({ type: 'AutoIdRenewed', id }) */
export function encodeEvent(event: AutoIdEvent): Uint8Array {
  const t = EVENTS.indexOf(event.type);
  if (t < 0) invalidArgument('event.type', `unknown event ${String(event.type)}`);
  abytes(event.id, 'event.id', IDENTIFIER_SIZE);
  return encode((w) => w.u8(t).bytes(event.id), 33);
}
/** Decodes a pallet event. @example decodeEvent(bytes).type */
export const decodeEvent = (bytes: Uint8Array): AutoIdEvent =>
  decode(bytes, 'Event', (r) => ({ type: EVENTS[r.tag(EVENTS.length, 'Event')]!, id: readId(r, 'id') }));

/**
 * SCALE of a call of the pallet: `call_index ‖ arguments` (prefix the pallet's index in the
 * runtime to get a `RuntimeCall`).
 *
 * @example
 * encodeCall({ call: 'revoke_certificate', id, signature }) // 01 ‖ id ‖ Signature
 */
export function encodeCall(c: AutoIdCall): Uint8Array {
  return encode((w) => {
    switch (c.call) {
      case 'register_auto_id':
        w.u8(0);
        writeRegister(w, c.req);
        return;
      case 'revoke_certificate':
      case 'deactivate_auto_id':
        abytes(c.id, 'id', IDENTIFIER_SIZE);
        w.u8(CALL_INDEX[c.call]).bytes(c.id);
        writeSignature(w, c.signature);
        return;
      case 'renew_auto_id':
        abytes(c.id, 'id', IDENTIFIER_SIZE);
        w.u8(3).bytes(c.id);
        writeRenew(w, c.req);
        return;
      default:
        invalidArgument('call', `unknown call ${String((c as { call: unknown }).call)}`);
    }
  }, 1024);
}
/** Decodes a pallet call. @example decodeCall(bytes).call // 'renew_auto_id' */
export const decodeCall = (bytes: Uint8Array): AutoIdCall =>
  decode(bytes, 'Call', (r): AutoIdCall => {
    const call = CALLS[r.tag(CALLS.length, 'call_index')]!;
    switch (call) {
      case 'register_auto_id':
        return { call, req: readRegister(r) };
      case 'renew_auto_id':
        return { call, id: readId(r), req: readRenew(r) };
      default:
        return { call, id: readId(r), signature: readSignature(r) };
    }
  });

/**
 * `AutoIdRegistry`: the pallet's state machine (identity.md §1, pallet-auto-id) as a pure,
 * deterministic model: the `AutoIds` and `CertificateRevocationList` maps, the four calls with the
 * pallet's checks in the pallet's order and its error enum, and its events. Time is an argument
 * (`now`, ms), never a clock; every call is all-or-nothing like an extrinsic (a failing call leaves
 * the state untouched, which is why the pallet's early CRL writes in `renew_auto_id` are harmless).
 * This is what a light client or an indexer replays to check an identity without trusting a node.
 */
import { bytesToHex, hexToBytes } from '@autonomys/primitives';
import { abytes, au64 } from './assert.js';
import { IDENTIFIER_SIZE, U256_MAX } from './constants.js';
import { AutoIdError, palletError } from './errors.js';
import { deriveAutoId } from './identifier.js';
import { encodeCertificateAction } from './scale.js';
import { verifyX509Signature } from './signature.js';
import type {
  AutoId,
  AutoIdEvent,
  CertificateAction,
  Identifier,
  RegisterAutoId,
  RenewAutoId,
  Signature,
  TbsCertificate,
  Validity,
  X509Certificate,
} from './types.js';
import { decodeTbs, extractTbs } from './x509.js';

/** Verifies a signature as the pallet's `verify_signature` host function: (SPKI, AlgorithmIdentifier, data, signature). */
export type SignatureVerifier = (
  spki: Uint8Array,
  algorithm: Uint8Array,
  data: Uint8Array,
  signature: Uint8Array,
) => Promise<boolean> | boolean;

/** Options of {@link AutoIdRegistry}. */
export interface AutoIdRegistryOptions {
  /** The signature check (default {@link verifyX509Signature}, WebCrypto). Inject one to test or to use another backend. */
  verifySignature?: SignatureVerifier;
}

/** `now`: the timestamp pallet's time in ms (the pallet tests use 1_719_792_000_000). */
export interface AtTime {
  now: bigint | number;
}

/**
 * Whether an Auto ID, or an identity above it, is revoked or deactivated (our relying-party
 * reading of the pallet's state, see {@link AutoIdRegistry.revocationStatus}).
 */
export type RevocationStatus =
  | { revoked: false }
  | {
      revoked: true;
      /** The Auto ID in the chain whose revocation or deactivation decides (the id itself or an issuer). */
      by: Identifier;
      reason: 'revoked' | 'deactivated';
      /**
       * When it happened (ms), if the call was given a time (`at`); undefined: unknown, which
       * relying parties must treat as "since forever".
       */
      since: bigint | undefined;
    };

/** One level of an identity's chain, from the identity up to its root. */
export interface ChainLink {
  id: Identifier;
  certificate: X509Certificate;
  /** True when this Auto ID was deactivated (the registry keeps its last certificate for verification). */
  deactivated: boolean;
}

interface Stored {
  issuerId: Identifier | undefined;
  serial: bigint;
  subjectCommonName: Uint8Array;
  subjectPublicKeyInfo: Uint8Array;
  validity: Validity;
  raw: Uint8Array;
  issuedSerials: Set<bigint>;
  nonce: bigint;
}

const validAt = (v: Validity, now: bigint) => v.notBefore <= now && now <= v.notAfter;
const key = (id: Identifier) => bytesToHex(id);
const hexToId = (k: string) => hexToBytes(k);
const cloneStored = (c: Stored): Stored => ({ ...c, issuedSerials: new Set(c.issuedSerials) });

/**
 * The Auto ID pallet as an in-memory model.
 *
 * @example
 * const registry = new AutoIdRegistry();
 * const now = 1_719_792_000_000n;
 * const issuerId = await registry.registerAutoId(decodeRegisterAutoId(issuerParams), { now });
 * await registry.registerAutoId(decodeRegisterAutoId(leafParams), { now });
 * await registry.revokeCertificate(leafId, decodeSignature(leafRevocation));
 * registry.isRevoked(leafId) // true
 */
export class AutoIdRegistry {
  private readonly autoIds = new Map<string, Stored>();
  private readonly crl = new Map<string, Set<bigint>>();
  // Not pallet state: when serials entered a list and when Auto IDs were deactivated (with their
  // last certificate), so signatures made before a revocation can still be judged (provenance).
  private readonly revokedAt = new Map<string, bigint>();
  private readonly deactivated = new Map<string, { at: bigint | undefined; entry: Stored }>();
  private readonly verifier: SignatureVerifier;
  /** Every event deposited so far, in order. */
  readonly events: AutoIdEvent[] = [];

  constructor(opts: AutoIdRegistryOptions = {}) {
    this.verifier = opts.verifySignature ?? verifyX509Signature;
  }

  /**
   * `register_auto_id`: a self-signed root, or a leaf signed by a registered issuer. Resolves the
   * new Auto ID; rejects with the pallet's error (UnknownIssuer, ExpiredCertificate,
   * InvalidCertificate, InvalidSignature, CertificateRevoked, CertificateSerialAlreadyIssued,
   * AutoIdIdentifierAlreadyExists).
   */
  async registerAutoId(req: RegisterAutoId, at: AtTime): Promise<Identifier> {
    const now = au64(at?.now, 'now');
    let cert: Stored;
    let issuerUpdate: Stored | undefined;
    if (req.type === 'Root') {
      const tbs = decode(req.certificate);
      await this.verify(tbs.subjectPublicKeyInfo, req.signatureAlgorithm, req.certificate, req.signature);
      if (!validAt(tbs.validity, now)) palletError('ExpiredCertificate', 'certificate not valid now');
      cert = stored(undefined, tbs, req.certificate, new Set([tbs.serial]), 0n);
    } else if (req.type === 'Leaf') {
      abytes(req.issuerId, 'req.issuerId', IDENTIFIER_SIZE);
      const issuer = this.autoIds.get(key(req.issuerId));
      if (!issuer) return palletError('UnknownIssuer', 'issuer Auto ID not registered');
      if (!validAt(issuer.validity, now))
        palletError('ExpiredCertificate', 'issuer certificate not valid now');
      const tbs = decode(req.certificate);
      await this.verify(issuer.subjectPublicKeyInfo, req.signatureAlgorithm, req.certificate, req.signature);
      if (!validAt(tbs.validity, now)) palletError('ExpiredCertificate', 'certificate not valid now');
      const revoked = this.crl.get(key(req.issuerId));
      if (revoked?.has(issuer.serial) || revoked?.has(tbs.serial))
        palletError('CertificateRevoked', 'issuer or certificate serial in the issuer revocation list');
      if (issuer.issuedSerials.has(tbs.serial))
        palletError('CertificateSerialAlreadyIssued', 'issuer already issued this serial');
      issuerUpdate = cloneStored(issuer);
      issuerUpdate.issuedSerials.add(tbs.serial);
      cert = stored(req.issuerId.slice(), tbs, req.certificate, new Set([tbs.serial]), 0n);
    } else {
      return invalidRequest();
    }
    const id = deriveAutoId(cert.subjectCommonName, cert.issuerId);
    // The pallet stores the issuer before this check; the failing extrinsic reverts it.
    if (this.autoIds.has(key(id)))
      palletError('AutoIdIdentifierAlreadyExists', `Auto ID ${bytesToHex(id)} already exists`);
    if (issuerUpdate && req.type === 'Leaf') this.autoIds.set(key(req.issuerId), issuerUpdate);
    this.autoIds.set(key(id), cert);
    this.events.push({ type: 'NewAutoIdRegistered', id });
    return id.slice();
  }

  /**
   * `renew_auto_id`: a new certificate for an existing Auto ID, same key and same derived
   * identifier; the old serial goes to the revocation list of the issuer (a root: its own).
   */
  async renewAutoId(id: Identifier, req: RenewAutoId, at: AtTime): Promise<void> {
    abytes(id, 'id', IDENTIFIER_SIZE);
    const now = au64(at?.now, 'now');
    const current = this.autoIds.get(key(id));
    if (!current) return palletError('UnknownAutoId', 'Auto ID not registered');
    const tbs = decode(req.certificate);
    let signerSpki: Uint8Array;
    let issuerUpdate: Stored | undefined;
    let crlKey: string;
    if (req.issuerId === undefined) {
      crlKey = key(id);
      signerSpki = current.subjectPublicKeyInfo;
    } else {
      abytes(req.issuerId, 'req.issuerId', IDENTIFIER_SIZE);
      crlKey = key(req.issuerId);
      const issuer = this.autoIds.get(crlKey);
      if (!issuer) return palletError('UnknownIssuer', 'issuer Auto ID not registered');
      if (!validAt(issuer.validity, now))
        palletError('ExpiredCertificate', 'issuer certificate not valid now');
      const revoked = this.crl.get(crlKey);
      if (revoked?.has(issuer.serial) || revoked?.has(tbs.serial))
        palletError('CertificateRevoked', 'issuer or new serial in the issuer revocation list');
      if (issuer.issuedSerials.has(tbs.serial))
        palletError('CertificateSerialAlreadyIssued', 'issuer already issued this serial');
      issuerUpdate = cloneStored(issuer);
      issuerUpdate.issuedSerials.add(tbs.serial);
      signerSpki = issuer.subjectPublicKeyInfo;
    }
    await this.verify(signerSpki, req.signatureAlgorithm, req.certificate, req.signature);
    if (!validAt(tbs.validity, now)) palletError('ExpiredCertificate', 'new certificate not valid now');
    if (!equal(current.subjectPublicKeyInfo, tbs.subjectPublicKeyInfo))
      palletError('PublicKeyMismatch', 'renewal cannot change the key');
    if (!equal(deriveAutoId(tbs.subjectCommonName, req.issuerId), id))
      palletError('AutoIdIdentifierMismatch', 'new certificate derives another Auto ID');
    // Commit. For a root renewing itself the CRL key is its own id, and the issuer update is none.
    const crl = new Set(this.crl.get(crlKey));
    crl.add(current.serial);
    this.crl.set(crlKey, crl);
    this.noteRevoked(crlKey, current.serial, now);
    if (issuerUpdate && req.issuerId) this.autoIds.set(crlKey, issuerUpdate);
    const renewed = stored(
      req.issuerId?.slice(),
      tbs,
      req.certificate,
      new Set(current.issuedSerials),
      current.nonce,
    );
    this.autoIds.set(key(id), renewed);
    this.events.push({ type: 'AutoIdRenewed', id: id.slice() });
  }

  /**
   * `revoke_certificate`: the issuer (a leaf's issuer; a root itself) signs
   * `CertificateAction { id, nonce: issuer nonce, RevokeCertificate }`; the target's serial goes to
   * the issuer's revocation list and the issuer's nonce increases. The Auto ID is not removed.
   */
  async revokeCertificate(id: Identifier, signature: Signature, at?: AtTime): Promise<void> {
    abytes(id, 'id', IDENTIFIER_SIZE);
    const now = at === undefined ? undefined : au64(at.now, 'now');
    const target = this.autoIds.get(key(id));
    if (!target) return palletError('UnknownAutoId', 'Auto ID not registered');
    const issuerKey = target.issuerId ? key(target.issuerId) : key(id);
    const issuer = target.issuerId ? this.autoIds.get(issuerKey) : target;
    if (!issuer) return palletError('UnknownIssuer', 'issuer Auto ID no longer registered');
    const revoked = this.crl.get(issuerKey);
    if (revoked?.has(target.serial) || revoked?.has(issuer.serial))
      palletError('CertificateAlreadyRevoked', 'certificate or its issuer already revoked');
    const action = encodeCertificateAction({ id, nonce: issuer.nonce, actionType: 'RevokeCertificate' });
    await this.verify(issuer.subjectPublicKeyInfo, signature?.signatureAlgorithm, action, signature?.value);
    if (issuer.nonce === U256_MAX) palletError('NonceOverflow', 'issuer nonce at U256::MAX');
    const crl = new Set(revoked);
    crl.add(target.serial);
    this.crl.set(issuerKey, crl);
    this.noteRevoked(issuerKey, target.serial, now);
    const updated = cloneStored(issuer);
    updated.nonce += 1n;
    this.autoIds.set(issuerKey, updated);
    this.events.push({ type: 'CertificateRevoked', id: id.slice() });
  }

  /**
   * `deactivate_auto_id`: the Auto ID's own key signs `CertificateAction { id, nonce: own nonce,
   * DeactivateAutoId }`; the entry is removed (its leaves stay, orphaned). A missing id is
   * `UnknownIssuer`, as in the pallet. `at` (optional, not pallet state) records when, for
   * {@link revocationStatus}.
   */
  async deactivateAutoId(id: Identifier, signature: Signature, at?: AtTime): Promise<void> {
    abytes(id, 'id', IDENTIFIER_SIZE);
    const now = at === undefined ? undefined : au64(at.now, 'now');
    const target = this.autoIds.get(key(id));
    if (!target) return palletError('UnknownIssuer', 'Auto ID not registered');
    const action = encodeCertificateAction({ id, nonce: target.nonce, actionType: 'DeactivateAutoId' });
    await this.verify(target.subjectPublicKeyInfo, signature?.signatureAlgorithm, action, signature?.value);
    this.autoIds.delete(key(id));
    this.deactivated.set(key(id), { at: now, entry: target });
    this.events.push({ type: 'AutoIdDeactivated', id: id.slice() });
  }

  /** The stored `AutoId` (a copy), or undefined. @example registry.getAutoId(id)?.certificate.nonce */
  getAutoId(id: Identifier): AutoId | undefined {
    abytes(id, 'id', IDENTIFIER_SIZE);
    const c = this.autoIds.get(key(id));
    return c ? { certificate: toX509(c) } : undefined;
  }

  /** `CertificateRevocationList[issuerId]`, ascending, or undefined. @example registry.getRevocationList(issuerId) */
  getRevocationList(issuerId: Identifier): bigint[] | undefined {
    abytes(issuerId, 'issuerId', IDENTIFIER_SIZE);
    const s = this.crl.get(key(issuerId));
    return s ? sortSerials(s) : undefined;
  }

  /** The registered Auto IDs. @example [...registry.ids()].length */
  *ids(): IterableIterator<Identifier> {
    for (const [, c] of this.autoIds) yield deriveAutoId(c.subjectCommonName, c.issuerId);
  }

  /**
   * The payload the signer of a revocation of `id` must sign now (the issuer's current nonce).
   * @example const payload = encodeCertificateAction(registry.revocationAction(leafId))
   */
  revocationAction(id: Identifier): CertificateAction {
    abytes(id, 'id', IDENTIFIER_SIZE);
    const target = this.autoIds.get(key(id));
    if (!target) return palletError('UnknownAutoId', 'Auto ID not registered');
    const issuer = target.issuerId ? this.autoIds.get(key(target.issuerId)) : target;
    if (!issuer) return palletError('UnknownIssuer', 'issuer Auto ID no longer registered');
    return { id: id.slice(), nonce: issuer.nonce, actionType: 'RevokeCertificate' };
  }

  /** The payload the Auto ID's own key must sign to deactivate it. @example registry.deactivationAction(id) */
  deactivationAction(id: Identifier): CertificateAction {
    abytes(id, 'id', IDENTIFIER_SIZE);
    const target = this.autoIds.get(key(id));
    if (!target) return palletError('UnknownIssuer', 'Auto ID not registered');
    return { id: id.slice(), nonce: target.nonce, actionType: 'DeactivateAutoId' };
  }

  /**
   * What a relying party checks (the pallet does not remove revoked Auto IDs): true when the
   * current serial of `id` or of any issuer above it is in the revocation list of its issuer (a
   * root: its own), or when an issuer up the chain is no longer registered (deactivated). False for
   * an unknown id (nothing to revoke).
   *
   * @example registry.isRevoked(leafId)
   */
  isRevoked(id: Identifier): boolean {
    abytes(id, 'id', IDENTIFIER_SIZE);
    let c = this.autoIds.get(key(id));
    if (!c) return false;
    let selfKey = key(id);
    for (let depth = 0; c && depth < 64; depth++) {
      const issuerKey: string = c.issuerId ? key(c.issuerId) : selfKey;
      if (this.crl.get(issuerKey)?.has(c.serial)) return true;
      if (!c.issuerId) return false;
      const issuer = this.autoIds.get(issuerKey);
      if (!issuer) return true;
      if (this.crl.get(issuerKey)?.has(issuer.serial)) return true;
      selfKey = issuerKey;
      c = issuer;
    }
    return true;
  }

  /**
   * Our relying-party reading of revocation, with times: walks from `id` up to its root and
   * reports the earliest of: a certificate's current serial in its issuer's list (a root: its own),
   * an issuer's serial in its own list, a deactivated identity (the id itself or an issuer). `since`
   * is the time given to the call that did it (`at` of revoke/deactivate, `now` of a renewal);
   * unknown times sort first. Undefined for an id the registry never held.
   *
   * @example
   * const s = registry.revocationStatus(agentId);
   * if (s?.revoked) console.log(s.reason, s.since);
   */
  revocationStatus(id: Identifier): RevocationStatus | undefined {
    abytes(id, 'id', IDENTIFIER_SIZE);
    const chain = this.chainOf(id);
    if (!chain) return undefined;
    let best: RevocationStatus = { revoked: false };
    const consider = (by: string, reason: 'revoked' | 'deactivated', since: bigint | undefined) => {
      if (!best.revoked || (best.since !== undefined && (since === undefined || since < best.since)))
        best = { revoked: true, by: hexToId(by), reason, since };
    };
    for (let i = 0; i < chain.length; i++) {
      const link = chain[i]!;
      const k = key(link.id);
      const c = link.certificate;
      if (link.deactivated) consider(k, 'deactivated', this.deactivated.get(k)?.at);
      const issuerKey = c.issuerId ? key(c.issuerId) : k;
      if (this.crl.get(issuerKey)?.has(c.serial))
        consider(k, 'revoked', this.revokedAt.get(`${issuerKey}:${c.serial.toString(16)}`));
      if (this.crl.get(k)?.has(c.serial) && issuerKey !== k)
        consider(k, 'revoked', this.revokedAt.get(`${k}:${c.serial.toString(16)}`));
      if (c.issuerId && i === chain.length - 1) consider(issuerKey, 'deactivated', undefined); // issuer gone
    }
    return best;
  }

  /**
   * The chain of `id`: its certificate, then its issuer's, up to a root (at most 64 levels). A
   * deactivated identity appears with its last certificate and `deactivated: true`; an issuer the
   * registry never saw ends the chain early (the last link then has an `issuerId`). Undefined for
   * an unknown id.
   *
   * @example registry.chainOf(agentId)?.map((l) => bytesToHex(l.id))
   */
  chainOf(id: Identifier): ChainLink[] | undefined {
    abytes(id, 'id', IDENTIFIER_SIZE);
    const out: ChainLink[] = [];
    let k = key(id);
    for (let depth = 0; depth < 64; depth++) {
      const live = this.autoIds.get(k);
      const entry = live ?? this.deactivated.get(k)?.entry;
      if (!entry) return depth === 0 ? undefined : out;
      out.push({ id: hexToId(k), certificate: toX509(entry), deactivated: !live });
      if (!entry.issuerId) return out;
      k = key(entry.issuerId);
    }
    return out;
  }

  private noteRevoked(issuerKey: string, serial: bigint, now: bigint | undefined): void {
    const k = `${issuerKey}:${serial.toString(16)}`;
    if (now !== undefined && !this.revokedAt.has(k)) this.revokedAt.set(k, now);
  }

  private async verify(spki: Uint8Array, alg: unknown, data: Uint8Array, sig: unknown): Promise<void> {
    abytes(alg, 'signatureAlgorithm');
    abytes(sig, 'signature');
    let ok = false;
    try {
      ok = await this.verifier(spki, alg, data, sig);
    } catch (e) {
      // The host function answers None to an unparsable key or algorithm: InvalidSignature.
      if (!(e instanceof AutoIdError)) throw e;
    }
    if (!ok) palletError('InvalidSignature', 'signature does not verify');
  }
}

function decode(tbs: Uint8Array): TbsCertificate {
  abytes(tbs, 'req.certificate');
  try {
    return decodeTbs(tbs);
  } catch (e) {
    if (e instanceof AutoIdError) return palletError('InvalidCertificate', e.message);
    throw e;
  }
}

function invalidRequest(): never {
  throw new AutoIdError({
    code: 'AUTO_ID_INVALID_ARGUMENT',
    what: 'req.type',
    reason: "expected 'Root' or 'Leaf'",
  });
}

function stored(
  issuerId: Identifier | undefined,
  tbs: TbsCertificate,
  raw: Uint8Array,
  issuedSerials: Set<bigint>,
  nonce: bigint,
): Stored {
  return {
    issuerId,
    serial: tbs.serial,
    subjectCommonName: tbs.subjectCommonName,
    subjectPublicKeyInfo: tbs.subjectPublicKeyInfo,
    validity: { ...tbs.validity },
    raw: raw.slice(),
    issuedSerials,
    nonce,
  };
}

function toX509(c: Stored): X509Certificate {
  return {
    issuerId: c.issuerId?.slice(),
    serial: c.serial,
    subjectCommonName: c.subjectCommonName.slice(),
    subjectPublicKeyInfo: c.subjectPublicKeyInfo.slice(),
    validity: { ...c.validity },
    raw: c.raw.slice(),
    issuedSerials: sortSerials(c.issuedSerials),
    nonce: c.nonce,
  };
}

const sortSerials = (s: Iterable<bigint>) => [...s].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The `register_auto_id` request for a DER certificate: its TBS, outer algorithm and signature,
 * as a root (no `issuerId`) or as a leaf of `issuerId`.
 *
 * @example
 * await registry.registerAutoId(registrationFromCertificate(leafDer, issuerId), { now })
 */
export function registrationFromCertificate(certificate: Uint8Array, issuerId?: Identifier): RegisterAutoId {
  const { tbs, signatureAlgorithm, signature } = extractTbs(certificate);
  if (issuerId === undefined) return { type: 'Root', certificate: tbs, signatureAlgorithm, signature };
  abytes(issuerId, 'issuerId', IDENTIFIER_SIZE);
  return { type: 'Leaf', issuerId: issuerId.slice(), certificate: tbs, signatureAlgorithm, signature };
}

/**
 * The `renew_auto_id` request for a renewed DER certificate (`issuerId` undefined for a root).
 * @example await registry.renewAutoId(id, renewalFromCertificate(newDer, issuerId), { now })
 */
export function renewalFromCertificate(certificate: Uint8Array, issuerId?: Identifier): RenewAutoId {
  const { tbs, signatureAlgorithm, signature } = extractTbs(certificate);
  if (issuerId !== undefined) abytes(issuerId, 'issuerId', IDENTIFIER_SIZE);
  return { issuerId: issuerId?.slice(), certificate: tbs, signatureAlgorithm, signature };
}

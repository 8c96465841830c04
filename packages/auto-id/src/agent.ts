/**
 * Agent identities and delegated permissions (our design on the whitepaper's agent identity,
 * identity.md §3). An agent's Auto ID is a leaf certificate its creator issues: the pallet derives
 * it from the creator's, `blake2b_256(creator_id ‖ agent CN)`, and registers it like any leaf, so
 * the chain agent -> creator -> ... -> root is the pallet's issuer chain. What the agent may do is
 * a delegation: a VC 2.0 credential of type `AutoIdDelegation` signed by the creator (or any
 * identity above the agent in its chain), whose subject is the agent's DID with
 * `permissions` (scope strings), optional `purpose`/`capabilities`, `validFrom`/`validUntil`,
 * and a `credentialStatus` of type `AutoIdStatus` naming the agent.
 *
 * Permission strings are `segment(:segment)*` (letters, digits, `_ - . /`), at most 256
 * characters; a granted `prefix:*` covers every permission below `prefix`, and `*` covers all.
 *
 * Revocation, at every level: revoking (or deactivating) the agent, the creator or any identity up
 * to the root on chain breaks the delegation; a delegation alone is withdrawn by revoking the agent
 * certificate or by letting `validUntil` pass, or locally through `revokedDelegations` (ids of
 * delegation credentials the verifier knows withdrawn). Key usage and basicConstraints are not
 * judged here either: authority comes from the registry's issuer chain, as in the pallet.
 */
import { bytesToHex } from '@autonomys/primitives';
import { au64 } from './assert.js';
import {
  createCsr,
  generateKeyPair,
  issueCertificate,
  type KeyAlgorithm,
  type ValidityOptions,
} from './certificates.js';
import { autoIdFromDid, didFromAutoId } from './did.js';
import { fail } from './errors.js';
import { deriveAutoId } from './identifier.js';
import { type ChainLink, registrationFromCertificate } from './registry.js';
import { checkChain } from './trust.js';
import type { Identifier, ParsedCertificate, RegisterAutoId } from './types.js';
import {
  AUTO_ID_CONTEXT,
  AUTO_ID_STATUS_TYPE,
  type AutoIdSigner,
  createPresentation,
  issueCredential,
  type Presentation,
  type SecuredCredential,
  VC_CONTEXT_V2,
  type VerifiedCredential,
  type VerifyOptions,
  verifyCredential,
  verifyPresentation,
  xsdDateTime,
} from './vc.js';

/** The credential type of a delegation. */
export const DELEGATION_TYPE = 'AutoIdDelegation';
/** Longest permission string. */
export const MAX_PERMISSION_LENGTH = 256;
/** Most permissions in one delegation. */
export const MAX_PERMISSIONS = 256;

const PERMISSION = /^(\*|[A-Za-z0-9_.\-/]+(:[A-Za-z0-9_.\-/]+)*(:\*)?)$/;

/** Throws AUTO_ID_INVALID_ARGUMENT unless `p` is a permission string (grants may end in `:*`). */
export function checkPermission(p: unknown, what = 'permission'): string {
  if (typeof p !== 'string' || p.length === 0 || p.length > MAX_PERMISSION_LENGTH || !PERMISSION.test(p))
    return fail({
      code: 'AUTO_ID_INVALID_ARGUMENT',
      what,
      reason: 'expected segment(:segment)* (grants may end in :* or be *)',
    });
  return p;
}

/**
 * True when a granted permission covers a requested one: equal, `*`, or `prefix:*` with the
 * request below `prefix`.
 *
 * @example permits(['calendar:*'], 'calendar:edit') // true
 */
export function permits(granted: readonly string[], requested: string): boolean {
  return granted.some(
    (g) =>
      g === requested ||
      g === '*' ||
      (g.endsWith(':*') && requested.startsWith(g.slice(0, -1)) && requested.length > g.length - 1),
  );
}

/** A new agent identity: its keys, its certificate issued by the creator, and its registration. */
export interface AgentIdentity {
  id: Identifier;
  keys: CryptoKeyPair;
  certificate: ParsedCertificate;
  /** The `register_auto_id` request (a leaf under the creator). */
  registration: RegisterAutoId;
}

/**
 * Creates an agent's keys and certificate, issued by its creator (a registered Auto ID): the
 * agent's Auto ID is the pallet's leaf derivation from the creator's. Register `registration`
 * (with the registry or on chain) before relying on it.
 *
 * @example
 * const agent = await createAgentIdentity({ creator: { id: aliceId, certificate: alice.der, privateKey }, name: 'Alice booking agent' });
 * await registry.registerAutoId(agent.registration, { now });
 */
export async function createAgentIdentity(
  opts: {
    creator: { id: Identifier; certificate: Uint8Array | string; privateKey: CryptoKey };
    name: string;
    algorithm?: KeyAlgorithm;
    keys?: CryptoKeyPair;
  } & ValidityOptions,
): Promise<AgentIdentity> {
  const keys = opts.keys ?? (await generateKeyPair(opts.algorithm ?? 'Ed25519'));
  const csr = await createCsr({ commonName: opts.name, keys });
  const { creator, name: _n, algorithm: _a, keys: _k, ...validity } = opts;
  const certificate = await issueCertificate({
    csr,
    issuer: { certificate: creator.certificate, privateKey: creator.privateKey },
    issuerAutoId: creator.id,
    ...validity,
  });
  return {
    id: deriveAutoId(certificate.subjectCommonName, creator.id),
    keys,
    certificate,
    registration: registrationFromCertificate(certificate.der, creator.id),
  };
}

/**
 * A delegation credential: `delegator` (the creator, or an identity above the agent) grants
 * `permissions` to `agent` from `validFrom` until `validUntil`.
 *
 * @example
 * const delegation = await issueDelegation({
 *   delegator: { id: aliceId, privateKey: aliceKeys.privateKey }, agent: agent.id,
 *   permissions: ['calendar:edit', 'booking:*'], validUntil: new Date(Date.now() + 86_400_000),
 * });
 */
export async function issueDelegation(opts: {
  delegator: AutoIdSigner;
  agent: Identifier;
  permissions: readonly string[];
  validFrom?: Date;
  validUntil: Date;
  purpose?: string;
  capabilities?: readonly string[];
  id?: string;
}): Promise<SecuredCredential> {
  if (
    !Array.isArray(opts.permissions) ||
    opts.permissions.length === 0 ||
    opts.permissions.length > MAX_PERMISSIONS
  )
    fail({
      code: 'AUTO_ID_INVALID_ARGUMENT',
      what: 'permissions',
      reason: `1 to ${MAX_PERMISSIONS} permission strings`,
    });
  for (const [i, p] of opts.permissions.entries()) checkPermission(p, `permissions[${i}]`);
  const agentDid = didFromAutoId(opts.agent);
  const subject: Record<string, unknown> = { id: agentDid, permissions: [...opts.permissions] };
  if (opts.purpose !== undefined) subject.purpose = opts.purpose;
  if (opts.capabilities !== undefined) subject.capabilities = [...opts.capabilities];
  const credential = {
    '@context': [VC_CONTEXT_V2, AUTO_ID_CONTEXT],
    type: ['VerifiableCredential', DELEGATION_TYPE],
    ...(opts.id === undefined ? {} : { id: opts.id }),
    validFrom: xsdDateTime(opts.validFrom ?? new Date()),
    validUntil: xsdDateTime(opts.validUntil),
    credentialSubject: subject,
    credentialStatus: { id: agentDid, type: AUTO_ID_STATUS_TYPE },
  };
  return issueCredential({ credential, issuer: opts.delegator });
}

/** What {@link verifyDelegation} returns. */
export interface VerifiedDelegation extends VerifiedCredential {
  agent: Identifier;
  delegator: Identifier;
  permissions: string[];
  /** The agent's chain, the agent first, its root last. */
  chain: ChainLink[];
}

/** Options of delegation checks. */
export interface DelegationCheck extends VerifyOptions {
  /** The permission asked for; AUTO_ID_PERMISSION_DENIED unless the delegation grants it. */
  permission?: string;
  /** Ids of delegation credentials known to be withdrawn. */
  revokedDelegations?: ReadonlySet<string>;
}

/**
 * Verifies a delegation: the credential (signature, delegator chain, validity, status), that its
 * subject is a registered agent whose chain (agent -> creator -> root) is valid and unrevoked at
 * every level at `now`, that the delegator is the agent's issuer or above it, and, with
 * `permission`, that it is granted.
 *
 * @example await verifyDelegation(delegation, { registry, now, permission: 'calendar:edit' })
 */
export async function verifyDelegation(
  delegation: unknown,
  opts: DelegationCheck,
): Promise<VerifiedDelegation> {
  const now = au64(opts.now ?? Date.now(), 'now');
  const verified = await verifyCredential(delegation, { ...opts, now });
  const c = verified.credential;
  if (!c.type.includes(DELEGATION_TYPE))
    fail({ code: 'AUTO_ID_INVALID_CREDENTIAL', reason: `not an ${DELEGATION_TYPE}` });
  const subject = c.credentialSubject;
  if (Array.isArray(subject) || typeof subject.id !== 'string')
    return fail({
      code: 'AUTO_ID_INVALID_CREDENTIAL',
      reason: 'a delegation has one subject with a did:autoid id',
    });
  const perms = subject.permissions;
  if (!Array.isArray(perms) || perms.length === 0 || perms.length > MAX_PERMISSIONS)
    return fail({ code: 'AUTO_ID_INVALID_CREDENTIAL', reason: 'permissions must be a non-empty array' });
  try {
    for (const [i, p] of perms.entries()) checkPermission(p, `permissions[${i}]`);
  } catch (e) {
    return fail({ code: 'AUTO_ID_INVALID_CREDENTIAL', reason: (e as Error).message });
  }
  if (c.id !== undefined && opts.revokedDelegations?.has(c.id))
    fail({ code: 'AUTO_ID_REVOKED', id: c.id, reason: 'delegation withdrawn' });
  const agent = autoIdFromDid(subject.id);
  const chain = checkChain(opts.registry, agent, { at: now });
  const issuerHex = bytesToHex(verified.issuer);
  if (!chain.slice(1).some((l) => bytesToHex(l.id) === issuerHex))
    fail({
      code: 'AUTO_ID_PERMISSION_DENIED',
      permission: opts.permission ?? '*',
      reason: 'the delegator is not above the agent in its chain',
    });
  const permissions = perms as string[];
  if (opts.permission !== undefined) {
    checkPermission(opts.permission);
    if (opts.permission.endsWith('*') || !permits(permissions, opts.permission))
      fail({
        code: 'AUTO_ID_PERMISSION_DENIED',
        permission: opts.permission,
        reason: `granted: ${permissions.join(', ')}`,
      });
  }
  return { ...verified, agent, delegator: verified.issuer, permissions, chain };
}

/**
 * The agent proves it holds a delegation: a presentation of it signed by the agent's key over a
 * verifier's `challenge`.
 *
 * @example const vp = await presentDelegation({ agent: { id: agent.id, privateKey: agent.keys.privateKey }, delegation, challenge });
 */
export function presentDelegation(opts: {
  agent: AutoIdSigner;
  delegation: SecuredCredential;
  challenge: string;
  domain?: string;
}): Promise<Presentation | string> {
  const p: Parameters<typeof createPresentation>[0] = {
    holder: opts.agent,
    credentials: [opts.delegation],
    challenge: opts.challenge,
  };
  if (opts.domain !== undefined) p.domain = opts.domain;
  return createPresentation(p);
}

/**
 * Verifies an agent's presentation of its delegation and the permission asked for: the agent
 * signed the challenge, the delegation holds (see {@link verifyDelegation}) and names the
 * presenting agent.
 *
 * @example
 * const { agent, permissions } = await verifyAgentAuthorization(vp, { registry, challenge, permission: 'booking:hotel' });
 */
export async function verifyAgentAuthorization(
  presentation: unknown,
  opts: DelegationCheck & { challenge: string; domain?: string; permission: string },
): Promise<VerifiedDelegation> {
  const now = au64(opts.now ?? Date.now(), 'now');
  const vp = await verifyPresentation(presentation, { ...opts, now });
  const list = vp.presentation.verifiableCredential;
  if (list.length !== 1)
    fail({
      code: 'AUTO_ID_INVALID_CREDENTIAL',
      reason: 'an agent authorization presents exactly one delegation',
    });
  const d = await verifyDelegation(list[0], { ...opts, now });
  if (bytesToHex(d.agent) !== bytesToHex(vp.holder))
    fail({
      code: 'AUTO_ID_PERMISSION_DENIED',
      permission: opts.permission,
      reason: 'the presenter is not the delegated agent',
    });
  return d;
}

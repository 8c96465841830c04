/**
 * zkTLS account proofs: verification of Reclaim Protocol signed proofs against configured witness
 * (attestor) addresses, offline. Format, from Reclaim's documented proof object and attestor code:
 *
 *   claimData = { provider, parameters, owner, timestampS, context, identifier, epoch }
 *   identifier = keccak256(utf8(provider + "\n" + parameters + "\n" + context)), lowercase 0x-hex
 *   signed    = identifier + "\n" + lowercase(owner) + "\n" + timestampS + "\n" + epoch
 *   signature = an Ethereum personal_sign (EIP-191) secp256k1 signature of `signed` by a witness,
 *               65 bytes r ‖ s ‖ v, v in {27, 28} (or {0, 1})
 *
 * `context` is JSON `{ contextAddress, contextMessage, extractedParameters, providerHash }`; it is
 * covered by the identifier, so its extracted parameters are signed, unlike the proof's top-level
 * `extractedParameterValues`, which we ignore. As in auto-sdk, `contextMessage` is JSON carrying
 * the `claimHash` (a claim-type hash); we add `autoId` (64 hex) to bind a proof to one Auto ID.
 */
import { bytesToHex } from '@autonomys/primitives';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { type Claim, claimTypeHash, nullifier } from './claims.js';
import {
  ETH_ADDRESS_SIZE,
  HASH_SIZE,
  MAX_WITNESS_SIGNATURES,
  RECOVERABLE_SIGNATURE_SIZE,
} from './constants.js';
import { AutoScoreError, invalidArgument, malformed, oversized } from './errors.js';
import { auint, equal, hex0x, phex, pobject, pstring, utf8 } from './util.js';
import type { ClaimVerifier, Evidence, VerifyContext } from './verifier.js';

/** Reclaim's `ProviderClaimData`. */
export interface ReclaimClaimData {
  provider: string;
  parameters: string;
  owner: string;
  timestampS: number;
  context: string;
  identifier: string;
  epoch: number;
}

/** Reclaim's `Proof` object (as `@reclaimprotocol/js-sdk` returns it). */
export interface ReclaimProof {
  identifier: string;
  claimData: ReclaimClaimData;
  signatures: string[];
  witnesses?: { id: string; url: string }[];
  extractedParameterValues?: unknown;
  publicData?: unknown;
}

/** One accepted Reclaim provider and how its proofs become claims. */
export interface ReclaimProviderConfig {
  /** `providerHash` in the proof's context (0x-hex, 32 bytes): which provider definition was run. */
  providerHash: string;
  /** The claim-type name the provider proves (e.g. `GithubUsername`); its hash must be the context's `claimHash`. */
  claimType: string;
  /** The serviceId of the nullifier (default: `claimType`). */
  serviceId?: string;
  /** The signed extracted parameter that names the account (`username`, `email`, `uid`). */
  subjectParameter: string;
  /** `claimData.provider` (default `http`). */
  provider?: string;
}

export interface ReclaimVerifierOptions {
  /** Witness (attestor) Ethereum addresses whose signatures count, 0x-hex. */
  witnesses: readonly string[];
  /** Distinct configured witnesses that must have signed (default 1). */
  minWitnesses?: number;
  /** The providers accepted. */
  providers: readonly ReclaimProviderConfig[];
  /** How long a proof counts after its `timestampS` (default 365 days). */
  maxAgeMs?: number;
  /** Tolerance for a `timestampS` in the future (default 5 minutes). */
  maxClockSkewMs?: number;
  /**
   * Require `contextMessage.autoId` to equal the claim's subject (default true). Proofs made with
   * the old SDK have no binding and are only accepted with `false` — then anyone holding the
   * proof could present it for any Auto ID, and only the nullifier registry limits the damage.
   */
  requireAutoIdBinding?: boolean;
}

const DAY_MS = 86_400_000;

/** Reclaim's claim identifier: keccak256(provider \n parameters \n context), lowercase 0x-hex. */
export function reclaimClaimIdentifier(info: {
  provider: string;
  parameters: string;
  context: string;
}): string {
  return hex0x(keccak_256(utf8(`${info.provider}\n${info.parameters}\n${info.context}`)));
}

/** The string a witness signs for a claim. */
export function reclaimSignData(
  claim: Omit<ReclaimClaimData, 'provider' | 'parameters' | 'context'>,
): string {
  return [
    claim.identifier.toLowerCase(),
    claim.owner.toLowerCase(),
    String(claim.timestampS),
    String(claim.epoch),
  ].join('\n');
}

/** keccak256 of an EIP-191 `personal_sign` message. */
export function ethMessageHash(message: Uint8Array): Uint8Array {
  const prefix = utf8(`\x19Ethereum Signed Message:\n${message.length}`);
  const buf = new Uint8Array(prefix.length + message.length);
  buf.set(prefix);
  buf.set(message, prefix.length);
  return keccak_256(buf);
}

/** The Ethereum address of a secp256k1 public key (compressed or not). */
export function ethAddress(publicKey: Uint8Array): Uint8Array {
  const p = secp256k1.Point.fromBytes(publicKey).toBytes(false);
  return keccak_256(p.subarray(1)).subarray(HASH_SIZE - ETH_ADDRESS_SIZE);
}

/**
 * Recovers the signer address of a 65-byte `r ‖ s ‖ v` signature over `hash`. Throws
 * `AUTO_SCORE_INVALID_SIGNATURE` for a signature that recovers nothing or has a high `s`.
 */
export function recoverEthAddress(signature: Uint8Array, hash: Uint8Array): Uint8Array {
  if (signature.length !== RECOVERABLE_SIGNATURE_SIZE)
    malformed('signature', `expected ${RECOVERABLE_SIGNATURE_SIZE} bytes, got ${signature.length}`);
  let v = signature[64]!;
  if (v >= 27) v -= 27;
  if (v !== 0 && v !== 1) malformed('signature', `bad recovery byte ${signature[64]}`);
  const rec = new Uint8Array(RECOVERABLE_SIGNATURE_SIZE);
  rec[0] = v;
  rec.set(signature.subarray(0, 64), 1);
  try {
    const sig = secp256k1.Signature.fromBytes(rec, 'recovered');
    if (sig.hasHighS()) throw new Error('high s');
    return ethAddress(sig.recoverPublicKey(hash).toBytes(true));
  } catch {
    throw new AutoScoreError({ code: 'AUTO_SCORE_INVALID_SIGNATURE', what: 'witness signature' });
  }
}

// Fast path for configured witnesses (our optimisation, same result as recovery): once a witness's
// public key is known (learned from its first recovered signature), a signature is checked with the
// ECDSA equation x(u1·G + u2·Q) = r using wNAF tables of G and Q, about 3x faster than recovery.
const WNAF_WINDOW = 6;
const { Point } = secp256k1;
const Fn = Point.Fn;
let table: InstanceType<typeof Point> | undefined;
function generator(): InstanceType<typeof Point> {
  if (table === undefined) {
    table = Point.fromAffine(Point.BASE.toAffine());
    table.precompute(WNAF_WINDOW, false);
  }
  return table;
}

function bigintOf(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

/**
 * True when `signature` (r ‖ s ‖ v, low s) over `hash` verifies under the precomputed point `q`
 * and its recovery bit is R's y parity, i.e. exactly when recovery would return `q`.
 */
function verifiesWith(q: InstanceType<typeof Point>, signature: Uint8Array, hash: Uint8Array): boolean {
  const v = signature[64]! >= 27 ? signature[64]! - 27 : signature[64]!;
  const r = bigintOf(signature.subarray(0, 32));
  const sv = bigintOf(signature.subarray(32, 64));
  if (r === 0n || sv === 0n || r >= Fn.ORDER || sv > Fn.ORDER >> 1n) return false;
  const w = Fn.inv(sv);
  const u1 = Fn.mul(Fn.create(bigintOf(hash)), w);
  const u2 = Fn.mul(r, w);
  const R = generator().multiplyUnsafe(u1).add(q.multiplyUnsafe(u2));
  if (R.is0()) return false;
  const { x, y } = R.toAffine();
  // r = x(R) here (x < n), so recovery id = y parity; x >= n (id 2, 3) is never accepted (v is 0 or 1).
  return x === r && Number(y & 1n) === v;
}

/** What a Reclaim proof establishes after verification. */
export interface VerifiedReclaimProof {
  identifier: string;
  claimType: string;
  providerHash: string;
  serviceId: string;
  /** The account named by the provider's subject parameter. */
  subjectId: string;
  /** The Auto ID the proof is bound to (`contextMessage.autoId`), if any. */
  autoId: Uint8Array | undefined;
  timestampMs: number;
  witnesses: string[];
  extractedParameters: Record<string, string>;
}

function parseJson(s: string, what: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return malformed(what, 'not JSON');
  }
}

type Prepared = ReturnType<typeof prepare>;

/** Normalizes and checks verifier options once; `learn`: cache witness keys (reused verifiers). */
function prepare(opts: ReclaimVerifierOptions, learn: boolean) {
  if (typeof opts !== 'object' || opts === null) invalidArgument('opts', 'expected an object');
  if (!Array.isArray(opts.witnesses) || opts.witnesses.length === 0)
    invalidArgument('witnesses', 'expected at least one witness address');
  const witnesses = new Set(
    opts.witnesses.map((w) => {
      if (typeof w !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(w))
        invalidArgument('witnesses', `bad address ${w}`);
      return w.toLowerCase();
    }),
  );
  const minWitnesses = opts.minWitnesses ?? 1;
  if (!Number.isSafeInteger(minWitnesses) || minWitnesses < 1 || minWitnesses > witnesses.size)
    invalidArgument('minWitnesses', `expected 1..${witnesses.size}`);
  const providers = new Map<string, Required<ReclaimProviderConfig>>();
  for (const p of opts.providers ?? []) {
    if (typeof p !== 'object' || p === null) invalidArgument('providers', 'expected provider objects');
    if (typeof p.providerHash !== 'string' || !/^0x[0-9a-fA-F]{64}$/.test(p.providerHash))
      invalidArgument('providers.providerHash', 'expected 0x-hex of 32 bytes');
    if (typeof p.subjectParameter !== 'string' || p.subjectParameter.length === 0)
      invalidArgument('providers.subjectParameter', 'expected a parameter name');
    claimTypeHash(p.claimType);
    providers.set(p.providerHash.toLowerCase(), {
      providerHash: p.providerHash.toLowerCase(),
      claimType: p.claimType,
      serviceId: p.serviceId ?? p.claimType,
      subjectParameter: p.subjectParameter,
      provider: p.provider ?? 'http',
    });
  }
  if (providers.size === 0) invalidArgument('providers', 'expected at least one provider');
  const maxAgeMs = opts.maxAgeMs ?? 365 * DAY_MS;
  const maxClockSkewMs = opts.maxClockSkewMs ?? 5 * 60_000;
  auint(maxAgeMs, 'maxAgeMs');
  auint(maxClockSkewMs, 'maxClockSkewMs');
  // Configured witnesses' public keys, learned from recovered signatures, with wNAF tables.
  const known = new Map<string, InstanceType<typeof Point>>();
  const signerOf = (signature: Uint8Array, hash: Uint8Array): Uint8Array => {
    const v = signature[64];
    if (signature.length === RECOVERABLE_SIGNATURE_SIZE && (v === 0 || v === 1 || v === 27 || v === 28))
      for (const [addr, q] of known) if (verifiesWith(q, signature, hash)) return phex(addr, 'address');
    const addr = recoverEthAddress(signature, hash);
    const a = hex0x(addr);
    if (learn && witnesses.has(a) && !known.has(a)) {
      const rec = new Uint8Array(RECOVERABLE_SIGNATURE_SIZE);
      rec[0] = v! >= 27 ? v! - 27 : v!;
      rec.set(signature.subarray(0, 64), 1);
      const q = secp256k1.Signature.fromBytes(rec, 'recovered').recoverPublicKey(hash);
      q.precompute(WNAF_WINDOW, false);
      known.set(a, q);
    }
    return addr;
  };
  return {
    witnesses,
    minWitnesses,
    providers,
    maxAgeMs,
    maxClockSkewMs,
    bind: opts.requireAutoIdBinding ?? true,
    signerOf,
  };
}

/**
 * Verifies a Reclaim proof offline: shape and sizes, the claim identifier recomputed from the
 * provider, parameters and context (it must equal both identifiers carried), at least
 * `minWitnesses` distinct configured witnesses' signatures over the sign data, a configured
 * provider (`providerHash`) whose claim type is the context's `claimHash`, and the signed
 * extracted parameter naming the account. Throws {@link AutoScoreError}. One-shot: a verifier from
 * {@link reclaimVerifier} reused across proofs is faster (it learns the witnesses' keys).
 *
 * @example
 * const r = verifyReclaimProof(proof, { witnesses: ['0x244897…'], providers: [github] });
 */
export function verifyReclaimProof(proof: unknown, opts: ReclaimVerifierOptions): VerifiedReclaimProof {
  return verifyPrepared(proof, prepare(opts, false));
}

/** A Reclaim proof whose identifier and witness signatures have been checked. */
export interface SignedReclaimClaim {
  /** The recomputed claim identifier (lowercase 0x-hex). */
  identifier: string;
  claimData: ReclaimClaimData;
  /** Distinct addresses recovered from the signatures (lowercase 0x-hex), configured or not. */
  signers: string[];
}

/**
 * The format layer of a Reclaim proof: checks its shape and sizes, recomputes the claim identifier
 * (it must equal both identifiers carried) and recovers the signer of each signature. It does not
 * judge the signers, the provider or the context: {@link verifyReclaimProof} does.
 */
export function recoverReclaimSigners(
  proof: unknown,
  signerOf: (signature: Uint8Array, hash: Uint8Array) => Uint8Array = recoverEthAddress,
): SignedReclaimClaim {
  const p = pobject(proof, 'proof');
  const cd = pobject(p.claimData, 'proof.claimData');
  const provider = pstring(cd.provider, 'claimData.provider');
  const parameters = pstring(cd.parameters, 'claimData.parameters');
  const context = pstring(cd.context, 'claimData.context');
  const owner = pstring(cd.owner, 'claimData.owner');
  if (!/^0x[0-9a-fA-F]{40}$/.test(owner)) malformed('claimData.owner', 'expected an address');
  const { timestampS, epoch } = cd;
  if (
    typeof timestampS !== 'number' ||
    !Number.isSafeInteger(timestampS) ||
    timestampS < 0 ||
    timestampS > 2 ** 32
  )
    malformed('claimData.timestampS', 'expected a u32');
  if (typeof epoch !== 'number' || !Number.isSafeInteger(epoch) || epoch < 0 || epoch > 2 ** 32)
    malformed('claimData.epoch', 'expected a u32');
  const carried = [pstring(p.identifier, 'proof.identifier'), pstring(cd.identifier, 'claimData.identifier')];
  for (const id of carried) phex(id, 'identifier', HASH_SIZE);
  if (!Array.isArray(p.signatures) || p.signatures.length === 0)
    malformed('proof.signatures', 'expected signatures');
  if (p.signatures.length > MAX_WITNESS_SIGNATURES)
    oversized('proof.signatures', p.signatures.length, MAX_WITNESS_SIGNATURES);
  const signatures = p.signatures.map((s) => phex(s, 'signature', RECOVERABLE_SIGNATURE_SIZE));

  // Claim identifier: recomputed, never trusted.
  const identifier = reclaimClaimIdentifier({ provider, parameters, context });
  for (const id of carried)
    if (id.toLowerCase() !== identifier)
      throw new AutoScoreError({ code: 'AUTO_SCORE_HASH_MISMATCH', what: 'claim identifier' });

  const hash = ethMessageHash(utf8(reclaimSignData({ identifier, owner, timestampS, epoch })));
  const signers = new Set<string>();
  for (const sig of signatures) signers.add(hex0x(signerOf(sig, hash)));
  return {
    identifier,
    claimData: { provider, parameters, owner, timestampS, context, identifier, epoch },
    signers: [...signers],
  };
}

function verifyPrepared(proof: unknown, o: Prepared): VerifiedReclaimProof {
  const { identifier, claimData, signers: all } = recoverReclaimSigners(proof, o.signerOf);
  const { provider, context, timestampS } = claimData;
  // Witness signatures: distinct configured signers.
  const signers = all.filter((a) => o.witnesses.has(a));
  if (signers.length < o.minWitnesses)
    throw new AutoScoreError({
      code: 'AUTO_SCORE_UNTRUSTED_WITNESS',
      required: o.minWitnesses,
      valid: signers.length,
    });

  // Context: provider, claim type, binding and the account, all signed through the identifier.
  const ctx = pobject(parseJson(context, 'claimData.context'), 'claimData.context');
  const providerHash = pstring(ctx.providerHash, 'context.providerHash').toLowerCase();
  const cfg = o.providers.get(providerHash);
  if (cfg === undefined)
    throw new AutoScoreError({
      code: 'AUTO_SCORE_WRONG_PROVIDER',
      what: 'providerHash',
      value: providerHash,
    });
  if (provider !== cfg.provider)
    throw new AutoScoreError({
      code: 'AUTO_SCORE_WRONG_PROVIDER',
      what: 'claimData.provider',
      value: provider,
    });
  const message = pobject(
    parseJson(pstring(ctx.contextMessage, 'context.contextMessage'), 'context.contextMessage'),
    'context.contextMessage',
  );
  const claimHash = pstring(message.claimHash, 'contextMessage.claimHash').toLowerCase();
  if (claimHash !== hex0x(claimTypeHash(cfg.claimType)))
    throw new AutoScoreError({
      code: 'AUTO_SCORE_WRONG_PROVIDER',
      what: 'contextMessage.claimHash',
      value: claimHash,
    });
  const autoId =
    message.autoId === undefined ? undefined : phex(message.autoId, 'contextMessage.autoId', HASH_SIZE);
  const extracted = pobject(ctx.extractedParameters ?? {}, 'context.extractedParameters');
  const extractedParameters: Record<string, string> = {};
  for (const [k, v] of Object.entries(extracted))
    extractedParameters[k] = pstring(v, `extractedParameters.${k}`);
  const subjectId = extractedParameters[cfg.subjectParameter];
  if (subjectId === undefined || subjectId.length === 0)
    malformed('context.extractedParameters', `no "${cfg.subjectParameter}"`);
  return {
    identifier,
    claimType: cfg.claimType,
    providerHash,
    serviceId: cfg.serviceId,
    subjectId,
    autoId,
    timestampMs: timestampS * 1000,
    witnesses: signers,
    extractedParameters,
  };
}

/**
 * The zkTLS factor (`zktls-account`): a {@link ClaimVerifier} of Reclaim proofs. The claim's
 * serviceId must be the provider's, its nullifier `blake2b_256("<serviceId>:<account>")`, its
 * `issuedAt` the proof's `timestampS` in ms; it counts for `maxAgeMs` at most.
 *
 * @example
 * const zktls = reclaimVerifier({ witnesses: [witness], providers: [{ providerHash, claimType: 'GithubUsername', subjectParameter: 'username' }] });
 */
export function reclaimVerifier(opts: ReclaimVerifierOptions): ClaimVerifier<ReclaimProof> {
  const o = prepare(opts, true);
  return {
    factor: 'zktls-account',
    async verify(claim: Claim<ReclaimProof>, ctx: VerifyContext): Promise<Evidence> {
      const r = verifyPrepared(claim.proof, o);
      if (r.serviceId !== claim.serviceId)
        throw new AutoScoreError({
          code: 'AUTO_SCORE_WRONG_PROVIDER',
          what: 'serviceId',
          value: claim.serviceId,
        });
      if (r.autoId === undefined ? o.bind : !equal(r.autoId, claim.subject))
        throw new AutoScoreError({
          code: 'AUTO_SCORE_SUBJECT_MISMATCH',
          what:
            r.autoId === undefined
              ? 'proof not bound to an Auto ID'
              : `proof bound to ${bytesToHex(r.autoId)}`,
        });
      if (r.timestampMs > ctx.now + o.maxClockSkewMs)
        throw new AutoScoreError({
          code: 'AUTO_SCORE_EXPIRED',
          what: 'proof timestamp in the future',
          now: ctx.now,
          notBefore: r.timestampMs,
          notAfter: r.timestampMs + o.maxAgeMs,
        });
      return {
        claimType: r.claimType,
        nullifier: nullifier(r.serviceId, r.subjectId),
        issuedAt: r.timestampMs,
        expiresAt: r.timestampMs + o.maxAgeMs,
        disclosed: { provider: r.providerHash, claimHash: hex0x(claimTypeHash(r.claimType)) },
      };
    },
  };
}

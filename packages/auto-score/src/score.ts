/**
 * The scoring model (README "Scoring model", version {@link DEFAULT_POLICY_VERSION}): independent
 * factors combine as `1 - Π(1 - w_i)` over verified, unexpired claims, with per-claim decay and a
 * cap per factor group. Our design: the whitepaper gives no numbers (identity.md §3).
 */
import { bytesToHex } from '@autonomys/primitives';
import { DEFAULT_POLICY_VERSION, MAX_CLAIMS } from './constants.js';
import { AutoScoreError, invalidArgument, oversized } from './errors.js';
import { auint, equal } from './util.js';
import { isVerifiedClaim, type VerifiedClaim } from './verifier.js';

/** How one factor counts. */
export interface FactorPolicy {
  /** Weight w in [0, 1): the probability the evidence is genuine and unique, judged by its forgery cost. */
  weight: number;
  /** Per claim-type weights overriding `weight` (claim-type name -> w in [0, 1)). */
  claimTypes?: Readonly<Record<string, number>>;
  /** Claims of the same group share one cap (default: the factor's own name). */
  group?: string;
  /** Half-life of the evidence in days (w halves every `halfLifeDays` after issuedAt); absent: no decay. */
  halfLifeDays?: number;
}

/** A scoring policy: a version, the factors it knows and the caps of their groups. */
export interface ScorePolicy {
  version: string;
  factors: Readonly<Record<string, FactorPolicy>>;
  /** At most this many claims of a group count (the strongest after decay); absent group: 1. */
  caps: Readonly<Record<string, number>>;
}

/**
 * The default policy, `auto-score/v1`. Weights are our judgement of how hard each kind of evidence
 * is to forge or to obtain twice; change them only with a new version.
 */
export const DEFAULT_POLICY: ScorePolicy = Object.freeze({
  version: DEFAULT_POLICY_VERSION,
  factors: Object.freeze({
    'e-passport': { weight: 0.9, group: 'passport' },
    'zk-passport': { weight: 0.9, group: 'passport' },
    'zktls-account': {
      weight: 0.2,
      claimTypes: { GoogleEmail: 0.2, GithubUsername: 0.3, UberUUID: 0.35 },
      group: 'web-account',
      halfLifeDays: 180,
    },
    'chain-participation': { weight: 0.15, halfLifeDays: 90 },
    'auto-id': { weight: 0.05 },
  }),
  caps: Object.freeze({ passport: 1, 'web-account': 3, 'chain-participation': 1, 'auto-id': 1 }),
});

/** Why a claim did or did not count. */
export type ContributionStatus = 'counted' | 'expired' | 'not-yet-valid' | 'over-cap' | 'duplicate-nullifier';

/** One claim's part in a score. */
export interface Contribution {
  factor: string;
  claimType: string;
  serviceId: string;
  nullifier: string;
  group: string;
  /** The policy weight and the weight after decay (0 when not counted). */
  weight: number;
  effectiveWeight: number;
  status: ContributionStatus;
}

/** A score: `value` in [0, 1), each claim's contribution and a human-readable explanation. */
export interface Score {
  value: number;
  policyVersion: string;
  at: number;
  contributions: Contribution[];
  explanation: string;
}

/** The largest double below 1: a score never reaches certainty. */
const BELOW_ONE = 1 - 2 ** -53;

function checkWeight(w: unknown, what: string): number {
  if (typeof w !== 'number' || !(w >= 0 && w < 1))
    throw new AutoScoreError({ code: 'AUTO_SCORE_INVALID_POLICY', what, reason: 'weight must be in [0, 1)' });
  return w;
}

/** Validates a policy (weights in [0,1), positive half-lives, integer caps >= 0). Returns it. */
export function validatePolicy(policy: ScorePolicy): ScorePolicy {
  const bad = (what: string, reason: string): never => {
    throw new AutoScoreError({ code: 'AUTO_SCORE_INVALID_POLICY', what, reason });
  };
  if (typeof policy !== 'object' || policy === null) bad('policy', 'expected an object');
  if (typeof policy.version !== 'string' || policy.version.length === 0) bad('version', 'expected a string');
  if (typeof policy.factors !== 'object' || policy.factors === null) bad('factors', 'expected an object');
  if (typeof policy.caps !== 'object' || policy.caps === null) bad('caps', 'expected an object');
  for (const [name, f] of Object.entries(policy.factors)) {
    checkWeight(f.weight, `factors.${name}.weight`);
    for (const [t, w] of Object.entries(f.claimTypes ?? {}))
      checkWeight(w, `factors.${name}.claimTypes.${t}`);
    if (f.halfLifeDays !== undefined && !(typeof f.halfLifeDays === 'number' && f.halfLifeDays > 0))
      bad(`factors.${name}.halfLifeDays`, 'expected a positive number');
  }
  for (const [g, c] of Object.entries(policy.caps))
    if (!Number.isSafeInteger(c) || c < 0) bad(`caps.${g}`, 'expected an integer >= 0');
  return policy;
}

/** The weight of a verified claim under a policy after decay at `now` (0 outside its validity). */
export function effectiveWeight(c: VerifiedClaim, f: FactorPolicy, now: number): number {
  if (now > c.expiresAt || now < c.issuedAt) return 0;
  const w = f.claimTypes?.[c.claimType] ?? f.weight;
  if (f.halfLifeDays === undefined) return w;
  return w * 2 ** (-(now - c.issuedAt) / (f.halfLifeDays * 86_400_000));
}

/**
 * Scores verified claims of one Auto ID under `policy` at `now`:
 *
 *   w_i'  = w_i · 2^(-(now - issuedAt_i) / halfLife)   (0 if expired or not yet valid)
 *   per group: keep the strongest claim of each nullifier, then the `cap` strongest
 *   value = 1 - Π (1 - w_i')   over kept claims, in [0, 1)
 *
 * Only claims produced by `verifyClaim` are accepted (`AUTO_SCORE_UNVERIFIED_CLAIM` otherwise); a
 * factor the policy does not know is `AUTO_SCORE_UNKNOWN_FACTOR`; claims of different subjects are
 * an invalid argument. Adding a claim never lowers the value; removing one never raises it.
 *
 * @example const s = score(verified, DEFAULT_POLICY, { now: Date.now() }); s.value // 0.93
 */
export function score(
  claims: readonly VerifiedClaim[],
  policy: ScorePolicy = DEFAULT_POLICY,
  opts: { now?: number } = {},
): Score {
  const now = opts.now ?? Date.now();
  auint(now, 'now');
  validatePolicy(policy);
  if (!Array.isArray(claims)) invalidArgument('claims', 'expected an array');
  if (claims.length > MAX_CLAIMS) oversized('claims', claims.length, MAX_CLAIMS);
  claims.forEach((c, index) => {
    if (!isVerifiedClaim(c)) throw new AutoScoreError({ code: 'AUTO_SCORE_UNVERIFIED_CLAIM', index });
    if (!equal(c.subject, claims[0]!.subject)) invalidArgument('claims', 'claims of different Auto IDs');
  });
  const contributions: Contribution[] = claims.map((c) => {
    const f = policy.factors[c.factor];
    if (f === undefined) throw new AutoScoreError({ code: 'AUTO_SCORE_UNKNOWN_FACTOR', factor: c.factor });
    const ew = effectiveWeight(c, f, now);
    return {
      factor: c.factor,
      claimType: c.claimType,
      serviceId: c.serviceId,
      nullifier: bytesToHex(c.nullifier),
      group: f.group ?? c.factor,
      weight: f.claimTypes?.[c.claimType] ?? f.weight,
      effectiveWeight: ew,
      status: now > c.expiresAt ? 'expired' : now < c.issuedAt ? 'not-yet-valid' : 'counted',
    };
  });
  // Strongest first (ties: input order), so that dedup and caps keep the best evidence.
  const order = contributions
    .map((_, i) => i)
    .filter((i) => contributions[i]!.status === 'counted')
    .sort((a, b) => contributions[b]!.effectiveWeight - contributions[a]!.effectiveWeight || a - b);
  const seenNullifiers = new Set<string>();
  const used = new Map<string, number>();
  let logSurvival = 0;
  for (const i of order) {
    const c = contributions[i]!;
    // Per group: the strongest claim of each nullifier, then the `cap` strongest. Keeping groups
    // independent is what makes adding a claim never lower the score.
    const key = `${c.group}/${c.nullifier}`;
    if (seenNullifiers.has(key)) {
      c.status = 'duplicate-nullifier';
      continue;
    }
    seenNullifiers.add(key);
    const n = used.get(c.group) ?? 0;
    if (n >= (policy.caps[c.group] ?? 1)) {
      c.status = 'over-cap';
      continue;
    }
    used.set(c.group, n + 1);
    logSurvival += Math.log1p(-c.effectiveWeight);
  }
  for (const c of contributions) if (c.status !== 'counted') c.effectiveWeight = 0;
  const value = Math.min(-Math.expm1(logSurvival), BELOW_ONE) + 0; // + 0: no -0 for an empty product
  return {
    value,
    policyVersion: policy.version,
    at: now,
    contributions,
    explanation: explain(value, policy, contributions),
  };
}

function explain(value: number, policy: ScorePolicy, cs: Contribution[]): string {
  const counted = cs.filter((c) => c.status === 'counted');
  const lines = [
    `Auto Score ${value.toFixed(4)} under ${policy.version}: 1 - Π(1 - w) over ${counted.length} counted claim(s)` +
      (counted.length
        ? ` = 1 - ${counted.map((c) => `(1 - ${c.effectiveWeight.toFixed(4)})`).join(' · ')}`
        : ''),
  ];
  for (const c of cs) {
    const w =
      c.status === 'counted' && c.effectiveWeight !== c.weight
        ? `${c.weight} decayed to ${c.effectiveWeight.toFixed(4)}`
        : `${c.weight}`;
    lines.push(
      `- ${c.factor}/${c.claimType} (${c.serviceId}): ${c.status}${c.status === 'counted' ? `, w = ${w}` : ''}`,
    );
  }
  return lines.join('\n');
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AutoScoreError,
  type Claim,
  type ClaimVerifier,
  DEFAULT_POLICY,
  type Evidence,
  nullifier,
  type ScorePolicy,
  score,
  type VerifiedClaim,
  verifyClaim,
} from '../src/index.js';

const DAY = 86_400_000;
const NOW = 1_800_000_000_000;
const subject = new Uint8Array(32).fill(7);

// A verifier whose "proof" is the evidence itself: it exercises the real gate (verifyClaim) while
// letting property tests choose factors, claim types, times and nullifiers freely.
const echo = (factor: string): ClaimVerifier<Evidence> => ({
  factor,
  async verify(c) {
    return c.proof;
  },
});
const verifiers = [
  'e-passport',
  'zk-passport',
  'zktls-account',
  'auto-id',
  'chain-participation',
  'custom',
].map(echo);

interface Spec {
  factor: string;
  claimType: string;
  account: string;
  ageDays: number;
  ttlDays: number;
}

async function make(s: Spec): Promise<VerifiedClaim> {
  const n = nullifier(s.factor, s.account);
  const issuedAt = NOW - s.ageDays * DAY;
  const expiresAt = NOW + s.ttlDays * DAY;
  const claim: Claim<Evidence> = {
    factor: s.factor,
    serviceId: s.factor,
    subject,
    nullifier: n,
    issuedAt,
    expiresAt,
    proof: { claimType: s.claimType, nullifier: n, issuedAt, expiresAt, disclosed: {} },
  };
  return verifyClaim(claim, verifiers, { now: NOW });
}

const spec = fc.record({
  factor: fc.constantFrom('e-passport', 'zk-passport', 'zktls-account', 'auto-id', 'chain-participation'),
  claimType: fc.constantFrom('GithubUsername', 'GoogleEmail', 'UberUUID', 'Other'),
  account: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
  ageDays: fc.integer({ min: 0, max: 2000 }),
  ttlDays: fc.integer({ min: 0, max: 2000 }),
});

describe('score: the documented formula', () => {
  it('1 - Π(1 - w) over one claim per group, weights from the default policy', async () => {
    const passport = await make({
      factor: 'e-passport',
      claimType: 'EPassport',
      account: 'p',
      ageDays: 100,
      ttlDays: 10,
    });
    const github = await make({
      factor: 'zktls-account',
      claimType: 'GithubUsername',
      account: 'g',
      ageDays: 0,
      ttlDays: 10,
    });
    const s = score([passport, github], DEFAULT_POLICY, { now: NOW });
    expect(s.value).toBeCloseTo(1 - (1 - 0.9) * (1 - 0.3), 12);
    expect(s.policyVersion).toBe('auto-score/v1');
    expect(s.contributions.map((c) => c.status)).toEqual(['counted', 'counted']);
    expect(s.explanation).toContain('auto-score/v1');
  });

  it('decays by half-life: a GitHub proof 180 days old weighs 0.15', async () => {
    const g = await make({
      factor: 'zktls-account',
      claimType: 'GithubUsername',
      account: 'g',
      ageDays: 180,
      ttlDays: 10,
    });
    expect(score([g], DEFAULT_POLICY, { now: NOW }).value).toBeCloseTo(0.15, 12);
  });

  it('expired evidence drops out; caps keep the strongest; one nullifier counts once', async () => {
    const g = await make({
      factor: 'zktls-account',
      claimType: 'GithubUsername',
      account: 'g',
      ageDays: 0,
      ttlDays: 1,
    });
    expect(score([g], DEFAULT_POLICY, { now: NOW + 2 * DAY }).contributions[0]!.status).toBe('expired');
    expect(score([g], DEFAULT_POLICY, { now: NOW + 2 * DAY }).value).toBe(0);
    const accounts = await Promise.all(
      ['a', 'b', 'c', 'd'].map((a) =>
        make({ factor: 'zktls-account', claimType: 'GoogleEmail', account: a, ageDays: 0, ttlDays: 5 }),
      ),
    );
    const s = score(accounts, DEFAULT_POLICY, { now: NOW });
    expect(s.contributions.filter((c) => c.status === 'over-cap').length).toBe(1);
    expect(s.value).toBeCloseTo(1 - 0.8 ** 3, 12);
    const dup = score([g, g], DEFAULT_POLICY, { now: NOW });
    expect(dup.contributions.map((c) => c.status)).toEqual(['counted', 'duplicate-nullifier']);
  });

  it('e-passport and zk-passport share one cap (same document, not independent)', async () => {
    const a = await make({
      factor: 'e-passport',
      claimType: 'EPassport',
      account: 'x',
      ageDays: 0,
      ttlDays: 5,
    });
    const b = await make({
      factor: 'zk-passport',
      claimType: 'ZkPassport',
      account: 'y',
      ageDays: 0,
      ttlDays: 5,
    });
    expect(score([a, b], DEFAULT_POLICY, { now: NOW }).value).toBeCloseTo(0.9, 12);
  });

  it('never a score from unverified evidence; unknown factors and bad policies are typed errors', async () => {
    const g = await make({
      factor: 'zktls-account',
      claimType: 'GithubUsername',
      account: 'g',
      ageDays: 0,
      ttlDays: 5,
    });
    const forged = { ...g } as VerifiedClaim;
    expect(() => score([forged], DEFAULT_POLICY, { now: NOW })).toThrow(/AUTO_SCORE_UNVERIFIED_CLAIM/);
    const custom = await make({ factor: 'custom', claimType: 'X', account: 'g', ageDays: 0, ttlDays: 5 });
    expect(() => score([custom], DEFAULT_POLICY, { now: NOW })).toThrow(/AUTO_SCORE_UNKNOWN_FACTOR/);
    const policy: ScorePolicy = { version: 'mine/1', factors: { custom: { weight: 0.5 } }, caps: {} };
    expect(score([custom], policy, { now: NOW }).value).toBe(0.5);
    for (const w of [1, -0.1, Number.NaN, 2])
      expect(() => score([custom], { ...policy, factors: { custom: { weight: w } } }, { now: NOW })).toThrow(
        /AUTO_SCORE_INVALID_POLICY/,
      );
    expect(() => score(new Array(257).fill(g), DEFAULT_POLICY, { now: NOW })).toThrow(
      /AUTO_SCORE_OVERSIZED_INPUT/,
    );
    await expect(
      verifyClaim({ ...({} as Claim), factor: 'nope' }, verifiers, { now: NOW }),
    ).rejects.toBeInstanceOf(AutoScoreError);
  });

  it('stays below 1 even with many strong factors', async () => {
    const policy: ScorePolicy = {
      version: 't',
      factors: { custom: { weight: 0.999999 } },
      caps: { custom: 256 },
    };
    const many = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        make({ factor: 'custom', claimType: 'X', account: `a${i}`, ageDays: 0, ttlDays: 5 }),
      ),
    );
    const v = score(many, policy, { now: NOW }).value;
    expect(v).toBeLessThan(1);
    expect(v).toBeGreaterThan(0.999999);
  });
});

describe('score: properties', () => {
  it('in [0, 1); adding a valid claim never lowers it; removing one never raises it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(spec, { maxLength: 12 }), spec, fc.nat(), async (specs, extra, at) => {
        const claims = await Promise.all(specs.map(make));
        const added = await make(extra);
        const base = score(claims, DEFAULT_POLICY, { now: NOW }).value;
        expect(base).toBeGreaterThanOrEqual(0);
        expect(base).toBeLessThan(1);
        const withExtra = [...claims];
        withExtra.splice(at % (claims.length + 1), 0, added);
        expect(score(withExtra, DEFAULT_POLICY, { now: NOW }).value).toBeGreaterThanOrEqual(base);
        if (claims.length > 0) {
          const without = claims.filter((_, i) => i !== at % claims.length);
          expect(score(without, DEFAULT_POLICY, { now: NOW }).value).toBeLessThanOrEqual(base);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('does not depend on claim order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(spec, { maxLength: 10 }), async (specs) => {
        const claims = await Promise.all(specs.map(make));
        const a = score(claims, DEFAULT_POLICY, { now: NOW }).value;
        const b = score([...claims].reverse(), DEFAULT_POLICY, { now: NOW }).value;
        expect(Math.abs(a - b)).toBeLessThan(1e-12);
      }),
      { numRuns: 100 },
    );
  });
});

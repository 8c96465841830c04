import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, sr25519PairFromSeed, sr25519Sign } from '@autonomys/primitives';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Claim,
  evaluate,
  FileNullifierRegistry,
  InMemoryParticipation,
  MemoryNullifierRegistry,
  nullifier,
  PARTICIPATION_SIGNING_CONTEXT,
  participationMessage,
  participationVerifier,
  passportVerifier,
  reclaimVerifier,
} from '../src/node.js';
import {
  buildSod,
  dg1Of,
  GITHUB,
  GOOGLE,
  makePki,
  type Pki,
  reclaimClaim,
  td3,
  witness,
} from './fixtures.js';

const now = Date.UTC(2025, 5, 20);
const alice = new Uint8Array(32).fill(0xa1);
const bob = new Uint8Array(32).fill(0xb0);
let pki: Pki;
let passport: (subject: Uint8Array) => Promise<Claim>;

beforeAll(async () => {
  pki = await makePki();
  const dg1 = dg1Of(td3({}));
  const sod = await buildSod({ pki, dataGroups: { 1: dg1 }, signingTime: new Date('2025-03-01T10:00:00Z') });
  passport = async (subject) => ({
    factor: 'e-passport',
    serviceId: 'icao9303',
    subject,
    proof: { sod, dataGroups: { 1: dg1 }, disclose: { ageOver: 18 } },
    nullifier: nullifier('icao9303', 'UTO:L898902C3'),
    issuedAt: Date.parse('2025-03-01T10:00:00Z'),
    expiresAt: Date.UTC(2034, 3, 15),
  });
});

function setup() {
  const W = witness(1);
  const farmer = sr25519PairFromSeed(new Uint8Array(32).fill(9));
  const chain = new InMemoryParticipation();
  chain.recordBlock(farmer.publicKey, now - 86_400_000);
  const verifiers = [
    reclaimVerifier({ witnesses: [W.address], providers: [GITHUB, GOOGLE] }),
    passportVerifier({ trustedCscas: [pki.csca] }),
    participationVerifier(chain),
  ];
  const participation = (subject: Uint8Array): Claim => ({
    factor: 'chain-participation',
    serviceId: 'autonomys-farmer',
    subject,
    proof: {
      rewardAddress: farmer.publicKey,
      signature: sr25519Sign(farmer.secretKey, farmer.publicKey, participationMessage(subject), {
        context: PARTICIPATION_SIGNING_CONTEXT,
      }),
    },
    nullifier: nullifier('autonomys-farmer', bytesToHex(farmer.publicKey)),
    issuedAt: now - 86_400_000,
    expiresAt: now + 30 * 86_400_000,
  });
  return { verifiers, participation };
}

const ts = Math.floor((now - 10 * 86_400_000) / 1000);

describe('evaluate: verify, bind nullifiers, score', () => {
  it('scores five typical claims and refuses them for a second Auto ID', async () => {
    const { verifiers, participation } = setup();
    const registry = new MemoryNullifierRegistry();
    const claims = [
      await passport(alice),
      reclaimClaim(alice, { timestampS: ts }),
      reclaimClaim(alice, { provider: GOOGLE, account: 'alice@example.com', timestampS: ts }),
      participation(alice),
      { ...reclaimClaim(alice, { timestampS: ts }), nullifier: new Uint8Array(32) }, // lies about its nullifier
    ];
    const { score, rejected } = await evaluate(claims, { verifiers, subject: alice, registry, now });
    expect(rejected.map((r) => [r.index, r.error.code])).toEqual([[4, 'AUTO_SCORE_NULLIFIER_MISMATCH']]);
    const decay = (w: number, days: number, half: number) => w * 2 ** (-days / half);
    const expected =
      1 - (1 - 0.9) * (1 - decay(0.3, 10, 180)) * (1 - decay(0.2, 10, 180)) * (1 - decay(0.15, 1, 90));
    expect(score.value).toBeCloseTo(expected, 12);
    expect(registry.size).toBe(4);

    // Bob presents the same passport and GitHub account: refused; his own Google account counts.
    const bobClaims = [
      await passport(bob),
      reclaimClaim(bob, { timestampS: ts }),
      reclaimClaim(bob, { provider: GOOGLE, account: 'bob@example.com', timestampS: ts }),
    ];
    const b = await evaluate(bobClaims, { verifiers, subject: bob, registry, now });
    expect(b.rejected.map((r) => r.error.code)).toEqual([
      'AUTO_SCORE_NULLIFIER_REUSED',
      'AUTO_SCORE_NULLIFIER_REUSED',
    ]);
    expect(b.score.value).toBeCloseTo(decay(0.2, 10, 180), 12);
  });

  it('claims for another subject are rejected, not counted', async () => {
    const { verifiers } = setup();
    const r = await evaluate([reclaimClaim(bob, { timestampS: ts })], { verifiers, subject: alice, now });
    expect(r.rejected[0]!.error.code).toBe('AUTO_SCORE_SUBJECT_MISMATCH');
    expect(r.score.value).toBe(0);
  });

  it('a persistent registry keeps refusing after a restart', async () => {
    const { verifiers } = setup();
    const path = join(mkdtempSync(join(tmpdir(), 'auto-score-')), 'n.log');
    const reg = FileNullifierRegistry.open(path);
    await evaluate([reclaimClaim(alice, { timestampS: ts })], {
      verifiers,
      subject: alice,
      registry: reg,
      now,
    });
    reg.close();
    const reopened = FileNullifierRegistry.open(path);
    const r = await evaluate([reclaimClaim(bob, { timestampS: ts })], {
      verifiers,
      subject: bob,
      registry: reopened,
      now,
    });
    expect(r.rejected[0]!.error.code).toBe('AUTO_SCORE_NULLIFIER_REUSED');
    reopened.close();
  });
});

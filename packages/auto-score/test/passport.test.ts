import { bytesToHex } from '@autonomys/primitives';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AutoScoreError,
  type Claim,
  decodeMrz,
  nullifier,
  type PassportProof,
  parseSod,
  passiveAuthentication,
  passportVerifier,
  verifyClaim,
} from '../src/index.js';
import { buildSod, dg1Of, dg2, makePki, type Pki, td3 } from './fixtures.js';

const now = Date.UTC(2026, 5, 1);
const subject = new Uint8Array(32).fill(0x11);

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AutoScoreError) return e.code;
    throw e;
  }
  throw new Error('did not throw');
}

let ec: Pki;
let rsa: Pki;
let stranger: Pki;
let dg1: Uint8Array;
let sod: Uint8Array;

beforeAll(async () => {
  [ec, rsa, stranger] = await Promise.all([
    makePki(),
    makePki({ kind: 'RSA-2048' }),
    makePki({ country: 'Utopia' }),
  ]);
  dg1 = dg1Of(td3({}));
  sod = await buildSod({
    pki: ec,
    dataGroups: { 1: dg1, 2: dg2() },
    signingTime: new Date('2025-03-01T10:00:00Z'),
  });
});

describe('MRZ', () => {
  it('decodes the ICAO 9303 part 4 specimen and checks its digits', () => {
    const m = decodeMrz(
      'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C36UTO7408122F1204159ZE184226B<<<<<10',
    );
    expect(m).toMatchObject({
      format: 'TD3',
      issuingState: 'UTO',
      documentNumber: 'L898902C3',
      nationality: 'UTO',
      dateOfBirth: '740812',
      dateOfExpiry: '120415',
      name: 'ERIKSSON<<ANNA<MARIA',
    });
    expect(() =>
      decodeMrz('P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<L898902C37UTO7408122F1204159ZE184226B<<<<<10'),
    ).toThrow(/AUTO_SCORE_MALFORMED_PROOF/);
  });
});

describe('passive authentication', () => {
  it('accepts an ECDSA P-256 passport chained to the trusted CSCA', async () => {
    const r = await passiveAuthentication(
      sod,
      { 1: dg1, 2: dg2() },
      { trustedCscas: [stranger.csca, ec.csca] },
      now,
    );
    expect(r.mrz.documentNumber).toBe('L898902C3');
    expect(r.verifiedDataGroups).toEqual([1, 2]);
    expect(r.signingTime).toBe(Date.parse('2025-03-01T10:00:00Z'));
    expect(bytesToHex(r.csca)).toBe(bytesToHex(ec.csca));
  });

  it('accepts RSA (sha256WithRSA and rsaEncryption naming), SHA-384, unwrapped ContentInfo, signer by SKI', async () => {
    for (const s of [
      await buildSod({ pki: rsa, dataGroups: { 1: dg1 } }),
      await buildSod({ pki: rsa, dataGroups: { 1: dg1 }, keyTypeAlgorithm: true, wrap: false }),
      await buildSod({ pki: ec, dataGroups: { 1: dg1 }, hash: 'SHA-384', keyTypeAlgorithm: true }),
      await buildSod({ pki: ec, dataGroups: { 1: dg1 }, bySubjectKeyIdentifier: true }),
    ]) {
      const r = await passiveAuthentication(s, { 1: dg1 }, { trustedCscas: [rsa.csca, ec.csca] }, now);
      expect(r.mrz.issuingState).toBe('UTO');
    }
  });

  it('rejects a tampered SOD signature', async () => {
    const bad = sod.slice();
    bad[bad.length - 5]! ^= 0x01;
    expect(['AUTO_SCORE_INVALID_SIGNATURE', 'AUTO_SCORE_MALFORMED_PROOF']).toContain(
      await code(passiveAuthentication(bad, { 1: dg1 }, { trustedCscas: [ec.csca] }, now)),
    );
    // A SOD signed by the stranger's DSC but carrying our DSC: signature fails.
    const forged = await buildSod({ pki: { ...ec, dscKeys: stranger.dscKeys }, dataGroups: { 1: dg1 } });
    expect(await code(passiveAuthentication(forged, { 1: dg1 }, { trustedCscas: [ec.csca] }, now))).toBe(
      'AUTO_SCORE_INVALID_SIGNATURE',
    );
  });

  it('rejects a chain to an untrusted CSCA (same name, other key; or not listed)', async () => {
    expect(await code(passiveAuthentication(sod, { 1: dg1 }, { trustedCscas: [stranger.csca] }, now))).toBe(
      'AUTO_SCORE_UNTRUSTED_CSCA',
    );
    expect(await code(passiveAuthentication(sod, { 1: dg1 }, { trustedCscas: [rsa.csca] }, now))).toBe(
      'AUTO_SCORE_UNTRUSTED_CSCA',
    );
  });

  it('rejects expired certificates and passports', async () => {
    const old = await makePki({
      dscNotBefore: new Date('2015-01-01Z'),
      dscNotAfter: new Date('2025-01-01Z'),
    });
    const s = await buildSod({ pki: old, dataGroups: { 1: dg1 } });
    expect(await code(passiveAuthentication(s, { 1: dg1 }, { trustedCscas: [old.csca] }, now))).toBe(
      'AUTO_SCORE_EXPIRED',
    );
    const expiredDg1 = dg1Of(td3({ dateOfExpiry: '250101' }));
    const t = await buildSod({ pki: ec, dataGroups: { 1: expiredDg1 } });
    expect(await code(passiveAuthentication(t, { 1: expiredDg1 }, { trustedCscas: [ec.csca] }, now))).toBe(
      'AUTO_SCORE_EXPIRED',
    );
  });

  it('rejects altered data groups', async () => {
    const altered = dg1Of(td3({ nationality: 'XXX' }));
    expect(await code(passiveAuthentication(sod, { 1: altered }, { trustedCscas: [ec.csca] }, now))).toBe(
      'AUTO_SCORE_HASH_MISMATCH',
    );
    const d2 = dg2();
    d2[100]! ^= 1;
    expect(await code(passiveAuthentication(sod, { 1: dg1, 2: d2 }, { trustedCscas: [ec.csca] }, now))).toBe(
      'AUTO_SCORE_HASH_MISMATCH',
    );
    expect(await code(passiveAuthentication(sod, { 1: dg1, 3: d2 }, { trustedCscas: [ec.csca] }, now))).toBe(
      'AUTO_SCORE_HASH_MISMATCH',
    );
    const lying = await buildSod({ pki: ec, dataGroups: { 1: dg1 }, lieAbout: 1 });
    expect(await code(passiveAuthentication(lying, { 1: dg1 }, { trustedCscas: [ec.csca] }, now))).toBe(
      'AUTO_SCORE_HASH_MISMATCH',
    );
    expect(await code(passiveAuthentication(sod, { 2: dg2() }, { trustedCscas: [ec.csca] }, now))).toBe(
      'AUTO_SCORE_MALFORMED_PROOF',
    );
  });

  it('refuses unsupported signature algorithms with a typed error', async () => {
    const s = await buildSod({
      pki: ec,
      dataGroups: { 1: dg1 },
      signatureAlgorithmOid: '1.2.840.10045.4.3.4',
    });
    expect(await code(passiveAuthentication(s, { 1: dg1 }, { trustedCscas: [ec.csca] }, now))).toBe(
      'AUTO_SCORE_UNSUPPORTED_ALGORITHM',
    );
    const t = await buildSod({
      pki: ec,
      dataGroups: { 1: dg1 },
      signatureAlgorithmOid: '1.3.36.3.3.2.8.1.1.7',
    });
    expect(await code(passiveAuthentication(t, { 1: dg1 }, { trustedCscas: [ec.csca] }, now))).toBe(
      'AUTO_SCORE_UNSUPPORTED_ALGORITHM',
    );
  });

  it('fuzz: random and mutated SOD bytes only throw AutoScoreError', async () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (b) => {
        try {
          parseSod(b);
        } catch (e) {
          expect(e).toBeInstanceOf(AutoScoreError);
        }
      }),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(fc.nat(sod.length - 1), fc.integer({ min: 1, max: 255 }), async (at, x) => {
        const m = sod.slice();
        m[at]! ^= x;
        try {
          await passiveAuthentication(m, { 1: dg1 }, { trustedCscas: [ec.csca] }, now);
          throw new Error(`mutation at ${at} verified`);
        } catch (e) {
          expect(e).toBeInstanceOf(AutoScoreError);
        }
      }),
      { numRuns: 60 },
    );
    expect(
      await code(passiveAuthentication(new Uint8Array(70_000), { 1: dg1 }, { trustedCscas: [ec.csca] }, now)),
    ).toBe('AUTO_SCORE_OVERSIZED_INPUT');
  });
});

describe('e-passport factor', () => {
  const claim = (disclose: PassportProof['disclose'] = {}): Claim<PassportProof> => ({
    factor: 'e-passport',
    serviceId: 'icao9303',
    subject,
    proof: { sod, dataGroups: { 1: dg1 }, disclose },
    nullifier: nullifier('icao9303', 'UTO:L898902C3'),
    issuedAt: Date.parse('2025-03-01T10:00:00Z'),
    expiresAt: Date.UTC(2034, 3, 15),
  });

  it('verifies, discloses only what was asked and derives the passport nullifier', async () => {
    const v = await verifyClaim(
      claim({ ageOver: 18, nationality: true }),
      [passportVerifier({ trustedCscas: [ec.csca] })],
      {
        now,
      },
    );
    expect(v.claimType).toBe('EPassport');
    expect(v.disclosed).toEqual({ ageOver18: true, nationality: 'UTO' });
    expect(bytesToHex(v.nullifier)).toBe('49edbdb51f55ccb4cc1e5eb328eefc3df0cf26091babe6ef05ea2cd67334d6f5');
    const none = await verifyClaim(claim(), [passportVerifier({ trustedCscas: [ec.csca] })], { now });
    expect(none.disclosed).toEqual({});
  });

  it('fails a disclosure the passport does not support', async () => {
    expect(
      await code(
        verifyClaim(claim({ ageOver: 60 }), [passportVerifier({ trustedCscas: [ec.csca] })], { now }),
      ),
    ).toBe('AUTO_SCORE_DISCLOSURE_FAILED');
  });

  it('age over N is computed at the evaluation time (born 1974-08-12)', async () => {
    const v = passportVerifier({ trustedCscas: [ec.csca] });
    const c = claim({ ageOver: 52 });
    expect(await code(verifyClaim(c, [v], { now: Date.UTC(2026, 7, 11) }))).toBe(
      'AUTO_SCORE_DISCLOSURE_FAILED',
    );
    expect((await verifyClaim(c, [v], { now: Date.UTC(2026, 7, 12) })).disclosed).toEqual({
      ageOver52: true,
    });
  });

  it('rejects another serviceId and a wrong nullifier', async () => {
    const v = [passportVerifier({ trustedCscas: [ec.csca] })];
    expect(await code(verifyClaim({ ...claim(), serviceId: 'other' }, v, { now }))).toBe(
      'AUTO_SCORE_WRONG_PROVIDER',
    );
    expect(await code(verifyClaim({ ...claim(), nullifier: new Uint8Array(32) }, v, { now }))).toBe(
      'AUTO_SCORE_NULLIFIER_MISMATCH',
    );
  });
});

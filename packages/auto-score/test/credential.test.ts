import {
  AutoIdRegistry,
  generateKeyPair,
  registrationFromCertificate,
  selfIssueCertificate,
  signCertificateAction,
} from '@autonomys/auto-id';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AutoScoreError,
  base58btc,
  type CredentialIssuer,
  canonicalize,
  fromBase58btc,
  issueScoreCredential,
  issueThresholdCredential,
  type Score,
  verifyCredential,
} from '../src/index.js';

const now = Date.now();
const holder = new Uint8Array(32).fill(0x42);
const s: Score = {
  value: 0.93,
  policyVersion: 'auto-score/v1',
  at: now,
  contributions: [
    {
      factor: 'e-passport',
      claimType: 'EPassport',
      serviceId: 'icao9303',
      nullifier: '00'.repeat(32),
      group: 'passport',
      weight: 0.9,
      effectiveWeight: 0.9,
      status: 'counted',
    },
  ],
  explanation: '',
};
let registry: AutoIdRegistry;
const issuers: Record<string, CredentialIssuer & { keys: CryptoKeyPair }> = {};

beforeAll(async () => {
  registry = new AutoIdRegistry();
  for (const kind of ['Ed25519', 'ECDSA-P256'] as const) {
    const keys = await generateKeyPair(kind);
    const cert = await selfIssueCertificate({
      commonName: `Verifier ${kind}`,
      keys,
      notBefore: new Date(now - 60_000),
    });
    const autoId = await registry.registerAutoId(registrationFromCertificate(cert.der), { now });
    issuers[kind] = { autoId, privateKey: keys.privateKey, keys };
  }
});

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AutoScoreError) return e.code;
    throw e;
  }
  throw new Error('did not throw');
}

describe('JCS and base58btc', () => {
  it('canonicalizes as RFC 8785 (sorted keys, ES numbers, no undefined)', () => {
    expect(canonicalize({ b: [1, 'x', null], a: { d: 1e21, c: 0.1 }, u: undefined })).toBe(
      '{"a":{"c":0.1,"d":1e+21},"b":[1,"x",null]}',
    );
  });
  it('base58btc round-trips and keeps leading zeros', () => {
    const b = new Uint8Array([0, 0, 1, 2, 255]);
    expect(fromBase58btc(base58btc(b))).toEqual(b);
    expect(base58btc(new TextEncoder().encode('hello world'))).toBe('StV1DL6CwTryKyV');
  });
});

describe.each(['Ed25519', 'ECDSA-P256'])('score credential signed with %s', (kind) => {
  it('verifies, is bound to the holder, and fails when tampered', async () => {
    const issuer = issuers[kind]!;
    const vc = await issueScoreCredential(s, holder, issuer, { now });
    expect(vc.type).toEqual(['VerifiableCredential', 'AutoScoreCredential']);
    expect(vc.proof.cryptosuite).toBe(kind === 'Ed25519' ? 'eddsa-jcs-2022' : 'ecdsa-jcs-2019');
    const r = await verifyCredential(vc, registry, { now, holder, minThreshold: 0.9 });
    expect((r.credentialSubject.autoScore as { value: number }).value).toBe(0.93);
    const tampered = structuredClone(vc);
    (tampered.credentialSubject.autoScore as { value: number }).value = 0.99;
    expect(await code(verifyCredential(tampered, registry, { now }))).toBe('AUTO_SCORE_INVALID_CREDENTIAL');
    const otherHolder = structuredClone(vc);
    otherHolder.credentialSubject.id = `did:autoid:${'43'.repeat(32)}`;
    expect(await code(verifyCredential(otherHolder, registry, { now }))).toBe(
      'AUTO_SCORE_INVALID_CREDENTIAL',
    );
    expect(await code(verifyCredential(vc, registry, { now, holder: new Uint8Array(32) }))).toBe(
      'AUTO_SCORE_INVALID_CREDENTIAL',
    );
    expect(await code(verifyCredential(vc, registry, { now: now + 31 * 86_400_000 }))).toBe(
      'AUTO_SCORE_INVALID_CREDENTIAL',
    );
    const sig = structuredClone(vc);
    sig.proof.proofValue = `z${base58btc(new Uint8Array(64).fill(1))}`;
    expect(await code(verifyCredential(sig, registry, { now }))).toBe('AUTO_SCORE_INVALID_CREDENTIAL');
  });

  it('threshold credential states only "score >= t"', async () => {
    const issuer = issuers[kind]!;
    const vc = await issueThresholdCredential(s, holder, 0.8, issuer, {
      now,
      challenge: 'n-123',
      domain: 'app.example',
    });
    expect(JSON.stringify(vc)).not.toContain('0.93');
    expect(JSON.stringify(vc)).not.toContain('EPassport');
    expect(vc.credentialSubject).toEqual({
      id: `did:autoid:${'42'.repeat(32)}`,
      autoScoreAtLeast: { threshold: 0.8, policy: 'auto-score/v1' },
    });
    await verifyCredential(vc, registry, {
      now,
      challenge: 'n-123',
      domain: 'app.example',
      minThreshold: 0.8,
    });
    expect(await code(verifyCredential(vc, registry, { now, challenge: 'other' }))).toBe(
      'AUTO_SCORE_INVALID_CREDENTIAL',
    );
    expect(await code(verifyCredential(vc, registry, { now, minThreshold: 0.85 }))).toBe(
      'AUTO_SCORE_INVALID_CREDENTIAL',
    );
    const raised = structuredClone(vc);
    (raised.credentialSubject.autoScoreAtLeast as { threshold: number }).threshold = 0.9;
    expect(await code(verifyCredential(raised, registry, { now }))).toBe('AUTO_SCORE_INVALID_CREDENTIAL');
    await expect(issueThresholdCredential(s, holder, 0.95, issuer, { now })).rejects.toThrow(
      /AUTO_SCORE_INVALID_CREDENTIAL/,
    );
  });
});

describe('credential issuers', () => {
  it('a revoked (self-revoked) issuer no longer verifies; unknown issuers neither', async () => {
    const r = new AutoIdRegistry();
    const keys = await generateKeyPair('Ed25519');
    const cert = await selfIssueCertificate({
      commonName: 'Short-lived verifier',
      keys,
      notBefore: new Date(now - 60_000),
    });
    const id = await r.registerAutoId(registrationFromCertificate(cert.der), { now });
    const vc = await issueScoreCredential(s, holder, { autoId: id, privateKey: keys.privateKey }, { now });
    await verifyCredential(vc, r, { now });
    await r.revokeCertificate(id, await signCertificateAction(keys.privateKey, r.revocationAction(id)));
    expect(await code(verifyCredential(vc, r, { now }))).toBe('AUTO_SCORE_REVOKED');
    expect(await code(verifyCredential(vc, new AutoIdRegistry(), { now }))).toBe('AUTO_SCORE_REVOKED');
  });

  it('a suite that does not match the issuer key, RSA keys, garbage: typed errors', async () => {
    const vc = await issueScoreCredential(s, holder, issuers.Ed25519!, { now });
    const swapped = structuredClone(vc);
    swapped.proof.cryptosuite = 'ecdsa-jcs-2019';
    expect(await code(verifyCredential(swapped, registry, { now }))).toBe('AUTO_SCORE_INVALID_CREDENTIAL');
    const rsa = await generateKeyPair('RSA-2048');
    expect(await code(issueScoreCredential(s, holder, { autoId: holder, privateKey: rsa.privateKey }))).toBe(
      'AUTO_SCORE_UNSUPPORTED_ALGORITHM',
    );
    for (const junk of [null, 1, {}, { proof: {} }, { ...vc, issuer: 'did:web:x' }])
      expect(await code(verifyCredential(junk, registry, { now }))).toBe('AUTO_SCORE_INVALID_CREDENTIAL');
  });
});

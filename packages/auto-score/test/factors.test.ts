import {
  AutoIdRegistry,
  createCsr,
  generateKeyPair,
  issueCertificate,
  registrationFromCertificate,
  selfIssueCertificate,
  signCertificateAction,
} from '@autonomys/auto-id';
import { bytesToHex, sr25519PairFromSeed, sr25519Sign } from '@autonomys/primitives';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AutoScoreError,
  autoIdFactorMessage,
  autoIdVerifier,
  type Claim,
  InMemoryParticipation,
  nullifier,
  PARTICIPATION_SIGNING_CONTEXT,
  participationMessage,
  participationVerifier,
  verifyClaim,
  type ZkPassportBackend,
  zkPassportVerifier,
} from '../src/index.js';

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AutoScoreError) return e.code;
    throw e;
  }
  throw new Error('did not throw');
}

const now = Date.now();
const past = new Date(now - 3_600_000);
let registry: AutoIdRegistry;
let rootKeys: CryptoKeyPair;
let leafKeys: CryptoKeyPair;
let rootId: Uint8Array;
let leafId: Uint8Array;

beforeAll(async () => {
  registry = new AutoIdRegistry();
  rootKeys = await generateKeyPair('Ed25519');
  leafKeys = await generateKeyPair('ECDSA-P256');
  const root = await selfIssueCertificate({ commonName: 'Verifier Org', keys: rootKeys, notBefore: past });
  rootId = await registry.registerAutoId(registrationFromCertificate(root.der), { now });
  const csr = await createCsr({ commonName: 'Alice', keys: leafKeys });
  const leaf = await issueCertificate({
    csr,
    issuer: { certificate: root.der, privateKey: rootKeys.privateKey },
    notBefore: past,
  });
  leafId = await registry.registerAutoId(registrationFromCertificate(leaf.der, rootId), { now });
});

async function autoIdClaim(subject: Uint8Array, keys: CryptoKeyPair, issuedAt = now - 1000): Promise<Claim> {
  // The holder signs the factor message with its certificate key (WebCrypto).
  const alg =
    keys.privateKey.algorithm.name === 'ECDSA' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'Ed25519' };
  const raw = new Uint8Array(
    await crypto.subtle.sign(alg, keys.privateKey, new Uint8Array(autoIdFactorMessage(subject, issuedAt))),
  );
  // The AlgorithmIdentifier and signature encoding the pallet uses, taken from a CertificateAction signature.
  const sample = await signCertificateAction(keys.privateKey, {
    id: subject,
    nonce: 0n,
    actionType: 'RevokeCertificate',
  });
  let value = raw;
  if (alg.name === 'ECDSA') {
    const int = (b: Uint8Array) => {
      let i = 0;
      while (i < b.length - 1 && b[i] === 0) i++;
      let v = b.subarray(i);
      if (v[0]! & 0x80) v = new Uint8Array([0, ...v]);
      return [0x02, v.length, ...v];
    };
    const body = [...int(raw.subarray(0, 32)), ...int(raw.subarray(32))];
    value = new Uint8Array([0x30, body.length, ...body]);
  }
  return {
    factor: 'auto-id',
    serviceId: 'auto-id',
    subject,
    proof: { signature: { signatureAlgorithm: sample.signatureAlgorithm, value } },
    nullifier: nullifier('auto-id', bytesToHex(subject)),
    issuedAt,
    expiresAt: issuedAt + 86_400_000,
  };
}

describe('auto-id factor', () => {
  it('accepts a registered Auto ID whose key signed the claim (Ed25519 root, ECDSA leaf)', async () => {
    const v = autoIdVerifier(registry);
    expect((await verifyClaim(await autoIdClaim(rootId, rootKeys), [v], { now })).claimType).toBe('AutoId');
    expect((await verifyClaim(await autoIdClaim(leafId, leafKeys), [v], { now })).claimType).toBe('AutoId');
  });

  it('rejects another key, an unknown Auto ID, and a revoked one', async () => {
    const v = autoIdVerifier(registry);
    const otherEd = await generateKeyPair('Ed25519');
    expect(await code(verifyClaim(await autoIdClaim(rootId, otherEd), [v], { now }))).toBe(
      'AUTO_SCORE_INVALID_SIGNATURE',
    );
    expect(['AUTO_SCORE_INVALID_SIGNATURE', 'AUTO_SCORE_UNSUPPORTED_ALGORITHM']).toContain(
      await code(verifyClaim(await autoIdClaim(rootId, leafKeys), [v], { now })),
    );
    const wrong = await autoIdClaim(leafId, leafKeys);
    (wrong.proof as { signature: { value: Uint8Array } }).signature.value[10]! ^= 1;
    expect(['AUTO_SCORE_INVALID_SIGNATURE', 'AUTO_SCORE_MALFORMED_PROOF']).toContain(
      await code(verifyClaim(wrong, [v], { now })),
    );
    expect(await code(verifyClaim(await autoIdClaim(new Uint8Array(32), rootKeys), [v], { now }))).toBe(
      'AUTO_SCORE_REVOKED',
    );
    // a separate registry in which the leaf is revoked by its issuer
    const r2 = new AutoIdRegistry();
    const rk = await generateKeyPair('Ed25519');
    const lk = await generateKeyPair('Ed25519');
    const root = await selfIssueCertificate({ commonName: 'Org', keys: rk, notBefore: past });
    const rid = await r2.registerAutoId(registrationFromCertificate(root.der), { now });
    const leaf = await issueCertificate({
      csr: await createCsr({ commonName: 'Bob', keys: lk }),
      issuer: { certificate: root.der, privateKey: rk.privateKey },
      notBefore: past,
    });
    const lid = await r2.registerAutoId(registrationFromCertificate(leaf.der, rid), { now });
    const claim = await autoIdClaim(lid, lk);
    expect((await verifyClaim(claim, [autoIdVerifier(r2)], { now })).factor).toBe('auto-id');
    await r2.revokeCertificate(lid, await signCertificateAction(rk.privateKey, r2.revocationAction(lid)));
    expect(await code(verifyClaim(claim, [autoIdVerifier(r2)], { now }))).toBe('AUTO_SCORE_REVOKED');
  });
});

describe('chain-participation factor', () => {
  const subject = new Uint8Array(32).fill(3);
  const farmer = sr25519PairFromSeed(new Uint8Array(32).fill(9));
  const source = new InMemoryParticipation();
  source.recordBlock(farmer.publicKey, now - 5 * 86_400_000);
  source.recordBlock(farmer.publicKey, now - 86_400_000);
  const sig = sr25519Sign(farmer.secretKey, farmer.publicKey, participationMessage(subject), {
    context: PARTICIPATION_SIGNING_CONTEXT,
  });
  const claim = (signature = sig, issuedAt = now - 86_400_000): Claim => ({
    factor: 'chain-participation',
    serviceId: 'autonomys-farmer',
    subject,
    proof: { rewardAddress: farmer.publicKey, signature },
    nullifier: nullifier('autonomys-farmer', bytesToHex(farmer.publicKey)),
    issuedAt,
    expiresAt: issuedAt + 30 * 86_400_000,
  });

  it('accepts a reward address that signed the Auto ID and won blocks', async () => {
    const v = await verifyClaim(claim(), [participationVerifier(source)], { now });
    expect(v.disclosed).toEqual({ blocks: 2 });
  });

  it('rejects a bad signature, too few blocks, a claim fresher than the evidence', async () => {
    const bad = sig.slice();
    bad[5]! ^= 1;
    expect(await code(verifyClaim(claim(bad), [participationVerifier(source)], { now }))).toBe(
      'AUTO_SCORE_INVALID_SIGNATURE',
    );
    expect(await code(verifyClaim(claim(), [participationVerifier(source, { minBlocks: 3 })], { now }))).toBe(
      'AUTO_SCORE_REVOKED',
    );
    expect(await code(verifyClaim(claim(sig, now - 1000), [participationVerifier(source)], { now }))).toBe(
      'AUTO_SCORE_MALFORMED_PROOF',
    );
  });
});

describe('zk-passport interface', () => {
  // A backend standing in for a circuit verifier: it "verifies" by recomputing a hash commitment.
  // It exists to test the adapter's own checks (protocol, subject binding, nullifier shape).
  const backend = (bound: Uint8Array): ZkPassportBackend => ({
    protocols: ['test/1'],
    async verify(proof) {
      if (proof.proof.length !== 4)
        throw new AutoScoreError({ code: 'AUTO_SCORE_INVALID_SIGNATURE', what: 'zk proof' });
      return {
        nullifier: nullifier('zkpassport', 'doc-1'),
        boundAutoId: bound,
        cscaRoot: new Uint8Array(32),
        issuedAt: now - 1000,
        expiresAt: now + 86_400_000,
        disclosed: { ageOver18: true },
      };
    },
  });
  const subject = new Uint8Array(32).fill(5);
  const claim = (protocol = 'test/1'): Claim => ({
    factor: 'zk-passport',
    serviceId: 'zkpassport',
    subject,
    proof: { protocol, proof: new Uint8Array(4), publicInputs: [] },
    nullifier: nullifier('zkpassport', 'doc-1'),
    issuedAt: now - 1000,
    expiresAt: now + 86_400_000,
  });
  it('maps a backend statement to evidence and checks protocol and binding', async () => {
    expect((await verifyClaim(claim(), [zkPassportVerifier(backend(subject))], { now })).disclosed).toEqual({
      ageOver18: true,
    });
    expect(await code(verifyClaim(claim('other/2'), [zkPassportVerifier(backend(subject))], { now }))).toBe(
      'AUTO_SCORE_UNSUPPORTED_ALGORITHM',
    );
    expect(await code(verifyClaim(claim(), [zkPassportVerifier(backend(new Uint8Array(32)))], { now }))).toBe(
      'AUTO_SCORE_SUBJECT_MISMATCH',
    );
  });
});

// The pallet's flows (pallet-auto-id tests.rs) and each of its errors, with our own keys.
import { describe, expect, it } from 'vitest';
import {
  AutoIdError,
  AutoIdRegistry,
  createCsr,
  deriveAutoId,
  generateKeyPair,
  issueCertificate,
  PALLET_ERRORS,
  type ParsedCertificate,
  registrationFromCertificate,
  renewalFromCertificate,
  selfIssueCertificate,
  signCertificateAction,
} from '../src/index.js';
import { FAKE_ALG, fakeSign, fakeSpki, fakeVerify, MOCK_NOW, makeTbs } from './helpers.js';

const now = MOCK_NOW;
const DAY = 86_400_000;
const window = { notBefore: new Date(Number(now) - DAY), notAfter: new Date(Number(now) + 365 * DAY) };

async function rootOf(name: string, alg: 'Ed25519' | 'ECDSA-P256' | 'RSA-2048' = 'Ed25519', serial?: bigint) {
  const keys = await generateKeyPair(alg);
  const cert = await selfIssueCertificate({
    commonName: name,
    keys,
    ...window,
    ...(serial ? { serial } : {}),
  });
  return { keys, cert, id: deriveAutoId(name) };
}

async function leafOf(
  issuer: { keys: CryptoKeyPair; cert: ParsedCertificate },
  name: string,
  o: { serial?: bigint; keys?: CryptoKeyPair; notBefore?: Date; notAfter?: Date } = {},
) {
  const keys = o.keys ?? (await generateKeyPair('Ed25519'));
  const csr = await createCsr({ commonName: name, keys });
  const cert = await issueCertificate({
    csr,
    issuer: { certificate: issuer.cert.der, privateKey: issuer.keys.privateKey },
    ...window,
    ...o,
  });
  return { keys, cert };
}

const code = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof AutoIdError) return e.code;
    throw e;
  }
  return 'OK';
};

describe('AutoIdRegistry with real keys', () => {
  it.each(['Ed25519', 'ECDSA-P256'] as const)('register, renew, revoke, deactivate (%s)', async (alg) => {
    const r = new AutoIdRegistry();
    const root = await rootOf('Org', alg);
    const id = await r.registerAutoId(registrationFromCertificate(root.cert.der), { now });
    expect(id).toEqual(root.id);
    const leaf = await leafOf(root, 'Agent');
    const leafId = await r.registerAutoId(registrationFromCertificate(leaf.cert.der, id), { now });
    expect(leafId).toEqual(deriveAutoId('Agent', id));
    expect(r.getAutoId(id)?.certificate.issuedSerials).toEqual(
      [root.cert.serial, leaf.cert.serial].sort((a, b) => (a < b ? -1 : 1)),
    );
    // Renewal: same key, same CN, new serial; the old serial is revoked under the issuer.
    const renewed = await leafOf(root, 'Agent', { keys: leaf.keys });
    await r.renewAutoId(leafId, renewalFromCertificate(renewed.cert.der, id), { now });
    expect(r.getRevocationList(id)).toEqual([leaf.cert.serial]);
    expect(r.isRevoked(leafId)).toBe(false);
    // Revocation by the issuer over its nonce; the same signature again is refused.
    const sig = await signCertificateAction(root.keys.privateKey, r.revocationAction(leafId));
    await r.revokeCertificate(leafId, sig);
    expect(r.isRevoked(leafId)).toBe(true);
    expect(r.getAutoId(id)?.certificate.nonce).toBe(1n);
    expect(await code(r.revokeCertificate(leafId, sig))).toBe('AUTO_ID_CERTIFICATE_ALREADY_REVOKED');
    // Deactivation with the identity's own key.
    const d = await signCertificateAction(root.keys.privateKey, r.deactivationAction(id));
    await r.deactivateAutoId(id, d);
    expect(r.getAutoId(id)).toBeUndefined();
    expect(r.isRevoked(leafId)).toBe(true); // orphaned
    expect(r.events.map((e) => e.type)).toEqual([
      'NewAutoIdRegistered',
      'NewAutoIdRegistered',
      'AutoIdRenewed',
      'CertificateRevoked',
      'AutoIdDeactivated',
    ]);
  });

  it('RSA-2048 root and leaf', async () => {
    const r = new AutoIdRegistry();
    const root = await rootOf('RSA Org', 'RSA-2048');
    const id = await r.registerAutoId(registrationFromCertificate(root.cert.der), { now });
    const leaf = await leafOf(root, 'RSA Leaf');
    await r.registerAutoId(registrationFromCertificate(leaf.cert.der, id), { now });
    const sig = await signCertificateAction(root.keys.privateKey, r.revocationAction(id));
    await r.revokeCertificate(id, sig); // self revoke
    expect(r.isRevoked(id)).toBe(true);
    const late = await leafOf(root, 'Too late');
    expect(await code(r.registerAutoId(registrationFromCertificate(late.cert.der, id), { now }))).toBe(
      'AUTO_ID_CERTIFICATE_REVOKED',
    );
  });

  it('each pallet error, in the pallet’s order of checks', async () => {
    const r = new AutoIdRegistry();
    const root = await rootOf('Root', 'Ed25519', 77n);
    const id = await r.registerAutoId(registrationFromCertificate(root.cert.der), { now });
    const reg = (c: ParsedCertificate, issuer?: Uint8Array) =>
      code(r.registerAutoId(registrationFromCertificate(c.der, issuer), { now }));

    // UnknownIssuer
    const stray = await leafOf(root, 'Stray');
    expect(await reg(stray.cert, new Uint8Array(32))).toBe('AUTO_ID_UNKNOWN_ISSUER');
    // AutoIdIdentifierAlreadyExists: a second root with the same CN (any key)
    const twin = await rootOf('Root');
    expect(await reg(twin.cert)).toBe('AUTO_ID_IDENTIFIER_ALREADY_EXISTS');
    // InvalidSignature: a leaf signed by another key than the issuer's
    const other = await rootOf('Other');
    const forged = await leafOf(other, 'Forged');
    expect(await reg(forged.cert, id)).toBe('AUTO_ID_INVALID_SIGNATURE');
    // ExpiredCertificate: before notBefore and after notAfter (bounds are inclusive)
    const old = await leafOf(root, 'Old', {
      notBefore: new Date(Number(now) - 10 * DAY),
      notAfter: new Date(Number(now) - 1000),
    });
    expect(await reg(old.cert, id)).toBe('AUTO_ID_EXPIRED_CERTIFICATE');
    const edge = await leafOf(root, 'Edge', {
      notBefore: new Date(Number(now)),
      notAfter: new Date(Number(now)),
    });
    expect(await reg(edge.cert, id)).toBe('OK');
    // CertificateSerialAlreadyIssued: the issuer's own serial, then a reused one
    const same = await leafOf(root, 'Same serial', { serial: 77n });
    expect(await reg(same.cert, id)).toBe('AUTO_ID_CERTIFICATE_SERIAL_ALREADY_ISSUED');
    // InvalidCertificate: a TBS without a CN
    expect(
      await code(
        r.registerAutoId(
          {
            type: 'Root',
            certificate: Uint8Array.of(0x30, 0),
            signatureAlgorithm: FAKE_ALG,
            signature: new Uint8Array(64),
          },
          { now },
        ),
      ),
    ).toBe('AUTO_ID_INVALID_CERTIFICATE');
    // UnknownAutoId (renew, revoke), UnknownIssuer (deactivate)
    const nobody = new Uint8Array(32).fill(9);
    expect(await code(r.renewAutoId(nobody, renewalFromCertificate(root.cert.der), { now }))).toBe(
      'AUTO_ID_UNKNOWN_AUTO_ID',
    );
    const anySig = { signatureAlgorithm: FAKE_ALG, value: new Uint8Array(64) };
    expect(await code(r.revokeCertificate(nobody, anySig))).toBe('AUTO_ID_UNKNOWN_AUTO_ID');
    expect(await code(r.deactivateAutoId(nobody, anySig))).toBe('AUTO_ID_UNKNOWN_ISSUER');
    // PublicKeyMismatch: renewal with another key; AutoIdIdentifierMismatch: another CN
    const rekeyed = await selfIssueCertificate({
      commonName: 'Root',
      keys: (await rootOf('x')).keys,
      ...window,
    });
    // signed by the new key, so the signature check (old stored key) fails first, as in the pallet
    expect(await code(r.renewAutoId(id, renewalFromCertificate(rekeyed.der), { now }))).toBe(
      'AUTO_ID_INVALID_SIGNATURE',
    );
    const renamed = await selfIssueCertificate({ commonName: 'Renamed', keys: root.keys, ...window });
    expect(await code(r.renewAutoId(id, renewalFromCertificate(renamed.der), { now }))).toBe(
      'AUTO_ID_IDENTIFIER_MISMATCH',
    );
    // Wrong nonce: a revocation signed over nonce 1 while the issuer is at 0
    const leaf = await leafOf(root, 'Leaf');
    const leafId = await r.registerAutoId(registrationFromCertificate(leaf.cert.der, id), { now });
    const wrong = await signCertificateAction(root.keys.privateKey, {
      id: leafId,
      nonce: 1n,
      actionType: 'RevokeCertificate',
    });
    expect(await code(r.revokeCertificate(leafId, wrong))).toBe('AUTO_ID_INVALID_SIGNATURE');
    // Signed by the leaf itself (not its issuer)
    const self = await signCertificateAction(leaf.keys.privateKey, r.revocationAction(leafId));
    expect(await code(r.revokeCertificate(leafId, self))).toBe('AUTO_ID_INVALID_SIGNATURE');
    // After revocation, re-registering the same certificate is CertificateRevoked
    await r.revokeCertificate(
      leafId,
      await signCertificateAction(root.keys.privateKey, r.revocationAction(leafId)),
    );
    const again = await leafOf(root, 'Leaf again', { serial: leaf.cert.serial });
    expect(await reg(again.cert, id)).toBe('AUTO_ID_CERTIFICATE_REVOKED');
  });

  it('PublicKeyMismatch and NonceOverflow (injected verifier)', async () => {
    const r = new AutoIdRegistry({ verifySignature: fakeVerify });
    const tbs = (serial: bigint, cn: string, k: number) =>
      makeTbs({ serial, cn, spki: fakeSpki(k), notBefore: now, notAfter: now + 1000n });
    const root = tbs(1n, 'R', 1);
    const id = await r.registerAutoId(
      {
        type: 'Root',
        certificate: root,
        signatureAlgorithm: FAKE_ALG,
        signature: fakeSign(fakeSpki(1), root),
      },
      { now },
    );
    const rekey = tbs(2n, 'R', 2);
    expect(
      await code(
        r.renewAutoId(
          id,
          {
            issuerId: undefined,
            certificate: rekey,
            signatureAlgorithm: FAKE_ALG,
            signature: fakeSign(fakeSpki(1), rekey),
          },
          { now },
        ),
      ),
    ).toBe('AUTO_ID_PUBLIC_KEY_MISMATCH');
    // Failing calls leave no trace: the CRL write of the renewal was reverted.
    expect(r.getRevocationList(id)).toBeUndefined();
    // Drive the nonce to U256::MAX through the storage codec, then a revocation overflows.
    const state = r as unknown as { autoIds: Map<string, { nonce: bigint }> };
    for (const c of state.autoIds.values()) c.nonce = (1n << 256n) - 1n;
    const payload = (await import('../src/index.js')).encodeCertificateAction(r.revocationAction(id));
    expect(
      await code(
        r.revokeCertificate(id, { signatureAlgorithm: FAKE_ALG, value: fakeSign(fakeSpki(1), payload) }),
      ),
    ).toBe('AUTO_ID_NONCE_OVERFLOW');
  });

  it('pallet errors carry the variant name and its index', () => {
    expect(PALLET_ERRORS.indexOf('PublicKeyMismatch')).toBe(11);
    expect(PALLET_ERRORS).toHaveLength(12);
  });
});

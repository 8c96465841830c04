import { bytesToHex } from '@autonomys/primitives';
import { describe, expect, it } from 'vitest';
import {
  checkPermission,
  createCsr,
  deriveAutoId,
  didFromAutoId,
  generateKeyPair,
  issueCertificate,
  issueDelegation,
  permits,
  presentDelegation,
  registrationFromCertificate,
  renewalFromCertificate,
  selfIssueCertificate,
  signCertificateAction,
  verifyAgentAuthorization,
  verifyDelegation,
} from '../src/index.js';
import { DAY, makeWorld, NOW, rejectCode, type World, window } from './identities.js';

const grant = (w: World, over: Partial<Parameters<typeof issueDelegation>[0]> = {}) =>
  issueDelegation({
    delegator: { id: w.creator.id, privateKey: w.creator.keys.privateKey },
    agent: w.agent.id,
    permissions: ['calendar:edit', 'booking:*'],
    purpose: 'book the team offsite',
    validFrom: new Date(NOW - DAY),
    validUntil: new Date(NOW + 7 * DAY),
    id: 'urn:uuid:5d0c0000-0000-4000-8000-000000000007',
    ...over,
  });

describe('permissions', () => {
  it('exact, prefix:* and * grants; requests are never wildcards', () => {
    expect(permits(['calendar:edit'], 'calendar:edit')).toBe(true);
    expect(permits(['calendar:edit'], 'calendar:editor')).toBe(false);
    expect(permits(['booking:*'], 'booking:hotel:paris')).toBe(true);
    expect(permits(['booking:*'], 'booking')).toBe(false);
    expect(permits(['booking:*'], 'bookings:x')).toBe(false);
    expect(permits(['*'], 'payments:send')).toBe(true);
    for (const bad of ['', 'a b', 'a::b', ':a', 'a:', 'x'.repeat(257), 'a*', 7])
      expect(() => checkPermission(bad)).toThrow(
        expect.objectContaining({ code: 'AUTO_ID_INVALID_ARGUMENT' }),
      );
  });
});

for (const alg of ['Ed25519', 'RSA-2048'] as const) {
  describe(`agent chain root -> creator -> agent (${alg})`, () => {
    it('the agent Auto ID is derived from its creator, as the pallet derives a leaf', async () => {
      const w = await makeWorld(alg);
      expect(w.agent.id).toEqual(deriveAutoId('Alice booking agent', w.creator.id));
      expect(w.registry.getAutoId(w.agent.id)?.certificate.issuerId).toEqual(w.creator.id);
      expect(w.registry.chainOf(w.agent.id)?.map((l) => bytesToHex(l.id))).toEqual(
        [w.agent.id, w.creator.id, w.root.id].map(bytesToHex),
      );
    });

    it('verifies, presents with a challenge, and breaks when any link is revoked', async () => {
      const w = await makeWorld(alg);
      const d = await grant(w);
      const ok = await verifyDelegation(d, { registry: w.registry, now: NOW, permission: 'booking:flight' });
      expect(ok.agent).toEqual(w.agent.id);
      expect(ok.delegator).toEqual(w.creator.id);
      expect(ok.chain.length).toBe(3);
      expect(ok.permissions).toEqual(['calendar:edit', 'booking:*']);

      const vp = await presentDelegation({
        agent: { id: w.agent.id, privateKey: w.agent.keys.privateKey },
        delegation: d,
        challenge: 'nonce-1',
        domain: 'hotel.example',
      });
      const opts = { registry: w.registry, now: NOW, challenge: 'nonce-1', domain: 'hotel.example' };
      await expect(
        verifyAgentAuthorization(vp, { ...opts, permission: 'calendar:edit' }),
      ).resolves.toBeTruthy();
      // A permission outside the delegation, a replay to another challenge or domain.
      expect(await rejectCode(verifyAgentAuthorization(vp, { ...opts, permission: 'payments:send' }))).toBe(
        'AUTO_ID_PERMISSION_DENIED',
      );
      expect(
        await rejectCode(
          verifyAgentAuthorization(vp, { ...opts, permission: 'calendar:edit', challenge: 'nonce-2' }),
        ),
      ).toBe('AUTO_ID_INVALID_PROOF');
      expect(
        await rejectCode(
          verifyAgentAuthorization(vp, { ...opts, permission: 'calendar:edit', domain: 'evil.example' }),
        ),
      ).toBe('AUTO_ID_INVALID_PROOF');

      // The creator presenting the agent's delegation is not the agent.
      const stolen = await presentDelegation({
        agent: { id: w.creator.id, privateKey: w.creator.keys.privateKey },
        delegation: d,
        challenge: 'nonce-1',
        domain: 'hotel.example',
      });
      expect(
        await rejectCode(verifyAgentAuthorization(stolen, { ...opts, permission: 'calendar:edit' })),
      ).toBe('AUTO_ID_PERMISSION_DENIED');
      // A withdrawn delegation.
      expect(
        await rejectCode(
          verifyDelegation(d, {
            registry: w.registry,
            now: NOW,
            revokedDelegations: new Set(['urn:uuid:5d0c0000-0000-4000-8000-000000000007']),
          }),
        ),
      ).toBe('AUTO_ID_REVOKED');

      // Revoke the creator (by the root): the agent's chain breaks at the middle level.
      await w.revoke(w.creator.id, w.root, NOW + 10);
      expect(await rejectCode(verifyDelegation(d, { registry: w.registry, now: NOW + 20 }))).toBe(
        'AUTO_ID_REVOKED',
      );
      expect(
        await rejectCode(
          verifyAgentAuthorization(vp, { ...opts, now: NOW + 20, permission: 'calendar:edit' }),
        ),
      ).toBe('AUTO_ID_REVOKED');
    });
  });
}

describe('agent chain breaks at every level (Ed25519)', () => {
  it('revoking the agent (by its creator) or the root (self-revocation) breaks it', async () => {
    for (const level of ['agent', 'root'] as const) {
      const w = await makeWorld();
      const d = await grant(w);
      await verifyDelegation(d, { registry: w.registry, now: NOW });
      if (level === 'agent') await w.revoke(w.agent.id, w.creator, NOW);
      else await w.revoke(w.root.id, w.root, NOW);
      expect(await rejectCode(verifyDelegation(d, { registry: w.registry, now: NOW })), level).toBe(
        'AUTO_ID_REVOKED',
      );
    }
  });

  it('deactivating the creator breaks it; expiry of the delegation or of any certificate breaks it', async () => {
    const w = await makeWorld();
    const d = await grant(w);
    expect(await rejectCode(verifyDelegation(d, { registry: w.registry, now: NOW + 8 * DAY }))).toBe(
      'AUTO_ID_NOT_VALID_AT',
    );
    expect(await rejectCode(verifyDelegation(d, { registry: w.registry, now: NOW - 2 * DAY }))).toBe(
      'AUTO_ID_NOT_VALID_AT',
    );
    // A delegation valid for years outlives the certificates: the chain's notAfter decides.
    const long = await grant(w, { validUntil: new Date(NOW + 1000 * DAY) });
    expect(await rejectCode(verifyDelegation(long, { registry: w.registry, now: NOW + 400 * DAY }))).toBe(
      'AUTO_ID_NOT_VALID_AT',
    );
    const sig = await signCertificateAction(
      w.creator.keys.privateKey,
      w.registry.deactivationAction(w.creator.id),
    );
    await w.registry.deactivateAutoId(w.creator.id, sig, { now: NOW });
    expect(await rejectCode(verifyDelegation(d, { registry: w.registry, now: NOW }))).toBe('AUTO_ID_REVOKED');
    expect(w.registry.revocationStatus(w.agent.id)).toMatchObject({
      revoked: true,
      reason: 'deactivated',
      since: BigInt(NOW),
    });
  });

  it('a delegation from outside the agent chain, or from the agent itself, is refused', async () => {
    const w = await makeWorld();
    // Another organisation's root in the same registry.
    const strangerKeys = await generateKeyPair();
    const otherCert = await selfIssueCertificate({ commonName: 'Other Org', keys: strangerKeys, ...window });
    const root2 = {
      id: await w.registry.registerAutoId(registrationFromCertificate(otherCert.der), { now: NOW }),
      keys: strangerKeys,
    };
    const d1 = await issueDelegation({
      delegator: { id: root2.id, privateKey: root2.keys.privateKey },
      agent: w.agent.id,
      permissions: ['*'],
      validUntil: new Date(NOW + DAY),
      validFrom: new Date(NOW - DAY),
    });
    expect(await rejectCode(verifyDelegation(d1, { registry: w.registry, now: NOW }))).toBe(
      'AUTO_ID_PERMISSION_DENIED',
    );
    const self = await issueDelegation({
      delegator: { id: w.agent.id, privateKey: w.agent.keys.privateKey },
      agent: w.agent.id,
      permissions: ['*'],
      validUntil: new Date(NOW + DAY),
      validFrom: new Date(NOW - DAY),
    });
    expect(await rejectCode(verifyDelegation(self, { registry: w.registry, now: NOW }))).toBe(
      'AUTO_ID_PERMISSION_DENIED',
    );
    // The root (above the creator) may delegate to the agent.
    const fromRoot = await issueDelegation({
      delegator: { id: w.root.id, privateKey: w.root.keys.privateKey },
      agent: w.agent.id,
      permissions: ['audit:read'],
      validUntil: new Date(NOW + DAY),
      validFrom: new Date(NOW - DAY),
    });
    await expect(
      verifyDelegation(fromRoot, { registry: w.registry, now: NOW, permission: 'audit:read' }),
    ).resolves.toBeTruthy();
    // A key that is not the delegator's: the proof does not verify.
    const forged = await issueDelegation({
      delegator: { id: w.creator.id, privateKey: strangerKeys.privateKey },
      agent: w.agent.id,
      permissions: ['*'],
      validUntil: new Date(NOW + DAY),
      validFrom: new Date(NOW - DAY),
    });
    expect(await rejectCode(verifyDelegation(forged, { registry: w.registry, now: NOW }))).toBe(
      'AUTO_ID_INVALID_PROOF',
    );
    // A tampered permission list.
    const d = (await grant(w)) as unknown as Record<string, unknown> & {
      credentialSubject: { permissions: string[] };
    };
    const wider = structuredClone(d);
    wider.credentialSubject.permissions.push('payments:*');
    expect(await rejectCode(verifyDelegation(wider, { registry: w.registry, now: NOW }))).toBe(
      'AUTO_ID_INVALID_PROOF',
    );
  });

  it('a renewed creator certificate keeps the agent chain (same key, same Auto ID)', async () => {
    const w = await makeWorld();
    const d = await grant(w);
    const renewed = await issueCertificate({
      csr: await createCsr({ commonName: 'Alice', keys: w.creator.keys }),
      issuer: { certificate: w.root.cert.der, privateKey: w.root.keys.privateKey },
      ...window,
    });
    await w.registry.renewAutoId(w.creator.id, renewalFromCertificate(renewed.der, w.root.id), { now: NOW });
    await expect(
      verifyDelegation(d, { registry: w.registry, now: NOW, permission: 'calendar:edit' }),
    ).resolves.toBeTruthy();
    expect(didFromAutoId(w.creator.id)).toMatch(/^did:autoid:[0-9a-f]{64}$/);
  });
});

describe('oversized extensions', () => {
  it('the registry accepts them as the pallet does; the agent layer refuses the chain', async () => {
    await import('reflect-metadata');
    const x509 = await import('@peculiar/x509');
    const w = await makeWorld();
    const keys = await generateKeyPair();
    const creatorX509 = new x509.X509Certificate(w.creator.cert.der.slice());
    const big = await x509.X509CertificateGenerator.create({
      serialNumber: '0badbeef',
      subject: 'CN=Bloated agent',
      issuer: creatorX509.subjectName,
      ...window,
      publicKey: keys.publicKey,
      signingKey: w.creator.keys.privateKey,
      signingAlgorithm: { name: 'Ed25519' },
      extensions: [new x509.Extension('1.3.6.1.4.1.99999.1', false, new Uint8Array(20_000).fill(0x41))],
    });
    const id = await w.registry.registerAutoId(
      registrationFromCertificate(new Uint8Array(big.rawData), w.creator.id),
      { now: NOW },
    );
    const d = await issueDelegation({
      delegator: { id: w.creator.id, privateKey: w.creator.keys.privateKey },
      agent: id,
      permissions: ['*'],
      validFrom: new Date(NOW - DAY),
      validUntil: new Date(NOW + DAY),
    });
    expect(await rejectCode(verifyDelegation(d, { registry: w.registry, now: NOW }))).toBe(
      'AUTO_ID_CERTIFICATE_TOO_LARGE',
    );
  });
});

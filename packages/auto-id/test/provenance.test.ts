import { ScaleReader } from '@autonomys/primitives';
import { thrownCode } from '@autonomys/test-utils';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AutoIdError,
  cidFromDigest,
  createCsr,
  createProvenanceRecord,
  decodeProvenanceRecord,
  encodeProvenanceRecord,
  issueCertificate,
  PROVENANCE_DOMAIN,
  type ProvenanceRecord,
  provenanceRecordFromJson,
  provenanceRecordToJson,
  provenanceSigningPayload,
  rawCid,
  renewalFromCertificate,
  signCertificateAction,
  verifyProvenanceRecord,
  verifyX509Signature,
} from '../src/index.js';
import { DAY, makeWorld, NOW, rejectCode, type World, window } from './identities.js';

const content = new TextEncoder().encode('The quick brown fox, signed by its author.');

describe('provenance record bytes', () => {
  let w: World;
  let record: ProvenanceRecord;
  beforeAll(async () => {
    w = await makeWorld();
    record = await createProvenanceRecord({
      content,
      signer: { id: w.agent.id, privateKey: w.agent.keys.privateKey },
      timestamp: NOW,
    });
  });

  it('follow the documented layout field by field (152 bytes with Ed25519)', () => {
    const bytes = encodeProvenanceRecord(record);
    expect(bytes.length).toBe(152);
    const r = new ScaleReader(bytes);
    expect(r.u8()).toBe(1);
    expect(r.vecU8()).toEqual(rawCid(content).bytes);
    expect(r.fixed(32)).toEqual(w.agent.id);
    expect(r.u64()).toBe(BigInt(NOW));
    expect(r.vecU8()).toEqual(Uint8Array.of(0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70)); // Ed25519 AlgorithmIdentifier
    expect(r.vecU8().length).toBe(64);
    r.finish();
    // The signed message: domain prefix, then the record up to the signature.
    const payload = provenanceSigningPayload(record);
    expect(new TextDecoder().decode(payload.subarray(0, 31))).toBe(PROVENANCE_DOMAIN);
    expect(payload.subarray(31)).toEqual(bytes.subarray(0, 1 + 1 + 36 + 32 + 8));
  });

  it('the signature is an ordinary X.509-style signature over the payload', async () => {
    const spki = w.agent.cert.subjectPublicKeyInfo;
    expect(
      await verifyX509Signature(
        spki,
        record.signature.signatureAlgorithm,
        provenanceSigningPayload(record),
        record.signature.value,
      ),
    ).toBe(true);
  });

  it('decode(encode(x)) == x and the JSON form round-trips (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.constantFrom('raw', 'dag-pb'),
        fc.constantFrom('blake3', 'sha2-256'),
        fc.uint8Array({ maxLength: 256 }),
        fc.uint8Array({ maxLength: 1024 }),
        (digest, signer, timestamp, codec, hash, signatureAlgorithm, value) => {
          const r: ProvenanceRecord = {
            version: 1,
            cid: cidFromDigest(codec, hash, digest),
            signer,
            timestamp,
            signature: { signatureAlgorithm, value },
          };
          const bytes = encodeProvenanceRecord(r);
          expect(decodeProvenanceRecord(bytes)).toEqual(r);
          expect(provenanceRecordFromJson(JSON.parse(JSON.stringify(provenanceRecordToJson(r))))).toEqual(r);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('fuzz: random and mutated bytes only ever raise AUTO_ID_INVALID_PROVENANCE (or decode)', () => {
    const good = encodeProvenanceRecord(record);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
            const b = good.slice();
            b[i]! ^= x;
            return b;
          }),
          fc.nat(good.length).map((n) => good.subarray(0, n)),
        ),
        (b) => {
          try {
            decodeProvenanceRecord(b);
          } catch (e) {
            expect(e).toBeInstanceOf(AutoIdError);
            expect((e as AutoIdError).code).toBe('AUTO_ID_INVALID_PROVENANCE');
          }
        },
      ),
      { numRuns: 3000 },
    );
    for (const bad of [
      Uint8Array.of(2, ...good.subarray(1)),
      Uint8Array.of(...good, 0),
      good.subarray(0, 100),
    ])
      expect(thrownCode(() => decodeProvenanceRecord(bad), AutoIdError)).toBe('AUTO_ID_INVALID_PROVENANCE');
    for (const bad of [
      null,
      {},
      { version: 2 },
      { ...provenanceRecordToJson(record), timestamp: '-1' },
      { ...provenanceRecordToJson(record), signer: 'did:key:z6Mk' },
    ])
      expect(thrownCode(() => provenanceRecordFromJson(bad), AutoIdError)).toBe('AUTO_ID_INVALID_PROVENANCE');
  });
});

for (const alg of ['Ed25519', 'ECDSA-P256', 'RSA-2048'] as const) {
  describe(`provenance signed by an ${alg} Auto ID`, () => {
    let w: World;
    let wire: Uint8Array;
    beforeAll(async () => {
      w = await makeWorld(alg);
      wire = encodeProvenanceRecord(
        await createProvenanceRecord({
          content,
          signer: { id: w.creator.id, privateKey: w.creator.keys.privateKey },
          timestamp: NOW,
        }),
      );
    });

    it('verifies with the content, the chain and the registry', async () => {
      const v = await verifyProvenanceRecord(wire, { registry: w.registry, content, now: NOW + DAY });
      expect(v.signer).toEqual(w.creator.id);
      expect(v.chain.length).toBe(2);
    });

    it('fails on other content, any flipped byte, or a future timestamp', async () => {
      expect(
        await rejectCode(
          verifyProvenanceRecord(wire, { registry: w.registry, content: content.subarray(1), now: NOW }),
        ),
      ).toBe('AUTO_ID_INVALID_PROOF');
      for (let i = 0; i < wire.length; i += 7) {
        const b = wire.slice();
        b[i]! ^= 0x01;
        const c = await rejectCode(verifyProvenanceRecord(b, { registry: w.registry, now: NOW + DAY }));
        expect([
          'AUTO_ID_INVALID_PROOF',
          'AUTO_ID_INVALID_PROVENANCE',
          'AUTO_ID_UNRESOLVED_IDENTITY',
          'AUTO_ID_NOT_VALID_AT',
        ]).toContain(c);
      }
      expect(await rejectCode(verifyProvenanceRecord(wire, { registry: w.registry, now: NOW - DAY }))).toBe(
        'AUTO_ID_NOT_VALID_AT',
      );
    });

    it('stays valid after a renewal; after a revocation only if signed before it', async () => {
      const renewed = await issueCertificate({
        csr: await createCsr({ commonName: 'Alice', keys: w.creator.keys }),
        issuer: { certificate: w.root.cert.der, privateKey: w.root.keys.privateKey },
        notBefore: new Date(NOW + DAY),
        notAfter: window.notAfter,
      });
      await w.registry.renewAutoId(w.creator.id, renewalFromCertificate(renewed.der, w.root.id), {
        now: NOW + 2 * DAY,
      });
      await verifyProvenanceRecord(wire, { registry: w.registry, now: NOW + 2 * DAY });
      await w.revoke(w.creator.id, w.root, NOW + 3 * DAY);
      // Signed (NOW) before the revocation (NOW + 3 days): still valid.
      await verifyProvenanceRecord(wire, { registry: w.registry, content, now: NOW + 4 * DAY });
      // A record signed after the revocation, or anchored after it, is not.
      const late = await createProvenanceRecord({
        content,
        signer: { id: w.creator.id, privateKey: w.creator.keys.privateKey },
        timestamp: NOW + 3 * DAY,
      });
      expect(
        await rejectCode(verifyProvenanceRecord(late, { registry: w.registry, now: NOW + 4 * DAY })),
      ).toBe('AUTO_ID_REVOKED');
      expect(
        await rejectCode(
          verifyProvenanceRecord(wire, {
            registry: w.registry,
            now: NOW + 4 * DAY,
            trustedTime: NOW + 3 * DAY + 1,
          }),
        ),
      ).toBe('AUTO_ID_REVOKED');
    });
  });
}

describe('provenance and deactivation, unknown revocation times, dag-pb roots', () => {
  it('a deactivated signer: records from before still verify (the registry keeps its last key)', async () => {
    const w = await makeWorld();
    const signer = { id: w.agent.id, privateKey: w.agent.keys.privateKey };
    const before = await createProvenanceRecord({ content, signer, timestamp: NOW });
    const sig = await signCertificateAction(
      w.agent.keys.privateKey,
      w.registry.deactivationAction(w.agent.id),
    );
    await w.registry.deactivateAutoId(w.agent.id, sig, { now: NOW + 1000 });
    await verifyProvenanceRecord(before, { registry: w.registry, now: NOW + 2000 });
    const after = await createProvenanceRecord({ content, signer, timestamp: NOW + 1000 });
    expect(await rejectCode(verifyProvenanceRecord(after, { registry: w.registry, now: NOW + 2000 }))).toBe(
      'AUTO_ID_REVOKED',
    );
  });

  it('a revocation recorded without a time counts as always', async () => {
    const w = await makeWorld();
    const rec = await createProvenanceRecord({
      content,
      signer: { id: w.agent.id, privateKey: w.agent.keys.privateKey },
      timestamp: NOW,
    });
    await w.revoke(w.agent.id, w.creator); // no `at`
    expect(w.registry.revocationStatus(w.agent.id)).toMatchObject({
      revoked: true,
      reason: 'revoked',
      since: undefined,
    });
    expect(await rejectCode(verifyProvenanceRecord(rec, { registry: w.registry, now: NOW }))).toBe(
      'AUTO_ID_REVOKED',
    );
  });

  it('signs a dag-pb root CID; content can only be checked against raw CIDs', async () => {
    const w = await makeWorld();
    const cid = cidFromDigest('dag-pb', 'blake3', new Uint8Array(32).fill(9));
    const rec = await createProvenanceRecord({
      cid: cid.text,
      signer: { id: w.agent.id, privateKey: w.agent.keys.privateKey },
      timestamp: NOW,
    });
    expect(rec.cid).toEqual(cid);
    await verifyProvenanceRecord(rec, { registry: w.registry, now: NOW });
    expect(await rejectCode(verifyProvenanceRecord(rec, { registry: w.registry, now: NOW, content }))).toBe(
      'AUTO_ID_INVALID_ARGUMENT',
    );
    expect(
      await rejectCode(
        verifyProvenanceRecord({ ...rec, signer: new Uint8Array(32) }, { registry: w.registry, now: NOW }),
      ),
    ).toBe('AUTO_ID_UNRESOLVED_IDENTITY');
  });
});

describe('provenance argument checks', () => {
  it('objects that are not records are typed errors', async () => {
    const w = await makeWorld();
    for (const bad of [null, {}, { cid: 'x' }, { cid: { bytes: new Uint8Array(36) }, signer: 1 }])
      expect(
        await rejectCode(
          verifyProvenanceRecord(bad as unknown as ProvenanceRecord, { registry: w.registry }),
        ),
      ).toMatch(/^AUTO_ID_(INVALID_ARGUMENT|INVALID_PROVENANCE)$/);
  });
});

/**
 * Provenance remarks (gateway/provenance.ts) without a chain: the format round trip, bad input,
 * the reader-side verification (self-certified and against a registry, leaf identities, forged
 * and tampered records, records for another CID, revocation) and the object index's persisted
 * CID → provenance entries.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AutoIdRegistry,
  autoIdFromCertificate,
  createCsr,
  createProvenanceRecord,
  derToPem,
  encodeProvenanceRecord,
  exportKeyPem,
  generateKeyPair,
  issueCertificate,
  registrationFromCertificate,
  selfIssueCertificate,
} from '@autonomys/auto-id';
import { blake3HashFromCid, cidToString, encodeFileSync } from '@autonomys/dag';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProvenance } from '../src/cli/commands/storage.js';
import { loadIdentity, type SigningIdentity } from '../src/gateway/client.js';
import { FileObjectIndex, MemoryObjectIndex } from '../src/gateway/object-index.js';
import {
  decodeProvenanceRemark,
  encodeProvenanceRemark,
  PROVENANCE_MAX_CERTIFICATES,
  PROVENANCE_REMARK_MAGIC,
  provenanceCidKey,
  provenanceCidOf,
  verifyProvenanceRemark,
} from '../src/gateway/provenance.js';

const dir = mkdtempSync(join(tmpdir(), 'autonomys-provenance-'));
const cid = cidToString(encodeFileSync(new TextEncoder().encode('hello'), { name: 'a.txt' }).at(-1)!.cid);
const otherCid = cidToString(encodeFileSync(new Uint8Array(3)).at(-1)!.cid);
let alice: SigningIdentity;
let aliceCertDer: Uint8Array;
let bob: SigningIdentity; // a leaf under Alice
let mallory: SigningIdentity;

async function sign(who: SigningIdentity, target = cid, timestamp?: number) {
  return createProvenanceRecord({
    cid: provenanceCidOf(target),
    signer: { id: who.id, privateKey: who.privateKey },
    ...(timestamp === undefined ? {} : { timestamp }),
  });
}

beforeAll(async () => {
  const keys = await generateKeyPair('Ed25519');
  const cert = await selfIssueCertificate({ commonName: 'Alice', keys, autoIdSan: true });
  aliceCertDer = cert.der;
  writeFileSync(join(dir, 'alice.key.pem'), await exportKeyPem(keys.privateKey));
  writeFileSync(join(dir, 'alice.cert.pem'), derToPem(cert.der, 'CERTIFICATE'));
  alice = await loadIdentity(join(dir, 'alice'));
  const bobKeys = await generateKeyPair('ECDSA-P256');
  const bobCert = await issueCertificate({
    csr: await createCsr({ commonName: 'Bob', keys: bobKeys }),
    issuer: { certificate: cert.der, privateKey: keys.privateKey },
    issuerAutoId: alice.id,
  });
  writeFileSync(join(dir, 'bob.key.pem'), await exportKeyPem(bobKeys.privateKey));
  writeFileSync(join(dir, 'bob.cert.pem'), derToPem(bobCert.der, 'CERTIFICATE'));
  bob = await loadIdentity(join(dir, 'bob.key.pem'), [join(dir, 'alice.cert.pem')]);
  const mKeys = await generateKeyPair('Ed25519');
  const mCert = await selfIssueCertificate({ commonName: 'Mallory', keys: mKeys, autoIdSan: true });
  mallory = { id: autoIdFromCertificate(mCert.der), privateKey: mKeys.privateKey, certificates: [mCert.der] };
}, 30_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('provenance remarks', () => {
  it('round-trip and name the file head by its BLAKE3 digest', async () => {
    const record = await sign(alice);
    const remark = encodeProvenanceRemark(record, alice.certificates);
    expect(Buffer.from(remark.subarray(0, PROVENANCE_REMARK_MAGIC.length)).toString()).toBe(
      'autonomys/provenance-remark/v1',
    );
    const back = decodeProvenanceRemark(remark);
    expect(back.recordBytes).toEqual(encodeProvenanceRecord(record));
    expect(back.certificates).toEqual(alice.certificates);
    // The SDK CID (multihash 0x1f) and the record's CID (0x1e) name the same digest.
    expect(provenanceCidKey(cid)).toEqual(blake3HashFromCid(cid));
    expect(back.record.cid.digest).toEqual(blake3HashFromCid(cid));
    expect(provenanceCidOf(back.record.cid.text)).toBe(back.record.cid.text);
  });

  it('refuse malformed bytes with a typed error (fuzzed)', async () => {
    const remark = encodeProvenanceRemark(await sign(alice), alice.certificates);
    const code = (f: () => unknown) => {
      try {
        f();
        return 'ok';
      } catch (e) {
        return (e as { code?: string }).code;
      }
    };
    expect(code(() => decodeProvenanceRemark(remark.subarray(0, remark.length - 1)))).toBe(
      'NODE_INVALID_ARGUMENT',
    );
    expect(code(() => decodeProvenanceRemark(new Uint8Array([...remark, 0])))).toBe('NODE_INVALID_ARGUMENT');
    expect(code(() => decodeProvenanceRemark(new Uint8Array(40)))).toBe('NODE_INVALID_ARGUMENT');
    expect(
      code(() =>
        encodeProvenanceRemark(
          decodeProvenanceRemark(remark).recordBytes,
          Array.from({ length: PROVENANCE_MAX_CERTIFICATES + 1 }, () => new Uint8Array(1)),
        ),
      ),
    ).toBe('NODE_INVALID_ARGUMENT');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (tail, withMagic) => {
        const bytes = withMagic ? new Uint8Array([...PROVENANCE_REMARK_MAGIC, ...tail]) : tail;
        expect(['ok', 'NODE_INVALID_ARGUMENT']).toContain(code(() => decodeProvenanceRemark(bytes)));
      }),
      { numRuns: 300 },
    );
    // Random corruption of a valid remark: decodes to something else or fails, never throws untyped.
    fc.assert(
      fc.property(fc.nat(remark.length - 1), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const bad = remark.slice();
        bad[at]! ^= x;
        expect(['ok', 'NODE_INVALID_ARGUMENT']).toContain(code(() => decodeProvenanceRemark(bad)));
      }),
      { numRuns: 200 },
    );
  });

  it('verify on the reader side: self-certified, then against a trusted registry', async () => {
    const remark = encodeProvenanceRemark(await sign(alice), alice.certificates);
    const r = await verifyProvenanceRemark(remark, cid);
    expect(r).toMatchObject({ subject: 'Alice', selfCertified: true, registered: undefined, verified: true });
    expect(r.key?.algorithm).toBe('Ed25519');
    expect(formatProvenance(r)).toMatch(/: verified \(self-certified, no registry given\)$/);
    const registry = new AutoIdRegistry();
    await registry.registerAutoId(registrationFromCertificate(aliceCertDer), { now: Date.now() });
    const withRegistry = await verifyProvenanceRemark(remark, cid, { registry });
    expect(withRegistry).toMatchObject({ registered: true, verified: true });
    // Not registered in the reader's registry: not verified, with the registry's reason.
    const empty = await verifyProvenanceRemark(remark, cid, { registry: new AutoIdRegistry() });
    expect(empty.verified).toBe(false);
    expect(empty.reasons.join()).toMatch(/registry check: AUTO_ID_UNRESOLVED_IDENTITY/);
  });

  it('verify a leaf identity with its issuer chain', async () => {
    const remark = encodeProvenanceRemark(await sign(bob), bob.certificates);
    const r = await verifyProvenanceRemark(remark, cid);
    expect(r).toMatchObject({ subject: 'Bob', selfCertified: true, verified: true });
    expect(r.key?.algorithm).toBe('ECDSA');
    expect(bob.certificates).toHaveLength(2);
  });

  it('refuse forged, tampered and misdirected records, with reasons', async () => {
    // Alice's record carried with Mallory's certificate.
    const forged = await verifyProvenanceRemark(
      encodeProvenanceRemark(await sign(alice), mallory.certificates),
      cid,
    );
    expect(forged.verified).toBe(false);
    expect(forged.reasons.join()).toMatch(/self-certified check: .*Auto ID/);
    // Mallory's key claiming to be Alice (Alice's certificate carried).
    const impostor = await createProvenanceRecord({
      cid: provenanceCidOf(cid),
      signer: { id: alice.id, privateKey: mallory.privateKey },
    });
    const imp = await verifyProvenanceRemark(encodeProvenanceRemark(impostor, alice.certificates), cid);
    expect(imp.verified).toBe(false);
    expect(imp.reasons.join()).toMatch(/AUTO_ID_INVALID_PROOF/);
    // A flipped signature bit.
    const record = await sign(alice);
    record.signature.value[5]! ^= 1;
    const flipped = await verifyProvenanceRemark(encodeProvenanceRemark(record, alice.certificates), cid);
    expect(flipped.verified).toBe(false);
    // A valid record for another file.
    const other = await verifyProvenanceRemark(
      encodeProvenanceRemark(await sign(alice, otherCid), alice.certificates),
      cid,
    );
    expect(other.selfCertified).toBe(true);
    expect(other.verified).toBe(false);
    expect(other.reasons.join()).toMatch(/the record is for/);
    expect(formatProvenance(other)).toMatch(/NOT verified: the record is for/);
    // No certificate carried and no registry: nothing to verify with.
    const bare = await verifyProvenanceRemark(encodeProvenanceRemark(await sign(alice)), cid);
    expect(bare).toMatchObject({ verified: false, reasons: ['no certificate carried'] });
    // Garbage is a report, not an exception.
    expect((await verifyProvenanceRemark(new Uint8Array(5), cid)).verified).toBe(false);
    // A record dated in the future.
    const future = await verifyProvenanceRemark(
      encodeProvenanceRemark(await sign(alice, cid, Date.now() + 3_600_000), alice.certificates),
      cid,
    );
    expect(future.verified).toBe(false);
  });

  it('refuse a loadable identity that is missing or ambiguous', async () => {
    await expect(loadIdentity(join(dir, 'nobody'))).rejects.toMatchObject({ code: 'NODE_INVALID_ARGUMENT' });
    await expect(loadIdentity(dir)).rejects.toThrow(/holds 2 \*\.key\.pem/);
  });
});

describe('object index provenance entries', () => {
  it('keep CID → remark hashes in memory and persisted, without duplicates', () => {
    const digest = new Uint8Array(32).fill(1);
    const h1 = new Uint8Array(32).fill(2);
    const h2 = new Uint8Array(32).fill(3);
    const mem = new MemoryObjectIndex();
    mem.putProvenance(digest, h1);
    mem.putProvenance(digest, h1);
    mem.putProvenance(digest, h2);
    expect(mem.provenanceOf(digest)).toEqual([h1, h2]);
    expect(mem.provenanceOf(h1)).toEqual([]);
    const path = join(dir, 'objects.log');
    const file = new FileObjectIndex(path);
    file.putProvenance(digest, h1);
    file.putProvenance(digest, h2);
    file.putProvenance(digest, h2);
    file.close();
    // A torn tail is cut off at reopening.
    writeFileSync(`${path}.provenance`, new Uint8Array(10), { flag: 'a' });
    const again = new FileObjectIndex(path);
    expect(again.provenanceOf(digest)).toEqual([h1, h2]);
    again.close();
  });
});

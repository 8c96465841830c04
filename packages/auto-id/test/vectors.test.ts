// Every Auto ID case of ../shared/vectors/identity.json and every file of ../shared/vectors/auto-id/
// is a test here; the Auto Score cases belong to @autonomys/auto-score and are listed as such. The
// last test fails on any case nobody claims.
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { bytesToHex, hexToBytes } from '@autonomys/primitives';
import { loadVectors, VectorClaims, vectorsDir } from '@autonomys/test-utils';
import { describe, expect, it } from 'vitest';
import {
  AutoIdRegistry,
  decodeRegisterAutoId,
  decodeRenewAutoId,
  decodeSignature,
  deriveAutoId,
  encodeCertificateAction,
  encodeRegisterAutoId,
  encodeRenewAutoId,
  encodeSignature,
  parseCertificate,
  parseSignatureAlgorithm,
  verifyX509Signature,
} from '../src/index.js';
import { fixture, MOCK_NOW } from './helpers.js';

interface IdentityVectors {
  _about: string;
  hash: string;
  mock_now_ms: { value: number };
  fixtures: {
    path: string;
    bytes: number;
    subject_cn_utf8: string;
    serial_hex: string;
    not_before_ms: number;
    not_after_ms: number;
    key?: string;
    sig_alg?: string;
    tbs_len?: number;
  }[];
  identifiers: { name: string; input_cn: string; issuer_id_hex?: string; expected_hex: string }[];
  certificate_action_signing_data: { cases: { fixture: string; message_hex: string; signer: string }[] };
  register_params_layout: { fixture: string; prefix_hex: string };
  auto_score_claim_hashes: { values: Record<string, string> };
}

const v = loadVectors<IdentityVectors>('identity.json');
const KNOWN_KEYS = [
  '_about',
  'hash',
  'mock_now_ms',
  'fixtures',
  'identifiers',
  'certificate_action_signing_data',
  'register_params_layout',
  'auto_score_claim_hashes',
];
const files = (dir: string, prefix = ''): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`],
  );
const autoIdFiles = files(join(vectorsDir, 'auto-id'));

/** Cases owned by @autonomys/auto-score (not tested here). */
const AUTO_SCORE_CASES = Object.keys(v.auto_score_claim_hashes.values).map(
  (k) => `auto_score_claim_hashes.${k}`,
);
const ALL = [
  'mock_now_ms',
  ...v.fixtures.map((f) => `fixtures.${basename(f.path)}`),
  ...v.identifiers.map((x) => `identifiers.${x.name}`),
  ...v.certificate_action_signing_data.cases.map((c) => `signing.${basename(c.fixture)}`),
  'register_params_layout',
  ...autoIdFiles.map((f) => `file.${f}`),
  ...AUTO_SCORE_CASES,
];
const claims = new VectorClaims(ALL);
const now = BigInt(v.mock_now_ms.value);
const issuerCert = parseCertificate(fixture('issuer.cert.der'));

describe('identity.json', () => {
  it('mock_now_ms is the pallet tests’ time', () => {
    claims.claim('mock_now_ms');
    expect(now).toBe(MOCK_NOW);
  });

  it.each(v.fixtures)('fixtures.$path parses as the pallet reads it', async (f) => {
    const name = basename(f.path);
    claims.claim(`fixtures.${name}`);
    const der = fixture(name);
    expect(der.length).toBe(f.bytes);
    const c = parseCertificate(der);
    expect(new TextDecoder().decode(c.subjectCommonName)).toBe(f.subject_cn_utf8);
    expect(c.serial).toBe(BigInt(`0x${f.serial_hex}`));
    expect(c.validity).toEqual({ notBefore: BigInt(f.not_before_ms), notAfter: BigInt(f.not_after_ms) });
    if (f.tbs_len) expect(c.tbs.length).toBe(f.tbs_len);
    if (f.sig_alg === 'sha256WithRSAEncryption')
      expect(parseSignatureAlgorithm(c.signatureAlgorithm)).toEqual({
        kind: 'RSASSA-PKCS1-v1_5',
        hash: 'SHA-256',
      });
    // Every fixture is signed by the issuer key (the root self-signed, the leaves by it).
    expect(
      await verifyX509Signature(issuerCert.subjectPublicKeyInfo, c.signatureAlgorithm, c.tbs, c.signature),
    ).toBe(true);
  });

  it.each(v.identifiers)('identifiers.$name derives as the pallet', (x) => {
    claims.claim(`identifiers.${x.name}`);
    const issuer = x.issuer_id_hex ? hexToBytes(x.issuer_id_hex) : undefined;
    expect(bytesToHex(deriveAutoId(x.input_cn, issuer))).toBe(x.expected_hex);
    expect(bytesToHex(fixture(`benchmarks/${x.name}`))).toBe(x.expected_hex);
  });

  it.each(v.certificate_action_signing_data.cases)('signing.$fixture', async (c) => {
    const name = basename(c.fixture);
    claims.claim(`signing.${name}`);
    const msg = hexToBytes(c.message_hex);
    const id = msg.subarray(0, 32);
    const actionType = msg[64] === 0 ? 'RevokeCertificate' : 'DeactivateAutoId';
    expect(bytesToHex(encodeCertificateAction({ id, nonce: 0n, actionType }))).toBe(c.message_hex);
    const bytes = fixture(`benchmarks/${name}`);
    const sig = decodeSignature(bytes);
    expect(encodeSignature(sig)).toEqual(bytes);
    expect(bytesToHex(sig.signatureAlgorithm)).toBe('300b06092a864886f70d01010b');
    expect(
      await verifyX509Signature(issuerCert.subjectPublicKeyInfo, sig.signatureAlgorithm, msg, sig.value),
    ).toBe(true);
    const flipped = msg.slice();
    flipped[64]! ^= 1;
    expect(
      await verifyX509Signature(issuerCert.subjectPublicKeyInfo, sig.signatureAlgorithm, flipped, sig.value),
    ).toBe(false);
  });

  it('register_params_layout', () => {
    claims.claim('register_params_layout');
    const bytes = fixture(basename(v.register_params_layout.fixture).replace(/^/, 'benchmarks/'));
    expect(bytesToHex(bytes.subarray(0, 2))).toBe(v.register_params_layout.prefix_hex);
    const req = decodeRegisterAutoId(bytes);
    expect(req).toEqual({
      type: 'Root',
      certificate: issuerCert.tbs,
      signatureAlgorithm: issuerCert.signatureAlgorithm,
      signature: issuerCert.signature,
    });
    const leaf = fixture('benchmarks/leaf_register_auto_id_params');
    expect(bytesToHex(leaf.subarray(0, 34))).toBe(`0001${bytesToHex(deriveAutoId('Vedhavyas Sinhareddi'))}`);
  });
});

describe('../shared/vectors/auto-id files', () => {
  const scale: Record<string, [(b: Uint8Array) => unknown, (x: never) => Uint8Array]> = {
    register_auto_id_params: [decodeRegisterAutoId, encodeRegisterAutoId],
    auto_id_renewal: [decodeRenewAutoId, encodeRenewAutoId],
    signature: [decodeSignature, encodeSignature],
  };
  it.each(autoIdFiles)('file.%s decodes and re-encodes byte-identically', (f) => {
    claims.claim(`file.${f}`);
    const bytes = fixture(f);
    if (f.endsWith('.der')) {
      expect(parseCertificate(bytes).der).toEqual(bytes);
      return;
    }
    if (f.endsWith('_auto_id')) {
      expect(bytes.length).toBe(32);
      return;
    }
    const codec = Object.entries(scale).find(([suffix]) => f.endsWith(suffix))?.[1];
    expect(codec, `a codec for ${f}`).toBeDefined();
    const [dec, enc] = codec!;
    expect(enc(dec(bytes) as never)).toEqual(bytes);
  });

  it('the benchmark parameters pass the registry as the pallet’s benchmarks do', async () => {
    const r = new AutoIdRegistry();
    const issuerId = await r.registerAutoId(
      decodeRegisterAutoId(fixture('benchmarks/issuer_register_auto_id_params')),
      {
        now,
      },
    );
    const leafId = await r.registerAutoId(
      decodeRegisterAutoId(fixture('benchmarks/leaf_register_auto_id_params')),
      {
        now,
      },
    );
    expect(issuerId).toEqual(fixture('benchmarks/issuer_auto_id'));
    expect(leafId).toEqual(fixture('benchmarks/leaf_auto_id'));
    await r.renewAutoId(issuerId, decodeRenewAutoId(fixture('benchmarks/issuer_auto_id_renewal')), { now });
    await r.renewAutoId(leafId, decodeRenewAutoId(fixture('benchmarks/leaf_auto_id_renewal')), { now });
    await r.revokeCertificate(
      leafId,
      decodeSignature(fixture('benchmarks/leaf_auto_id_revocation_signature')),
    );
    expect(r.isRevoked(leafId)).toBe(true);
    // The issuer's nonce is now 1: its nonce-0 self-revocation signature is a replay.
    await expect(
      r.revokeCertificate(
        issuerId,
        decodeSignature(fixture('benchmarks/issuer_auto_id_revocation_signature')),
      ),
    ).rejects.toMatchObject({
      code: 'AUTO_ID_INVALID_SIGNATURE',
      type: { pallet: 'InvalidSignature', index: 3 },
    });
    // Deactivation signs the issuer's own nonce, 1 now as well: the nonce-0 fixture is refused too.
    await expect(
      r.deactivateAutoId(
        issuerId,
        decodeSignature(fixture('benchmarks/issuer_auto_id_deactivation_signature')),
      ),
    ).rejects.toMatchObject({ code: 'AUTO_ID_INVALID_SIGNATURE' });

    // On a fresh registry (nonce 0) both issuer fixtures verify.
    const fresh = new AutoIdRegistry();
    await fresh.registerAutoId(decodeRegisterAutoId(fixture('benchmarks/issuer_register_auto_id_params')), {
      now,
    });
    await fresh.revokeCertificate(
      issuerId,
      decodeSignature(fixture('benchmarks/issuer_auto_id_revocation_signature')),
    );
    expect(fresh.isRevoked(issuerId)).toBe(true);
    expect(fresh.getAutoId(issuerId)?.certificate.nonce).toBe(1n);
    const again = new AutoIdRegistry();
    await again.registerAutoId(decodeRegisterAutoId(fixture('benchmarks/issuer_register_auto_id_params')), {
      now,
    });
    await again.deactivateAutoId(
      issuerId,
      decodeSignature(fixture('benchmarks/issuer_auto_id_deactivation_signature')),
    );
    expect(again.getAutoId(issuerId)).toBeUndefined();
  });
});

describe('claims', () => {
  it('identity.json has no section this suite does not know', () => {
    expect(Object.keys(v).filter((k) => !KNOWN_KEYS.includes(k))).toEqual([]);
  });

  it('every case is tested here or owned by @autonomys/auto-score', () => {
    for (const id of AUTO_SCORE_CASES) claims.claim(id); // owner: @autonomys/auto-score
    expect(claims.unclaimed()).toEqual([]);
  });
});

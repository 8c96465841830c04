// Certificate reading and making: the pallet's field semantics, algorithms, PEM, CSRs.
import { bytesToHex, hexToBytes } from '@autonomys/primitives';
import { thrownCode } from '@autonomys/test-utils';
import { describe, expect, it } from 'vitest';
import { encodeElement, encodeOid } from '../src/der.js';
import {
  AutoIdError,
  autoIdFromCertificate,
  createCsr,
  decodeTbs,
  deriveAutoId,
  derToPem,
  generateKeyPair,
  issueCertificate,
  parseCertificate,
  parsePublicKeyInfo,
  parseSignatureAlgorithm,
  pemToDer,
  selfIssueCertificate,
  verifyX509Signature,
} from '../src/index.js';
import { fakeSpki, fixture, makeTbs } from './helpers.js';

const enc = new TextEncoder();
const base = { serial: 5n, cn: 'x', spki: fakeSpki(1), notBefore: 1_000_000n, notAfter: 2_000_000_123n };

describe('decodeTbs', () => {
  it('reads validity with milliseconds (GeneralizedTime fraction) and inclusive bounds', () => {
    expect(decodeTbs(makeTbs(base)).validity).toEqual({ notBefore: 1_000_000n, notAfter: 2_000_000_123n });
  });

  it('takes the first commonName value bytes, whatever the string type', () => {
    const tbs = makeTbs(base);
    expect(decodeTbs(tbs).subjectCommonName).toEqual(enc.encode('x'));
  });

  it('reads the serial as an unsigned magnitude up to 32 bytes', () => {
    const big = (1n << 255n) + 1n;
    expect(decodeTbs(makeTbs({ ...base, serial: big })).serial).toBe(big);
    expect(thrownCode(() => decodeTbs(makeTbs({ ...base, serial: 1n << 256n })), AutoIdError)).toBe(
      'AUTO_ID_MALFORMED_DER',
    );
  });

  it('ignores bytes after the TBS, as x509-parser’s from_der does', () => {
    const tbs = makeTbs(base);
    const padded = new Uint8Array([...tbs, 1, 2, 3]);
    expect(decodeTbs(padded)).toEqual(decodeTbs(tbs));
  });

  it('rejects a subject without a CN, a time before 1970, truncation, and garbage', () => {
    const tbs = makeTbs(base);
    const noCn = bytesToHex(tbs).replaceAll('0603550403', '0603550404'); // CN -> surname
    expect(thrownCode(() => decodeTbs(hexToBytes(noCn)), AutoIdError)).toBe('AUTO_ID_MALFORMED_DER');
    // UTCTime 69 is 1969: the pallet's u64 conversion fails.
    const utc = (s: string) => encodeElement(0x17, enc.encode(s));
    const hex = bytesToHex(tbs);
    const validity = bytesToHex(decodeValiditySpan(tbs));
    const before1970 = hex.replace(
      validity,
      bytesToHex(encodeElement(0x30, new Uint8Array([...utc('691231235959Z'), ...utc('491231235959Z')]))),
    );
    expect(hex).not.toBe(before1970);
    expect(thrownCode(() => decodeTbs(hexToBytes(before1970)), AutoIdError)).toBe('AUTO_ID_MALFORMED_DER');
    for (let cut = 0; cut < tbs.length; cut += 7)
      expect(thrownCode(() => decodeTbs(tbs.subarray(0, cut)), AutoIdError)).toBe('AUTO_ID_MALFORMED_DER');
  });
});

// The validity SEQUENCE of a makeTbs output (GeneralizedTime 0x18 pairs).
function decodeValiditySpan(tbs: Uint8Array): Uint8Array {
  for (let i = 0; i < tbs.length - 2; i++)
    if (tbs[i] === 0x30 && tbs[i + 2] === 0x18) return tbs.subarray(i, i + 2 + tbs[i + 1]!);
  throw new Error('no validity');
}

describe('identifiers', () => {
  it('root and leaf, from CN text or bytes, and from a certificate', () => {
    const issuerId = fixture('benchmarks/issuer_auto_id');
    expect(deriveAutoId(enc.encode('Vedhavyas Sinhareddi'))).toEqual(issuerId);
    expect(autoIdFromCertificate(fixture('issuer.cert.der'))).toEqual(issuerId);
    expect(autoIdFromCertificate(fixture('updated.leaf.cert.der'), issuerId)).toEqual(
      fixture('benchmarks/leaf_auto_id'),
    );
    expect(thrownCode(() => deriveAutoId('x', new Uint8Array(31)), AutoIdError)).toBe(
      'AUTO_ID_INVALID_ARGUMENT',
    );
  });
});

describe('signature algorithms', () => {
  const alg = (oid: string, params?: Uint8Array) =>
    encodeElement(0x30, new Uint8Array([...encodeOid(oid), ...(params ?? [])]));
  it('maps the AlgorithmIdentifiers the pallet accepts and refuses the rest', () => {
    expect(parseSignatureAlgorithm(alg('1.2.840.10045.4.3.3'))).toEqual({ kind: 'ECDSA', hash: 'SHA-384' });
    expect(parseSignatureAlgorithm(alg('1.3.101.112'))).toEqual({ kind: 'Ed25519' });
    expect(thrownCode(() => parseSignatureAlgorithm(alg('1.2.840.10045.4.3.4')), AutoIdError)).toBe(
      'AUTO_ID_UNSUPPORTED_ALGORITHM',
    ); // ecdsa-with-SHA512
    expect(thrownCode(() => parseSignatureAlgorithm(alg('1.3.101.113')), AutoIdError)).toBe(
      'AUTO_ID_UNSUPPORTED_ALGORITHM',
    ); // Ed448
    expect(
      thrownCode(
        () => parseSignatureAlgorithm(alg('1.2.840.113549.1.1.10', encodeElement(0x30, new Uint8Array()))),
        AutoIdError,
      ),
    ).toBe('AUTO_ID_UNSUPPORTED_ALGORITHM'); // PSS with the default SHA-1
  });

  it('RSA-PSS (salt = hash length) and ECDSA P-384 verify; RSA-1024 with SHA-256 is refused', async () => {
    const data = enc.encode('payload');
    const pss = (await crypto.subtle.generateKey(
      { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pss.publicKey));
    const sig = new Uint8Array(
      await crypto.subtle.sign({ name: 'RSA-PSS', saltLength: 32 }, pss.privateKey, data),
    );
    const sha256 = encodeElement(0x30, encodeOid('2.16.840.1.101.3.4.2.1'));
    const pssAlg = alg('1.2.840.113549.1.1.10', encodeElement(0x30, encodeElement(0xa0, sha256)));
    expect(parsePublicKeyInfo(spki)).toEqual({ kind: 'RSA', modulusBits: 2048 });
    expect(await verifyX509Signature(spki, pssAlg, data, sig)).toBe(true);
    expect(await verifyX509Signature(fakeSpki(1), pssAlg, data, sig).catch((e) => e.code)).toBe(
      'AUTO_ID_UNSUPPORTED_ALGORITHM',
    );
    const small = (await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 1024,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    const smallSpki = new Uint8Array(await crypto.subtle.exportKey('spki', small.publicKey));
    const rsa256 = alg('1.2.840.113549.1.1.11', Uint8Array.of(5, 0));
    expect(await verifyX509Signature(smallSpki, rsa256, data, new Uint8Array(128)).catch((e) => e.code)).toBe(
      'AUTO_ID_UNSUPPORTED_ALGORITHM',
    );
  });
});

describe('making certificates', () => {
  it('self-issued root with an autoid SAN, PEM round trip', async () => {
    const keys = await generateKeyPair('ECDSA-P256');
    const root = await selfIssueCertificate({
      commonName: 'Alice, Inc.',
      keys,
      autoIdSan: true,
      serial: 0x80n,
    });
    expect(new TextDecoder().decode(root.subjectCommonName)).toBe('Alice, Inc.');
    expect(root.serial).toBe(0x80n);
    expect(bytesToHex(root.der)).toContain(
      bytesToHex(enc.encode(`autoid:auto:${bytesToHex(deriveAutoId('Alice, Inc.'))}`)),
    );
    const pem = derToPem(root.der);
    expect(parseCertificate(pem)).toEqual(root);
    expect(pemToDer(pem)).toEqual(root.der);
    expect(
      await verifyX509Signature(root.subjectPublicKeyInfo, root.signatureAlgorithm, root.tbs, root.signature),
    ).toBe(true);
  });

  it('a tampered CSR is refused', async () => {
    const keys = await generateKeyPair();
    const csr = await createCsr({ commonName: 'Bob', keys });
    const bad = csr.slice();
    bad[bad.length - 1]! ^= 1;
    const issuerKeys = await generateKeyPair();
    const issuer = await selfIssueCertificate({ commonName: 'CA', keys: issuerKeys });
    await expect(
      issueCertificate({ csr: bad, issuer: { certificate: issuer.der, privateKey: issuerKeys.privateKey } }),
    ).rejects.toMatchObject({ code: 'AUTO_ID_INVALID_CSR' });
    const leaf = await issueCertificate({
      csr: derToPem(csr, 'CERTIFICATE REQUEST'),
      issuer: { certificate: issuer.der, privateKey: issuerKeys.privateKey },
      issuerAutoId: deriveAutoId('CA'),
    });
    expect(bytesToHex(leaf.der)).toContain(
      bytesToHex(enc.encode(`autoid:auto:${bytesToHex(deriveAutoId('Bob', deriveAutoId('CA')))}`)),
    );
  });
});

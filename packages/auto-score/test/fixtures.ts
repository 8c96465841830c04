/**
 * Test fixtures built in the tests: Reclaim proofs signed by test witness keys, and e-passport
 * data sets (CSCA -> DSC chain made with @autonomys/auto-id, EF.SOD assembled here).
 */
import { createCsr, generateKeyPair, issueCertificate, selfIssueCertificate } from '@autonomys/auto-id';
import { bytesToHex } from '@autonomys/primitives';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256, sha384 } from '@noble/hashes/sha2.js';
import { type Claim, claimTypeHash, nullifier } from '../src/claims.js';
import { OID } from '../src/constants.js';
import { ctx, encAlg, encInt, encOid, T, tlv } from '../src/der.js';
import { mrzCheckDigit } from '../src/mrz.js';
import {
  ethAddress,
  ethMessageHash,
  type ReclaimProof,
  type ReclaimProviderConfig,
  reclaimClaimIdentifier,
  reclaimSignData,
} from '../src/reclaim.js';

const enc = new TextEncoder();

// ---------- Reclaim ----------

export interface Witness {
  secretKey: Uint8Array;
  address: string;
}

/** A deterministic witness key from a seed byte. */
export function witness(seed: number): Witness {
  const secretKey = new Uint8Array(32).fill(seed);
  return { secretKey, address: `0x${bytesToHex(ethAddress(secp256k1.getPublicKey(secretKey)))}` };
}

/** EIP-191 signature r ‖ s ‖ v (v = 27/28) as ethers' signMessage makes it. */
export function personalSign(message: string, secretKey: Uint8Array): string {
  const rec = secp256k1.sign(ethMessageHash(enc.encode(message)), secretKey, {
    prehash: false,
    format: 'recovered',
  });
  const out = new Uint8Array(65);
  out.set(rec.subarray(1), 0);
  out[64] = 27 + rec[0]!;
  return `0x${bytesToHex(out)}`;
}

export const GITHUB: ReclaimProviderConfig = {
  providerHash: `0x${'9d'.repeat(32)}`,
  claimType: 'GithubUsername',
  subjectParameter: 'username',
};
export const GOOGLE: ReclaimProviderConfig = {
  providerHash: `0x${'6e'.repeat(32)}`,
  claimType: 'GoogleEmail',
  subjectParameter: 'email',
};

export interface ReclaimProofOptions {
  provider?: ReclaimProviderConfig;
  claimType?: string;
  account?: string;
  autoId?: Uint8Array | undefined;
  timestampS?: number;
  witnesses?: Witness[];
  parameters?: string;
}

/** A Reclaim proof in the js-sdk's shape, signed by the given witnesses. */
export function reclaimProof(o: ReclaimProofOptions = {}): ReclaimProof {
  const p = o.provider ?? GITHUB;
  const account = o.account ?? 'alice';
  const message: Record<string, string> = {
    claimHash: `0x${bytesToHex(claimTypeHash(o.claimType ?? p.claimType))}`,
  };
  if (o.autoId !== undefined) message.autoId = bytesToHex(o.autoId);
  const context = JSON.stringify({
    contextAddress: '0x0000000000000000000000000000000000000000',
    contextMessage: JSON.stringify(message),
    extractedParameters: { [p.subjectParameter]: account },
    providerHash: p.providerHash,
  });
  const parameters =
    o.parameters ??
    JSON.stringify({
      method: 'GET',
      url: 'https://example.com/settings/profile',
      responseMatches: [{ type: 'contains', value: `{{${p.subjectParameter}}}` }],
      paramValues: { [p.subjectParameter]: account },
    });
  const provider = p.provider ?? 'http';
  const identifier = reclaimClaimIdentifier({ provider, parameters, context });
  const claimData = {
    provider,
    parameters,
    owner: '0x08B0292BEF7EF2EF839D9F95B709401140EF0B7B',
    timestampS: o.timestampS ?? 1_750_000_000,
    context,
    identifier,
    epoch: 1,
  };
  const ws = o.witnesses ?? [witness(1)];
  return {
    identifier,
    claimData,
    signatures: ws.map((w) => personalSign(reclaimSignData(claimData), w.secretKey)),
    witnesses: ws.map((w) => ({ id: w.address, url: 'wss://witness.example/ws' })),
    publicData: {},
  };
}

/** A zkTLS claim around a proof, with the nullifier the proof determines. */
export function reclaimClaim(subject: Uint8Array, o: ReclaimProofOptions = {}): Claim<ReclaimProof> {
  const proof = reclaimProof({ autoId: subject, ...o });
  const p = o.provider ?? GITHUB;
  const issuedAt = proof.claimData.timestampS * 1000;
  return {
    factor: 'zktls-account',
    serviceId: p.serviceId ?? p.claimType,
    subject,
    proof,
    nullifier: nullifier(p.serviceId ?? p.claimType, o.account ?? 'alice'),
    issuedAt,
    expiresAt: issuedAt + 365 * 86_400_000,
  };
}

// ---------- e-passport ----------

/** MRZ TD3 text with correct check digits. */
export function td3(o: {
  issuingState?: string;
  name?: string;
  documentNumber?: string;
  nationality?: string;
  dateOfBirth?: string;
  sex?: string;
  dateOfExpiry?: string;
}): string {
  const pad = (s: string, n: number) => (s + '<'.repeat(n)).slice(0, n);
  const l1 = pad(`P<${o.issuingState ?? 'UTO'}${o.name ?? 'ERIKSSON<<ANNA<MARIA'}`, 44);
  const doc = pad(o.documentNumber ?? 'L898902C3', 9);
  const dob = o.dateOfBirth ?? '740812';
  const exp = o.dateOfExpiry ?? '340415';
  const personal = pad('ZE184226B', 14);
  const a = `${doc}${mrzCheckDigit(doc)}`;
  const b = `${dob}${mrzCheckDigit(dob)}`;
  const c = `${exp}${mrzCheckDigit(exp)}`;
  const d = `${personal}${mrzCheckDigit(personal)}`;
  const composite = mrzCheckDigit(a + b + c + d);
  const l2 = `${a}${pad(o.nationality ?? 'UTO', 3)}${b}${o.sex ?? 'F'}${c}${d}${composite}`;
  return l1 + l2;
}

/** DG1 around MRZ text: 61 L 5F1F L mrz. */
export function dg1Of(mrz: string): Uint8Array {
  const m = enc.encode(mrz);
  const inner = new Uint8Array([0x5f, 0x1f, m.length, ...m]);
  return new Uint8Array([0x61, inner.length, ...inner]);
}

export type KeyKind = 'ECDSA-P256' | 'RSA-2048';

export interface Pki {
  cscaKeys: CryptoKeyPair;
  csca: Uint8Array;
  dscKeys: CryptoKeyPair;
  dsc: Uint8Array;
}

/** A CSCA and a DSC it issued. */
export async function makePki(
  o: { kind?: KeyKind; country?: string; dscNotBefore?: Date; dscNotAfter?: Date } = {},
): Promise<Pki> {
  const kind = o.kind ?? 'ECDSA-P256';
  const cscaKeys = await generateKeyPair(kind);
  const csca = await selfIssueCertificate({
    commonName: `CSCA ${o.country ?? 'Utopia'}`,
    keys: cscaKeys,
    notBefore: new Date('2020-01-01T00:00:00Z'),
    notAfter: new Date('2040-01-01T00:00:00Z'),
  });
  const dscKeys = await generateKeyPair(kind);
  const csr = await createCsr({ commonName: `DS ${o.country ?? 'Utopia'} 01`, keys: dscKeys });
  const dsc = await issueCertificate({
    csr,
    issuer: { certificate: csca.der, privateKey: cscaKeys.privateKey },
    notBefore: o.dscNotBefore ?? new Date('2024-01-01T00:00:00Z'),
    notAfter: o.dscNotAfter ?? new Date('2035-01-01T00:00:00Z'),
  });
  return { cscaKeys, csca: csca.der, dscKeys, dsc: dsc.der };
}

/** ECDSA P1363 r ‖ s to DER. */
function p1363ToDer(sig: Uint8Array): Uint8Array {
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    let v = b.subarray(i);
    if (v[0]! & 0x80) v = new Uint8Array([0, ...v]);
    return tlv(T.INTEGER, v);
  };
  const h = sig.length / 2;
  return tlv(T.SEQUENCE, int(sig.subarray(0, h)), int(sig.subarray(h)));
}

function certIssuerAndSerial(der: Uint8Array): { issuer: Uint8Array; serial: Uint8Array } {
  // Certificate -> tbs -> [0] version, serial, alg, issuer (lengths here are all long-form-safe).
  const read = (b: Uint8Array, at: number) => {
    let len = b[at + 1]!;
    let p = at + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + b[p + i]!;
      p += n;
    }
    return { start: at, content: p, end: p + len };
  };
  const cert = read(der, 0);
  const tbs = read(der, cert.content);
  let e = read(der, tbs.content);
  if (der[e.start] === 0xa0) e = read(der, e.end);
  const serial = der.slice(e.start, e.end);
  const alg = read(der, e.end);
  const issuer = read(der, alg.end);
  return { issuer: der.slice(issuer.start, issuer.end), serial };
}

export interface SodOptions {
  pki: Pki;
  dataGroups: Record<number, Uint8Array>;
  /** Hash of the data groups and of the SignerInfo (default SHA-256). */
  hash?: 'SHA-256' | 'SHA-384';
  /** Name the SignerInfo's algorithm as rsaEncryption / ecPublicKey (as many passports do). */
  keyTypeAlgorithm?: boolean;
  /** Override the SignerInfo signature algorithm OID. */
  signatureAlgorithmOid?: string;
  signingTime?: Date;
  /** Wrap in the EF.SOD application tag 0x77 (default true). */
  wrap?: boolean;
  /** Name the signer by its subject key identifier ([0], SignerInfo version 3). */
  bySubjectKeyIdentifier?: boolean;
  /** Hash this DG number with altered bytes (the SOD then disagrees with the data group). */
  lieAbout?: number;
}

/** The subjectKeyIdentifier extension's value: after OID 2.5.29.14, OCTET STRING { OCTET STRING }. */
function subjectKeyIdentifier(der: Uint8Array): Uint8Array {
  for (let i = 0; i + 5 < der.length; i++)
    if (
      der[i] === 0x06 &&
      der[i + 1] === 0x03 &&
      der[i + 2] === 0x55 &&
      der[i + 3] === 0x1d &&
      der[i + 4] === 0x0e
    ) {
      const at = i + 5; // 04 L 04 L' <ski>
      const len = der[at + 3]!;
      return der.slice(at + 4, at + 4 + len);
    }
  throw new Error('no subjectKeyIdentifier');
}

/** Builds an EF.SOD over the data groups, signed by the DSC. */
export async function buildSod(o: SodOptions): Promise<Uint8Array> {
  const h = o.hash ?? 'SHA-256';
  const hfn = h === 'SHA-256' ? sha256 : sha384;
  const hashOid = h === 'SHA-256' ? OID.sha256 : OID.sha384;
  const dgHashes = Object.entries(o.dataGroups).map(([n, dg]) => {
    const data = Number(n) === o.lieAbout ? new Uint8Array([...dg, 0]) : dg;
    return tlv(T.SEQUENCE, encInt(Number(n)), tlv(T.OCTET_STRING, hfn(data)));
  });
  const lds = tlv(T.SEQUENCE, encInt(0), encAlg(hashOid), tlv(T.SEQUENCE, ...dgHashes));
  const attrs = [
    tlv(T.SEQUENCE, encOid(OID.contentType), tlv(T.SET, encOid(OID.ldsSecurityObject))),
    tlv(T.SEQUENCE, encOid(OID.messageDigest), tlv(T.SET, tlv(T.OCTET_STRING, hfn(lds)))),
  ];
  if (o.signingTime) {
    const t = o.signingTime.toISOString().replace(/[-:T]/g, '').slice(2, 14);
    attrs.push(tlv(T.SEQUENCE, encOid(OID.signingTime), tlv(T.SET, tlv(T.UTC_TIME, enc.encode(`${t}Z`)))));
  }
  const signedAttrsSet = tlv(T.SET, ...attrs);
  const key = o.pki.dscKeys.privateKey;
  const isEc = key.algorithm.name === 'ECDSA';
  const raw = new Uint8Array(
    await crypto.subtle.sign(
      isEc ? { name: 'ECDSA', hash: h } : { name: 'RSASSA-PKCS1-v1_5' },
      key,
      new Uint8Array(signedAttrsSet),
    ),
  );
  if (!isEc && h !== 'SHA-256') throw new Error('RSA fixtures sign with the key hash SHA-256 only');
  const signature = isEc ? p1363ToDer(raw) : raw;
  const sigAlgOid =
    o.signatureAlgorithmOid ??
    (o.keyTypeAlgorithm
      ? isEc
        ? OID.ecPublicKey
        : OID.rsaEncryption
      : isEc
        ? h === 'SHA-256'
          ? OID.ecdsaWithSha256
          : OID.ecdsaWithSha384
        : OID.sha256WithRSAEncryption);
  const { issuer, serial } = certIssuerAndSerial(o.pki.dsc);
  const signedAttrs = new Uint8Array(signedAttrsSet);
  signedAttrs[0] = ctx(0);
  const sid = o.bySubjectKeyIdentifier
    ? tlv(0x80, subjectKeyIdentifier(o.pki.dsc))
    : tlv(T.SEQUENCE, issuer, serial);
  const signerInfo = tlv(
    T.SEQUENCE,
    encInt(o.bySubjectKeyIdentifier ? 3 : 1),
    sid,
    encAlg(hashOid),
    signedAttrs,
    encAlg(sigAlgOid, !isEc),
    tlv(T.OCTET_STRING, signature),
  );
  const signedData = tlv(
    T.SEQUENCE,
    encInt(3),
    tlv(T.SET, encAlg(hashOid)),
    tlv(T.SEQUENCE, encOid(OID.ldsSecurityObject), tlv(ctx(0), tlv(T.OCTET_STRING, lds))),
    tlv(ctx(0), o.pki.dsc),
    tlv(T.SET, signerInfo),
  );
  const contentInfo = tlv(T.SEQUENCE, encOid(OID.signedData), tlv(ctx(0), signedData));
  return o.wrap === false ? contentInfo : tlv(0x77, contentInfo);
}

/** A DG2-like blob (stands in for the face image). */
export const dg2 = (): Uint8Array => new Uint8Array(2048).map((_, i) => (i * 31) & 0xff);

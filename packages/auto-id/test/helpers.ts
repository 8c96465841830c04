import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { vectorsDir } from '@autonomys/test-utils';
import { blake2b } from '@noble/hashes/blake2.js';
import { encodeElement, encodeOid, TAG_INTEGER, TAG_SEQUENCE, TAG_SET } from '../src/der.js';

/** The pallet tests' "now": 2024-07-01 in ms. */
export const MOCK_NOW = 1_719_792_000_000n;

/** A file of ../shared/vectors/auto-id. */
export const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(join(vectorsDir, 'auto-id', name)));

const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const seq = (...parts: Uint8Array[]) => encodeElement(TAG_SEQUENCE, cat(...parts));

function integer(v: bigint): Uint8Array {
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  return encodeElement(TAG_INTEGER, Uint8Array.from(hex.match(/../g)!.map((h) => Number.parseInt(h, 16))));
}

function time(ms: bigint): Uint8Array {
  const d = new Date(Number(ms));
  const p = (n: number) => String(n).padStart(2, '0');
  const body = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
  const frac = Number(ms % 1000n);
  const s = frac ? `${body}.${String(frac).padStart(3, '0').replace(/0+$/, '')}Z` : `${body}Z`;
  return encodeElement(0x18, new TextEncoder().encode(s));
}

/** A fake Ed25519 SPKI for key number `k` (tests with an injected verifier never parse it). */
export function fakeSpki(k: number): Uint8Array {
  const key = new Uint8Array(32).fill(k & 0xff);
  key[0] = k >> 8;
  return seq(seq(encodeOid('1.3.101.112')), encodeElement(0x03, cat(Uint8Array.of(0), key)));
}

/** A minimal v3 TBSCertificate (GeneralizedTime validity so any ms survive). */
export function makeTbs(o: {
  serial: bigint;
  cn: string;
  spki: Uint8Array;
  notBefore: bigint;
  notAfter: bigint;
}) {
  const name = seq(
    encodeElement(TAG_SET, seq(encodeOid('2.5.4.3'), encodeElement(0x0c, new TextEncoder().encode(o.cn)))),
  );
  return seq(
    encodeElement(0xa0, integer(2n)),
    integer(o.serial),
    seq(encodeOid('1.3.101.112')),
    name,
    seq(time(o.notBefore), time(o.notAfter)),
    name,
    o.spki,
  );
}

/** A fast deterministic "signature" for the injected verifier: blake2b(spki ‖ data). */
export const fakeSign = (spki: Uint8Array, data: Uint8Array) => blake2b(cat(spki, data), { dkLen: 32 });
export const fakeVerify = (spki: Uint8Array, _alg: Uint8Array, data: Uint8Array, sig: Uint8Array) => {
  const want = fakeSign(spki, data);
  return sig.length === 32 && want.every((b, i) => b === sig[i]);
};
export const FAKE_ALG = seq(encodeOid('1.3.101.112'));

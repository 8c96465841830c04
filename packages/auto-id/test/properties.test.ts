// Property tests over random operation sequences (fast injected verifier, real DER and SCALE),
// codec round trips, and fuzzing of every decoder: only AutoIdError ever comes out.
import { bytesToHex } from '@autonomys/primitives';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AutoIdError,
  AutoIdRegistry,
  decodeAutoId,
  decodeCall,
  decodeCertificateAction,
  decodeEvent,
  decodeRegisterAutoId,
  decodeRenewAutoId,
  decodeSerialSet,
  decodeSignature,
  decodeTbs,
  encodeAutoId,
  encodeCall,
  encodeCertificateAction,
  encodeRegisterAutoId,
  encodeRenewAutoId,
  encodeSerialSet,
  extractTbs,
  parseCertificate,
  parsePublicKeyInfo,
  parseSignatureAlgorithm,
  pemToDer,
  verifyX509Signature,
} from '../src/index.js';
import { FAKE_ALG, fakeSign, fakeSpki, fakeVerify, fixture, MOCK_NOW, makeTbs } from './helpers.js';

const now = MOCK_NOW;
const CNS = ['a', 'b', 'c'];

type Op =
  | { op: 'root'; cn: number; key: number; serial: bigint; expired: boolean }
  | { op: 'leaf'; issuer: number; cn: number; key: number; serial: bigint; wrongKey: boolean }
  | { op: 'renew'; target: number; serial: bigint; rekey: boolean }
  | { op: 'revoke'; target: number; nonceDelta: number }
  | { op: 'deactivate'; target: number };

const serial = fc.bigInt({ min: 1n, max: 12n });
const pick = fc.nat({ max: 15 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    op: fc.constant('root' as const),
    cn: fc.nat({ max: 2 }),
    key: fc.nat({ max: 3 }),
    serial,
    expired: fc.boolean(),
  }),
  fc.record({
    op: fc.constant('leaf' as const),
    issuer: pick,
    cn: fc.nat({ max: 2 }),
    key: fc.nat({ max: 3 }),
    serial,
    wrongKey: fc.boolean(),
  }),
  fc.record({ op: fc.constant('renew' as const), target: pick, serial, rekey: fc.boolean() }),
  fc.record({
    op: fc.constant('revoke' as const),
    target: pick,
    nonceDelta: fc.constantFrom(0, 0, 0, -1, 1),
  }),
  fc.record({ op: fc.constant('deactivate' as const), target: pick }),
);

interface Known {
  id: Uint8Array;
  spki: Uint8Array;
  cn: string;
  issuer: Uint8Array | undefined;
}

function snapshot(r: AutoIdRegistry, ids: Uint8Array[]): string {
  return ids
    .map((id) => {
      const a = r.getAutoId(id);
      return `${bytesToHex(id)}:${a ? bytesToHex(encodeAutoId(a)) : '-'}:${encodeSerialSet(r.getRevocationList(id) ?? []).length}:${(r.getRevocationList(id) ?? []).join(',')}`;
    })
    .join('|');
}

const successes: Record<string, number> = {};

async function run(ops: Op[]) {
  const r = new AutoIdRegistry({ verifySignature: fakeVerify });
  const known: Known[] = [];
  const revoked = new Map<string, Set<bigint>>(); // every (issuer, serial) ever in a CRL
  const nonces = new Map<string, bigint>();
  const tbs = (serial: bigint, cn: string, spki: Uint8Array, expired = false) =>
    makeTbs({ serial, cn, spki, notBefore: now - 1000n, notAfter: expired ? now - 1n : now + 1000n });
  for (const o of ops) {
    const ids = known.map((k) => k.id);
    const before = snapshot(r, ids);
    const eventsBefore = r.events.length;
    let call: Promise<unknown>;
    const target = known.length ? known[(o as { target?: number }).target! % known.length] : undefined;
    switch (o.op) {
      case 'root': {
        const spki = fakeSpki(o.key);
        const c = tbs(o.serial, CNS[o.cn]!, spki, o.expired);
        call = r
          .registerAutoId(
            { type: 'Root', certificate: c, signatureAlgorithm: FAKE_ALG, signature: fakeSign(spki, c) },
            { now },
          )
          .then((id) => known.push({ id, spki, cn: CNS[o.cn]!, issuer: undefined }));
        break;
      }
      case 'leaf': {
        const issuer = known[o.issuer % Math.max(1, known.length)];
        const spki = fakeSpki(100 + o.key);
        const c = tbs(o.serial, CNS[o.cn]!, spki);
        const signer = issuer && !o.wrongKey ? issuer.spki : fakeSpki(999);
        const issuerId = issuer?.id ?? new Uint8Array(32);
        call = r
          .registerAutoId(
            {
              type: 'Leaf',
              issuerId,
              certificate: c,
              signatureAlgorithm: FAKE_ALG,
              signature: fakeSign(signer, c),
            },
            { now },
          )
          .then((id) => known.push({ id, spki, cn: CNS[o.cn]!, issuer: issuerId }));
        break;
      }
      case 'renew': {
        if (!target) continue;
        const spki = o.rekey ? fakeSpki(500) : target.spki;
        const c = tbs(o.serial, target.cn, spki);
        const signer = target.issuer
          ? known.find((k) => bytesToHex(k.id) === bytesToHex(target.issuer!))?.spki
          : target.spki;
        call = r.renewAutoId(
          target.id,
          {
            issuerId: target.issuer,
            certificate: c,
            signatureAlgorithm: FAKE_ALG,
            signature: fakeSign(signer ?? spki, c),
          },
          { now },
        );
        break;
      }
      case 'revoke': {
        if (!target) continue;
        const issuerK = target.issuer
          ? known.find((k) => bytesToHex(k.id) === bytesToHex(target.issuer!))
          : target;
        const nonce = (r.getAutoId(issuerK?.id ?? target.id)?.certificate.nonce ?? 0n) + BigInt(o.nonceDelta);
        if (nonce < 0n) continue;
        const payload = encodeCertificateAction({ id: target.id, nonce, actionType: 'RevokeCertificate' });
        call = r.revokeCertificate(target.id, {
          signatureAlgorithm: FAKE_ALG,
          value: fakeSign(issuerK?.spki ?? target.spki, payload),
        });
        break;
      }
      case 'deactivate': {
        if (!target) continue;
        const nonce = r.getAutoId(target.id)?.certificate.nonce ?? 0n;
        const payload = encodeCertificateAction({ id: target.id, nonce, actionType: 'DeactivateAutoId' });
        call = r.deactivateAutoId(target.id, {
          signatureAlgorithm: FAKE_ALG,
          value: fakeSign(target.spki, payload),
        });
        break;
      }
    }
    let failed = false;
    try {
      await call;
    } catch (e) {
      expect(e).toBeInstanceOf(AutoIdError);
      expect((e as AutoIdError).type).toHaveProperty('pallet');
      failed = true;
    }
    const all = known.map((k) => k.id);
    if (failed) {
      // A failing call is an extrinsic that reverted: no state change, no event.
      expect(snapshot(r, ids)).toBe(before);
      expect(r.events.length).toBe(eventsBefore);
    } else {
      expect(r.events.length).toBe(eventsBefore + 1);
      successes[o.op] = (successes[o.op] ?? 0) + 1;
    }
    for (const id of all) {
      const h = bytesToHex(id);
      // Revocation lists only grow: a revoked serial is never un-revoked.
      const crl = new Set(r.getRevocationList(id) ?? []);
      for (const s of revoked.get(h) ?? []) expect(crl.has(s)).toBe(true);
      revoked.set(h, crl);
      // Nonces never decrease.
      const a = r.getAutoId(id);
      if (a) {
        expect(a.certificate.nonce >= (nonces.get(h) ?? 0n)).toBe(true);
        nonces.set(h, a.certificate.nonce);
        // A certificate whose serial is in its issuer's list is reported revoked.
        const issuerKey = a.certificate.issuerId ? bytesToHex(a.certificate.issuerId) : h;
        if (revoked.get(issuerKey)?.has(a.certificate.serial)) expect(r.isRevoked(id)).toBe(true);
        // Our relying-party status agrees with isRevoked for a registered identity.
        expect(r.revocationStatus(id)?.revoked).toBe(r.isRevoked(id));
      } else if (r.chainOf(id)) {
        // A deactivated identity is reported as such (the registry keeps its last certificate).
        expect(r.chainOf(id)?.[0]?.deactivated).toBe(true);
        expect(r.revocationStatus(id)).toMatchObject({ revoked: true });
      }
    }
    if (!failed && o.op === 'revoke' && target) {
      const issuerId = target.issuer ?? target.id;
      expect(r.getAutoId(issuerId)?.certificate.nonce).toBe(nonces.get(bytesToHex(issuerId)) ?? 0n);
      expect(r.isRevoked(target.id)).toBe(true);
    }
  }
}

describe('AutoIdRegistry invariants over random operation sequences', () => {
  it('failed calls change nothing, CRLs only grow, nonces never decrease, revoked serials stay revoked', async () => {
    // A fixed seed: the coverage check below must not depend on the draw (a random seed made it flaky).
    await fc.assert(fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 40 }), run), {
      seed: 20261127,
      numRuns: 400,
    });
    // The sequences reach every operation's success path, not only its errors.
    for (const op of ['root', 'leaf', 'renew', 'revoke', 'deactivate'] as const)
      expect(successes[op] ?? 0).toBeGreaterThan(10);
  });

  it('a revocation signature cannot be replayed (the nonce moved on)', async () => {
    const r = new AutoIdRegistry({ verifySignature: fakeVerify });
    const spki = fakeSpki(1);
    const root = makeTbs({ serial: 1n, cn: 'r', spki, notBefore: now, notAfter: now });
    const id = await r.registerAutoId(
      { type: 'Root', certificate: root, signatureAlgorithm: FAKE_ALG, signature: fakeSign(spki, root) },
      { now },
    );
    const leafSpki = fakeSpki(2);
    const leaf = makeTbs({ serial: 2n, cn: 'l', spki: leafSpki, notBefore: now, notAfter: now });
    const leafId = await r.registerAutoId(
      {
        type: 'Leaf',
        issuerId: id,
        certificate: leaf,
        signatureAlgorithm: FAKE_ALG,
        signature: fakeSign(spki, leaf),
      },
      { now },
    );
    const sig = {
      signatureAlgorithm: FAKE_ALG,
      value: fakeSign(spki, encodeCertificateAction(r.revocationAction(leafId))),
    };
    await r.revokeCertificate(leafId, sig);
    // Renewal with a fresh serial makes the leaf current again; the old signature is now stale.
    const renewed = makeTbs({ serial: 3n, cn: 'l', spki: leafSpki, notBefore: now, notAfter: now });
    await r.renewAutoId(
      leafId,
      {
        issuerId: id,
        certificate: renewed,
        signatureAlgorithm: FAKE_ALG,
        signature: fakeSign(spki, renewed),
      },
      { now },
    );
    expect(r.isRevoked(leafId)).toBe(false);
    await expect(r.revokeCertificate(leafId, sig)).rejects.toMatchObject({
      code: 'AUTO_ID_INVALID_SIGNATURE',
    });
  });
});

const bytes = (max = 64) => fc.uint8Array({ maxLength: max });
const id32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
const u256 = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n });

describe('codec round trips', () => {
  it('RegisterAutoId, RenewAutoId, calls, CertificateAction, AutoId', () => {
    fc.assert(
      fc.property(id32, bytes(), bytes(), bytes(), fc.boolean(), u256, (id, c, a, s, root, n) => {
        const reg = root
          ? ({ type: 'Root', certificate: c, signatureAlgorithm: a, signature: s } as const)
          : ({ type: 'Leaf', issuerId: id, certificate: c, signatureAlgorithm: a, signature: s } as const);
        expect(decodeRegisterAutoId(encodeRegisterAutoId(reg))).toEqual(reg);
        const renew = {
          issuerId: root ? undefined : id,
          certificate: c,
          signatureAlgorithm: a,
          signature: s,
        };
        expect(decodeRenewAutoId(encodeRenewAutoId(renew))).toEqual(renew);
        for (const call of [
          { call: 'register_auto_id', req: reg },
          { call: 'renew_auto_id', id, req: renew },
          { call: 'revoke_certificate', id, signature: { signatureAlgorithm: a, value: s } },
          { call: 'deactivate_auto_id', id, signature: { signatureAlgorithm: a, value: s } },
        ] as const)
          expect(decodeCall(encodeCall(call))).toEqual(call);
        const action = { id, nonce: n, actionType: root ? 'RevokeCertificate' : 'DeactivateAutoId' } as const;
        expect(decodeCertificateAction(encodeCertificateAction(action))).toEqual(action);
        const autoId = {
          certificate: {
            issuerId: root ? undefined : id,
            serial: n,
            subjectCommonName: s,
            subjectPublicKeyInfo: a,
            validity: { notBefore: 1n, notAfter: (1n << 64n) - 1n },
            raw: c,
            issuedSerials: [0n, n]
              .filter((x, i, arr) => arr.indexOf(x) === i)
              .sort((p, q) => (p < q ? -1 : 1)),
            nonce: n,
          },
        };
        expect(decodeAutoId(encodeAutoId(autoId))).toEqual(autoId);
      }),
      { numRuns: 200 },
    );
  });

  it('inputs are not mutated', () => {
    const der = fixture('leaf.cert.der');
    const copy = der.slice();
    parseCertificate(der);
    extractTbs(der);
    expect(der).toEqual(copy);
  });
});

describe('fuzz: random and mutated bytes only ever throw AutoIdError', () => {
  const onlyOurs = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      if (!(e instanceof AutoIdError)) throw e;
    }
  };
  const decoders: [string, (b: Uint8Array) => unknown][] = [
    ['decodeRegisterAutoId', decodeRegisterAutoId],
    ['decodeRenewAutoId', decodeRenewAutoId],
    ['decodeSignature', decodeSignature],
    ['decodeCertificateAction', decodeCertificateAction],
    ['decodeAutoId', decodeAutoId],
    ['decodeSerialSet', decodeSerialSet],
    ['decodeEvent', decodeEvent],
    ['decodeCall', decodeCall],
    ['extractTbs', extractTbs],
    ['decodeTbs', decodeTbs],
    ['parseCertificate', parseCertificate],
    ['parseSignatureAlgorithm', parseSignatureAlgorithm],
    ['parsePublicKeyInfo', parsePublicKeyInfo],
  ];
  it.each(decoders)('%s on random bytes', (_, decode) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => onlyOurs(() => decode(b))),
      { numRuns: 500 },
    );
  });

  it('certificate parsing on mutated and truncated fixtures', () => {
    const der = fixture('issuer.cert.der');
    fc.assert(
      fc.property(
        fc.nat({ max: der.length - 1 }),
        fc.nat({ max: 255 }),
        fc.nat({ max: der.length }),
        (at, v, cut) => {
          const m = der.slice(0, Math.max(cut, at + 1));
          m[at] = v;
          onlyOurs(() => parseCertificate(m));
          onlyOurs(() => decodeTbs(m.subarray(4)));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('SCALE decoders on mutated fixtures', () => {
    const params = fixture('benchmarks/leaf_register_auto_id_params');
    fc.assert(
      fc.property(fc.nat({ max: params.length - 1 }), fc.nat({ max: 255 }), (at, v) => {
        const m = params.slice();
        m[at] = v;
        onlyOurs(() => decodeRegisterAutoId(m));
        onlyOurs(() => decodeRenewAutoId(m));
      }),
      { numRuns: 500 },
    );
  });

  it('PEM: truncated or garbled text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) =>
        onlyOurs(() => pemToDer(`-----BEGIN CERTIFICATE-----\n${s}\n-----END CERTIFICATE-----`)),
      ),
    );
    expect(() => pemToDer('-----BEGIN CERTIFICATE-----\nMIIB')).toThrow(AutoIdError);
  });

  it('verifyX509Signature on random keys and algorithms rejects with AutoIdError or false', async () => {
    const cert = parseCertificate(fixture('issuer.cert.der'));
    await fc.assert(
      fc.asyncProperty(bytes(80), bytes(40), async (spki, alg) => {
        try {
          expect(await verifyX509Signature(spki, alg, cert.tbs, cert.signature)).toBe(false);
        } catch (e) {
          expect(e).toBeInstanceOf(AutoIdError);
        }
      }),
      { numRuns: 200 },
    );
  });
});

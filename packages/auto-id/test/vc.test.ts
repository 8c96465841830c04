import { hex } from '@autonomys/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AUTO_ID_CONTEXT,
  addDataIntegrityProof,
  base58Decode,
  base64urlDecode,
  base64urlEncode,
  type Credential,
  type DataIntegrityProof,
  decodeJose,
  didFromAutoId,
  issueCredential,
  resolveDid,
  type SecuredCredential,
  VC_CONTEXT_V2,
  verifyCredential,
  verifyDataIntegrityProof,
} from '../src/index.js';
import { DAY, keyPair, makeWorld, NOW, rejectCode, type World } from './identities.js';

// Data Integrity proofs over a plain (non-Auto ID) document, with keys of our own: Ed25519 is
// deterministic, so re-signing must reproduce the proof value; any change must break the proof.
const PLAIN = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  id: 'urn:uuid:00000000-0000-4000-8000-00000000a11c',
  type: ['VerifiableCredential', 'ExampleCredential'],
  issuer: 'https://issuer.invalid/1',
  validFrom: '2026-01-01T00:00:00Z',
  credentialSubject: { id: 'did:example:subject', note: 'plain document' },
};
const SEED = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff);

async function ed25519FromSeed() {
  const pkcs8 = Uint8Array.of(...hex('302e020100300506032b657004220420'), ...SEED);
  const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, true, ['sign']);
  const jwk = await crypto.subtle.exportKey('jwk', privateKey);
  const publicKey = await crypto.subtle.importKey(
    'jwk',
    { kty: 'OKP', crv: 'Ed25519', x: jwk.x! },
    { name: 'Ed25519' },
    true,
    ['verify'],
  );
  return { privateKey, spki: new Uint8Array(await crypto.subtle.exportKey('spki', publicKey)) };
}

describe('eddsa-jcs-2022 (Data Integrity) on a plain document', () => {
  const options = {
    proofPurpose: 'assertionMethod',
    verificationMethod: 'https://issuer.invalid/1#key-1',
    created: new Date('2026-01-02T00:00:00Z'),
  } as const;

  it('signs, verifies, and re-signing reproduces the proof value exactly (Ed25519 is deterministic)', async () => {
    const { privateKey, spki } = await ed25519FromSeed();
    const a = await addDataIntegrityProof(PLAIN, privateKey, options);
    const b = await addDataIntegrityProof(PLAIN, privateKey, options);
    expect(a.proof).toEqual(b.proof);
    expect(a.proof.cryptosuite).toBe('eddsa-jcs-2022');
    await expect(verifyDataIntegrityProof(a, spki)).resolves.toMatchObject({ cryptosuite: 'eddsa-jcs-2022' });
  });

  it('any change to the document or the proof options breaks it (AUTO_ID_INVALID_PROOF)', async () => {
    const { privateKey, spki } = await ed25519FromSeed();
    const signed = await addDataIntegrityProof(PLAIN, privateKey, options);
    const tampered = [
      { ...signed, id: `${signed.id}!` },
      { ...signed, proof: { ...signed.proof, created: '2026-01-02T00:00:01Z' } },
      { ...signed, credentialSubject: { ...signed.credentialSubject, note: 'other' } },
      { ...signed, extra: 1 },
    ];
    for (const t of tampered)
      expect(await rejectCode(verifyDataIntegrityProof(t, spki))).toBe('AUTO_ID_INVALID_PROOF');
  });
});

describe('ecdsa-jcs-2019 (Data Integrity) on a plain document', () => {
  it('signs with P-256, verifies, and fails when tampered', async () => {
    const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
    const doc = await addDataIntegrityProof(PLAIN, keys.privateKey, {
      proofPurpose: 'assertionMethod',
      verificationMethod: 'https://issuer.invalid/1#key-2',
      created: new Date('2026-01-02T00:00:00Z'),
    });
    await expect(verifyDataIntegrityProof(doc, spki)).resolves.toMatchObject({
      cryptosuite: 'ecdsa-jcs-2019',
    });
    expect(
      await rejectCode(verifyDataIntegrityProof({ ...doc, validFrom: '2026-01-03T00:00:00Z' }, spki)),
    ).toBe('AUTO_ID_INVALID_PROOF');
  });
});

const credentialFor = (subject: string): Omit<Credential, 'issuer'> => ({
  '@context': [VC_CONTEXT_V2, AUTO_ID_CONTEXT],
  type: ['VerifiableCredential', 'ExampleDegree'],
  id: 'urn:uuid:0b1c7a4e-0000-4000-8000-000000000001',
  validFrom: new Date(NOW - DAY).toISOString(),
  validUntil: new Date(NOW + DAY).toISOString(),
  credentialSubject: { id: subject, degree: { type: 'BachelorDegree', name: 'BSc Examples' } },
});

for (const alg of ['Ed25519', 'ECDSA-P256', 'RSA-2048'] as const) {
  describe(`credentials issued by an ${alg} Auto ID`, () => {
    let w: World;
    let vc: SecuredCredential;
    beforeAll(async () => {
      w = await makeWorld(alg);
      vc = await issueCredential({
        credential: credentialFor(didFromAutoId(w.agent.id)),
        issuer: { id: w.creator.id, privateKey: w.creator.keys.privateKey },
        created: new Date(NOW),
      });
    });

    it('use the documented proof format', () => {
      if (alg === 'RSA-2048') {
        expect(typeof vc).toBe('string');
        const { header, payload } = decodeJose(vc as string);
        expect(header).toEqual({
          alg: 'RS256',
          kid: `${didFromAutoId(w.creator.id)}#key-1`,
          typ: 'vc+jwt',
          cty: 'vc',
        });
        expect(payload.issuer).toBe(didFromAutoId(w.creator.id));
      } else {
        const proof = (vc as { proof: DataIntegrityProof }).proof;
        expect(proof.type).toBe('DataIntegrityProof');
        expect(proof.cryptosuite).toBe(alg === 'Ed25519' ? 'eddsa-jcs-2022' : 'ecdsa-jcs-2019');
        expect(proof.proofPurpose).toBe('assertionMethod');
        expect(proof.verificationMethod).toBe(`${didFromAutoId(w.creator.id)}#key-1`);
        expect(base58Decode(proof.proofValue.slice(1))!.length).toBe(64); // Ed25519, or P-256 r‖s
      }
    });

    it('verify against the registry, resolving the did:autoid issuer', async () => {
      const v = await verifyCredential(vc, { registry: w.registry, now: NOW });
      expect(v.issuer).toEqual(w.creator.id);
      expect(v.credential.credentialSubject).toMatchObject({ degree: { name: 'BSc Examples' } });
      const { didDocument, status } = await resolveDid(didFromAutoId(w.creator.id), w.registry);
      expect(didDocument.controller).toBe(didFromAutoId(w.root.id));
      expect(didDocument.verificationMethod[0]!.publicKeyJwk.kty).toBe(
        alg === 'Ed25519' ? 'OKP' : alg === 'ECDSA-P256' ? 'EC' : 'RSA',
      );
      expect(status).toEqual({ revoked: false });
    });

    it('a tampered credential fails with AUTO_ID_INVALID_PROOF', async () => {
      let bad: unknown;
      if (typeof vc === 'string') {
        const [h, p, s] = vc.split('.') as [string, string, string];
        const payload = JSON.parse(new TextDecoder().decode(base64urlDecode(p)!));
        payload.credentialSubject.degree.name = 'PhD Examples';
        bad = `${h}.${base64urlEncode(new TextEncoder().encode(JSON.stringify(payload)))}.${s}`;
        const sig = base64urlDecode(s)!;
        sig[10]! ^= 1;
        expect(
          await rejectCode(
            verifyCredential(`${h}.${p}.${base64urlEncode(sig)}`, { registry: w.registry, now: NOW }),
          ),
        ).toBe('AUTO_ID_INVALID_PROOF');
      } else {
        bad = structuredClone(vc);
        (bad as { credentialSubject: { degree: { name: string } } }).credentialSubject.degree.name =
          'PhD Examples';
      }
      expect(await rejectCode(verifyCredential(bad, { registry: w.registry, now: NOW }))).toBe(
        'AUTO_ID_INVALID_PROOF',
      );
    });

    it('outside validFrom / validUntil: AUTO_ID_NOT_VALID_AT', async () => {
      for (const now of [NOW - 2 * DAY, NOW + 2 * DAY])
        expect(await rejectCode(verifyCredential(vc, { registry: w.registry, now }))).toBe(
          'AUTO_ID_NOT_VALID_AT',
        );
    });

    it('revoking an identity above the issuer revokes its credentials (AUTO_ID_REVOKED)', async () => {
      await w.revoke(w.root.id, w.root, NOW); // the root revokes itself (runs last: it breaks the world)
      expect(await rejectCode(verifyCredential(vc, { registry: w.registry, now: NOW }))).toBe(
        'AUTO_ID_REVOKED',
      );
    });
  });
}

describe('credential input checks', () => {
  let w: World;
  let vc: Credential & { proof: DataIntegrityProof };
  beforeAll(async () => {
    w = await makeWorld('Ed25519');
    vc = (await issueCredential({
      credential: {
        ...credentialFor(didFromAutoId(w.agent.id)),
        credentialStatus: { id: didFromAutoId(w.agent.id), type: 'AutoIdStatus' },
      },
      issuer: { id: w.creator.id, privateKey: w.creator.keys.privateKey },
    })) as Credential & { proof: DataIntegrityProof };
  });
  const code = (x: unknown, opts: Record<string, unknown> = {}) =>
    rejectCode(verifyCredential(x, { registry: w.registry, now: NOW, ...opts }));

  it('unknown contexts: AUTO_ID_UNKNOWN_CONTEXT (never fetched), unless declared known', async () => {
    const re = async (ctx: unknown[]) =>
      issueCredential({
        credential: { ...credentialFor('did:example:x'), '@context': ctx as string[] },
        issuer: { id: w.creator.id, privateKey: w.creator.keys.privateKey },
      });
    expect(await code({ ...vc, '@context': [VC_CONTEXT_V2, 'https://evil.example/ctx'] })).toBe(
      'AUTO_ID_UNKNOWN_CONTEXT',
    );
    expect(await code({ ...vc, '@context': [VC_CONTEXT_V2, { '@vocab': 'https://x/' }] })).toBe(
      'AUTO_ID_UNKNOWN_CONTEXT',
    );
    expect(await code({ ...vc, '@context': ['https://www.w3.org/2018/credentials/v1'] })).toBe(
      'AUTO_ID_INVALID_CREDENTIAL',
    );
    const other = await re([VC_CONTEXT_V2, 'https://schema.example/v1']);
    expect(await code(other)).toBe('AUTO_ID_UNKNOWN_CONTEXT');
    await expect(
      verifyCredential(other, {
        registry: w.registry,
        now: NOW,
        knownContexts: ['https://schema.example/v1'],
      }),
    ).resolves.toBeTruthy();
  });

  it('unknown proof types, cryptosuites and JOSE algorithms: AUTO_ID_UNSUPPORTED_PROOF', async () => {
    expect(await code({ ...vc, proof: { ...vc.proof, type: 'Ed25519Signature2020' } })).toBe(
      'AUTO_ID_UNSUPPORTED_PROOF',
    );
    expect(await code({ ...vc, proof: { ...vc.proof, cryptosuite: 'eddsa-rdfc-2022' } })).toBe(
      'AUTO_ID_UNSUPPORTED_PROOF',
    );
    const none = `${base64urlEncode(new TextEncoder().encode('{"alg":"none","kid":"x"}'))}.${base64urlEncode(new TextEncoder().encode('{}'))}.`;
    expect(await code(none)).toBe('AUTO_ID_UNSUPPORTED_PROOF');
    const hs = `${base64urlEncode(new TextEncoder().encode('{"alg":"HS256","kid":"x"}'))}.e30.AAAA`;
    expect(await code(hs)).toBe('AUTO_ID_UNSUPPORTED_PROOF');
  });

  it('malformed credentials, proofs and JWS: AUTO_ID_INVALID_CREDENTIAL', async () => {
    const { proof: _p, ...noProof } = vc;
    for (const bad of [
      null,
      42,
      [],
      noProof,
      { ...vc, proof: [vc.proof] },
      { ...vc, type: 'VerifiableCredential' },
      { ...vc, credentialSubject: [] },
      { ...vc, validUntil: 'tomorrow' },
      { ...vc, proof: { ...vc.proof, proofValue: 'u123' } },
      { ...vc, proof: { ...vc.proof, proofPurpose: 'authentication' } },
      { ...vc, proof: { ...vc.proof, verificationMethod: `${didFromAutoId(w.root.id)}#key-1` } },
      'a.b',
      'a.b.c',
      '!!.e30.e30',
    ])
      expect(await code(bad), JSON.stringify(bad)?.slice(0, 80)).toBe('AUTO_ID_INVALID_CREDENTIAL');
  });

  it('a credentialStatus other than AutoIdStatus cannot be checked: AUTO_ID_INVALID_CREDENTIAL', async () => {
    const other = await issueCredential({
      credential: {
        ...credentialFor('did:example:x'),
        credentialStatus: { id: 'https://status.example/1#5', type: 'BitstringStatusListEntry' },
      },
      issuer: { id: w.creator.id, privateKey: w.creator.keys.privateKey },
    });
    expect(await code(other)).toBe('AUTO_ID_INVALID_CREDENTIAL');
  });

  it('issuer and status identities: AUTO_ID_INVALID_DID, AUTO_ID_UNRESOLVED_IDENTITY, AUTO_ID_REVOKED', async () => {
    expect(await code({ ...vc, issuer: 'did:web:example.com' })).toBe('AUTO_ID_INVALID_DID');
    const stranger = `did:autoid:${'ab'.repeat(32)}`;
    expect(
      await code({
        ...vc,
        issuer: stranger,
        proof: { ...vc.proof, verificationMethod: `${stranger}#key-1` },
      }),
    ).toBe('AUTO_ID_UNRESOLVED_IDENTITY');
    // The credential names the agent in its AutoIdStatus: revoking the agent revokes the credential.
    await verifyCredential(vc, { registry: w.registry, now: NOW });
    await w.revoke(w.agent.id, w.creator, NOW);
    expect(await code(vc)).toBe('AUTO_ID_REVOKED');
  });

  it('an RSA key cannot make a Data Integrity proof; an Ed25519 key can sign VC-JOSE (EdDSA)', async () => {
    const rsa = await keyPair('RSA-2048');
    expect(
      await rejectCode(
        addDataIntegrityProof({}, rsa.privateKey, {
          proofPurpose: 'assertionMethod',
          verificationMethod: 'x',
        }),
      ),
    ).toBe('AUTO_ID_UNSUPPORTED_PROOF');
    const w2 = await makeWorld('Ed25519');
    const jwt = await issueCredential({
      credential: credentialFor('did:example:x'),
      issuer: { id: w2.creator.id, privateKey: w2.creator.keys.privateKey },
      format: 'vc-jose',
    });
    expect(decodeJose(jwt as string).header.alg).toBe('EdDSA');
    await expect(verifyCredential(jwt, { registry: w2.registry, now: NOW })).resolves.toMatchObject({
      format: 'vc-jose',
    });
  });
});

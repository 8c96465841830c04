// Fuzzing of the credential-layer decoders: whatever comes in, only AutoIdError comes out.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AutoIdError,
  autoIdFromDid,
  base64urlEncode,
  type Credential,
  type DataIntegrityProof,
  decodeJose,
  detectKeyAlgorithm,
  didFromAutoId,
  exportKeyPem,
  generateKeyPair,
  issueCredential,
  issueDelegation,
  pemToDer,
  presentDelegation,
  verifyAgentAuthorization,
  verifyCredential,
  verifyPresentation,
} from '../src/index.js';
import { DAY, makeWorld, NOW, type World } from './identities.js';

async function onlyAutoIdErrors(f: () => Promise<unknown> | unknown): Promise<void> {
  try {
    await f();
  } catch (e) {
    if (!(e instanceof AutoIdError)) throw new Error(`escaped: ${String(e)}`);
  }
}

const json = fc.jsonValue({ maxDepth: 4 });

describe('fuzz: credentials, presentations, DIDs, JWS, keys', () => {
  let w: World;
  let vc: Credential & { proof: DataIntegrityProof };
  let vp: unknown;
  beforeAll(async () => {
    w = await makeWorld();
    vc = (await issueCredential({
      credential: {
        '@context': ['https://www.w3.org/ns/credentials/v2'],
        type: ['VerifiableCredential'],
        credentialSubject: { id: didFromAutoId(w.agent.id), n: 1 },
      },
      issuer: { id: w.creator.id, privateKey: w.creator.keys.privateKey },
    })) as Credential & { proof: DataIntegrityProof };
    const d = await issueDelegation({
      delegator: { id: w.creator.id, privateKey: w.creator.keys.privateKey },
      agent: w.agent.id,
      permissions: ['a:*'],
      validUntil: new Date(NOW + DAY),
      validFrom: new Date(NOW - DAY),
    });
    vp = await presentDelegation({
      agent: { id: w.agent.id, privateKey: w.agent.keys.privateKey },
      delegation: d,
      challenge: 'c',
    });
  });

  it('random JSON values and strings as credentials and presentations', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(json, fc.string()), async (x) => {
        await onlyAutoIdErrors(() => verifyCredential(x, { registry: w.registry, now: NOW }));
        await onlyAutoIdErrors(() =>
          verifyPresentation(x, { registry: w.registry, now: NOW, challenge: 'c' }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('a real credential and presentation with one field replaced by random JSON', async () => {
    const vcPaths = [
      '@context',
      'type',
      'issuer',
      'credentialSubject',
      'validFrom',
      'validUntil',
      'credentialStatus',
      'id',
      'proof',
    ];
    const proofPaths = [
      'type',
      'cryptosuite',
      'created',
      'verificationMethod',
      'proofPurpose',
      'proofValue',
      '@context',
      'challenge',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...vcPaths),
        fc.constantFrom(...proofPaths),
        json,
        fc.boolean(),
        async (k, pk, v, inProof) => {
          const bad = structuredClone(vc) as unknown as Record<string, unknown> & {
            proof: Record<string, unknown>;
          };
          if (inProof) bad.proof[pk] = v;
          else bad[k] = v;
          await onlyAutoIdErrors(() => verifyCredential(bad, { registry: w.registry, now: NOW }));
          const badVp = structuredClone(vp) as Record<string, unknown>;
          badVp[k === 'issuer' ? 'holder' : k === 'credentialSubject' ? 'verifiableCredential' : k] = v;
          await onlyAutoIdErrors(() =>
            verifyAgentAuthorization(badVp, {
              registry: w.registry,
              now: NOW,
              challenge: 'c',
              permission: 'a:b',
            }),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('random compact JWS made of random or JSON parts', async () => {
    const part = fc.oneof(
      fc.string({ maxLength: 40 }),
      json.map((j) => base64urlEncode(new TextEncoder().encode(JSON.stringify(j) ?? 'null'))),
      fc.uint8Array({ maxLength: 80 }).map(base64urlEncode),
    );
    await fc.assert(
      fc.asyncProperty(part, part, part, async (a, b, c) => {
        await onlyAutoIdErrors(() => decodeJose(`${a}.${b}.${c}`));
        await onlyAutoIdErrors(() => verifyCredential(`${a}.${b}.${c}`, { registry: w.registry, now: NOW }));
      }),
      { numRuns: 300 },
    );
  });

  it('DIDs and private keys', async () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), (s) => {
        try {
          autoIdFromDid(s);
          autoIdFromDid(`did:autoid:${s}`);
        } catch (e) {
          expect((e as AutoIdError).code).toBe('AUTO_ID_INVALID_DID');
        }
      }),
      { numRuns: 500 },
    );
    const der = pemToDer(await exportKeyPem((await generateKeyPair('ECDSA-P256')).privateKey), 'PRIVATE KEY');
    expect(detectKeyAlgorithm(der)).toBe('ECDSA-P256');
    fc.assert(
      fc.property(
        fc.nat(der.length - 1),
        fc.integer({ min: 1, max: 255 }),
        fc.uint8Array({ maxLength: 60 }),
        (i, x, rnd) => {
          const b = der.slice();
          b[i]! ^= x;
          for (const k of [b, rnd, der.subarray(0, i)])
            try {
              detectKeyAlgorithm(k);
            } catch (e) {
              expect(e).toBeInstanceOf(AutoIdError);
            }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

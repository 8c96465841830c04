// Shared fixtures of the credential-layer tests: a registry with root (organisation) -> creator
// (person) -> agent, Ed25519 by default, all valid around NOW. RSA keys come from test/keys (our
// own test keys, generated for these tests): RSA key generation would dominate the suite's time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AutoIdError,
  AutoIdRegistry,
  createAgentIdentity,
  createCsr,
  generateKeyPair,
  type Identifier,
  importPrivateKey,
  issueCertificate,
  type KeyAlgorithm,
  type ParsedCertificate,
  registrationFromCertificate,
  selfIssueCertificate,
  signCertificateAction,
} from '../src/index.js';

export const NOW = 1_800_000_000_000; // 2027-01-15
export const DAY = 86_400_000;
export const window = { notBefore: new Date(NOW - 30 * DAY), notAfter: new Date(NOW + 365 * DAY) };

let rsaNext = 0;
/** A key pair: RSA-2048 ones from the test key files in turn, others freshly generated. */
export async function keyPair(alg: KeyAlgorithm): Promise<CryptoKeyPair> {
  if (alg !== 'RSA-2048') return generateKeyPair(alg);
  const pem = readFileSync(join(import.meta.dirname, 'keys', `rsa-2048-${rsaNext++ % 4}.pem`), 'utf8');
  const params = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const privateKey = await importPrivateKey(pem, 'RSA-2048', { extractable: true });
  const {
    d: _d,
    p: _p,
    q: _q,
    dp: _dp,
    dq: _dq,
    qi: _qi,
    ...pub
  } = await crypto.subtle.exportKey('jwk', privateKey);
  const publicKey = await crypto.subtle.importKey('jwk', { ...pub, key_ops: ['verify'] }, params, true, [
    'verify',
  ]);
  return { privateKey, publicKey };
}

export interface Party {
  id: Identifier;
  keys: CryptoKeyPair;
  cert: ParsedCertificate;
}

export interface World {
  registry: AutoIdRegistry;
  root: Party;
  creator: Party;
  agent: Party;
  revoke(target: Identifier, signer: Party, at?: number): Promise<void>;
}

export async function makeWorld(alg: KeyAlgorithm = 'Ed25519', agentAlg: KeyAlgorithm = alg): Promise<World> {
  const registry = new AutoIdRegistry();
  const rootKeys = await keyPair(alg);
  const rootCert = await selfIssueCertificate({ commonName: 'Example Org', keys: rootKeys, ...window });
  const rootId = await registry.registerAutoId(registrationFromCertificate(rootCert.der), { now: NOW });
  const creatorKeys = await keyPair(alg);
  const creatorCert = await issueCertificate({
    csr: await createCsr({ commonName: 'Alice', keys: creatorKeys }),
    issuer: { certificate: rootCert.der, privateKey: rootKeys.privateKey },
    ...window,
  });
  const creatorId = await registry.registerAutoId(registrationFromCertificate(creatorCert.der, rootId), {
    now: NOW,
  });
  const agent = await createAgentIdentity({
    creator: { id: creatorId, certificate: creatorCert.der, privateKey: creatorKeys.privateKey },
    name: 'Alice booking agent',
    keys: await keyPair(agentAlg),
    ...window,
  });
  await registry.registerAutoId(agent.registration, { now: NOW });
  return {
    registry,
    root: { id: rootId, keys: rootKeys, cert: rootCert },
    creator: { id: creatorId, keys: creatorKeys, cert: creatorCert },
    agent: { id: agent.id, keys: agent.keys, cert: agent.certificate },
    async revoke(target, signer, at) {
      const sig = await signCertificateAction(signer.keys.privateKey, registry.revocationAction(target));
      await registry.revokeCertificate(target, sig, at === undefined ? undefined : { now: at });
    },
  };
}

/** The code of the AutoIdError a promise rejects with (fails the test on anything else). */
export async function rejectCode(p: Promise<unknown> | (() => Promise<unknown>)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof AutoIdError) return e.code;
    throw new Error(`expected an AutoIdError, got ${String(e)}`);
  }
  throw new Error('expected an AutoIdError, nothing was thrown');
}

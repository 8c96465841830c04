// `pnpm bench` in this package: certificate parse + Auto ID derivation, a 2-level issuer -> leaf
// verification (both signatures, both identifiers, validity), a 3-level agent chain, credential
// verification and provenance signing/verification; RSA-2048 (the pallet's fixtures) and Ed25519
// separately. Anchors in the same run: node:crypto (X509Certificate, sign/verify of the same bytes)
// and @peculiar/x509.
import {
  createPrivateKey,
  createPublicKey,
  X509Certificate as NodeX509,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchCase, runBench } from '@autonomys/bench';
import { vectorsDir } from '@autonomys/test-utils';
import 'reflect-metadata';
import { X509Certificate as PeculiarX509 } from '@peculiar/x509';
import {
  AutoIdRegistry,
  createAgentIdentity,
  createCsr,
  createProvenanceRecord,
  deriveAutoId,
  didFromAutoId,
  encodeProvenanceRecord,
  generateKeyPair,
  issueCertificate,
  issueCredential,
  issueDelegation,
  type KeyAlgorithm,
  parseCertificate,
  provenanceSigningPayload,
  registrationFromCertificate,
  type SecuredCredential,
  selfIssueCertificate,
  VC_CONTEXT_V2,
  verifyCredential,
  verifyDelegation,
  verifyProvenanceRecord,
  verifyX509Signature,
} from '../src/index.js';

const fixture = (name: string) => new Uint8Array(readFileSync(join(vectorsDir, 'auto-id', name)));
const now = 1_719_792_000_000n;

// RSA-2048: the pallet's fixtures. Ed25519: a root and a leaf made here, valid at `now`.
const rsa = { root: fixture('issuer.cert.der'), leaf: fixture('leaf.cert.der') };
const window = {
  notBefore: new Date(Number(now) - 86_400_000),
  notAfter: new Date(Number(now) + 86_400_000),
};
const edKeys = await generateKeyPair('Ed25519');
const edRoot = await selfIssueCertificate({ commonName: 'Bench root', keys: edKeys, ...window });
const edLeafKeys = await generateKeyPair('Ed25519');
const edLeaf = await issueCertificate({
  csr: await createCsr({ commonName: 'Bench leaf', keys: edLeafKeys }),
  issuer: { certificate: edRoot.der, privateKey: edKeys.privateKey },
  ...window,
});
const ed = { root: edRoot.der, leaf: edLeaf.der };

/** Parse a certificate and derive its Auto ID as a root. */
const parseAndDerive = (der: Uint8Array) => deriveAutoId(parseCertificate(der).subjectCommonName);

/** Verify root (self-signed) -> leaf: signatures, identifiers, validity at `now`. */
async function verifyChain(rootDer: Uint8Array, leafDer: Uint8Array): Promise<Uint8Array> {
  const root = parseCertificate(rootDer);
  const leaf = parseCertificate(leafDer);
  const ok =
    (await verifyX509Signature(
      root.subjectPublicKeyInfo,
      root.signatureAlgorithm,
      root.tbs,
      root.signature,
    )) &&
    (await verifyX509Signature(root.subjectPublicKeyInfo, leaf.signatureAlgorithm, leaf.tbs, leaf.signature));
  const valid = [root, leaf].every((c) => c.validity.notBefore <= now && now <= c.validity.notAfter);
  if (!ok || !valid) throw new Error('chain does not verify');
  return deriveAutoId(leaf.subjectCommonName, deriveAutoId(root.subjectCommonName));
}

/** The same through the registry model: register root then leaf in a fresh registry. */
async function registerChain(rootDer: Uint8Array, leafDer: Uint8Array): Promise<Uint8Array> {
  const r = new AutoIdRegistry();
  const id = await r.registerAutoId(registrationFromCertificate(rootDer), { now });
  return r.registerAutoId(registrationFromCertificate(leafDer, id), { now });
}

/** node:crypto anchor: parse both, verify both signatures with the root's key. */
function nodeChain(rootDer: Uint8Array, leafDer: Uint8Array): boolean {
  const root = new NodeX509(rootDer);
  const leaf = new NodeX509(leafDer);
  return root.verify(root.publicKey) && leaf.verify(root.publicKey);
}

const cases: BenchCase[] = [];
for (const [alg, c] of [
  ['RSA-2048', rsa],
  ['Ed25519', ed],
] as const) {
  cases.push(
    {
      name: `X509Certificate parse (node:crypto, ${alg})`,
      size: `${c.root.length} B`,
      fn: () => new NodeX509(c.root),
    },
    {
      name: `parse + Auto ID (ours, ${alg})`,
      size: `${c.root.length} B`,
      anchor: `X509Certificate parse (node:crypto, ${alg})`,
      batch: 20,
      fn: () => parseAndDerive(c.root),
    },
    {
      name: `X509Certificate parse (@peculiar/x509, ${alg})`,
      size: `${c.root.length} B`,
      anchor: `X509Certificate parse (node:crypto, ${alg})`,
      batch: 5,
      fn: () => new PeculiarX509(c.root.slice()).subject,
    },
    {
      name: `root -> leaf verify (node:crypto, ${alg})`,
      size: '2 certs',
      fn: () => nodeChain(c.root, c.leaf),
    },
    {
      name: `root -> leaf verify (ours, ${alg})`,
      size: '2 certs',
      anchor: `root -> leaf verify (node:crypto, ${alg})`,
      fn: () => verifyChain(c.root, c.leaf),
    },
    {
      name: `register root + leaf (AutoIdRegistry, ${alg})`,
      size: '2 certs',
      anchor: `root -> leaf verify (node:crypto, ${alg})`,
      fn: () => registerChain(c.root, c.leaf),
    },
  );
}

// --- 3-level agent chains, credentials, provenance ----------------------------------------------

const NOW = Number(now);
const validity = { notBefore: new Date(NOW - 86_400_000), notAfter: new Date(NOW + 86_400_000) };

async function agentWorld(alg: KeyAlgorithm) {
  const registry = new AutoIdRegistry();
  const rootKeys = await generateKeyPair(alg);
  const root = await selfIssueCertificate({ commonName: 'Bench org', keys: rootKeys, ...validity });
  const rootId = await registry.registerAutoId(registrationFromCertificate(root.der), { now });
  const creatorKeys = await generateKeyPair(alg);
  const creator = await issueCertificate({
    csr: await createCsr({ commonName: 'Bench creator', keys: creatorKeys }),
    issuer: { certificate: root.der, privateKey: rootKeys.privateKey },
    ...validity,
  });
  const creatorId = await registry.registerAutoId(registrationFromCertificate(creator.der, rootId), { now });
  const agent = await createAgentIdentity({
    creator: { id: creatorId, certificate: creator.der, privateKey: creatorKeys.privateKey },
    name: 'Bench agent',
    keys: await generateKeyPair(alg),
    ...validity,
  });
  await registry.registerAutoId(agent.registration, { now });
  const signer = { id: creatorId, privateKey: creatorKeys.privateKey };
  const delegation = await issueDelegation({
    delegator: signer,
    agent: agent.id,
    permissions: ['calendar:edit', 'booking:*'],
    validFrom: validity.notBefore,
    validUntil: validity.notAfter,
  });
  const credential: SecuredCredential = await issueCredential({
    credential: {
      '@context': [VC_CONTEXT_V2],
      type: ['VerifiableCredential'],
      credentialSubject: { id: didFromAutoId(agent.id), degree: 'BSc' },
    },
    issuer: signer,
  });
  const content = new Uint8Array(1024).fill(7);
  const record = await createProvenanceRecord({ content, signer, timestamp: now });
  const nodeKey = createPrivateKey({
    key: Buffer.from(await crypto.subtle.exportKey('pkcs8', creatorKeys.privateKey)),
    format: 'der',
    type: 'pkcs8',
  });
  return {
    registry,
    certs: [root.der, creator.der, agent.certificate.der],
    delegation,
    credential,
    content,
    record,
    wire: encodeProvenanceRecord(record),
    signer,
    nodeKey,
    nodePub: createPublicKey(nodeKey),
    payload: provenanceSigningPayload(record),
  };
}

/** Parse 3 certificates, verify root self-signature and both issued signatures, validity, ids. */
async function verifyChain3(ders: Uint8Array[]): Promise<Uint8Array> {
  const [root, creator, agent] = ders.map((d) => parseCertificate(d)) as [
    ReturnType<typeof parseCertificate>,
    ReturnType<typeof parseCertificate>,
    ReturnType<typeof parseCertificate>,
  ];
  const ok =
    (await verifyX509Signature(
      root.subjectPublicKeyInfo,
      root.signatureAlgorithm,
      root.tbs,
      root.signature,
    )) &&
    (await verifyX509Signature(
      root.subjectPublicKeyInfo,
      creator.signatureAlgorithm,
      creator.tbs,
      creator.signature,
    )) &&
    (await verifyX509Signature(
      creator.subjectPublicKeyInfo,
      agent.signatureAlgorithm,
      agent.tbs,
      agent.signature,
    ));
  if (!ok || ![root, creator, agent].every((c) => c.validity.notBefore <= now && now <= c.validity.notAfter))
    throw new Error('chain does not verify');
  return deriveAutoId(
    agent.subjectCommonName,
    deriveAutoId(creator.subjectCommonName, deriveAutoId(root.subjectCommonName)),
  );
}

function nodeChain3(ders: Uint8Array[]): boolean {
  const [root, creator, agent] = ders.map((d) => new NodeX509(d)) as [NodeX509, NodeX509, NodeX509];
  return root.verify(root.publicKey) && creator.verify(root.publicKey) && agent.verify(creator.publicKey);
}

for (const alg of ['RSA-2048', 'Ed25519'] as const) {
  const w = await agentWorld(alg);
  const nodeAlg = alg === 'Ed25519' ? null : 'sha256';
  const sig = nodeSign(nodeAlg, w.payload, w.nodeKey);
  cases.push(
    { name: `3-level chain verify (node:crypto, ${alg})`, size: '3 certs', fn: () => nodeChain3(w.certs) },
    {
      name: `3-level chain verify (ours, ${alg})`,
      size: '3 certs',
      anchor: `3-level chain verify (node:crypto, ${alg})`,
      fn: () => verifyChain3(w.certs),
    },
    {
      name: `agent delegation verify (registry chain + VC, ${alg})`,
      size: '3 levels',
      anchor: `3-level chain verify (node:crypto, ${alg})`,
      fn: () => verifyDelegation(w.delegation, { registry: w.registry, now, permission: 'booking:hotel' }),
    },
    {
      name: `verify signature (node:crypto, ${alg})`,
      size: `${w.payload.length} B`,
      fn: () => nodeVerify(nodeAlg, w.payload, w.nodePub, sig),
    },
    {
      name: `sign (node:crypto, ${alg})`,
      size: `${w.payload.length} B`,
      fn: () => nodeSign(nodeAlg, w.payload, w.nodeKey),
    },
    {
      name: `VC verify (${alg === 'Ed25519' ? 'eddsa-jcs-2022' : 'VC-JOSE RS256'})`,
      size: '1 credential',
      anchor: `verify signature (node:crypto, ${alg})`,
      fn: () => verifyCredential(w.credential, { registry: w.registry, now }),
    },
    {
      name: `provenance sign (${alg})`,
      size: '1 KiB content',
      anchor: `sign (node:crypto, ${alg})`,
      fn: () => createProvenanceRecord({ content: w.content, signer: w.signer, timestamp: now }),
    },
    {
      name: `provenance verify (${alg})`,
      size: `${w.wire.length} B record`,
      anchor: `verify signature (node:crypto, ${alg})`,
      fn: () => verifyProvenanceRecord(w.wire, { registry: w.registry, content: w.content, now }),
    },
  );
}

await runBench({ package: 'auto-id', iterations: 20, time: 300, cases });

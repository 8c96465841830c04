// `pnpm bench` in this package: certificate parse + Auto ID derivation, and a 2-level issuer -> leaf
// verification (both signatures, both identifiers, validity), RSA-2048 (the pallet's fixtures) and
// Ed25519 separately; node:crypto's X509Certificate and @peculiar/x509 are the anchors in the same run.
import { X509Certificate as NodeX509 } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BenchCase, runBench } from '@autonomys/bench';
import { vectorsDir } from '@autonomys/test-utils';
import 'reflect-metadata';
import { X509Certificate as PeculiarX509 } from '@peculiar/x509';
import {
  AutoIdRegistry,
  createCsr,
  deriveAutoId,
  generateKeyPair,
  issueCertificate,
  parseCertificate,
  registrationFromCertificate,
  selfIssueCertificate,
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

await runBench({ package: 'auto-id', iterations: 20, time: 300, cases });

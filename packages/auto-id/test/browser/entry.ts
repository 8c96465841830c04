// Bundled by test/browser.test.ts (esbuild) and run in headless Chromium: the verification paths
// (certificates, identifiers, SCALE fixtures, the registry, credentials, agents, provenance) on the
// browser's own WebCrypto, with the same vectors as the Node tests.
import { bytesToHex, hexToBytes } from '@autonomys/primitives';
import {
  AutoIdError,
  AutoIdRegistry,
  autoIdFromCertificate,
  decodeRegisterAutoId,
  decodeRenewAutoId,
  decodeSignature,
  deriveAutoId,
  encodeRegisterAutoId,
  encodeRenewAutoId,
  encodeSignature,
  type Identifier,
  parseCertificate,
  registrationFromCertificate,
  verifyAgentAuthorization,
  verifyCredential,
  verifyProvenanceRecord,
} from '../../src/index.js';

export interface BrowserInput {
  fixtures: Record<string, string>;
  identifiers: { input_cn: string; issuer_id_hex?: string; expected_hex: string }[];
  mockNow: number;
  worlds: {
    alg: string;
    now: number;
    chain: string[]; // root, creator, agent certificate DER hex
    credential: unknown;
    presentation: unknown;
    challenge: string;
    provenance: string; // hex
    content: string; // hex
  }[];
}

async function code(f: () => Promise<unknown> | unknown): Promise<string> {
  try {
    await f();
    return 'ok';
  } catch (e) {
    return e instanceof AutoIdError ? e.code : `foreign: ${String(e)}`;
  }
}

async function run(input: BrowserInput) {
  const fx = (name: string) => hexToBytes(input.fixtures[name]!);
  const out: Record<string, unknown> = { userAgent: navigator.userAgent };

  // Fixtures: certificates and identifiers.
  const issuer = parseCertificate(fx('issuer.cert.der'));
  const leaf = parseCertificate(fx('leaf.cert.der'));
  const issuerId = autoIdFromCertificate(issuer.der);
  out.issuerId = bytesToHex(issuerId);
  out.leafId = bytesToHex(autoIdFromCertificate(leaf.der, issuerId));
  out.identifiers = input.identifiers.map(
    (c) =>
      bytesToHex(deriveAutoId(c.input_cn, c.issuer_id_hex ? hexToBytes(c.issuer_id_hex) : undefined)) ===
      c.expected_hex,
  );
  // SCALE parameters re-encode byte for byte.
  const same = (a: Uint8Array, b: Uint8Array) => bytesToHex(a) === bytesToHex(b);
  out.scale = [
    same(
      encodeRegisterAutoId(decodeRegisterAutoId(fx('benchmarks/issuer_register_auto_id_params'))),
      fx('benchmarks/issuer_register_auto_id_params'),
    ),
    same(
      encodeRegisterAutoId(decodeRegisterAutoId(fx('benchmarks/leaf_register_auto_id_params'))),
      fx('benchmarks/leaf_register_auto_id_params'),
    ),
    same(
      encodeRenewAutoId(decodeRenewAutoId(fx('benchmarks/issuer_auto_id_renewal'))),
      fx('benchmarks/issuer_auto_id_renewal'),
    ),
    same(
      encodeRenewAutoId(decodeRenewAutoId(fx('benchmarks/leaf_auto_id_renewal'))),
      fx('benchmarks/leaf_auto_id_renewal'),
    ),
    same(
      encodeSignature(decodeSignature(fx('benchmarks/leaf_auto_id_revocation_signature'))),
      fx('benchmarks/leaf_auto_id_revocation_signature'),
    ),
  ];
  // The registry replays the pallet's flows with RSA-2048 signatures verified by the browser.
  const now = { now: input.mockNow };
  const r1 = new AutoIdRegistry();
  const i1 = await r1.registerAutoId(
    decodeRegisterAutoId(fx('benchmarks/issuer_register_auto_id_params')),
    now,
  );
  const l1 = await r1.registerAutoId(
    decodeRegisterAutoId(fx('benchmarks/leaf_register_auto_id_params')),
    now,
  );
  out.registered = [bytesToHex(i1), bytesToHex(l1)];
  out.reRegister = await code(() =>
    r1.registerAutoId(decodeRegisterAutoId(fx('benchmarks/leaf_register_auto_id_params')), now),
  );
  await r1.renewAutoId(l1, decodeRenewAutoId(fx('benchmarks/leaf_auto_id_renewal')), now);
  await r1.renewAutoId(i1, decodeRenewAutoId(fx('benchmarks/issuer_auto_id_renewal')), now);
  out.renewed = r1.events.map((e) => e.type);
  const r2 = new AutoIdRegistry();
  await r2.registerAutoId(decodeRegisterAutoId(fx('benchmarks/issuer_register_auto_id_params')), now);
  await r2.registerAutoId(decodeRegisterAutoId(fx('benchmarks/leaf_register_auto_id_params')), now);
  out.wrongSigner = await code(() =>
    r2.revokeCertificate(i1, decodeSignature(fx('benchmarks/leaf_auto_id_revocation_signature'))),
  );
  await r2.revokeCertificate(l1, decodeSignature(fx('benchmarks/leaf_auto_id_revocation_signature')));
  out.leafRevoked = r2.isRevoked(l1);

  // Credentials, agents and provenance made in Node, verified here.
  out.worlds = [];
  for (const w of input.worlds) {
    const registry = new AutoIdRegistry();
    let parent: Identifier | undefined;
    for (const der of w.chain)
      parent = await registry.registerAutoId(registrationFromCertificate(hexToBytes(der), parent), {
        now: w.now,
      });
    const opts = { registry, now: w.now };
    const tampered =
      typeof w.credential === 'string'
        ? `${w.credential.slice(0, -6)}${w.credential.slice(-6) === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA'}`
        : { ...(w.credential as object), validUntil: '2099-01-01T00:00:00Z' };
    const prov = hexToBytes(w.provenance);
    const badProv = prov.slice();
    badProv[badProv.length - 3]! ^= 1;
    const content = hexToBytes(w.content);
    (out.worlds as unknown[]).push({
      alg: w.alg,
      credential: await code(() => verifyCredential(w.credential, opts)),
      tamperedCredential: await code(() => verifyCredential(tampered, opts)),
      authorized: await code(() =>
        verifyAgentAuthorization(w.presentation, {
          ...opts,
          challenge: w.challenge,
          permission: 'calendar:edit',
        }),
      ),
      outsideDelegation: await code(() =>
        verifyAgentAuthorization(w.presentation, {
          ...opts,
          challenge: w.challenge,
          permission: 'payments:send',
        }),
      ),
      provenance: await code(() => verifyProvenanceRecord(prov, { ...opts, content })),
      tamperedProvenance: await code(() => verifyProvenanceRecord(badProv, { ...opts, content })),
      otherContent: await code(() => verifyProvenanceRecord(prov, { ...opts, content: content.subarray(1) })),
    });
  }
  return out;
}

(globalThis as unknown as { autoIdBrowserChecks: typeof run }).autoIdBrowserChecks = run;

// The verification paths in a real browser: test/browser/entry.ts bundled with esbuild and run in
// headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core). Skips, saying so, only
// when Chromium is absent and AUTONOMYS_BROWSER_REQUIRED is not set (CI sets it).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesToHex } from '@autonomys/primitives';
import { loadVectors, vectorsDir } from '@autonomys/test-utils';
import { describe, expect, it } from 'vitest';
import {
  createProvenanceRecord,
  didFromAutoId,
  encodeProvenanceRecord,
  issueCredential,
  issueDelegation,
  presentDelegation,
  VC_CONTEXT_V2,
} from '../src/index.js';
import type { BrowserInput } from './browser/entry.js';
import { MOCK_NOW } from './helpers.js';
import { DAY, makeWorld, NOW } from './identities.js';

const CHROMIUM = '/usr/bin/chromium';
const required = !!process.env.AUTONOMYS_BROWSER_REQUIRED;
const present = existsSync(CHROMIUM);
const SKIP = `headless browser test skipped: ${CHROMIUM} not found (apt-get install -y chromium; set AUTONOMYS_BROWSER_REQUIRED=1 to make this a failure)`;
if (!present && !required) console.warn(SKIP);

const files = (dir: string, prefix = ''): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name), `${prefix}${d.name}/`) : [`${prefix}${d.name}`],
  );

async function prepare(): Promise<BrowserInput> {
  const dir = join(vectorsDir, 'auto-id');
  const fixtures = Object.fromEntries(files(dir).map((f) => [f, bytesToHex(readFileSync(join(dir, f)))]));
  const identifiers = loadVectors<{ identifiers: BrowserInput['identifiers'] }>('identity.json').identifiers;
  const worlds: BrowserInput['worlds'] = [];
  for (const alg of ['Ed25519', 'ECDSA-P256', 'RSA-2048'] as const) {
    const w = await makeWorld(alg);
    const credential = await issueCredential({
      credential: {
        '@context': [VC_CONTEXT_V2],
        type: ['VerifiableCredential'],
        validUntil: new Date(NOW + DAY).toISOString(),
        credentialSubject: { id: didFromAutoId(w.agent.id), role: 'tester' },
      },
      issuer: { id: w.creator.id, privateKey: w.creator.keys.privateKey },
    });
    const delegation = await issueDelegation({
      delegator: { id: w.creator.id, privateKey: w.creator.keys.privateKey },
      agent: w.agent.id,
      permissions: ['calendar:*'],
      validFrom: new Date(NOW - DAY),
      validUntil: new Date(NOW + DAY),
    });
    const presentation = await presentDelegation({
      agent: { id: w.agent.id, privateKey: w.agent.keys.privateKey },
      delegation,
      challenge: `challenge-${alg}`,
    });
    const content = new TextEncoder().encode(`content signed with ${alg}`);
    const record = await createProvenanceRecord({
      content,
      signer: { id: w.agent.id, privateKey: w.agent.keys.privateKey },
      timestamp: NOW,
    });
    worlds.push({
      alg,
      now: NOW,
      chain: [w.root.cert.der, w.creator.cert.der, w.agent.cert.der].map(bytesToHex),
      credential,
      presentation,
      challenge: `challenge-${alg}`,
      provenance: bytesToHex(encodeProvenanceRecord(record)),
      content: bytesToHex(content),
    });
  }
  return { fixtures, identifiers, mockNow: Number(MOCK_NOW), worlds };
}

describe('headless Chromium', () => {
  it.skipIf(!present && !required)(
    'runs the verification paths with the same vectors in the browser',
    async () => {
      if (!present) throw new Error(`AUTONOMYS_BROWSER_REQUIRED is set but ${CHROMIUM} is missing`);
      const [{ build }, { chromium }, input] = await Promise.all([
        import('esbuild'),
        import('playwright-core'),
        prepare(),
      ]);
      const bundle = await build({
        entryPoints: [join(import.meta.dirname, 'browser', 'entry.ts')],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        target: 'es2022',
        conditions: ['autonomys-source'],
        write: false,
        logLevel: 'silent',
      });
      const js = bundle.outputFiles[0]!.text;
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-background-networking'],
      });
      try {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(String(e)));
        // A localhost origin is a secure context (WebCrypto); nothing goes to the network.
        await page.route('http://localhost:4173/**', (route) =>
          route.request().url().endsWith('/bundle.js')
            ? route.fulfill({ body: js, contentType: 'text/javascript' })
            : route.fulfill({
                body: '<!doctype html><script type="module" src="/bundle.js"></script>',
                contentType: 'text/html',
              }),
        );
        await page.goto('http://localhost:4173/');
        await page.waitForFunction(() => 'autoIdBrowserChecks' in globalThis, undefined, { timeout: 10_000 });
        const out = await page.evaluate(
          (i) =>
            (
              globalThis as unknown as {
                autoIdBrowserChecks: (x: unknown) => Promise<Record<string, unknown>>;
              }
            ).autoIdBrowserChecks(i),
          input,
        );
        expect(errors).toEqual([]);
        expect(out.userAgent).toMatch(/HeadlessChrome|Chrome/);
        expect(out.issuerId).toBe(input.fixtures['benchmarks/issuer_auto_id']);
        expect(out.leafId).toBe(input.fixtures['benchmarks/leaf_auto_id']);
        expect(out.identifiers).toEqual(input.identifiers.map(() => true));
        expect(out.scale).toEqual([true, true, true, true, true]);
        expect(out.registered).toEqual([out.issuerId, out.leafId]);
        expect(out.reRegister).toBe('AUTO_ID_CERTIFICATE_SERIAL_ALREADY_ISSUED');
        expect(out.renewed).toEqual([
          'NewAutoIdRegistered',
          'NewAutoIdRegistered',
          'AutoIdRenewed',
          'AutoIdRenewed',
        ]);
        expect(out.wrongSigner).toBe('AUTO_ID_INVALID_SIGNATURE');
        expect(out.leafRevoked).toBe(true);
        expect(out.worlds).toEqual(
          input.worlds.map((w) => ({
            alg: w.alg,
            credential: 'ok',
            tamperedCredential: 'AUTO_ID_INVALID_PROOF',
            authorized: 'ok',
            outsideDelegation: 'AUTO_ID_PERMISSION_DENIED',
            provenance: 'ok',
            tamperedProvenance: 'AUTO_ID_INVALID_PROOF',
            otherContent: 'AUTO_ID_INVALID_PROOF',
          })),
        );
      } finally {
        await browser.close();
      }
    },
  );
});

/**
 * The dashboard end to end in a real headless Chromium (Debian's, driven by playwright-core): a dev
 * node serves the built dashboard; the test waits for blocks, verifies a block's proof of time, its
 * solution and a piece in the page, uploads a file and fetches it back, checks that a corrupted
 * piece shows as failed, and writes a screenshot of every view to test-results/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  AutoIdRegistry,
  createCsr,
  createProvenanceRecord,
  derToPem,
  encodeCall,
  generateKeyPair,
  issueCertificate,
  provenanceRecordToJson,
  registrationFromCertificate,
  selfIssueCertificate,
  signCertificateAction,
} from '@autonomys/auto-id';
import { Kzg, loadPublicParameters } from '@autonomys/kzg';
import { type DevNetwork, startDevNetwork } from '@autonomys/node';
import { bytesToHex } from '@autonomys/primitives';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const root = fileURLToPath(new URL('..', import.meta.url));
const shots = `${root}test-results/`;
const required = process.env.AUTONOMYS_BROWSER_REQUIRED === '1';
const available = existsSync(CHROMIUM);
if (!available && !required)
  console.warn(`dashboard e2e skipped: ${CHROMIUM} not found (apt-get install chromium)`);

describe.runIf(available || required)('dashboard in Chromium', () => {
  let net: DevNetwork;
  let browser: Browser;
  let page: Page;
  let url: string;
  let firstPaintMs: number | undefined;

  beforeAll(async () => {
    if (!existsSync(`${root}dist/index.html`)) {
      const { build } = await import('vite');
      await build({ root, logLevel: 'warn' });
    }
    mkdirSync(shots, { recursive: true });
    net = await startDevNetwork({
      fastPos: true,
      potSlotIterations: 4096,
      slotDurationMs: 150,
      numChunks: 4,
      sectors: 2,
      piecesInSector: 8,
      slotsPerBlock: 1,
      rpc: { port: 0 },
      kzg: new Kzg(await loadPublicParameters({ g1Count: 256 })),
    });
    url = net.service.rpc!.url;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const t0 = performance.now();
    await page.goto(`${url}/`);
    await page.waitForSelector('header h1');
    firstPaintMs = performance.now() - t0;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await net?.stop();
  }, 30_000);

  it('paints quickly and shows new blocks and slots live', async () => {
    console.log(
      `dashboard loaded and rendered in ${firstPaintMs?.toFixed(0)} ms (navigation to the shell on screen)`,
    );
    await page.waitForSelector('#connection[data-state="open"]');
    await page.waitForFunction(() => document.querySelectorAll('table.blocks tbody tr').length >= 3, null, {
      timeout: 60_000,
    });
    expect(await page.textContent('#head')).toMatch(/#\d+/);
    await page.screenshot({ path: `${shots}dashboard-chain.png` });
  }, 90_000);

  it("verifies a block's proof of time and its solution in the page", async () => {
    // Pin one block by hash (new blocks keep arriving above it).
    await page.waitForFunction(() => document.querySelectorAll('table.blocks tbody tr').length >= 8, null, {
      timeout: 60_000,
    });
    // A block 7 deep: final on this chain (confirmation depth 5), so no reorg removes its row.
    const hash = await page.locator('table.blocks tbody tr').nth(7).getAttribute('data-hash');
    const row = page.locator(`table.blocks tbody tr[data-hash="${hash}"]`);
    await row.locator('button[data-verify="PoT"]').click();
    const pot = row.locator('.verdict').first();
    // Wait for a verdict, then compare it with its text, so that a failure says why.
    const settled = async (v: typeof pot) => {
      await expect.poll(() => v.getAttribute('data-result'), { timeout: 60_000 }).toMatch(/verified|failed/);
      return `${await v.getAttribute('data-result')}: ${await v.textContent()}`;
    };
    expect(await settled(pot)).toMatch(/^verified: /);
    // The PoT ran on WebCrypto in Web Workers (the issue's path), not the TypeScript AES fallback.
    expect(await pot.getAttribute('title')).toMatch(/WebCrypto AES-CBC on \d+ Web Workers/);
    await row.locator('button[data-verify="solution"]').click();
    const sol = row.locator('.verdict').nth(1);
    expect(await settled(sol)).toMatch(/^verified: /);
    console.log(`in-browser checks: PoT ${await pot.textContent()}; solution ${await sol.textContent()}`);
  }, 130_000);

  it('verifies a piece against its segment commitment, and shows a corrupted one as failed', async () => {
    await page.goto(`${url}/#archive`);
    await page.waitForSelector('tr[data-segment]', { timeout: 30_000 });
    const segment = BigInt((await page.locator('tr[data-segment]').first().getAttribute('data-segment'))!);
    const good = segment * 256n + 4n;
    const corrupt = segment * 256n + 6n;
    await page.fill('#piece-index', String(good));
    await page.locator('.piece-check button').click();
    const verdict = page.locator('.piece-check .verdict');
    await expect.poll(() => verdict.getAttribute('data-result'), { timeout: 60_000 }).toBe('verified');
    console.log(`in-browser piece check: ${await verdict.textContent()}`);
    await page.screenshot({ path: `${shots}dashboard-archive.png` });
    // The node now serves another piece with one bit flipped: the page must not call it verified.
    const getPiece = net.chain.getPiece.bind(net.chain);
    (net.chain as { getPiece: typeof getPiece }).getPiece = async (i) => {
      const p = await getPiece(i);
      if (p === undefined || i !== corrupt) return p;
      const bad = p.slice();
      bad[100] = (bad[100] ?? 0) ^ 1;
      return bad;
    };
    await page.fill('#piece-index', String(corrupt));
    await page.locator('.piece-check button').click();
    await expect.poll(() => verdict.getAttribute('data-result'), { timeout: 60_000 }).toBe('failed');
  }, 130_000);

  it('uploads a file and fetches it back by CID', async () => {
    await page.goto(`${url}/#storage`);
    const content = Buffer.from('hello from the dashboard end-to-end test\n'.repeat(50));
    await page.setInputFiles('#upload-file', { name: 'hello.txt', mimeType: 'text/plain', buffer: content });
    await page.click('#upload');
    await page.waitForSelector('#upload-result code.cid', { timeout: 30_000 });
    await page.click('#fetch');
    await page.waitForSelector('#fetch-result [data-bytes]', { timeout: 30_000 });
    expect(await page.getAttribute('#fetch-result [data-bytes]', 'data-bytes')).toBe(String(content.length));
    await page.screenshot({ path: `${shots}dashboard-storage.png` });
    for (const view of ['farming']) {
      await page.goto(`${url}/#${view}`);
      await page.waitForTimeout(1500);
      await page.screenshot({ path: `${shots}dashboard-${view}.png` });
    }
  }, 90_000);

  it("shows an Auto ID's revocation state from supplied registry records and verifies provenance records", async () => {
    // A root and a leaf; the registry records register both and revoke the leaf at `revokedAt`.
    const now = Date.now();
    const notBefore = new Date(now - 3_600_000);
    const rootKeys = await generateKeyPair('Ed25519');
    const root = await selfIssueCertificate({ commonName: 'dashboard root', keys: rootKeys, notBefore });
    const leafKeys = await generateKeyPair('Ed25519');
    const registry = new AutoIdRegistry();
    const calls: Array<{ now: string; call: string }> = [];
    const apply = async (at: number, call: Parameters<typeof encodeCall>[0]) => {
      calls.push({ now: String(at), call: bytesToHex(encodeCall(call)) });
      if (call.call === 'register_auto_id') return registry.registerAutoId(call.req, { now: BigInt(at) });
      if (call.call === 'revoke_certificate')
        await registry.revokeCertificate(call.id, call.signature, { now: BigInt(at) });
      return undefined;
    };
    const rootId = (await apply(now - 600_000, {
      call: 'register_auto_id',
      req: registrationFromCertificate(root.der),
    }))!;
    const leaf = await issueCertificate({
      csr: await createCsr({ commonName: 'dashboard leaf', keys: leafKeys }),
      issuer: { certificate: root.der, privateKey: rootKeys.privateKey },
      issuerAutoId: rootId,
      notBefore,
    });
    const leafId = (await apply(now - 500_000, {
      call: 'register_auto_id',
      req: registrationFromCertificate(leaf.der, rootId),
    }))!;
    const revokedAt = now - 200_000;
    await apply(revokedAt, {
      call: 'revoke_certificate',
      id: leafId,
      signature: await signCertificateAction(rootKeys.privateKey, registry.revocationAction(leafId)),
    });
    const file = { format: 'autonomys-auto-id-registry', version: 1, calls };
    const content = new TextEncoder().encode('content vouched for by the leaf\n');
    const signer = { id: leafId, privateKey: leafKeys.privateKey };
    const before = await createProvenanceRecord({ content, signer, timestamp: revokedAt - 100_000 });
    const after = await createProvenanceRecord({ content, signer, timestamp: revokedAt + 100_000 });

    await page.goto(`${url}/#identity`);
    await page.fill('#certs', `${derToPem(leaf.der)}\n${derToPem(root.der)}`);
    await page.fill('#registry-records', JSON.stringify(file));
    await page.click('#inspect');
    const items = page.locator('#identity-result ul.chain li');
    await expect.poll(() => items.count(), { timeout: 20_000 }).toBe(2);
    expect(await items.nth(0).getAttribute('data-revocation')).toBe('revoked');
    expect(await items.nth(1).getAttribute('data-revocation')).toBe('valid');
    expect(await page.textContent('#identity-result')).toContain(
      'certificate 0 signed by certificate 1: yes',
    );

    const verdict = page.locator('#provenance-result');
    const verify = async (record: typeof before, withContent: Uint8Array) => {
      await page.fill('#provenance-record', JSON.stringify(provenanceRecordToJson(record)));
      await page.setInputFiles('#provenance-content', {
        name: 'content.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from(withContent),
      });
      await page.click('#verify-provenance');
      await expect
        .poll(() => verdict.getAttribute('data-result'), { timeout: 20_000 })
        .toMatch(/verified|failed/);
      const result = { result: await verdict.getAttribute('data-result'), text: await verdict.textContent() };
      await page.evaluate(() => document.querySelector('#provenance-result')?.removeAttribute('data-result'));
      return result;
    };
    // Signed after the revocation, or over other content: failed. Signed before it: still valid (a
    // revocation invalidates records from its time on); that verdict stays on the screenshot.
    expect(await verify(after, content)).toMatchObject({
      result: 'failed',
      text: expect.stringContaining('AUTO_ID_REVOKED'),
    });
    expect((await verify(before, new TextEncoder().encode('other content'))).result).toBe('failed');
    const ok = await verify(before, content);
    expect(ok.result).toBe('verified');
    console.log(`in-browser provenance check: ${ok.text}`);
    await page.screenshot({ path: `${shots}dashboard-identity.png`, fullPage: true });
  }, 60_000);
});

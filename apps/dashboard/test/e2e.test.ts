/**
 * The dashboard end to end in a real headless Chromium (Debian's, driven by playwright-core): a dev
 * node serves the built dashboard; the test waits for blocks, verifies a block's proof of time, its
 * solution and a piece in the page, uploads a file and fetches it back, checks that a corrupted
 * piece shows as failed, and writes a screenshot of every view to test-results/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Kzg, loadPublicParameters } from '@autonomys/kzg';
import { type DevNetwork, startDevNetwork } from '@autonomys/node';
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
  });

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
    await expect.poll(() => pot.getAttribute('data-result'), { timeout: 60_000 }).toBe('verified');
    await row.locator('button[data-verify="solution"]').click();
    const sol = row.locator('.verdict').nth(1);
    await expect.poll(() => sol.getAttribute('data-result'), { timeout: 60_000 }).toBe('verified');
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
    for (const view of ['farming', 'identity']) {
      await page.goto(`${url}/#${view}`);
      await page.waitForTimeout(1500);
      await page.screenshot({ path: `${shots}dashboard-${view}.png` });
    }
  }, 90_000);
});

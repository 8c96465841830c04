/**
 * The browser half of the tests: bundles the packages' browser entries with esbuild (resolving every
 * `@autonomys/*` import through the `browser` condition of its exports, to the sources), serves them
 * on a loopback HTTP server started by the test, and drives Debian's Chromium headless through
 * playwright-core.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
/** The workspace root. */
export const ROOT = resolve(here, '../../..');
const PACKAGES = join(ROOT, 'packages');

/** The Chromium binary (Debian's `chromium` package); AUTONOMYS_CHROMIUM overrides it. */
export const CHROMIUM = process.env.AUTONOMYS_CHROMIUM ?? '/usr/bin/chromium';
/** Set to 1 where the browser tests must run (CI with chromium installed): a missing browser fails. */
export const BROWSER_REQUIRED = process.env.AUTONOMYS_BROWSER_REQUIRED === '1';

/** Whether the browser tests can run here, and why not. */
export function browserAvailability(): { ok: boolean; reason: string } {
  if (!existsSync(CHROMIUM))
    return {
      ok: false,
      reason: `${CHROMIUM} not found (apt-get install chromium, or set AUTONOMYS_CHROMIUM)`,
    };
  return { ok: true, reason: '' };
}

/** The blst WebAssembly module of @autonomys/native, built by its build script. */
export const WASM_PATH = join(PACKAGES, 'native/wasm/blst.wasm');

/**
 * The module's bytes, building it first when it is missing (scripts/build-wasm.mjs; a few seconds),
 * or null with the reason when it cannot be built here (no clang/wasm-ld).
 */
export function blstWasm(): { bytes: Uint8Array | null; reason: string } {
  if (!existsSync(WASM_PATH)) {
    const r = spawnSync(process.execPath, [join(PACKAGES, 'native/scripts/build-wasm.mjs')], {
      encoding: 'utf8',
    });
    if (r.status !== 0 || !existsSync(WASM_PATH))
      return { bytes: null, reason: (r.stderr || r.stdout).trim() };
  }
  return { bytes: new Uint8Array(readFileSync(WASM_PATH)), reason: '' };
}

interface ExportTarget {
  [condition: string]: string | ExportTarget;
}

/** `@autonomys/<pkg>[/sub]` to a source file, preferring the `browser` condition (dist → src). */
function resolveBrowserSource(specifier: string): string | undefined {
  const m = /^@autonomys\/([^/]+)(\/.+)?$/.exec(specifier);
  if (m === null) return undefined;
  const dir = join(PACKAGES, m[1]!);
  if (!existsSync(join(dir, 'package.json'))) return undefined;
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    exports?: Record<string, ExportTarget>;
  };
  const target = pkg.exports?.[m[2] === undefined ? '.' : `.${m[2]}`];
  if (target === undefined) return undefined;
  const browser = target.browser;
  const fromDist = typeof browser === 'string' ? browser : browser?.import;
  if (typeof fromDist === 'string') {
    const src = join(dir, fromDist.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));
    if (existsSync(src)) return src;
  }
  const source = target['autonomys-source'];
  return typeof source === 'string' ? join(dir, source) : undefined;
}

/** esbuild resolution of the workspace's packages from their sources, browser entries first. */
export const browserSourcePlugin: Plugin = {
  name: 'autonomys-browser-source',
  setup(b) {
    b.onResolve({ filter: /^@autonomys\// }, (args) => {
      const path = resolveBrowserSource(args.path);
      return path === undefined ? undefined : { path };
    });
  },
};

/**
 * Bundles `entries` (name → file) for the browser: ESM, no node: modules allowed (esbuild fails on
 * any that is reached). Returns the bundles by name.
 */
export async function bundle(entries: Record<string, string>): Promise<Map<string, Uint8Array>> {
  const r = await build({
    entryPoints: entries,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    outdir: '/out',
    logLevel: 'silent',
    plugins: [browserSourcePlugin],
  });
  return new Map(r.outputFiles.map((f) => [f.path.replace(/^\/out\//, '').replace(/\.js$/, ''), f.contents]));
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** A loopback HTTP server over a path → bytes map (mutable: tests add fixtures as they go). */
export interface StaticServer {
  readonly url: string;
  readonly files: Map<string, Uint8Array>;
  close(): Promise<void>;
}

export async function serve(files: Map<string, Uint8Array>): Promise<StaticServer> {
  const server: Server = createServer((req, res) => {
    const requested = new URL(req.url ?? '/', 'http://x').pathname;
    const path = requested === '/' ? '/index.html' : requested;
    const body = files.get(path);
    if (body === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    const ext = /\.[a-z]+$/.exec(path)?.[0] ?? '';
    res.writeHead(200, {
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      'content-length': body.length,
      'cache-control': 'no-store',
    });
    res.end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    files,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** Headless Chromium with one page open at `url`; console errors are collected. */
export async function openPage(url: string): Promise<{ browser: Browser; page: Page; errors: string[] }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking'],
  });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(url);
  await page.waitForFunction(() => (globalThis as { autonomysReady?: boolean }).autonomysReady === true);
  return { browser, page, errors };
}

/** The test page: loads the bundled page script as a module. */
export const INDEX_HTML = new TextEncoder().encode(
  '<!doctype html><html><head><meta charset="utf-8"><title>autonomys browser tests</title><link rel="icon" href="data:,"></head><body><script type="module" src="/page.js"></script></body></html>',
);

/**
 * One browser session over fixtures: bundles the test page, serves it with the parameters, blst.wasm
 * and the fixtures on loopback, and opens it in headless Chromium. Shared by the tests and the bench.
 */
import { readFileSync } from 'node:fs';
import { vectorPath } from '@autonomys/test-utils';
import type { Browser, Page } from 'playwright-core';
import { bundle, INDEX_HTML, openPage, ROOT, type StaticServer, serve } from './harness.js';

export interface Session {
  browser: Browser;
  page: Page;
  errors: string[];
  server: StaticServer;
  /** Calls `globalThis.autonomys[name](arg)` in the page. */
  call<T>(name: string, arg: unknown): Promise<T>;
  close(): Promise<void>;
}

/** Starts a session serving `files` (path → bytes) beside the page, the bundles and the parameters. */
export async function startSession(opts: {
  files: Map<string, Uint8Array>;
  wasm: Uint8Array | null;
  g1Table: Uint8Array;
}): Promise<Session> {
  const bundles = await bundle({
    page: `${ROOT}/tools/browser-tests/page/page.ts`,
    'pot-worker': `${ROOT}/tools/browser-tests/page/pot-worker.ts`,
  });
  const files = new Map<string, Uint8Array>([
    ['/index.html', INDEX_HTML],
    ['/page.js', bundles.get('page')!],
    ['/pot-worker.js', bundles.get('pot-worker')!],
    ['/params.bin', new Uint8Array(readFileSync(vectorPath('kzg/eth-public-parameters.bin')))],
    ['/g1-table.bin', opts.g1Table],
    ...opts.files,
  ]);
  if (opts.wasm !== null) files.set('/blst.wasm', opts.wasm);
  const server = await serve(files);
  try {
    const { browser, page, errors } = await openPage(server.url);
    const call = <T>(name: string, arg: unknown): Promise<T> =>
      page.evaluate(
        ([n, a]) =>
          (globalThis as unknown as { autonomys: Record<string, (x: unknown) => Promise<unknown>> })
            .autonomys[n as string]!(a),
        [name, arg] as const,
      ) as Promise<T>;
    return {
      browser,
      page,
      errors,
      server,
      call,
      async close() {
        await browser.close();
        await server.close();
      },
    };
  } catch (e) {
    await server.close();
    throw e;
  }
}

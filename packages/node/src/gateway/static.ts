/**
 * Static files for the node's HTTP server: the built dashboard (apps/dashboard) and the KZG public
 * parameters it verifies pieces and solutions with (`/assets/kzg/eth-public-parameters.bin`).
 * Only GET and HEAD; paths are confined to the directory; `/` serves `index.html`.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultParametersPaths } from '@autonomys/kzg';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.map': 'application/json',
};

export const KZG_PARAMETERS_PATH = '/assets/kzg/eth-public-parameters.bin';

/**
 * Where the built dashboard is: `$AUTONOMYS_DASHBOARD_DIR`, else the workspace's apps/dashboard/dist,
 * else the copy a published package carries (`dashboard/`, made at pack time).
 */
export function defaultDashboardDir(): string | undefined {
  const env = process.env.AUTONOMYS_DASHBOARD_DIR;
  const candidates = [
    ...(env ? [env] : []),
    // From src/gateway (sources) and from dist/ (the build) of packages/node.
    fileURLToPath(new URL('../../../../apps/dashboard/dist', import.meta.url)),
    fileURLToPath(new URL('../../../apps/dashboard/dist', import.meta.url)),
    fileURLToPath(new URL('../../dashboard', import.meta.url)),
    fileURLToPath(new URL('../dashboard', import.meta.url)),
  ];
  return candidates.find((d) => existsSync(join(d, 'index.html')));
}

function sendFile(req: IncomingMessage, res: ServerResponse, path: string, cache: string): void {
  const size = statSync(path).size;
  res.writeHead(200, {
    'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
    'content-length': size,
    'cache-control': cache,
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(path)
    .on('error', (e) => res.destroy(e))
    .pipe(res);
}

/**
 * A handler serving `dir` (and the KZG parameters); resolves `true` when it answered.
 * @example const serveDashboard = createStaticHandler(defaultDashboardDir());
 */
export function createStaticHandler(
  dir: string | undefined,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const root = dir === undefined ? undefined : resolve(dir);
  const parameters = defaultParametersPaths().find((p) => existsSync(p));
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (path === KZG_PARAMETERS_PATH) {
      if (!parameters) return false;
      sendFile(req, res, parameters, 'public, max-age=86400');
      return true;
    }
    if (root === undefined) return false;
    const rel = normalize(path === '/' ? '/index.html' : path).replace(/^([/\\])+/, '');
    const file = resolve(root, rel);
    if (file !== root && !file.startsWith(root + sep)) return false;
    if (!existsSync(file) || !statSync(file).isFile()) return false;
    sendFile(req, res, file, rel === 'index.html' ? 'no-cache' : 'public, max-age=3600');
    return true;
  };
}

/**
 * The client side of the gateway, for the CLI's `autonomys store` and `autonomys fetch` (and for
 * programs): uploads stream from disk with progress; downloads go to a temporary file that is
 * renamed into place only once the whole file arrived, so a failed fetch never leaves a partial
 * file under the requested name.
 */
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NodeError } from '../errors.js';

export interface TransferProgress {
  bytes: number;
  /** Undefined when the size is not known in advance. */
  total: number | undefined;
}

/** Uploads a file to a node's gateway (`POST /files`); resolves with its CID. */
export async function storeFile(
  gatewayUrl: string,
  path: string,
  opts: { onProgress?: (p: TransferProgress) => void; signal?: AbortSignal } = {},
): Promise<{ cid: string; nodes: number }> {
  const total = statSync(path).size;
  let bytes = 0;
  const stream = createReadStream(path);
  stream.on('data', (chunk) => {
    bytes += chunk.length;
    opts.onProgress?.({ bytes, total });
  });
  const res = await fetch(new URL('/files', gatewayUrl), {
    method: 'POST',
    body: Readable.toWeb(stream) as ReadableStream,
    headers: {
      'content-type': 'application/octet-stream',
      'x-file-name': encodeURIComponent(basename(path)),
    },
    // Node's fetch streams a request body only in half-duplex mode.
    duplex: 'half',
    ...(opts.signal ? { signal: opts.signal } : {}),
  } as RequestInit);
  const body = (await res.json().catch(() => ({}))) as { cid?: string; nodes?: number; error?: string };
  if (!res.ok || typeof body.cid !== 'string')
    throw new NodeError({
      code: 'NODE_INVALID_ARGUMENT',
      what: 'store',
      reason: body.error ?? `HTTP ${res.status}`,
    });
  return { cid: body.cid, nodes: body.nodes ?? 0 };
}

/** Downloads a file by CID (`GET /files/{cid}`) to `out`, atomically (temp file + rename). */
export async function fetchFile(
  gatewayUrl: string,
  cid: string,
  out: string,
  opts: { onProgress?: (p: TransferProgress) => void; signal?: AbortSignal } = {},
): Promise<{ bytes: number; contentType: string }> {
  const res = await fetch(
    new URL(`/files/${encodeURIComponent(cid)}`, gatewayUrl),
    opts.signal ? { signal: opts.signal } : {},
  );
  if (!res.ok || !res.body)
    throw new NodeError({
      code: 'NODE_INVALID_ARGUMENT',
      what: 'fetch',
      reason: `HTTP ${res.status}: ${await res.text()}`,
    });
  const length = res.headers.get('content-length');
  const total = length === null ? undefined : Number(length);
  const tmp = `${out}.part-${process.pid}`;
  let bytes = 0;
  const counted = Readable.fromWeb(res.body as import('node:stream/web').ReadableStream).on(
    'data',
    (c: Buffer) => {
      bytes += c.length;
      opts.onProgress?.({ bytes, total });
    },
  );
  try {
    await pipeline(counted, createWriteStream(tmp));
    await rename(tmp, out);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return { bytes, contentType: res.headers.get('content-type') ?? 'application/octet-stream' };
}

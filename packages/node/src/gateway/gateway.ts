/**
 * The permanent-storage gateway of a node (ai3.md §1.3), on the node's HTTP server:
 *
 * - `GET /data/{hash}[+{hash}…]`: the reference gateway's endpoint. Hashes are 64 hex digits
 *   (BLAKE3 object hashes); the answer is the objects concatenated in request order,
 *   `application/octet-stream`; a hash the indexer does not know is omitted (as the reference
 *   does: callers re-hash what they get); 400 for a malformed path, 503 when a fetch fails.
 * - `GET /files/{cid}`: the whole file of a DAG head, decompressed, with a content type guessed
 *   from its name, streamed, with HTTP range requests; every node is re-hashed on the way. A
 *   folder head answers its listing as JSON (`{ cid, type: 'folder', name, size, children }`,
 *   header `x-dag-type: folder`). 503 when pieces are not available yet (`NODE_OBJECT_UNAVAILABLE`:
 *   the segment is not archived or spread yet), 502 when they give bytes that fail their hash.
 * - `POST /files` (when the node can publish): the request body becomes a DAG whose nodes are
 *   submitted as `system.remark` extrinsics; answers `{ cid, nodes }`.
 * - `POST /nodes` (when the node can publish): one already-encoded DAG node (at most
 *   `DEFAULT_NODE_MAX_SIZE` bytes, checked to decode as a node) submitted as a `system.remark`;
 *   answers `{ cid }`. `autonomys store DIR` uploads each file with `POST /files` and its folder
 *   nodes, encoded on the client, this way.
 * - `GET /provenance/{cid}`: the provenance remarks indexed for a CID (provenance.ts), as
 *   `{ cid, records: [{ hash, remark }] }` (hex object hash, base64 remark bytes), each fetched
 *   and checked against its hash like any object; the reader verifies the signatures itself.
 * - `POST /provenance` (when the node can publish): a provenance remark (provenance.ts's format)
 *   is checked to decode and submitted as a `system.remark`; answers `{ hash, cid }`.
 *
 * Nothing unverified is served: objects are checked against their hash by the fetcher, DAG nodes
 * against their CIDs by the reader, and a failure after the headers went out aborts the response.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ArchivingParams, PieceGetter } from '@autonomys/archiver';
import { fetchObject, segmentGeometry } from '@autonomys/archiver';
import {
  type BlockSource,
  blake3HashFromCid,
  cidFromBlake3Hash,
  cidToString,
  type DagBlock,
  DEFAULT_NODE_MAX_SIZE,
  decodeNode,
  encodeFile,
  readFile,
  readFolder,
  readNode,
} from '@autonomys/dag';
import { blake3, equalBytes } from '@autonomys/primitives';
import { NodeError } from '../errors.js';
import type { ObjectIndex } from './object-index.js';
import { decodeProvenanceRemark, PROVENANCE_MAX_PER_CID, provenanceCidKey } from './provenance.js';

/** The reference gateway's batch limit (subspace_fetchObject takes 100). */
export const MAX_HASHES_PER_REQUEST = 100;
/** Largest upload accepted by `POST /files` (default 64 MiB; a devnet is not a bulk store). */
export const DEFAULT_MAX_UPLOAD = 64 * 1024 * 1024;

export interface GatewayOptions {
  index: ObjectIndex;
  getPiece: PieceGetter;
  params?: ArchivingParams;
  /**
   * Submits one remark (a DAG node or a provenance remark) as a `system.remark` (the node signs
   * with its dev key). Without it, `POST /files` and `POST /provenance` answer 405.
   */
  publish?: (remark: { bytes: Uint8Array }) => Promise<void>;
  /**
   * More piece sources, tried in order for an object the previous source could not give whole or
   * gave with the wrong hash (e.g. the storage network after the node's own pieces).
   */
  morePieceSources?: readonly PieceGetter[];
  /** Nodes this node published and that may not be archived yet (verified like any other). */
  recent?: Map<string, Uint8Array>;
  maxUpload?: number;
}

/** Largest provenance remark accepted by `POST /provenance`. */
export const MAX_PROVENANCE_REMARK = 64 * 1024;

const HASH = /^[0-9a-f]{64}$/;

const CONTENT_TYPES: Record<string, string> = {
  txt: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  json: 'application/json',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  mp4: 'video/mp4',
  wasm: 'application/wasm',
};

/** A content type from a file name (octet-stream when unknown). */
export function contentTypeOf(name: string | undefined): string {
  const ext = name?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  return (ext && CONTENT_TYPES[ext]) ?? 'application/octet-stream';
}

/**
 * The status of a failed object fetch: 503 (try again later) when the pieces are not available yet,
 * 502 when the storage answered with bytes that do not verify.
 */
function fetchFailureStatus(e: unknown): 502 | 503 {
  return e instanceof NodeError && e.code === 'NODE_OBJECT_UNAVAILABLE' ? 503 : 502;
}

function send(res: ServerResponse, status: number, body: string | object): true {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
  return true;
}

/** Bytes by object hash: the node's fresh publications first, then the archived history. */
export function objectSource(
  opts: GatewayOptions,
): BlockSource & { byHash(hash: Uint8Array): Promise<Uint8Array | undefined> } {
  const sources = [opts.getPiece, ...(opts.morePieceSources ?? [])];
  const byHash = async (hash: Uint8Array) => {
    const recent = opts.recent?.get(Buffer.from(hash).toString('hex'));
    // The node's own unarchived copy is checked like anything else (memory can rot too).
    if (recent && equalBytes(blake3(recent), hash)) return recent;
    const mapping = opts.index.get(hash);
    if (!mapping) return undefined;
    // A DAG node is at most 65 535 bytes: allow that even where segments are smaller (test presets).
    const maxObjectSize = Math.max(segmentGeometry(opts.params).segmentSize, DEFAULT_NODE_MAX_SIZE);
    // Each piece source in turn: a source missing a piece, or whose pieces do not give bytes with
    // the object's hash (a corrupted piece), hands over to the next; all failing is an error.
    const failures: string[] = [];
    // Whether every source failed only for want of a piece (not archived or not spread yet: retry
    // later) rather than for pieces that gave the wrong bytes.
    let onlyMissing = true;
    for (const [i, getPiece] of sources.entries()) {
      let missing = false;
      const tracked: PieceGetter = async (index, o) => {
        const piece = await getPiece(index, o);
        if (piece === undefined || piece === null) missing = true;
        return piece;
      };
      try {
        return await fetchObject(mapping, tracked, {
          maxObjectSize,
          ...(opts.params ? { params: opts.params } : {}),
        });
      } catch (e) {
        if (!missing) onlyMissing = false;
        failures.push(`source ${i + 1}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const reason = `no piece source gave the object ${Buffer.from(hash).toString('hex')}: ${failures.join('; ')}`;
    if (onlyMissing)
      throw new NodeError({
        code: 'NODE_OBJECT_UNAVAILABLE',
        hash: Buffer.from(hash).toString('hex'),
        reason,
      });
    throw new Error(reason);
  };
  return { byHash, get: (cid: string) => byHash(blake3HashFromCid(cid)) };
}

/** Parses `bytes=a-b` (one range) against a size; undefined when absent or unsatisfiable. */
function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'bad' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'bad';
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (!Number.isSafeInteger(start) || start > end || start >= size) return 'bad';
  return { start, end };
}

async function readBody(req: IncomingMessage, max: number): Promise<Uint8Array | 'too-large'> {
  const parts: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).length;
    if (total > max) return 'too-large';
    parts.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * The gateway as a request handler: resolves `true` when it answered the request (its paths),
 * `false` to let the server's other handlers (RPC, dashboard) take it.
 * @example if (await gateway(req, res)) return;
 */
export function createGateway(
  opts: GatewayOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const source = objectSource(opts);
  const maxUpload = opts.maxUpload ?? DEFAULT_MAX_UPLOAD;
  // Provenance remarks this node published that may not be archived yet (CID digest → hashes).
  const recentProvenance = new Map<string, Uint8Array[]>();
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/provenance' || path === '/provenance/') {
      if (req.method !== 'POST') return send(res, 405, 'POST a provenance remark to publish it');
      if (!opts.publish) return send(res, 405, { error: 'this node does not publish (no signing key)' });
      const body = await readBody(req, MAX_PROVENANCE_REMARK);
      if (body === 'too-large')
        return send(res, 413, { error: `provenance remarks are limited to ${MAX_PROVENANCE_REMARK} bytes` });
      let cid: string;
      let digest: Uint8Array;
      try {
        const p = decodeProvenanceRemark(body);
        cid = p.record.cid.text;
        digest = p.record.cid.digest;
      } catch (e) {
        return send(res, 400, { error: e instanceof Error ? e.message : String(e) });
      }
      const hash = blake3(body);
      const hashHex = Buffer.from(hash).toString('hex');
      try {
        opts.recent?.set(hashHex, body);
        await opts.publish({ bytes: body });
      } catch (e) {
        opts.recent?.delete(hashHex);
        return send(res, 400, { error: e instanceof Error ? e.message : String(e) });
      }
      const k = Buffer.from(digest).toString('hex');
      recentProvenance.set(k, [...(recentProvenance.get(k) ?? []), hash]);
      return send(res, 200, { hash: hashHex, cid });
    }
    if (path.startsWith('/provenance/')) {
      if (req.method !== 'GET') return send(res, 405, 'only GET');
      const cid = decodeURIComponent(path.slice('/provenance/'.length));
      let digest: Uint8Array;
      try {
        digest = provenanceCidKey(cid);
      } catch (e) {
        return send(res, 400, { error: e instanceof Error ? e.message : String(e) });
      }
      const seen = new Set<string>();
      const hashes: Uint8Array[] = [];
      const fresh = recentProvenance.get(Buffer.from(digest).toString('hex')) ?? [];
      for (const h of [...opts.index.provenanceOf(digest), ...fresh]) {
        const k = Buffer.from(h).toString('hex');
        if (seen.has(k) || hashes.length >= PROVENANCE_MAX_PER_CID) continue;
        seen.add(k);
        hashes.push(h);
      }
      const records: { hash: string; remark: string }[] = [];
      try {
        for (const h of hashes) {
          const bytes = await source.byHash(h);
          // A published remark that is neither recent nor archived any more (restart) is skipped.
          if (bytes)
            records.push({
              hash: Buffer.from(h).toString('hex'),
              remark: Buffer.from(bytes).toString('base64'),
            });
        }
      } catch (e) {
        return send(res, 503, {
          error: `provenance fetch failed: ${e instanceof Error ? e.message : String(e)}`,
        });
      }
      return send(res, 200, { cid, records });
    }
    if (path.startsWith('/data/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'only GET');
      const hashes = path.slice('/data/'.length).split('+');
      if (hashes.length > MAX_HASHES_PER_REQUEST || hashes.some((h) => !HASH.test(h)))
        return send(
          res,
          400,
          `expected up to ${MAX_HASHES_PER_REQUEST} 64-digit lowercase hex hashes joined by '+'`,
        );
      const parts: Uint8Array[] = [];
      try {
        for (const h of hashes) {
          const bytes = await source.byHash(Buffer.from(h, 'hex'));
          if (bytes) parts.push(bytes);
        }
      } catch (e) {
        return send(res, 503, `object fetch failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      const body = Buffer.concat(parts);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
      return true;
    }
    if (path === '/nodes' || path === '/nodes/') {
      if (req.method !== 'POST') return send(res, 405, 'POST one encoded DAG node to store it');
      if (!opts.publish) return send(res, 405, { error: 'this node does not publish (no signing key)' });
      const body = await readBody(req, DEFAULT_NODE_MAX_SIZE);
      if (body === 'too-large')
        return send(res, 413, { error: `a DAG node is at most ${DEFAULT_NODE_MAX_SIZE} bytes` });
      let node: DagBlock;
      try {
        node = decodeNode(new Uint8Array(body));
      } catch (e) {
        return send(res, 400, { error: `not a DAG node: ${e instanceof Error ? e.message : String(e)}` });
      }
      try {
        opts.recent?.set(Buffer.from(node.hash).toString('hex'), node.bytes);
        await opts.publish(node);
        return send(res, 200, { cid: node.cid });
      } catch (e) {
        return send(res, 400, { error: e instanceof Error ? e.message : String(e) });
      }
    }
    if (path === '/files' || path === '/files/') {
      if (req.method !== 'POST') return send(res, 405, 'POST a file body to store it');
      if (!opts.publish) return send(res, 405, { error: 'this node does not publish (no signing key)' });
      const body = await readBody(req, maxUpload);
      if (body === 'too-large') return send(res, 413, { error: `uploads are limited to ${maxUpload} bytes` });
      const rawName = req.headers['x-file-name'];
      let name: string | undefined;
      try {
        name = typeof rawName === 'string' && rawName !== '' ? decodeURIComponent(rawName) : undefined;
      } catch {
        return send(res, 400, { error: 'x-file-name: bad percent-encoding' });
      }
      try {
        let head: DagBlock | undefined;
        let nodes = 0;
        for await (const block of encodeFile(body, name === undefined ? {} : { name })) {
          opts.recent?.set(Buffer.from(block.hash).toString('hex'), block.bytes);
          await opts.publish(block);
          head = block;
          nodes++;
        }
        return send(res, 200, { cid: cidToString(head!.cid), nodes });
      } catch (e) {
        return send(res, 400, { error: e instanceof Error ? e.message : String(e) });
      }
    }
    if (path.startsWith('/files/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'only GET');
      const cid = decodeURIComponent(path.slice('/files/'.length));
      let head: Awaited<ReturnType<typeof readNode>>;
      try {
        head = await readNode(source, cidToString(cidFromBlake3Hash(blake3HashFromCid(cid))));
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        const code = (e as { code?: string }).code;
        return send(
          res,
          code === 'DAG_MISSING_NODE'
            ? 404
            : code === 'DAG_INVALID_CID' || code === 'DAG_UNSUPPORTED_CID'
              ? 400
              : fetchFailureStatus(e),
          msg,
        );
      }
      if (head.data.type === 'Folder') {
        // A folder comes back as its listing (children verified against their CIDs).
        try {
          const f = await readFolder(source, cid);
          const text = JSON.stringify({
            cid,
            type: 'folder',
            name: f.name,
            size: String(f.size),
            children: f.children.map((c) => ({ ...c, totalSize: String(c.totalSize) })),
          });
          // `x-dag-type` tells a folder listing from a stored file that happens to be JSON.
          res.writeHead(200, {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(text),
            'x-dag-type': 'folder',
          });
          res.end(req.method === 'HEAD' ? undefined : text);
          return true;
        } catch (e) {
          return send(res, fetchFailureStatus(e), e instanceof Error ? e.message : String(e));
        }
      }
      if (head.data.type !== 'File')
        return send(res, 400, `${cid} is a ${head.data.type} node, not a file or folder head`);
      const compressed = head.data.uploadOptions?.compression !== undefined;
      const size = compressed ? undefined : Number(head.data.size ?? 0n);
      const range = size === undefined ? undefined : parseRange(req.headers.range, size);
      if (range === 'bad') {
        res.writeHead(416, { 'content-range': `bytes */${size}` });
        res.end();
        return true;
      }
      const headers: Record<string, string | number> = {
        'content-type': contentTypeOf(head.data.name),
        'accept-ranges': size === undefined ? 'none' : 'bytes',
        'x-content-cid': cid,
      };
      // Only a range states a length: a head's recorded size is the uploader's word, the body is ours.
      if (range) headers['content-length'] = range.end - range.start + 1;
      if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`;
      res.writeHead(range ? 206 : 200, headers);
      if (req.method === 'HEAD') {
        res.end();
        return true;
      }
      try {
        let at = 0;
        for await (const chunk of readFile(source, cid)) {
          const from = range ? Math.max(0, range.start - at) : 0;
          const to = range ? Math.min(chunk.length, range.end + 1 - at) : chunk.length;
          at += chunk.length;
          if (to > from && !res.write(chunk.subarray(from, to)))
            await new Promise((r) => res.once('drain', r));
          if (range && at > range.end) break;
        }
        res.end();
      } catch (e) {
        // The status is sent: abort the connection so a client never takes a short body as whole.
        res.destroy(e instanceof Error ? e : new Error(String(e)));
      }
      return true;
    }
    return false;
  };
}

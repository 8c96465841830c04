/**
 * The client side of the gateway, for the CLI's `autonomys store` and `autonomys fetch` (and for
 * programs): uploads stream from disk with progress; downloads go to a temporary file that is
 * renamed into place only once the whole file arrived, so a failed fetch never leaves a partial
 * file under the requested name.
 */
import { createReadStream, createWriteStream, existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type AutoIdRegistry,
  createProvenanceRecord,
  detectKeyAlgorithm,
  importPrivateKey,
  pemToDer,
} from '@autonomys/auto-id';
import { encodeFolder } from '@autonomys/dag';
import { blake3 } from '@autonomys/primitives';
import { NodeError } from '../errors.js';
import {
  autoIdOfChain,
  encodeProvenanceRemark,
  type ProvenanceReport,
  provenanceCidOf,
  verifyProvenanceRemark,
} from './provenance.js';

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

/**
 * Uploads a directory: every file with `POST /files` (in name order, subdirectories recursively),
 * then its folder nodes, encoded here with @autonomys/dag over the children's head CIDs, with
 * `POST /nodes`. The folder's recorded size is the sum of its children's (as Auto Drive records it).
 * Resolves with the folder's CID, its size and the number of DAG nodes submitted.
 */
export async function storeDirectory(
  gatewayUrl: string,
  path: string,
  opts: { onProgress?: (p: TransferProgress) => void; signal?: AbortSignal } = {},
): Promise<{ cid: string; nodes: number; size: bigint }> {
  const total = directorySize(path);
  let done = 0;
  const walk = async (dir: string): Promise<{ cid: string; nodes: number; size: bigint }> => {
    const children: string[] = [];
    let size = 0n;
    let nodes = 0;
    for (const name of readdirSync(dir).sort()) {
      const child = join(dir, name);
      const st = statSync(child);
      if (st.isDirectory()) {
        const r = await walk(child);
        children.push(r.cid);
        size += r.size;
        nodes += r.nodes;
      } else if (st.isFile()) {
        const base = done;
        const r = await storeFile(gatewayUrl, child, {
          ...(opts.signal ? { signal: opts.signal } : {}),
          onProgress: (p) => opts.onProgress?.({ bytes: base + p.bytes, total }),
        });
        done += st.size;
        children.push(r.cid);
        size += BigInt(st.size);
        nodes += r.nodes;
      }
    }
    let cid = '';
    for (const block of encodeFolder(children, { name: basename(dir), size })) {
      const res = await fetch(new URL('/nodes', gatewayUrl), {
        method: 'POST',
        body: new Blob([new Uint8Array(block.bytes)]),
        headers: { 'content-type': 'application/octet-stream' },
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
      const body = (await res.json().catch(() => ({}))) as { cid?: string; error?: string };
      if (!res.ok || body.cid !== block.cid)
        throw new NodeError({
          code: 'NODE_INVALID_ARGUMENT',
          what: 'store',
          reason: body.error ?? `HTTP ${res.status} for folder node ${block.cid}`,
        });
      cid = block.cid;
      nodes++;
    }
    return { cid, nodes, size };
  };
  return walk(path);
}

function directorySize(dir: string): number {
  let n = 0;
  for (const name of readdirSync(dir)) {
    const st = statSync(join(dir, name));
    n += st.isDirectory() ? directorySize(join(dir, name)) : st.isFile() ? st.size : 0;
  }
  return n;
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
  if (res.headers.get('x-dag-type') === 'folder') return fetchFolder(gatewayUrl, res, out, opts);
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

/**
 * A folder: `out` becomes a directory holding its children under their recorded names (each
 * fetched by CID; a name that is missing, `.`/`..` or holds a path separator is replaced by the
 * child's CID, so a listing can never write outside `out`).
 */
async function fetchFolder(
  gatewayUrl: string,
  res: Response,
  out: string,
  opts: { onProgress?: (p: TransferProgress) => void; signal?: AbortSignal },
): Promise<{ bytes: number; contentType: string }> {
  const listing = (await res.json()) as {
    size?: string;
    children?: { cid?: unknown; name?: unknown }[];
  };
  if (!Array.isArray(listing.children))
    throw new NodeError({ code: 'NODE_INVALID_ARGUMENT', what: 'fetch', reason: 'malformed folder listing' });
  const total = Number(listing.size ?? 0);
  await mkdir(out, { recursive: true });
  let bytes = 0;
  for (const child of listing.children) {
    if (typeof child.cid !== 'string')
      throw new NodeError({
        code: 'NODE_INVALID_ARGUMENT',
        what: 'fetch',
        reason: 'folder child without a CID',
      });
    const name = typeof child.name === 'string' ? child.name : '';
    const safe = name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name) ? child.cid : name;
    const base = bytes;
    const r = await fetchFile(gatewayUrl, child.cid, join(out, safe), {
      ...(opts.signal ? { signal: opts.signal } : {}),
      onProgress: (p) => opts.onProgress?.({ bytes: base + p.bytes, total }),
    });
    bytes += r.bytes;
  }
  return { bytes, contentType: 'inode/directory' };
}

/** An Auto ID able to sign provenance: its identifier, private key and certificate chain. */
export interface SigningIdentity {
  id: Uint8Array;
  privateKey: CryptoKey;
  /** DER, the signer's first, root last. */
  certificates: Uint8Array[];
}

async function readCertificate(path: string): Promise<Uint8Array> {
  const b = await readFile(path);
  const text = b.toString('latin1');
  return text.includes('-----BEGIN') ? pemToDer(text, 'CERTIFICATE') : new Uint8Array(b);
}

/**
 * Loads an identity written by `autonomys id create|issue`: `path` is the prefix of
 * `<prefix>.key.pem` and `<prefix>.cert.pem`, either of those files, or a directory holding exactly
 * one such pair. A leaf identity names its issuers' certificates (issuer first, root last).
 * @example const me = await loadIdentity('alice'); // alice.key.pem, alice.cert.pem
 */
export async function loadIdentity(
  path: string,
  issuerCertificates: readonly string[] = [],
): Promise<SigningIdentity> {
  let prefix = path.replace(/\.(key|cert)\.pem$/, '');
  if (existsSync(path) && statSync(path).isDirectory()) {
    const keys = readdirSync(path).filter((f) => f.endsWith('.key.pem'));
    if (keys.length !== 1)
      throw new NodeError({
        code: 'NODE_INVALID_ARGUMENT',
        what: 'identity',
        reason: `${path} holds ${keys.length} *.key.pem files; name one (its prefix)`,
      });
    prefix = join(path, keys[0]!.slice(0, -'.key.pem'.length));
  }
  let pem: string;
  let cert: Uint8Array;
  try {
    pem = await readFile(`${prefix}.key.pem`, 'utf8');
    cert = await readCertificate(`${prefix}.cert.pem`);
  } catch (e) {
    throw new NodeError({
      code: 'NODE_INVALID_ARGUMENT',
      what: 'identity',
      reason: `expected ${prefix}.key.pem and ${prefix}.cert.pem (autonomys id create): ${(e as Error).message}`,
    });
  }
  const privateKey = await importPrivateKey(pem, detectKeyAlgorithm(pem));
  const certificates = [cert];
  for (const c of issuerCertificates) certificates.push(await readCertificate(c));
  return { id: autoIdOfChain(certificates), privateKey, certificates };
}

/**
 * Signs a root CID with an identity and publishes the provenance remark through a node's gateway
 * (`POST /provenance`); resolves with the remark's object hash.
 * @example await signAndPublish(url, cid, await loadIdentity('alice'));
 */
export async function signAndPublish(
  gatewayUrl: string,
  cid: string,
  identity: SigningIdentity,
): Promise<{ hash: string; remark: Uint8Array }> {
  const record = await createProvenanceRecord({
    cid: provenanceCidOf(cid),
    signer: { id: identity.id, privateKey: identity.privateKey },
  });
  const remark = encodeProvenanceRemark(record, identity.certificates);
  const res = await fetch(new URL('/provenance', gatewayUrl), {
    method: 'POST',
    body: new Blob([remark.slice()]),
    headers: { 'content-type': 'application/octet-stream' },
  });
  const body = (await res.json().catch(() => ({}))) as { hash?: string; error?: string };
  if (!res.ok || typeof body.hash !== 'string')
    throw new NodeError({
      code: 'NODE_INVALID_ARGUMENT',
      what: 'provenance',
      reason: body.error ?? `HTTP ${res.status}`,
    });
  return { hash: body.hash, remark };
}

/**
 * The provenance of a CID as seen from a node (`GET /provenance/{cid}`), every remark re-hashed
 * and verified here ({@link verifyProvenanceRemark}): the node can withhold records, not forge them.
 * @example for (const r of await fetchProvenance(url, cid)) console.log(r.signer, r.verified);
 */
export async function fetchProvenance(
  gatewayUrl: string,
  cid: string,
  opts: { registry?: AutoIdRegistry; signal?: AbortSignal } = {},
): Promise<ProvenanceReport[]> {
  const res = await fetch(
    new URL(`/provenance/${encodeURIComponent(cid)}`, gatewayUrl),
    opts.signal ? { signal: opts.signal } : {},
  );
  if (!res.ok)
    throw new NodeError({
      code: 'NODE_INVALID_ARGUMENT',
      what: 'provenance',
      reason: `HTTP ${res.status}: ${await res.text()}`,
    });
  const body = (await res.json()) as { records?: { hash?: unknown; remark?: unknown }[] };
  const out: ProvenanceReport[] = [];
  for (const r of Array.isArray(body.records) ? body.records : []) {
    if (typeof r.remark !== 'string' || typeof r.hash !== 'string') continue;
    const bytes = new Uint8Array(Buffer.from(r.remark, 'base64'));
    const report = await verifyProvenanceRemark(bytes, cid, opts.registry ? { registry: opts.registry } : {});
    if (Buffer.from(blake3(bytes)).toString('hex') !== r.hash) {
      report.verified = false;
      report.reasons.push('the remark does not hash to the object hash the node gave');
    }
    out.push(report);
  }
  return out;
}

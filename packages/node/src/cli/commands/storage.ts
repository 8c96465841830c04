import { statSync } from 'node:fs';
import { loadRegistryFile } from '@autonomys/auto-id/cli';
import { Command } from 'commander';
import {
  fetchFile,
  fetchProvenance,
  loadIdentity,
  signAndPublish,
  storeDirectory,
  storeFile,
  type TransferProgress,
} from '../../gateway/client.js';
import type { ProvenanceReport } from '../../gateway/provenance.js';
import { DEFAULT_RPC_PORT } from '../../rpc/server.js';
import { type Output, progressBar } from '../display.js';

const collect = (v: string, prev: string[]) => [...prev, v];

/** One line per provenance record: who signed, with which key, and whether it verified (and why not). */
export function formatProvenance(r: ProvenanceReport): string {
  const who = `${r.signer}${r.subject === undefined ? '' : ` (${JSON.stringify(r.subject)})`}`;
  const key = r.key === undefined ? 'unknown key' : `${r.key.algorithm} key ${r.key.fingerprint}`;
  const at = r.timestamp > 0n ? ` at ${new Date(Number(r.timestamp)).toISOString()}` : '';
  const how =
    r.registered === true
      ? 'registry chain checked'
      : r.selfCertified
        ? 'self-certified, no registry given'
        : '';
  return r.verified
    ? `signed by ${who}, ${key}${at}: verified (${how})`
    : `signed by ${who || 'unknown'}, ${key}${at}: NOT verified: ${r.reasons.join('; ')}`;
}

/** `autonomys store` and `autonomys fetch`: permanent storage through a node's gateway. */
export function storageCommands(o: Output): Command[] {
  const commands: Command[] = [];
  const transfer = (what: string) => (p: TransferProgress) => {
    if (p.total !== undefined && p.total > 0)
      o.err(progressBar(what, p.bytes / p.total, `${p.bytes}/${p.total} bytes`));
  };
  commands.push(
    new Command('store')
      .description(
        'store a file or a directory on the chain (a DAG of remarks, archived with the history); prints its CID',
      )
      .argument('<path>', 'the file or directory to store')
      .option(
        '--rpc-url <url>',
        'the node (its gateway is on the same port)',
        `http://127.0.0.1:${DEFAULT_RPC_PORT}`,
      )
      .option('--sign', 'also publish an Auto ID provenance record over the root CID')
      .option(
        '--identity <path>',
        'the signing identity: the prefix of <prefix>.key.pem/.cert.pem written by `autonomys id create|issue`, or a directory holding one',
      )
      .option(
        '--issuer-cert <file>',
        "a leaf identity's issuer certificate (repeat up to the root, issuer first)",
        collect,
        [] as string[],
      )
      .action(
        async (
          file: string,
          f: { rpcUrl: string; sign?: boolean; identity?: string; issuerCert: string[] },
        ) => {
          if (f.sign && f.identity === undefined) throw new Error('--sign needs --identity <path>');
          // Load the identity first: a bad key must not leave an unsigned file behind.
          const identity = f.sign ? await loadIdentity(f.identity!, f.issuerCert) : undefined;
          const { cid, nodes } = statSync(file).isDirectory()
            ? await storeDirectory(f.rpcUrl, file, { onProgress: transfer('uploading') })
            : await storeFile(f.rpcUrl, file, { onProgress: transfer('uploading') });
          o.err(`${nodes} DAG node(s) submitted; the file is fetchable once its blocks are archived`);
          if (identity !== undefined) {
            const { hash } = await signAndPublish(f.rpcUrl, cid, identity);
            o.err(`provenance record ${hash} submitted`);
          }
          o.out(cid);
        },
      ),
  );
  commands.push(
    new Command('fetch')
      .description(
        'fetch a file by CID from a node (every DAG node re-hashed against its CID) and report who signed it',
      )
      .argument('<cid>', 'the CID printed by `autonomys store`')
      .option('-o, --output <path>', 'where to write it (default: the CID as the file name)')
      .option(
        '--rpc-url <url>',
        'the node (its gateway is on the same port)',
        `http://127.0.0.1:${DEFAULT_RPC_PORT}`,
      )
      .option(
        '-r, --registry <file>',
        "check signers' chains in this Auto ID registry file (autonomys id register)",
      )
      .action(async (cid: string, f: { rpcUrl: string; output?: string; registry?: string }) => {
        const out = f.output ?? cid;
        const r = await fetchFile(f.rpcUrl, cid, out, { onProgress: transfer('downloading') });
        o.out(`${out}: ${r.bytes} bytes (${r.contentType})`);
        const registry = f.registry === undefined ? undefined : (await loadRegistryFile(f.registry)).registry;
        let reports: ProvenanceReport[];
        try {
          reports = await fetchProvenance(f.rpcUrl, cid, registry === undefined ? {} : { registry });
        } catch (e) {
          o.out(`provenance: unavailable (${e instanceof Error ? e.message : String(e)})`);
          return;
        }
        if (reports.length === 0) o.out('provenance: no signed records');
        for (const p of reports) o.out(`provenance: ${formatProvenance(p)}`);
      }),
  );
  return commands;
}

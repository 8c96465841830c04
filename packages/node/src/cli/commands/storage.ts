import { Command } from 'commander';
import { fetchFile, storeFile, type TransferProgress } from '../../gateway/client.js';
import { DEFAULT_RPC_PORT } from '../../rpc/server.js';
import { type Output, progressBar } from '../display.js';

/** `autonomys store` and `autonomys fetch`: permanent storage through a node's gateway. */
export function storageCommands(o: Output): Command[] {
  const commands: Command[] = [];
  const transfer = (what: string) => (p: TransferProgress) => {
    if (p.total !== undefined && p.total > 0)
      o.err(progressBar(what, p.bytes / p.total, `${p.bytes}/${p.total} bytes`));
  };
  commands.push(
    new Command('store')
      .description('store a file on the chain (a DAG of remarks, archived with the history); prints its CID')
      .argument('<file>', 'the file to store')
      .option(
        '--rpc-url <url>',
        'the node (its gateway is on the same port)',
        `http://127.0.0.1:${DEFAULT_RPC_PORT}`,
      )
      .action(async (file: string, f: { rpcUrl: string }) => {
        const { cid, nodes } = await storeFile(f.rpcUrl, file, { onProgress: transfer('uploading') });
        o.err(`${nodes} DAG node(s) submitted; the file is fetchable once its blocks are archived`);
        o.out(cid);
      }),
  );
  commands.push(
    new Command('fetch')
      .description('fetch a file by CID from a node (every DAG node re-hashed against its CID)')
      .argument('<cid>', 'the CID printed by `autonomys store`')
      .option('-o, --output <path>', 'where to write it (default: the CID as the file name)')
      .option(
        '--rpc-url <url>',
        'the node (its gateway is on the same port)',
        `http://127.0.0.1:${DEFAULT_RPC_PORT}`,
      )
      .action(async (cid: string, f: { rpcUrl: string; output?: string }) => {
        const out = f.output ?? cid;
        const r = await fetchFile(f.rpcUrl, cid, out, { onProgress: transfer('downloading') });
        o.out(`${out}: ${r.bytes} bytes (${r.contentType})`);
      }),
  );
  return commands;
}

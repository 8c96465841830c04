import { Kzg, loadPublicParameters } from '@autonomys/kzg';
import { Command, InvalidArgumentError } from 'commander';
import { rpcHttpCall } from '../../rpc/client.js';
import { farmerAppInfoFromJson, segmentHeaderFromJson, signedBlockFromJson } from '../../rpc/codec.js';
import { DEFAULT_RPC_PORT } from '../../rpc/server.js';
import { verifyBlock } from '../../service/verify.js';
import type { Output } from '../display.js';

/** `autonomys verify-block`: verify one block independently. */
export function verifyBlockCommand(o: Output): Command {
  return new Command('verify-block')
    .description('verify a block independently: seal, PoT justification, solution with the piece check')
    .argument('<block>', 'block number or 0x hash')
    .option('--rpc-url <url>', 'the node', `http://127.0.0.1:${DEFAULT_RPC_PORT}`)
    .option('--no-pot', 'skip verifying the PoT checkpoints (chaining is still checked)')
    .option('--json', 'print the result as JSON', false)
    .action(async (id: string, f: { rpcUrl: string; pot: boolean; json: boolean }) => {
      const url = f.rpcUrl;
      const hash = id.startsWith('0x')
        ? id
        : await rpcHttpCall<string | null>(url, 'chain_getBlockHash', [Number(id)]);
      if (hash === null) throw new InvalidArgumentError(`no block ${id}`);
      const json = await rpcHttpCall(url, 'chain_getBlock', [hash]);
      if (json === null) throw new InvalidArgumentError(`no block ${id}`);
      const block = signedBlockFromJson(json);
      const appInfo = farmerAppInfoFromJson(await rpcHttpCall(url, 'subspace_getFarmerAppInfo'));
      const kzg = new Kzg(
        await loadPublicParameters({ g1Count: Math.max(2 * appInfo.numRawRecords, appInfo.numChunks) }),
      );
      const result = await verifyBlock(block.header, block.justifications, {
        kzg,
        historySize: appInfo.protocolInfo.historySize,
        maxPiecesInSector: appInfo.protocolInfo.maxPiecesInSector,
        numChunks: appInfo.numChunks,
        shimProofOfSpace: appInfo.shimProofOfSpace,
        skipPotCheckpoints: !f.pot,
        segmentCommitment: async (i) => {
          const [h] = await rpcHttpCall<unknown[]>(url, 'subspace_segmentHeaders', [[Number(i)]]);
          return h === null || h === undefined ? undefined : segmentHeaderFromJson(h).segmentCommitment;
        },
      });
      if (f.json) o.out(JSON.stringify(result, (_k, v) => (typeof v === 'bigint' ? String(v) : v), 2));
      else {
        o.out(`block #${result.number} ${hash} slot ${result.slot ?? '?'}`);
        for (const c of result.checks) o.out(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
        o.out(result.ok ? 'valid' : 'INVALID');
      }
      if (!result.ok) process.exitCode = 1;
    });
}

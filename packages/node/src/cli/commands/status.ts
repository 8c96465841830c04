import { Command } from 'commander';
import { rpcHttpCall } from '../../rpc/client.js';
import { DEFAULT_RPC_PORT } from '../../rpc/server.js';
import { type Output, progressBar } from '../display.js';

/** `autonomys status`: a node's status. */
export function statusCommand(o: Output): Command {
  return new Command('status')
    .description("print a node's status: best and finalized blocks, slot, segments, plotting progress")
    .option('--rpc-url <url>', 'the node', `http://127.0.0.1:${DEFAULT_RPC_PORT}`)
    .action(async (f: { rpcUrl: string }) => {
      const s = await rpcHttpCall<Record<string, unknown>>(f.rpcUrl, 'autonomys_nodeStatus');
      o.out(JSON.stringify(s, null, 2));
      const p = s.plotting as {
        sectorsTotal: number;
        sectorsPlotted: number;
        currentSector: number;
      } | null;
      if (p !== null && p.sectorsTotal > 0)
        o.out(
          progressBar(
            'plotting',
            (p.sectorsPlotted + (p.sectorsPlotted < p.sectorsTotal ? p.currentSector : 0)) / p.sectorsTotal,
            `${p.sectorsPlotted}/${p.sectorsTotal} sectors`,
          ),
        );
    });
}

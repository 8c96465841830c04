import { join } from 'node:path';
import { Kzg, loadPublicParameters } from '@autonomys/kzg';
import { Command } from 'commander';
import { Farmer } from '../../roles/farmer.js';
import { RpcFarmerNode } from '../../rpc/farmer-node.js';
import { DEFAULT_RPC_PORT } from '../../rpc/server.js';
import { loadOrCreateKey } from '../../service/config.js';
import { DEV_DEFAULTS, openPlot } from '../../service/dev.js';
import { farmerTableGenerator } from '../../service/pos.js';
import { createEventPrinter, type Output } from '../display.js';
import { int, untilSignal } from '../options.js';

/** `autonomys farm`: a farmer against a node over JSON-RPC. */
export function farmCommand(o: Output, signal?: AbortSignal): Command {
  return new Command('farm')
    .description(
      'run a farmer against a node over JSON-RPC: plot from its archived pieces, audit every slot, prove, sign',
    )
    .option('--rpc-url <url>', 'the node (ws:// or http://)', `ws://127.0.0.1:${DEFAULT_RPC_PORT}`)
    .requiredOption('--data-dir <dir>', 'the farm directory (key and plot; created when new)')
    .option('--sectors <n>', 'sectors to plot (new farms)', int('sectors', 1, 65_535), DEV_DEFAULTS.sectors)
    .option(
      '--pieces-in-sector <n>',
      'pieces per sector (new farms)',
      int('pieces-in-sector', 1, 1000),
      DEV_DEFAULTS.piecesInSector,
    )
    .option('--pos-threads <n>', 'proof-of-space worker threads (Chia tables)', int('pos-threads', 0, 256))
    .action(
      async (f: {
        rpcUrl: string;
        dataDir: string;
        sectors: number;
        piecesInSector: number;
        posThreads?: number;
      }) => {
        const print = createEventPrinter(o);
        const node = new RpcFarmerNode(f.rpcUrl, { minReconnectDelayMs: 200 });
        node.client.addEventListener('disconnected', () =>
          o.err(`lost the node at ${f.rpcUrl}; reconnecting`),
        );
        node.client.addEventListener('connected', () => {
          if (node.client.connects > 1) o.err(`reconnected to ${f.rpcUrl}`);
        });
        const app = await node.farmerAppInfo();
        const { keypair, created } = loadOrCreateKey(f.dataDir);
        o.out(
          `farmer ${created ? 'key generated' : 'key loaded'}: 0x${Buffer.from(keypair.publicKey).toString('hex')}`,
        );
        const plot = await openPlot(
          join(f.dataDir, 'plot'),
          keypair.publicKey,
          { sectors: f.sectors, piecesInSector: f.piecesInSector, numChunks: app.numChunks },
          app.protocolInfo.maxPiecesInSector,
        );
        const g1Count = Math.max(2 * app.numRawRecords, app.numChunks);
        const kzg = new Kzg(await loadPublicParameters({ g1Count }));
        // The chunk witness of every proof is an MSM over these fixed points: build the fixed-base
        // table now (~48 MiB and ~4 s of CPU off the event loop at the real size) so the first
        // solution is as fast as the later ones; without the native addon this is a no-op.
        void kzg.prepareFixedBase().catch(() => {});
        const tableGenerator = farmerTableGenerator({
          shim: app.shimProofOfSpace,
          ...(f.posThreads === undefined ? {} : { threads: f.posThreads }),
        });
        const farmer = new Farmer({
          node,
          keypair,
          sectorCount: plot.sectorCount,
          piecesInSector: plot.piecesInSector,
          tableGenerator,
          kzg,
          plot,
          onEvent: (event) => {
            print({ type: 'farmer', event });
            if (event.type === 'solution')
              o.out(
                `solution for slot ${event.slot} from sector ${event.sectorIndex}: audit ${event.auditMs.toFixed(1)} ms, prove ${event.proveMs.toFixed(1)} ms`,
              );
            if (event.type === 'signed')
              o.out(`signed block 0x${Buffer.from(event.hash).toString('hex').slice(0, 8)}…`);
          },
        });
        const started = farmer.start();
        await untilSignal(
          async () => {
            await farmer.stop();
            await started.catch(() => {});
            await plot.close();
            await tableGenerator.close?.();
            await node.close();
          },
          o,
          signal,
        );
        o.out(
          `farmer stopped: ${farmer.stats.slots} slots audited, ${farmer.stats.solutions} solutions, ${farmer.stats.signed} blocks signed`,
        );
      },
    );
}

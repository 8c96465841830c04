import { join } from 'node:path';
import { Command } from 'commander';
import { Chain } from '../../consensus/chain.js';
import { readParams, solutionRangeFor, specFromParams, writeParams } from '../../service/config.js';
import { DEV_DEFAULTS } from '../../service/dev.js';
import { NodeService } from '../../service/node.js';
import { RemotePotSource } from '../../service/remote-pot.js';
import { createEventPrinter, type Output } from '../display.js';
import {
  type ChainFlags,
  chainOptions,
  devOptions,
  type RpcFlags,
  rpcOptions,
  untilSignal,
} from '../options.js';

/** `autonomys node`: one node on a data directory. */
export function nodeCommand(o: Output, signal?: AbortSignal): Command {
  const node = new Command('node').description(
    'run a node (chain, block author, JSON-RPC; its own timekeeper unless --no-timekeeper) on a data directory; farmers connect over RPC',
  );
  chainOptions(rpcOptions(node))
    .requiredOption('--data-dir <dir>', 'the node data directory (created with the dev parameters when new)')
    .option('--no-timekeeper', 'take proofs of time from `autonomys timekeeper` over RPC instead of proving')
    .option('--no-slot-log', 'log blocks and segments only, not every slot')
    .action(async (f: ChainFlags & RpcFlags & { dataDir: string; timekeeper: boolean; slotLog: boolean }) => {
      const print = createEventPrinter(o, { slots: f.slotLog });
      let params = readParams(f.dataDir);
      if (params === undefined) {
        // A new node directory gets the dev parameters, without calibration surprises: a fixed
        // count unless given.
        const d = devOptions(f);
        params = {
          version: 1,
          potSlotIterations: d.potSlotIterations ?? 1 << 20,
          slotDurationMs: d.slotDurationMs ?? DEV_DEFAULTS.slotDurationMs,
          numChunks: d.numChunks,
          shimProofOfSpace: d.fastPos,
          initialSolutionRange: String(solutionRangeFor(d.sectors, d.piecesInSector, d.slotsPerBlock)),
          sectors: d.sectors,
          piecesInSector: d.piecesInSector,
        };
        writeParams(f.dataDir, params);
      }
      print({ type: 'dev:params', params, created: false, dataDir: f.dataDir, temporary: false });
      const chain = await Chain.open({ spec: specFromParams(params), dataDir: join(f.dataDir, 'chain') });
      const remote = f.timekeeper ? undefined : new RemotePotSource(chain);
      const service = await NodeService.start({
        chain,
        timekeeper: f.timekeeper,
        ...(remote === undefined ? {} : { potSource: remote }),
        slotDurationMs: f.slotMs ?? params.slotDurationMs,
        rpc: f.rpc ? { port: f.rpcPort, host: f.rpcHost } : false,
        ...(remote === undefined ? {} : { extendRouter: (r) => remote.register(r) }),
        onEvent: print,
      });
      await untilSignal(
        async () => {
          await service.stop();
          remote?.close();
        },
        o,
        signal,
      );
      o.out(`stopped at block #${chain.head().number}`);
    });
  return node;
}

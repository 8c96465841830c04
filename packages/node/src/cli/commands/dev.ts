import { Command } from 'commander';
import { startDevNetwork } from '../../service/dev.js';
import { createEventPrinter, type Output } from '../display.js';
import {
  type ChainFlags,
  chainOptions,
  devOptions,
  int,
  type RpcFlags,
  rpcOptions,
  untilSignal,
} from '../options.js';

/** `autonomys dev`: a development network in this process. */
export function devCommand(o: Output, signal?: AbortSignal): Command {
  const dev = new Command('dev').description(
    'run a development network in this process: timekeeper, block author, farmer and JSON-RPC on one chain',
  );
  chainOptions(rpcOptions(dev))
    .option(
      '--data-dir <dir>',
      'keep the chain here and resume it on restart (default: a fresh temporary directory, removed on exit)',
    )
    .option('--pos-threads <n>', 'proof-of-space worker threads (Chia tables)', int('pos-threads', 0, 256))
    .option('--blocks <n>', 'stop once the chain reaches this block number', int('blocks', 1))
    .option('--no-slot-log', 'log blocks and segments only, not every slot')
    .option('--quiet', 'print errors only', false)
    .action(
      async (
        f: ChainFlags &
          RpcFlags & {
            dataDir?: string;
            posThreads?: number;
            blocks?: number;
            slotLog: boolean;
            quiet: boolean;
          },
      ) => {
        const print = createEventPrinter(o, { slots: f.slotLog, quiet: f.quiet });
        const net = await startDevNetwork({
          ...devOptions(f),
          ...(f.dataDir === undefined ? {} : { dataDir: f.dataDir }),
          ...(f.posThreads === undefined ? {} : { posThreads: f.posThreads }),
          rpc: f.rpc ? { port: f.rpcPort, host: f.rpcHost } : false,
          onEvent: print,
        });
        const ac = new AbortController();
        if (f.blocks !== undefined) {
          const target = f.blocks;
          const check = () => {
            if (net.chain.head().number >= target) ac.abort();
          };
          net.chain.on('newHead', check);
          check();
        }
        signal?.addEventListener('abort', () => ac.abort(), { once: true });
        await untilSignal(() => net.stop(), o, ac.signal);
        o.out(`stopped at block #${net.chain.head().number}`);
      },
    );
  return dev;
}

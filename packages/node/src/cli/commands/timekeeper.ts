import { Command } from 'commander';
import { DEFAULT_RPC_PORT } from '../../rpc/server.js';
import { runRemoteTimekeeper } from '../../service/remote-pot.js';
import type { Output } from '../display.js';
import { int, untilSignal } from '../options.js';

/** `autonomys timekeeper`: proofs of time for a node over JSON-RPC. */
export function timekeeperCommand(o: Output, signal?: AbortSignal): Command {
  return new Command('timekeeper')
    .description('prove slots for a node started with --no-timekeeper, submitting each proof over JSON-RPC')
    .option('--rpc-url <url>', 'the node (ws:// or http://)', `ws://127.0.0.1:${DEFAULT_RPC_PORT}`)
    .option('--slot-ms <ms>', 'slot duration in ms', int('slot-ms', 0, 60_000), 1000)
    .action(async (f: { rpcUrl: string; slotMs: number }) => {
      const ac = new AbortController();
      const run = runRemoteTimekeeper({
        url: f.rpcUrl,
        slotDurationMs: f.slotMs,
        signal: ac.signal,
        onEvent: (line) => o.out(line),
      });
      await untilSignal(
        async () => {
          ac.abort();
          await run;
        },
        o,
        signal,
      );
    });
}

/** Option parsers and flag groups shared by the `autonomys` commands. */
import { type Command, InvalidArgumentError } from 'commander';
import { DEFAULT_RPC_PORT } from '../rpc/server.js';
import { DEV_DEFAULTS } from '../service/dev.js';
import type { Output } from './display.js';

export const int =
  (name: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be an integer in [${min}, ${max}]`);
    return n;
  };
export const fraction = (v: string) => {
  const n = Number(v);
  if (!(n > 0 && n <= 1)) throw new InvalidArgumentError('expected a number in (0, 1]');
  return n;
};

/** Waits for SIGINT/SIGTERM (or `signal`), then runs `stop`; a second signal exits with 130. */
export function untilSignal(stop: () => Promise<void>, o: Output, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    let stopping = false;
    const onSignal = (name: string) => {
      if (stopping) {
        o.err(`${name} again: exiting now`);
        process.exit(130);
      }
      stopping = true;
      o.err(`${name}: shutting down (again to force)`);
      cleanup();
      stop().then(resolve, reject);
    };
    const sigint = () => onSignal('SIGINT');
    const sigterm = () => onSignal('SIGTERM');
    const onAbort = () => onSignal('stop');
    const cleanup = () => {
      process.off('SIGINT', sigint);
      process.off('SIGTERM', sigterm);
    };
    process.on('SIGINT', sigint);
    process.on('SIGTERM', sigterm);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RpcFlags {
  rpc: boolean;
  rpcPort: number;
  rpcHost: string;
}

export function rpcOptions(c: Command): Command {
  return c
    .option(
      '--rpc-port <port>',
      'JSON-RPC port (HTTP and WebSocket)',
      int('port', 0, 65535),
      DEFAULT_RPC_PORT,
    )
    .option(
      '--rpc-host <host>',
      'interface to bind (keep 127.0.0.1 unless you mean to expose the node)',
      '127.0.0.1',
    )
    .option('--no-rpc', 'no JSON-RPC server');
}

export function chainOptions(c: Command): Command {
  return c
    .option('--fast-pos', 'shim proof of space instead of Chia K=20 (new chains only)', false)
    .option('--slot-ms <ms>', 'slot duration in ms', int('slot-ms', 0, 60_000))
    .option(
      '--pot-fraction <f>',
      'share of one core the timekeeper spends per slot (new chains)',
      fraction,
      DEV_DEFAULTS.potFraction,
    )
    .option(
      '--pot-iterations <n>',
      'fixed PoT iterations per slot instead of calibrating (new chains; multiple of 16)',
      int('pot-iterations', 16),
    )
    .option(
      '--num-chunks <n>',
      'chunks per record (power of two, new chains)',
      int('num-chunks', 4, 32_768),
      DEV_DEFAULTS.numChunks,
    )
    .option('--sectors <n>', 'sectors to plot (new chains)', int('sectors', 1, 65_535), DEV_DEFAULTS.sectors)
    .option(
      '--pieces-in-sector <n>',
      'pieces per sector (new chains)',
      int('pieces-in-sector', 1, 1000),
      DEV_DEFAULTS.piecesInSector,
    )
    .option(
      '--slots-per-block <n>',
      'expected slots per block: sets the initial solution range (new chains)',
      int('slots-per-block', 1),
      DEV_DEFAULTS.slotsPerBlock,
    );
}

export interface ChainFlags {
  fastPos: boolean;
  slotMs?: number;
  potFraction: number;
  potIterations?: number;
  numChunks: number;
  sectors: number;
  piecesInSector: number;
  slotsPerBlock: number;
}

export const devOptions = (f: ChainFlags) => ({
  fastPos: f.fastPos,
  potFraction: f.potFraction,
  numChunks: f.numChunks,
  sectors: f.sectors,
  piecesInSector: f.piecesInSector,
  slotsPerBlock: f.slotsPerBlock,
  ...(f.slotMs === undefined ? {} : { slotDurationMs: f.slotMs }),
  ...(f.potIterations === undefined ? {} : { potSlotIterations: f.potIterations }),
});

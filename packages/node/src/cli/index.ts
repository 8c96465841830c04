/**
 * The `autonomys` command line: `dev` (a development network in one process), `node`, `farm` and
 * `timekeeper` (one role each, talking JSON-RPC), `verify-block` and `status` (inspection). Every
 * command has `--help`. Long-running commands stop cleanly on SIGINT/SIGTERM (a second signal
 * exits at once).
 */
import { join } from 'node:path';
import { createIdCommand } from '@autonomys/auto-id/cli';
import { Kzg, loadPublicParameters } from '@autonomys/kzg';
import { Command, InvalidArgumentError } from 'commander';
import { Chain } from '../consensus/chain.js';
import { fetchFile, storeFile, type TransferProgress } from '../gateway/client.js';
import { Farmer } from '../roles/farmer.js';
import { rpcHttpCall } from '../rpc/client.js';
import { farmerAppInfoFromJson, segmentHeaderFromJson, signedBlockFromJson } from '../rpc/codec.js';
import { RpcFarmerNode } from '../rpc/farmer-node.js';
import { DEFAULT_RPC_PORT } from '../rpc/server.js';
import {
  loadOrCreateKey,
  readParams,
  solutionRangeFor,
  specFromParams,
  writeParams,
} from '../service/config.js';
import { DEV_DEFAULTS, openPlot, startDevNetwork } from '../service/dev.js';
import { NodeService } from '../service/node.js';
import { farmerTableGenerator } from '../service/pos.js';
import { RemotePotSource, runRemoteTimekeeper } from '../service/remote-pot.js';
import { verifyBlock } from '../service/verify.js';
import { createEventPrinter, type Output, processOutput, progressBar } from './display.js';

const int =
  (name: string, min: number, max = Number.MAX_SAFE_INTEGER) =>
  (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be an integer in [${min}, ${max}]`);
    return n;
  };
const fraction = (v: string) => {
  const n = Number(v);
  if (!(n > 0 && n <= 1)) throw new InvalidArgumentError('expected a number in (0, 1]');
  return n;
};

/** Waits for SIGINT/SIGTERM (or `signal`), then runs `stop`; a second signal exits with 130. */
function untilSignal(stop: () => Promise<void>, o: Output, signal?: AbortSignal): Promise<void> {
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

interface RpcFlags {
  rpc: boolean;
  rpcPort: number;
  rpcHost: string;
}

function rpcOptions(c: Command): Command {
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

function chainOptions(c: Command): Command {
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

interface ChainFlags {
  fastPos: boolean;
  slotMs?: number;
  potFraction: number;
  potIterations?: number;
  numChunks: number;
  sectors: number;
  piecesInSector: number;
  slotsPerBlock: number;
}

const devOptions = (f: ChainFlags) => ({
  fastPos: f.fastPos,
  potFraction: f.potFraction,
  numChunks: f.numChunks,
  sectors: f.sectors,
  piecesInSector: f.piecesInSector,
  slotsPerBlock: f.slotsPerBlock,
  ...(f.slotMs === undefined ? {} : { slotDurationMs: f.slotMs }),
  ...(f.potIterations === undefined ? {} : { potSlotIterations: f.potIterations }),
});

/** Builds the program (tests call `parseAsync` on it with their own output). */
export function createProgram(o: Output = processOutput(), signal?: AbortSignal): Command {
  const program = new Command('autonomys')
    .description('Autonomys Network node, farmer and timekeeper (TypeScript)')
    .version('0.1.0')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => o.out(s.trimEnd()), writeErr: (s) => o.err(s.trimEnd()) });

  // ---- dev ----
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
  program.addCommand(dev);

  // ---- node ----
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
      await untilSignal(() => service.stop(), o, signal);
      o.out(`stopped at block #${chain.head().number}`);
    });
  program.addCommand(node);

  // ---- farm ----
  program.addCommand(
    new Command('farm')
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
      ),
  );

  // ---- timekeeper ----
  program.addCommand(
    new Command('timekeeper')
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
      }),
  );

  // ---- verify-block ----
  program.addCommand(
    new Command('verify-block')
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
      }),
  );

  // ---- status ----
  program.addCommand(
    new Command('status')
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
      }),
  );
  // ---- id: Auto ID identities (@autonomys/auto-id's CLI, mounted as `autonomys id`) ----
  program.addCommand(createIdCommand({ name: 'id', io: { out: (l) => o.out(l), err: (l) => o.err(l) } }));

  // ---- store / fetch (permanent storage through a node's gateway) ----
  const transfer = (what: string) => (p: TransferProgress) => {
    if (p.total !== undefined && p.total > 0)
      o.err(progressBar(what, p.bytes / p.total, `${p.bytes}/${p.total} bytes`));
  };
  program.addCommand(
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
  program.addCommand(
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
  // addCommand() does not pass the output settings down: give every command the same output.
  const output = { writeOut: (s: string) => o.out(s.trimEnd()), writeErr: (s: string) => o.err(s.trimEnd()) };
  for (const c of program.commands) c.configureOutput(output).showHelpAfterError();
  return program;
}

/**
 * Runs the CLI on `argv` (as `process.argv`). Errors print their message (a typed error's code
 * first) and set exit code 1.
 * @example await runCli(process.argv)
 */
export async function runCli(argv: readonly string[], o: Output = processOutput()): Promise<void> {
  try {
    await createProgram(o).parseAsync([...argv]);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    o.err(
      `error: ${typeof code === 'string' && !code.startsWith('commander.') ? `${code}: ` : ''}${(e as Error).message ?? String(e)}`,
    );
    process.exitCode = 1;
  }
}

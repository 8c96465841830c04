import { Command, InvalidArgumentError } from 'commander';
import type { DomainRoleEvent } from '../../domain/operator.js';
import { type ClusterEvent, startDevCluster } from '../../service/cluster.js';
import { type DevEvent, startDevNetwork } from '../../service/dev.js';
import type { ServiceEvent } from '../../service/node.js';
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
    .option(
      '--nodes <n>',
      'run a local network of n nodes in this process (node i in <data-dir>/node-<i>, its own farmer key, ' +
        'libp2p identity on 127.0.0.1 and RPC on --rpc-port + i; node 0 runs the timekeeper, the others ' +
        'bootstrap from it, follow proof-of-time gossip and plot pieces fetched over the DSN)',
      int('nodes', 1, 64),
      1,
    )
    .option(
      '--p2p-port <port>',
      'first libp2p TCP port with --nodes > 1 (node i on port + i; default: ephemeral)',
      int('p2p-port', 0, 65535),
    )
    .option(
      '--domain',
      'also run one domain (DecEx): an operator producing bundles and receipts, and a watchtower checking them (new chains; restart with the same flags)',
      false,
    )
    .option(
      '--domain-operators <n>',
      'operators staked on the domain at genesis (with --domain)',
      int('domain-operators', 1, 16),
      1,
    )
    .option(
      '--challenge-period <n>',
      'domain blocks before a receipt is confirmed (with --domain)',
      int('challenge-period', 1, 100_000),
      5,
    )
    .option('--no-slot-log', 'log blocks and segments only, not every slot')
    .option('--quiet', 'print errors only', false)
    .action(
      async (
        f: ChainFlags &
          RpcFlags & {
            dataDir?: string;
            posThreads?: number;
            blocks?: number;
            nodes: number;
            p2pPort?: number;
            domain: boolean;
            domainOperators: number;
            challengePeriod: number;
            slotLog: boolean;
            quiet: boolean;
          },
      ) => {
        if (f.nodes > 1) {
          if (f.domain)
            throw new InvalidArgumentError('--domain runs on a single-node dev network (no --nodes)');
          return runCluster(o, f, signal);
        }
        const print = createEventPrinter(o, { slots: f.slotLog, quiet: f.quiet });
        const net = await startDevNetwork({
          ...devOptions(f),
          ...(f.dataDir === undefined ? {} : { dataDir: f.dataDir }),
          ...(f.posThreads === undefined ? {} : { posThreads: f.posThreads }),
          rpc: f.rpc ? { port: f.rpcPort, host: f.rpcHost } : false,
          ...(f.domain
            ? {
                domain: {
                  operators: f.domainOperators,
                  challengePeriod: f.challengePeriod,
                  onEvent: (e: DomainRoleEvent) => {
                    if (!f.quiet && e.type !== 'domain:derived') o.out(describeDomainEvent(e));
                  },
                },
              }
            : {}),
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

/** `autonomys dev --nodes N` (N > 1): a local network, every node's lines prefixed `[node i]`. */
async function runCluster(
  o: Output,
  f: ChainFlags &
    RpcFlags & {
      dataDir?: string;
      posThreads?: number;
      blocks?: number;
      nodes: number;
      p2pPort?: number;
      slotLog: boolean;
      quiet: boolean;
    },
  signal?: AbortSignal,
): Promise<void> {
  const printers: Array<(e: ServiceEvent | DevEvent) => void> = [];
  const printerOf = (i: number) => {
    const prefix = `[node ${i}]`;
    // No bars redrawn in place: N nodes' bars would overwrite each other.
    const out: Output = {
      out: (l) => o.out(`${prefix} ${l}`),
      err: (l) => o.err(`${prefix} ${l}`),
      isTTY: false,
    };
    printers[i] ??= createEventPrinter(out, { slots: f.slotLog && i === 0, quiet: f.quiet });
    return { print: printers[i]!, out };
  };
  const onEvent = (i: number, e: ServiceEvent | DevEvent | ClusterEvent) => {
    const { print, out } = printerOf(i);
    if (!e.type.startsWith('cluster:')) return print(e as ServiceEvent | DevEvent);
    if (f.quiet) return;
    const c = e as ClusterEvent;
    if (c.type === 'cluster:node')
      out.out(
        `${c.late ? 'joining' : 'started'}: peer ${c.peerId} on ${c.addresses.join(', ')}${c.timekeeper ? ' (timekeeper)' : ''}`,
      );
    else if (c.type === 'cluster:synced')
      out.out(`synced to block #${c.head} (${c.segments} segment(s)) in ${(c.ms / 1000).toFixed(1)} s`);
    else if (c.type === 'cluster:network' && c.event.type === 'dsn-sync-segment')
      out.out(`segment ${c.event.segmentIndex} synced from the DSN: ${c.event.blocks} block(s) imported`);
    else if (c.type === 'cluster:network' && c.event.type === 'sync-error')
      out.err(`sync error: ${(c.event.error as Error)?.message ?? String(c.event.error)}`);
  };
  const cluster = await startDevCluster({
    ...devOptions(f),
    nodes: f.nodes,
    ...(f.dataDir === undefined ? {} : { dataDir: f.dataDir }),
    ...(f.posThreads === undefined ? {} : { posThreads: f.posThreads }),
    ...(f.p2pPort === undefined ? {} : { p2pPort: f.p2pPort }),
    rpc: f.rpc ? { port: f.rpcPort, host: f.rpcHost } : false,
    onEvent,
  });
  const head = cluster.nodes[0]!.chain;
  const ac = new AbortController();
  if (f.blocks !== undefined) {
    const target = f.blocks;
    const check = () => {
      if (cluster.nodes.every((n) => n.chain.head().number >= target)) ac.abort();
    };
    for (const n of cluster.nodes) n.chain.on('newHead', check);
    check();
  }
  signal?.addEventListener('abort', () => ac.abort(), { once: true });
  await untilSignal(() => cluster.stop(), o, ac.signal);
  o.out(`stopped ${cluster.nodes.length} nodes at block #${head.head().number}`);
}

/** One log line for a domain role's event (`autonomys dev --domain`). */
function describeDomainEvent(e: DomainRoleEvent): string {
  switch (e.type) {
    case 'domain:derived':
      return `domain  ${e.role}: derived domain block #${e.domainBlock} from consensus #${e.consensusBlock}`;
    case 'domain:bundle':
      return `domain  ${e.role}: bundle for slot ${e.slot} (${e.extrinsics} extrinsics, receipt #${e.receiptNumber})`;
    case 'domain:receipt':
      return `domain  ${e.role}: receipt #${e.receiptNumber} in consensus #${e.consensusBlock}`;
    case 'domain:fraud-proof':
      return `domain  ${e.role}: fraud proof (${e.kind}) against domain block #${e.domainBlock}`;
    case 'domain:relayed':
      return `domain  ${e.role}: relayed transfer message #${e.nonce} of consensus #${e.consensusBlock}`;
    case 'domain:error':
      return `domain  ${e.role}: error: ${e.error instanceof Error ? e.error.message : String(e.error)}`;
  }
}

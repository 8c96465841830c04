/**
 * What the CLI prints: progress bars while plotting (rewritten in place on a terminal, a line per
 * quarter otherwise), then one line per slot, block and segment.
 */
import { bytesToHex } from '@autonomys/primitives';
import type { DevEvent } from '../service/dev.js';
import type { ServiceEvent } from '../service/node.js';

/** Where output goes (tests pass their own). */
export interface Output {
  out(line: string): void;
  err(line: string): void;
  /** Whether `err` is a terminal (progress bars are redrawn in place). */
  isTTY: boolean;
  /** Writes without a newline to the terminal (progress bars). */
  rewrite?(text: string): void;
}

/** stdout/stderr of this process. */
export function processOutput(): Output {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    isTTY: process.stderr.isTTY === true,
    rewrite: (text) => process.stderr.write(`\r${text}\x1b[K`),
  };
}

const short = (b: Uint8Array) => `0x${bytesToHex(b.subarray(0, 4))}…`;

/** A text progress bar: `label [#####-----]  50%  detail`. */
export function progressBar(label: string, fraction: number, detail = '', width = 24): string {
  const f = Math.max(0, Math.min(1, fraction));
  const full = Math.round(f * width);
  return `${label} [${'#'.repeat(full)}${'-'.repeat(width - full)}] ${String(Math.round(f * 100)).padStart(3)}%${detail === '' ? '' : `  ${detail}`}`;
}

/** Options of {@link createEventPrinter}. */
export interface PrinterOptions {
  /** Log every slot (default true). */
  slots?: boolean;
  /** Print nothing but errors. */
  quiet?: boolean;
}

/**
 * Turns service and dev events into lines.
 * @example const print = createEventPrinter(processOutput()); startDevNetwork({ onEvent: print });
 */
export function createEventPrinter(
  o: Output,
  opts: PrinterOptions = {},
): (e: ServiceEvent | DevEvent) => void {
  const t0 = performance.now();
  const stamp = () => `[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s]`;
  let barOpen = false;
  let lastQuarter = -1;
  const endBar = () => {
    if (barOpen && o.isTTY) o.err('');
    barOpen = false;
  };
  const log = (line: string) => {
    if (opts.quiet === true) return;
    endBar(); // a bar redrawn in place ends its line before a log line
    o.out(`${stamp()} ${line}`);
  };
  const bar = (text: string, fraction: number) => {
    if (opts.quiet === true) return;
    if (o.isTTY && o.rewrite !== undefined) {
      o.rewrite(text);
      barOpen = true;
      return;
    }
    const q = Math.floor(fraction * 4);
    if (q !== lastQuarter) {
      lastQuarter = q;
      o.err(text);
    }
  };
  return (e) => {
    switch (e.type) {
      case 'dev:calibrated':
        log(
          `PoT calibrated: ${e.slotIterations} iterations per slot (${(e.iterationsPerSecond / 1e6).toFixed(1)} M/s on one core)`,
        );
        return;
      case 'dev:params':
        log(
          `${e.created ? 'new' : 'resuming'} dev chain in ${e.dataDir}${e.temporary ? ' (temporary)' : ''}: ` +
            `${e.params.potSlotIterations} PoT iterations/slot, ${e.params.slotDurationMs} ms slots, ` +
            `${e.params.shimProofOfSpace ? 'shim proof of space (--fast-pos)' : 'Chia proof of space K=20'}, ` +
            `${e.params.sectors} sector(s) of ${e.params.piecesInSector} pieces, ${e.params.numChunks} chunks/record`,
        );
        return;
      case 'dev:chain-opening':
        log(
          'opening the chain: KZG parameters, then the genesis segment is archived (or the stored blocks replayed)…',
        );
        return;
      case 'archiving':
        bar(
          progressBar(`archiving segment ${e.segmentIndex}`, e.fraction, `block #${e.block} archived`),
          e.fraction,
        );
        return;
      case 'dev:chain-opened':
        log(`chain opened at block #${e.head} in ${(e.ms / 1000).toFixed(1)} s (genesis segment archived)`);
        return;
      case 'rpc':
        log(`JSON-RPC on ${e.url} (HTTP) and ${e.url.replace('http', 'ws')} (WebSocket)`);
        log(`dashboard on ${e.url}/ · storage gateway on ${e.url}/files/{cid} and ${e.url}/data/{hash}`);
        return;
      case 'pot-resync':
        log(`PoT restarted at slot ${e.slot}: ${e.reason}`);
        return;
      case 'segment': {
        endBar();
        const h = e.event.header;
        log(
          `segment ${h.segmentIndex} archived at block #${e.event.atBlock}: commitment ${short(h.segmentCommitment)}, last block #${h.lastArchivedBlock.number}`,
        );
        return;
      }
      case 'block':
        return; // authored blocks are logged with their timings below
      case 'farmer': {
        const f = e.event;
        if (f.type === 'plotting') {
          bar(
            progressBar(`${f.replot ? 'replotting' : 'plotting'} sector ${f.sectorIndex}`, f.fraction),
            f.fraction,
          );
        } else if (f.type === 'sector-plotted') {
          endBar();
          lastQuarter = -1;
          log(
            `sector ${f.sectorIndex} ${f.replot ? 'replotted' : 'plotted'} at history size ${f.historySize} in ${(f.ms / 1000).toFixed(1)} s`,
          );
        } else if (f.type === 'error') {
          endBar();
          o.err(`${stamp()} farmer error (${f.where}): ${(f.error as Error)?.message ?? String(f.error)}`);
        }
        return;
      }
      case 'author': {
        const a = e.event;
        if (a.type === 'slot') {
          if (opts.slots !== false) log(`slot ${a.slot}`);
        } else if (a.type === 'claimed') {
          const r = a.result;
          if (r.status === 'imported')
            log(
              `block #${a.number} ${short(a.hash)} slot ${a.slot}${r.isBest ? '' : ' (not best)'}: built ${a.ms.build.toFixed(0)} ms, signed ${a.ms.sign.toFixed(0)} ms, imported ${a.ms.import.toFixed(0)} ms`,
            );
          else if (r.status === 'rejected')
            o.err(
              `${stamp()} own block at slot ${a.slot} rejected: ${r.rejection.code} ${r.rejection.detail}`,
            );
        } else if (a.type === 'skipped') {
          if (!a.reason.startsWith('no solution')) log(`slot ${a.slot} not claimed: ${a.reason}`);
        } else if (a.type === 'pot-mismatch') {
          o.err(`${stamp()} proof of time diverged from the chain at slot ${a.slot}`);
        } else if (a.type === 'error') {
          o.err(`${stamp()} author error (${a.where}): ${(a.error as Error)?.message ?? String(a.error)}`);
        }
        return;
      }
    }
  };
}

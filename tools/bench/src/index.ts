/**
 * The workspace's benchmark harness. A package's `bench/index.ts` declares cases; each case may name
 * an anchor (another case measured in the same run: a native library, node:crypto, the hardware
 * limit) and the harness prints one markdown table per package: operation, size, median, ops/s,
 * ratio to the anchor. The same rows go to `bench-results/<package>.json` at the repository root.
 *
 * Ratio convention: `ours / anchor` of the median times, so 1.00x is parity, below 1 is faster.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BenchCase {
  /** What is measured, e.g. `blake3 (ours)`. Unique within a suite. */
  name: string;
  /** The input size as people say it, e.g. `1 MiB`, `32 B`, `2^15`. */
  size: string;
  /** Bytes processed per call; when set the table also prints throughput. */
  bytes?: number;
  /** The name of the case (in the same suite) this one is compared with. */
  anchor?: string;
  fn: () => unknown | Promise<unknown>;
  /** Calls per timed sample for very fast functions (the time is divided back). */
  batch?: number;
  /** Minimum samples for this case (default: the suite's); lower it for multi-second operations. */
  samples?: number;
  /** Run one untimed call first (default true); turn off for multi-second operations. */
  warmup?: boolean;
}

export interface BenchSuite {
  /** The package, e.g. `primitives`; names the JSON file. */
  package: string;
  cases: BenchCase[];
  /** Minimum time per case in ms (default 500) and minimum samples (default 10). */
  time?: number;
  iterations?: number;
}

export interface BenchRow {
  operation: string;
  size: string;
  medianMs: number;
  opsPerSecond: number;
  mibPerSecond: number | null;
  anchor: string | null;
  ratio: number | null;
  samples: number;
}

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/**
 * Times one case: a warm-up call, then samples of `batch` calls each until both `minTime` ms and
 * `minSamples` samples are reached (at most 60 s). Returns the median time per call.
 */
async function measure(
  c: BenchCase,
  minTime: number,
  minSamples: number,
): Promise<{ ms: number; samples: number }> {
  const batch = c.batch ?? 1;
  const once = async () => {
    const r = c.fn();
    if (r instanceof Promise) await r;
  };
  if (c.warmup !== false) await once();
  const times: number[] = [];
  const start = performance.now();
  while (
    (times.length < minSamples || performance.now() - start < minTime) &&
    performance.now() - start < 60_000
  ) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) await once();
    times.push((performance.now() - t0) / batch);
  }
  return { ms: median(times), samples: times.length };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function fmtTime(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  if (ms >= 0.001) return `${(ms * 1000).toFixed(2)} µs`;
  return `${(ms * 1e6).toFixed(0)} ns`;
}

/** Runs the suite, prints the table, writes the JSON and returns the rows. */
export async function runBench(suite: BenchSuite): Promise<BenchRow[]> {
  const filter = process.env.BENCH_FILTER;
  const cases = suite.cases.filter((c) => !filter || c.name.includes(filter) || c.anchor?.includes(filter));
  const medians = new Map<string, { ms: number; samples: number }>();
  for (const c of cases) {
    const { ms, samples } = await measure(c, suite.time ?? 500, c.samples ?? suite.iterations ?? 10);
    medians.set(c.name, { ms, samples });
    process.stderr.write(`  measured ${c.name} (${c.size}): ${fmtTime(ms)}\n`);
  }
  const rows: BenchRow[] = cases.map((c) => {
    const m = medians.get(c.name)!;
    const a = c.anchor ? medians.get(c.anchor) : undefined;
    return {
      operation: c.name,
      size: c.size,
      medianMs: m.ms,
      opsPerSecond: 1000 / m.ms,
      mibPerSecond: c.bytes ? c.bytes / 1048576 / (m.ms / 1000) : null,
      anchor: a ? c.anchor! : null,
      ratio: a ? m.ms / a.ms : null,
      samples: m.samples,
    };
  });
  console.log(formatTable(suite.package, rows));
  const outDir = join(repoRoot, 'bench-results');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, `${suite.package}.json`),
    `${JSON.stringify({ package: suite.package, date: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`,
  );
  return rows;
}

/** The markdown table of a suite's rows. */
export function formatTable(pkg: string, rows: BenchRow[]): string {
  const lines = [
    `\n### @autonomys/${pkg}\n`,
    '| operation | size | median | ops/s | MiB/s | anchor | ratio |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.operation} | ${r.size} | ${fmtTime(r.medianMs)} | ${r.opsPerSecond >= 100 ? Math.round(r.opsPerSecond).toLocaleString('en-US') : r.opsPerSecond.toFixed(2)} | ${r.mibPerSecond === null ? '' : r.mibPerSecond.toFixed(0)} | ${r.anchor ?? ''} | ${r.ratio === null ? '' : `${r.ratio.toFixed(2)}x`} |`,
    );
  }
  return lines.join('\n');
}

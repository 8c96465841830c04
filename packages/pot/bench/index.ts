/**
 * @autonomys/pot benchmarks: proving one slot on one core with each engine, next to the hardware
 * limit of a serial AES-128 chain measured in the same run (`openssl speed -evp aes-128-cbc` at
 * 8192-byte buffers: CBC encryption is one serial chain, the same dependency as the delay function),
 * and verifying a slot (8 independent chains) inline, on libuv, and over worker threads.
 *
 * Run: `node scripts/pnpm.mjs --filter @autonomys/pot bench` (about a minute). BENCH_POT_LOG2=22
 * makes slots smaller.
 */
import { execFileSync } from 'node:child_process';
import { type BenchCase, type BenchRow, runBench } from '@autonomys/bench';
import { aesChain, hasAesNi } from '@autonomys/native';
import { createPotWorkerPool, potKeyFromSeed, prove, proveAsync, verify, verifyAsync } from '../src/index.js';

const LOG2 = Number(process.env.BENCH_POT_LOG2 ?? 24);
const N = 2 ** LOG2; // slot iterations (a multiple of 16)
const N_TS = 2 ** Math.min(LOG2, 20); // the TypeScript engine is ~15x slower: a smaller slot
const seed = new Uint8Array(16).map((_, i) => i * 17 + 1);
const key = potKeyFromSeed(seed);

/** Blocks per second of a serial AES-128 chain, from OpenSSL's CBC encryption speed. */
function opensslLimit(): { blocksPerSecond: number; source: string } | undefined {
  try {
    const out = execFileSync(
      'openssl',
      ['speed', '-elapsed', '-seconds', '2', '-evp', 'aes-128-cbc', '-bytes', '8192'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 30_000,
      },
    );
    // Last line: "AES-128-CBC   1150497.79k" (1000s of bytes per second).
    const m = /aes-128-cbc\s+([\d.]+)k\s*$/im.exec(out.trim());
    if (m === null) return undefined;
    return {
      blocksPerSecond: (Number(m[1]) * 1000) / 16,
      source: `openssl speed aes-128-cbc 8192 B: ${m[1]}k B/s`,
    };
  } catch {
    return undefined;
  }
}

const slot = `2^${LOG2} it`;
const cps = prove(seed, N);
const cpsTs = prove(seed, N_TS);
const seed2 = seed.map((b) => b ^ 0xff);
const cps2 = prove(seed2, N);
const pool = createPotWorkerPool({ threads: 2 });
await verifyAsync(seed, 16, prove(seed, 16), { pool }); // start the workers outside the timings

const cases: BenchCase[] = [];
if (hasAesNi) {
  cases.push(
    { name: 'aesChain kernel, one chain (native)', size: slot, fn: () => aesChain(key, seed, N), samples: 5 },
    {
      name: 'prove (native)',
      size: slot,
      fn: () => prove(seed, N),
      anchor: 'aesChain kernel, one chain (native)',
      samples: 5,
    },
    {
      name: 'proveAsync (native, libuv, 2^22 chunks)',
      size: slot,
      fn: () => proveAsync(seed, N),
      anchor: 'prove (native)',
      samples: 5,
    },
  );
}
const proveAnchor = hasAesNi ? 'prove (native)' : 'prove (cbc)';
cases.push(
  {
    name: 'prove (cbc)',
    size: slot,
    fn: () => prove(seed, N, { engine: 'cbc' }),
    ...(hasAesNi ? { anchor: 'prove (native)' } : {}),
    samples: 3,
  },
  {
    name: 'prove (ts)',
    size: `2^${Math.log2(N_TS)} it`,
    fn: () => prove(seed, N_TS, { engine: 'ts' }),
    samples: 3,
  },
);
if (hasAesNi) {
  cases.push(
    {
      name: 'verify (native, 8 chains interleaved, 1 thread)',
      size: slot,
      fn: () => verify(seed, N, cps),
      anchor: proveAnchor,
    },
    {
      name: 'verifyAsync (native, libuv)',
      size: slot,
      fn: () => verifyAsync(seed, N, cps),
      anchor: proveAnchor,
    },
    {
      name: 'verifyAsync (native, pool of 2 workers)',
      size: slot,
      fn: () => verifyAsync(seed, N, cps, { pool }),
      anchor: proveAnchor,
    },
    {
      name: 'verifyAsync, 2 slots at once (native, pool of 2 workers)',
      size: `2 × ${slot}`,
      fn: () => Promise.all([verifyAsync(seed, N, cps, { pool }), verifyAsync(seed2, N, cps2, { pool })]),
      anchor: proveAnchor,
    },
  );
}
cases.push(
  {
    name: 'verify (cbc, 1 thread)',
    size: slot,
    fn: () => verify(seed, N, cps, { engine: 'cbc' }),
    anchor: 'prove (cbc)',
    samples: 3,
  },
  {
    name: 'verifyAsync (cbc, pool of 2 workers)',
    size: slot,
    fn: () => verifyAsync(seed, N, cps, { pool, engine: 'cbc' }),
    anchor: 'prove (cbc)',
    samples: 3,
  },
  {
    name: 'verify (ts, 1 thread)',
    size: `2^${Math.log2(N_TS)} it`,
    fn: () => verify(seed, N_TS, cpsTs, { engine: 'ts' }),
    anchor: 'prove (ts)',
    samples: 3,
  },
);

const rows = await runBench({ package: 'pot', cases, time: 500, iterations: 5 });
await pool.close();

// ---- Against the hardware limit, measured now ----
const limit = opensslLimit();
const limitPerSecond =
  limit?.blocksPerSecond ??
  (rows.find((r) => r.operation.startsWith('aesChain kernel'))
    ? N / (rowOf('aesChain kernel, one chain (native)').medianMs / 1000)
    : Number.NaN);
const limitSource = limit?.source ?? 'openssl unavailable: the native single-chain kernel';

function rowOf(name: string): BenchRow {
  const r = rows.find((x) => x.operation === name);
  if (r === undefined) throw new Error(`no row ${name}`);
  return r;
}

const lines = [
  `\nSerial AES-128 chain limit: ${(limitPerSecond / 1e6).toFixed(1)} M blocks/s (${limitSource})\n`,
  '| operation | iterations/s | vs limit |',
  '|---|---|---|',
];
for (const r of rows.filter((x) => x.operation.startsWith('prove') || x.operation.startsWith('aesChain'))) {
  const n = r.size === slot ? N : N_TS;
  const perSecond = n / (r.medianMs / 1000);
  lines.push(
    `| ${r.operation} | ${(perSecond / 1e6).toFixed(1)} M | ${((100 * perSecond) / limitPerSecond).toFixed(0)}% |`,
  );
}
lines.push('', '| verification | speed-up over proving the same slot (same engine) |', '|---|---|');
for (const r of rows.filter((x) => x.operation.startsWith('verify'))) {
  // Several slots per call: the speed-up is per slot.
  const slots = r.size.startsWith('2 ×') ? 2 : 1;
  if (r.ratio !== null)
    lines.push(`| ${r.operation} | ${(slots / r.ratio).toFixed(2)}x${slots > 1 ? ' per slot' : ''} |`);
}
console.log(lines.join('\n'));

/**
 * The data directory of `autonomys dev` / `node` / `farm`: the chain parameters chosen at the first
 * start (calibrated PoT iterations, geometry, proof-of-space kind: they define the genesis, so a
 * restart must reuse them), the generated dev key, the chain database and the plot.
 *
 *   <dir>/autonomys.json   parameters (written once, atomically)
 *   <dir>/farmer.key       hex seed of the farmer's sr25519 key (mode 0600)
 *   <dir>/chain/           the chain core's database
 *   <dir>/plot/            the farmer's plot (crash-safe files of @autonomys/plotter/plot)
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesToHex, hexToBytes, type Sr25519Keypair, sr25519PairFromSeed } from '@autonomys/primitives';
import type { ChainSpec } from '../consensus/api.js';
import { AI3, devChainSpec } from '../consensus/spec.js';
import { ServiceError } from '../rpc/errors.js';

/** The file of {@link DevParams} in a data directory. */
export const PARAMS_FILE = 'autonomys.json';
/** The farmer key file. */
export const KEY_FILE = 'farmer.key';

/** The parameters that define a development chain and its default farm. */
export interface DevParams {
  readonly version: 1;
  readonly potSlotIterations: number;
  readonly slotDurationMs: number;
  /** Chunks per record (a power of two ≥ 4); pieces per segment stay 256 (numRawRecords 128). */
  readonly numChunks: number;
  readonly shimProofOfSpace: boolean;
  /** Decimal string (u64). */
  readonly initialSolutionRange: string;
  readonly sectors: number;
  readonly piecesInSector: number;
  /** Hex account endowed at genesis (the dev key), if any. */
  readonly endowed?: string;
}

/** The dev chain spec of a parameter set (its `endowed` account holds 1 000 000 AI3). */
export function specFromParams(p: DevParams): ChainSpec {
  const endowed = p.endowed === undefined ? undefined : hexToBytes(p.endowed, 32, 'endowed');
  return devChainSpec({
    potSlotIterations: p.potSlotIterations,
    // 128 raw records: 256 pieces per segment, the count that sector piece selection and the
    // solution's segment-commitment check are defined over (farming §4.2, §7).
    archiving: { numChunks: p.numChunks, numRawRecords: 128 },
    shimProofOfSpace: p.shimProofOfSpace,
    initialSolutionRange: BigInt(p.initialSolutionRange),
    ...(endowed === undefined ? {} : { balances: [{ accountId: endowed, balance: 1_000_000n * AI3 }] }),
  });
}

/**
 * The solution range that makes a plot of `sectors × piecesInSector` win about one slot in
 * `slotsPerBlock`: each sector audits one s-bucket holding about `piecesInSector / 2` chunks, and a
 * chunk wins with probability `range / 2^64`.
 */
export function solutionRangeFor(sectors: number, piecesInSector: number, slotsPerBlock: number): bigint {
  const chunks = Math.max(1, (sectors * piecesInSector) / 2);
  const p = Math.min(0.999, 1 / slotsPerBlock); // per-slot win probability ≈ chunks · range / 2^64
  const range = BigInt(Math.floor((p / chunks) * 2 ** 53)) << 11n;
  return range > 0xffff_ffff_ffff_ffffn ? 0xffff_ffff_ffff_ffffn : range;
}

function corrupt(path: string, reason: string): ServiceError {
  return new ServiceError({ code: 'SERVICE_CORRUPT_DATA_DIR', path, reason });
}

function writeAtomic(path: string, text: string, mode = 0o644): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, path);
}

/** Reads the parameters of a data directory, `undefined` when it has none yet. */
export function readParams(dir: string): DevParams | undefined {
  const path = join(dir, PARAMS_FILE);
  if (!existsSync(path)) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw corrupt(path, `not JSON (${(e as Error).message})`);
  }
  const o = v as Record<string, unknown>;
  const int = (k: string, min: number) => {
    const x = o[k];
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min)
      throw corrupt(path, `${k}: expected an integer ≥ ${min}`);
    return x;
  };
  if (o.version !== 1) throw corrupt(path, `unknown version ${String(o.version)}`);
  if (typeof o.shimProofOfSpace !== 'boolean') throw corrupt(path, 'shimProofOfSpace: expected a boolean');
  if (typeof o.initialSolutionRange !== 'string' || !/^[0-9]{1,20}$/.test(o.initialSolutionRange))
    throw corrupt(path, 'initialSolutionRange: expected a decimal string');
  if (o.endowed !== undefined && (typeof o.endowed !== 'string' || !/^[0-9a-f]{64}$/.test(o.endowed)))
    throw corrupt(path, 'endowed: expected 64 hex digits');
  return {
    version: 1,
    ...(o.endowed === undefined ? {} : { endowed: o.endowed }),
    potSlotIterations: int('potSlotIterations', 16),
    slotDurationMs: int('slotDurationMs', 0),
    numChunks: int('numChunks', 4),
    shimProofOfSpace: o.shimProofOfSpace,
    initialSolutionRange: o.initialSolutionRange,
    sectors: int('sectors', 1),
    piecesInSector: int('piecesInSector', 1),
  };
}

/** Writes the parameters (once, at the first start). */
export function writeParams(dir: string, p: DevParams): void {
  mkdirSync(dir, { recursive: true });
  writeAtomic(join(dir, PARAMS_FILE), `${JSON.stringify(p, null, 2)}\n`);
}

/** The farmer key of a data directory, generated at the first call. */
export function loadOrCreateKey(dir: string): { keypair: Sr25519Keypair; created: boolean } {
  const path = join(dir, KEY_FILE);
  if (existsSync(path)) {
    const text = readFileSync(path, 'utf8').trim();
    let seed: Uint8Array;
    try {
      seed = hexToBytes(text, 32, 'farmer key');
    } catch {
      throw corrupt(path, 'expected 64 hex digits (a 32-byte seed)');
    }
    return { keypair: sr25519PairFromSeed(seed), created: false };
  }
  mkdirSync(dir, { recursive: true });
  const seed = new Uint8Array(randomBytes(32));
  writeAtomic(path, `${bytesToHex(seed)}\n`, 0o600);
  return { keypair: sr25519PairFromSeed(seed), created: true };
}

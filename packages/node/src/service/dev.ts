/**
 * `autonomys dev`: a development network in one process. The first start picks the parameters
 * (PoT iterations calibrated so a slot's proof costs `potFraction` of one core, the geometry, the
 * proof-of-space kind), generates the farmer key and writes both into the data directory; every
 * later start reuses them, so the chain continues from its head.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kzg } from '@autonomys/kzg';
import type { PosTableGenerator } from '@autonomys/plotter';
import { Plot } from '@autonomys/plotter/plot';
import { calibrateSlotIterations } from '@autonomys/pot';
import { bytesToHex, type Sr25519Keypair } from '@autonomys/primitives';
import type { ChainApi, ChainSpec } from '../consensus/api.js';
import { Chain } from '../consensus/chain.js';
import { type DevDomain, type DomainDevOptions, devDomainConfig, startDevDomain } from '../domain/dev.js';
import { DomainExtrinsicPool, withDomainExtrinsics } from '../domain/pool.js';
import { registerDomainRpc } from '../domain/rpc.js';
import { FileObjectIndex } from '../gateway/object-index.js';
import { ServiceError } from '../rpc/errors.js';
import type { RpcServerOptions } from '../rpc/server.js';
import {
  type DevParams,
  loadOrCreateKey,
  readParams,
  solutionRangeFor,
  specFromParams,
  writeParams,
} from './config.js';
import { NodeService, type ServiceEvent } from './node.js';
import { farmerTableGenerator } from './pos.js';

/** Defaults of `autonomys dev`. */
export const DEV_DEFAULTS = {
  slotDurationMs: 1000,
  /** The timekeeper's share of one core: a third leaves room for farming and import. */
  potFraction: 1 / 3,
  /** Chunks per record of the dev geometry (network: 32 768): segments of 31 744 bytes. */
  numChunks: 8,
  sectors: 1,
  piecesInSector: 8,
  /** SLOT_PROBABILITY (1, 6): one block per six slots on average. */
  slotsPerBlock: 6,
} as const;

/** Options of {@link startDevNetwork}. */
export interface DevNetworkOptions {
  /** Data directory; default: a fresh temporary one (removed on stop). */
  dataDir?: string;
  /** The shim proof of space instead of Chia K = 20 (new chains only). */
  fastPos?: boolean;
  slotDurationMs?: number;
  /** Fraction of one core the timekeeper uses (calibration target, new chains only). */
  potFraction?: number;
  /** Fixed PoT iterations per slot instead of calibrating (new chains only). */
  potSlotIterations?: number;
  numChunks?: number;
  sectors?: number;
  piecesInSector?: number;
  /** Expected slots per block (sets the initial solution range for the plot size; new chains only). */
  slotsPerBlock?: number;
  /** Proof-of-space worker threads (Chia tables; default: available parallelism). */
  posThreads?: number;
  /** KZG to share (tests restarting a network); loaded by the chain when absent. */
  kzg?: Kzg;
  /** Run the farmer in this process (default true). */
  farm?: boolean;
  rpc?: RpcServerOptions | false;
  onEvent?: (event: ServiceEvent | DevEvent) => void;
  /**
   * Run one domain (`autonomys dev --domain`): instantiated at genesis with its operators staked,
   * an operator role per operator and a watchtower in this process. Part of the genesis: a data
   * directory made with a domain must be restarted with the same option.
   */
  domain?: DomainDevOptions;
}

/** Start-up steps of a dev network. */
export type DevEvent =
  | { type: 'dev:params'; params: DevParams; created: boolean; dataDir: string; temporary: boolean }
  | { type: 'dev:calibrated'; slotIterations: number; iterationsPerSecond: number }
  | { type: 'dev:chain-opening'; dataDir: string }
  | { type: 'dev:chain-opened'; head: number; ms: number };

/** A running dev network. */
export interface DevNetwork {
  readonly service: NodeService;
  readonly chain: ChainApi;
  readonly spec: ChainSpec;
  readonly params: DevParams;
  readonly dataDir: string;
  readonly keypair: Sr25519Keypair;
  readonly tableGenerator: PosTableGenerator;
  /** The domain and its roles, when started with `domain`. */
  readonly domain: DevDomain | undefined;
  stop(): Promise<void>;
}

/**
 * The parameters of a new development chain from the options: PoT iterations calibrated to
 * `potFraction` of one core per slot unless fixed, and the initial solution range sized so that
 * `farmers` farmers of `sectors` × `piecesInSector` win about one slot in `slotsPerBlock`.
 */
export function newDevParams(
  opts: Pick<
    DevNetworkOptions,
    | 'slotDurationMs'
    | 'potSlotIterations'
    | 'potFraction'
    | 'sectors'
    | 'piecesInSector'
    | 'numChunks'
    | 'fastPos'
    | 'slotsPerBlock'
  >,
  endowed: Uint8Array,
  farmers: number,
  emit: (e: DevEvent) => void,
): DevParams {
  const slotDurationMs = opts.slotDurationMs ?? DEV_DEFAULTS.slotDurationMs;
  let potSlotIterations = opts.potSlotIterations;
  if (potSlotIterations === undefined) {
    const fraction = opts.potFraction ?? DEV_DEFAULTS.potFraction;
    if (!(fraction > 0 && fraction <= 1))
      throw new ServiceError({
        code: 'SERVICE_INVALID_CONFIG',
        what: 'potFraction',
        reason: 'expected (0, 1]',
      });
    const cal = calibrateSlotIterations({ targetMs: Math.max(1, slotDurationMs * fraction) });
    potSlotIterations = cal.slotIterations;
    emit({
      type: 'dev:calibrated',
      slotIterations: cal.slotIterations,
      iterationsPerSecond: cal.iterationsPerSecond,
    });
  }
  const sectors = opts.sectors ?? DEV_DEFAULTS.sectors;
  const piecesInSector = opts.piecesInSector ?? DEV_DEFAULTS.piecesInSector;
  return {
    version: 1,
    potSlotIterations,
    slotDurationMs,
    numChunks: opts.numChunks ?? DEV_DEFAULTS.numChunks,
    shimProofOfSpace: opts.fastPos ?? false,
    initialSolutionRange: String(
      solutionRangeFor(sectors * farmers, piecesInSector, opts.slotsPerBlock ?? DEV_DEFAULTS.slotsPerBlock),
    ),
    sectors,
    piecesInSector,
    endowed: bytesToHex(endowed),
  };
}

/**
 * Starts (or resumes) a development network.
 * @example
 * const dev = await startDevNetwork({ dataDir: './dev-data', fastPos: true });
 * console.log(dev.service.rpc?.url);
 * await dev.stop();
 */
export async function startDevNetwork(opts: DevNetworkOptions = {}): Promise<DevNetwork> {
  const emit = (e: ServiceEvent | DevEvent) => {
    try {
      opts.onEvent?.(e);
    } catch {
      // reporting must not break the start
    }
  };
  const temporary = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'autonomys-dev-'));
  let params = readParams(dataDir);
  const { keypair } = loadOrCreateKey(dataDir);
  const created = params === undefined;
  if (params === undefined) {
    params = newDevParams(opts, keypair.publicKey, 1, emit);
    writeParams(dataDir, params);
  }
  emit({ type: 'dev:params', params, created, dataDir, temporary });
  const baseSpec = specFromParams(params);
  const domainConfig =
    opts.domain === undefined ? undefined : devDomainConfig(opts.domain, keypair.publicKey);
  const spec = domainConfig === undefined ? baseSpec : { ...baseSpec, domains: [domainConfig] };
  const t0 = performance.now();
  emit({ type: 'dev:chain-opening', dataDir });
  const chain = await Chain.open({
    spec,
    dataDir: join(dataDir, 'chain'),
    ...(opts.kzg === undefined ? {} : { kzg: opts.kzg }),
  });
  emit({ type: 'dev:chain-opened', head: chain.head().number, ms: performance.now() - t0 });
  const tableGenerator = farmerTableGenerator({
    shim: params.shimProofOfSpace,
    ...(opts.posThreads === undefined ? {} : { threads: opts.posThreads }),
  });
  let plot: Plot | undefined;
  let objectIndex: FileObjectIndex | undefined;
  let service: NodeService;
  const domainPool = domainConfig === undefined ? undefined : new DomainExtrinsicPool(chain);
  let domainRef: DevDomain | undefined;
  try {
    if (opts.farm !== false)
      plot = await openPlot(join(dataDir, 'plot'), keypair.publicKey, params, spec.maxPiecesInSector);
    objectIndex = new FileObjectIndex(join(dataDir, 'objects.log'));
    service = await NodeService.start({
      chain: domainPool === undefined ? chain : withDomainExtrinsics(chain, domainPool),
      slotDurationMs: opts.slotDurationMs ?? params.slotDurationMs,
      rpc: opts.rpc ?? {},
      // domain_* methods (the domain starts after the service: read through `domainRef`).
      ...(domainConfig === undefined ? {} : { extendRouter: (r) => registerDomainRpc(r, () => domainRef) }),
      // The gateway and the dashboard; uploads are published as remarks signed by the dev key.
      storage: { index: objectIndex, publisher: keypair },
      ...(plot === undefined
        ? {}
        : {
            farmer: {
              keypair,
              sectorCount: params.sectors,
              piecesInSector: params.piecesInSector,
              tableGenerator,
              kzg: chain.kzg,
              plot,
              // One record per table worker at once (the shim builds inline: no gain there).
              plottingConcurrency: params.shimProofOfSpace
                ? 1
                : Math.max(1, opts.posThreads ?? availableParallelism()),
            },
          }),
      onEvent: emit,
    });
  } catch (e) {
    objectIndex?.close();
    await plot?.close();
    await chain.close();
    await tableGenerator.close?.();
    throw e;
  }
  const domain =
    domainConfig === undefined || domainPool === undefined
      ? undefined
      : startDevDomain(chain, domainConfig, opts.domain ?? {}, domainPool);
  domainRef = domain;
  let stopped: Promise<void> | undefined;
  return {
    service,
    chain,
    spec,
    params,
    dataDir,
    keypair,
    tableGenerator,
    domain,
    stop() {
      stopped ??= (async () => {
        domain?.stop();
        await service.stop();
        objectIndex?.close();
        await plot?.close();
        await tableGenerator.close?.();
        if (temporary) rmSync(dataDir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

/** Opens the plot of a data directory, or creates it with the parameters. */
export async function openPlot(
  dir: string,
  publicKey: Uint8Array,
  params: Pick<DevParams, 'sectors' | 'piecesInSector' | 'numChunks'>,
  maxPiecesInSector: number,
): Promise<Plot> {
  try {
    return await Plot.open(dir, { publicKey });
  } catch (e) {
    if ((e as { code?: string }).code !== 'PLOTTER_PLOT_NOT_FOUND') throw e;
  }
  return Plot.create(dir, {
    publicKey,
    sectorCount: params.sectors,
    piecesInSector: params.piecesInSector,
    maxPiecesInSector,
    numChunks: params.numChunks,
  });
}

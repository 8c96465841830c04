/**
 * One domain on a development network (`autonomys dev --domain`): the domain instantiated at
 * genesis with its operators staked, an operator role per operator key, a watchtower, and the pool
 * that carries their unsigned extrinsics into the blocks this node builds.
 */

import { AI3, type BundleHeader, type ExecutionReceipt, inboxNonceKey, type Weight } from '@autonomys/decex';
import { blake3, type Sr25519Keypair, sr25519PairFromSeed } from '@autonomys/primitives';
import type { BlockInfo, ChainApi, ReorgEvent } from '../consensus/api.js';
import { type DomainChainView, domainsAt } from './follower.js';
import { DomainOperatorRole, type DomainRoleEvent } from './operator.js';
import { type DomainExtrinsicPool, FRAUD_PROOF_RETRY_BLOCKS, withDomainExtrinsics } from './pool.js';
import { Relayer } from './relayer.js';
import type { DomainGenesisConfig, DomainsState } from './runtime.js';
import { GENESIS_CHANNEL_ID } from './transporter.js';
import { Watchtower } from './watchtower.js';

/** Options of the domain of a dev network (`startDevNetwork({ domain })`). */
export interface DomainDevOptions {
  /** Operators staked at genesis, each with its own role in this process (default 1). */
  operators?: number;
  /** Challenge period in domain blocks (`BlockTreePruningDepth`; default 5). */
  challengePeriod?: number;
  /** Run a watchtower (default true). */
  watchtower?: boolean;
  /**
   * Run the relayer of consensus -> domain transporter messages (default true); `confirmationDepth`:
   * how far below the best block its confirmed block is (default 2).
   */
  relayer?: boolean | { confirmationDepth?: number };
  /** Extra domain genesis balances (the dev key always gets 1 000 AI3). */
  balances?: readonly (readonly [Uint8Array, bigint])[];
  /** Adversarial demonstration: operator `operator` submits `receipt(er)` instead of its receipts. */
  tamper?: { operator: number; receipt: (er: ExecutionReceipt) => ExecutionReceipt };
  /** Fault injection for any operator, decided at run time (tests, demonstrations). */
  faults?: DomainFaults;
  /** Bundle slot probability `[numerator, denominator]` of the domain (default `[1, 1]`). */
  bundleSlotProbability?: readonly [bigint, bigint];
  /**
   * Stakes of extra operators registered at genesis without a role in this process (ids after the
   * role operators): stake that stays in the election total while role operators are slashed.
   */
  passiveStakes?: readonly bigint[];
  onEvent?: (event: DomainRoleEvent) => void;
}

/** A bundle body replacement (see `DomainOperatorRoleInit.tamperBundle`). */
export interface BundleBodyFault {
  extrinsics: readonly Uint8Array[];
  estimatedBundleWeight?: Weight;
}

/**
 * Run-time fault injection on a dev domain. Each hook is called at every use, so a test can switch
 * faults on and off and move them between operators as the run goes.
 */
export interface DomainFaults {
  /** The receipt operator `operator` puts in its next bundle or singleton receipt. */
  receipt?: (operator: number, er: ExecutionReceipt) => ExecutionReceipt;
  /** A replacement body for a bundle operator `operator` built (`undefined` keeps it). */
  bundle?: (
    operator: number,
    bundle: { readonly header: BundleHeader; readonly extrinsics: readonly Uint8Array[] },
  ) => BundleBodyFault | undefined;
  /**
   * Whether a role's extrinsics reach the block author now (default: all). An operator's
   * extrinsics are dropped while it is not admitted; the watchtower's fraud proofs are held and
   * submitted once it is admitted again.
   */
  admit?: (role: number | 'watchtower') => boolean;
}

/** The domain id of the dev domain. */
export const DEV_DOMAIN_ID = 0;

/** The deterministic signing key of dev operator `i` (the same across restarts). */
export function devOperatorKey(i: number): Sr25519Keypair {
  return sr25519PairFromSeed(blake3(new TextEncoder().encode(`autonomys-dev-domain-operator-${i}`)));
}

/** The genesis config of the dev domain. */
export function devDomainConfig(opts: DomainDevOptions, endowed: Uint8Array): DomainGenesisConfig {
  const n = opts.operators ?? 1;
  return {
    domainId: DEV_DOMAIN_ID,
    balances: [[endowed, 1_000n * AI3], ...(opts.balances ?? [])],
    operators: [
      ...Array.from({ length: n }, (_, i) => ({
        signingKey: devOperatorKey(i).publicKey,
        owner: `dev-operator-${i}`,
      })),
      ...(opts.passiveStakes ?? []).map((stake, k) => ({
        signingKey: devOperatorKey(n + k).publicKey,
        owner: `dev-operator-${n + k}`,
        stake,
      })),
    ],
    challengePeriod: opts.challengePeriod ?? 5,
    ...(opts.bundleSlotProbability === undefined
      ? {}
      : { bundleSlotProbability: opts.bundleSlotProbability }),
  };
}

/** A running dev domain. */
export interface DevDomain {
  readonly config: DomainGenesisConfig;
  readonly pool: DomainExtrinsicPool;
  readonly operators: readonly DomainOperatorRole[];
  readonly watchtower: Watchtower | undefined;
  /** The relayer of consensus -> domain messages (`Transporter.transfer`), unless disabled. */
  readonly relayer: Relayer | undefined;
  /** Puts a domain transaction (a `BalancesRuntime` extrinsic) in every operator's pool. */
  submitTransaction(extrinsic: Uint8Array): void;
  /** The domain state (block tree, staking) at the best consensus block. */
  state(): DomainsState;
  /** Resolves when every role has processed the best block. */
  idle(): Promise<void>;
  stop(): void;
}

/**
 * Starts the roles of a domain on a chain whose genesis instantiated it (see {@link devDomainConfig}).
 * The chain must build its blocks with `chain` wrapped by {@link withDomainExtrinsics} and `pool`.
 */
export function startDevDomain(
  chain: ChainApi & DomainChainView,
  config: DomainGenesisConfig,
  opts: DomainDevOptions,
  pool: DomainExtrinsicPool,
): DevDomain {
  const emit = opts.onEvent;
  const faults = opts.faults;
  const admitted = (role: number | 'watchtower') => faults?.admit?.(role) ?? true;
  const roles = config.operators.length - (opts.passiveStakes?.length ?? 0);
  const operators = config.operators.slice(0, roles).map((_, i) => {
    const fixed = opts.tamper?.operator === i ? opts.tamper.receipt : undefined;
    const receipt = faults?.receipt;
    const bundle = faults?.bundle;
    return new DomainOperatorRole({
      chain,
      config,
      operatorId: BigInt(i),
      keys: devOperatorKey(i),
      submit: (x) => {
        if (admitted(i)) pool.submit(x);
      },
      // an operator that is not admitted runs no elections (it would only drop what it builds)
      ...(faults?.admit === undefined ? {} : { active: () => admitted(i) }),
      ...(fixed === undefined && receipt === undefined
        ? {}
        : {
            tamperReceipt: (er: ExecutionReceipt) => {
              const out = fixed === undefined ? er : fixed(er);
              return receipt === undefined ? out : receipt(i, out);
            },
          }),
      ...(bundle === undefined ? {} : { tamperBundle: (b) => bundle(i, b) }),
      ...(emit === undefined ? {} : { onEvent: emit }),
    });
  });
  // Fraud proofs held while the watchtower is not admitted.
  const held: Uint8Array[] = [];
  const flushHeld = () => {
    if (held.length === 0 || !admitted('watchtower')) return;
    for (const x of held.splice(0)) pool.submit(x, FRAUD_PROOF_RETRY_BLOCKS);
  };
  const watchtower =
    opts.watchtower === false
      ? undefined
      : new Watchtower({
          chain,
          config,
          submit: (x) => {
            held.push(x);
            flushHeld();
          },
          ...(emit === undefined ? {} : { onEvent: emit }),
        });
  const relayerOpts = typeof opts.relayer === 'object' ? opts.relayer : {};
  const relayer =
    opts.relayer === false
      ? undefined
      : new Relayer({
          chain,
          domainId: config.domainId,
          submit: (x) => {
            for (const o of operators) o.submitTransaction(x);
          },
          ...(relayerOpts.confirmationDepth === undefined
            ? {}
            : { confirmationDepth: relayerOpts.confirmationDepth }),
          // the inbox nonce at the first operator's derived head: what the domain already delivered
          deliveredNonce: () => {
            const d = operators[0]?.follower.derive;
            const raw = d?.stateAt(d.headNumber)?.get(inboxNonceKey('consensus', GENESIS_CHANNEL_ID));
            let v = 0n;
            if (raw !== undefined) for (let i = raw.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(raw[i]!);
            return v;
          },
          ...(emit === undefined ? {} : { onEvent: emit }),
        });
  let last: Promise<unknown> = Promise.resolve();
  let reorgs: Promise<void> = Promise.resolve();
  const onHead = (info: BlockInfo) => {
    last = (async () => {
      await reorgs;
      const block = await chain.getBlock(info.hash);
      pool.onNewHead(info.number, block?.extrinsics ?? []);
      flushHeld();
      await Promise.all([...operators.map((o) => o.onNewHead()), watchtower?.onNewHead()]);
      relayer?.onNewHead();
    })().catch((error) => emit?.({ type: 'domain:error', role: 'dev-domain', error }));
  };
  // A reorg (emitted before the new head): the pool takes back the fraud proofs of the retracted
  // blocks (see `DomainExtrinsicPool.onReorg`); the roles revert and re-derive on their own when
  // they process the new head.
  const onReorg = (e: ReorgEvent) => {
    reorgs = reorgs
      .then(async () => {
        const extrinsicsOf = async (bs: readonly BlockInfo[]) =>
          Promise.all(bs.map(async (b) => (await chain.getBlock(b.hash))?.extrinsics ?? []));
        pool.onReorg(await extrinsicsOf(e.retracted), await extrinsicsOf(e.enacted));
      })
      .catch((error) => emit?.({ type: 'domain:error', role: 'dev-domain', error }));
  };
  chain.on('reorg', onReorg);
  chain.on('newHead', onHead);
  onHead(chain.head() as BlockInfo);
  return {
    config,
    pool,
    operators,
    watchtower,
    relayer,
    submitTransaction(x) {
      for (const o of operators) o.submitTransaction(x);
    },
    state: () => domainsAt(chain, chain.head().number),
    idle: () => last.then(() => undefined),
    stop() {
      chain.off('newHead', onHead);
      chain.off('reorg', onReorg);
    },
  };
}

export { withDomainExtrinsics };

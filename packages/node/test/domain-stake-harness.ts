/**
 * Staking and bundle-fee tests: a {@link TestChain} over a spec with funded consensus accounts
 * (operator owners, a nominator, the block author), rewards off (so total issuance only moves
 * when the staking ledger mints), and signed staking transactions.
 */
import { AI3, type ExecutionReceipt } from '@autonomys/decex';
import { sr25519PairFromSeed } from '@autonomys/primitives';
import {
  accountKey,
  type DomainChainSpec,
  DomainExtrinsicPool,
  type DomainGenesisConfig,
  DomainOperatorRole,
  type DomainsStakingCall,
  devOperatorKey,
  EMPTY_TRIE_ROOT,
  encodeDomainsStakingCall,
  genesisState,
  type Header,
  headerHash,
  IMMORTAL,
  type RuntimeState,
  signExtrinsic,
  stateRootOf,
  testChainSpec,
  Watchtower,
} from '../src/index.js';
import { potOf, TestChain, user } from './domain-harness.js';

export const owners = [
  sr25519PairFromSeed(new Uint8Array(32).fill(7)),
  sr25519PairFromSeed(new Uint8Array(32).fill(8)),
];
export const nominator = sr25519PairFromSeed(new Uint8Array(32).fill(9));
export const poorNominator = sr25519PairFromSeed(new Uint8Array(32).fill(10));
/** The harness's block author reward address (`preDigest`), funded so storage fees can land. */
export const author = new Uint8Array(32).fill(2);

/** Consensus genesis balances of the staking tests. */
export const BALANCES = [
  { accountId: owners[0]!.publicKey, balance: 1_001n * AI3 },
  { accountId: owners[1]!.publicKey, balance: 2_000n * AI3 },
  { accountId: nominator.publicKey, balance: 500n * AI3 },
  { accountId: poorNominator.publicKey, balance: 5n * AI3 },
  { accountId: author, balance: AI3 },
];

export function stakeDomain(
  opts: Partial<Omit<DomainGenesisConfig, 'operators'>> & { operators?: number } = {},
): DomainGenesisConfig {
  const { operators = 2, ...rest } = opts;
  return {
    domainId: 0,
    balances: [[user.publicKey, 1_000n * AI3]],
    operators: Array.from({ length: operators }, (_, i) => ({
      signingKey: devOperatorKey(i).publicKey,
      owner: owners[i]!.publicKey,
    })),
    challengePeriod: 3,
    epochDuration: 2,
    withdrawalPeriod: 2,
    ...rest,
  };
}

export function stakeSpec(domain: DomainGenesisConfig, balances = BALANCES): DomainChainSpec {
  return {
    ...testChainSpec({ balances, enableRewardsAt: { type: 'Height', height: 1_000_000_000 } }),
    domains: [domain],
  };
}

/** A {@link TestChain} on a given spec (the harness's constructor takes only domain configs). */
export function chainOn(spec: DomainChainSpec): TestChain {
  const chain = new TestChain();
  const state = genesisState(spec);
  const header: Header = {
    parentHash: new Uint8Array(32),
    number: 0,
    stateRoot: stateRootOf(state),
    extrinsicsRoot: EMPTY_TRIE_ROOT.slice(),
    digest: [],
  };
  const hash = headerHash(header);
  chain.blocks.length = 0;
  chain.blocks.push({ header, hash, extrinsics: [], state });
  Object.assign(chain, { spec, ctx: { spec, genesisHash: hash } });
  return chain;
}

/** Σ (free + reserved) over all accounts. */
export function accountsTotal(s: RuntimeState): bigint {
  let t = 0n;
  for (const a of s.accounts.values()) t += a.free + a.reserved;
  return t;
}

/** What the accounts, the ledger and the accumulated treasury funds hold, less the total issuance (0 when consistent). */
export function issuanceGap(s: RuntimeState): bigint {
  const d = s.domains!;
  return accountsTotal(s) + d.ledger.heldValue() + d.accumulatedTreasuryFunds - s.totalIssuance;
}

export function freeOf(s: RuntimeState, id: Uint8Array): bigint {
  return s.accounts.get(accountKey(id))?.free ?? 0n;
}

/** A signed staking transaction (immortal, tip 0). */
export function stakingTx(
  chain: TestChain,
  pair: { secretKey: Uint8Array; publicKey: Uint8Array },
  nonce: number,
  call: DomainsStakingCall,
): Uint8Array {
  return signExtrinsic(
    encodeDomainsStakingCall(call),
    { era: IMMORTAL, nonce, tip: 0n },
    {
      specVersion: chain.spec.specVersion,
      transactionVersion: chain.spec.transactionVersion,
      genesisHash: chain.blocks[0]!.hash,
      birthHash: chain.blocks[0]!.hash,
    },
    pair.secretKey,
    pair.publicKey,
  );
}

/** Operators (optionally a watchtower) on {@link chainOn}; `step(extra)` adds transactions to the block. */
export function stakeSetup(
  cfg: DomainGenesisConfig,
  opts: {
    balances?: typeof BALANCES;
    watchtower?: boolean;
    tamper?: (op: number, er: ExecutionReceipt) => ExecutionReceipt;
  } = {},
) {
  const chain = chainOn(stakeSpec(cfg, opts.balances));
  const pool = new DomainExtrinsicPool(chain);
  const ops = cfg.operators.map(
    (_, i) =>
      new DomainOperatorRole({
        chain,
        config: cfg,
        operatorId: BigInt(i),
        keys: devOperatorKey(i),
        slotPot: potOf,
        submit: (x) => pool.submit(x),
        ...(opts.tamper ? { tamperReceipt: (er: ExecutionReceipt) => opts.tamper!(i, er) } : {}),
      }),
  );
  const tower =
    opts.watchtower === true
      ? new Watchtower({ chain, config: cfg, submit: (x) => pool.submit(x, 32) })
      : undefined;
  const step = async (extra: readonly Uint8Array[] = []) => {
    const input = [...pool.take(), ...extra];
    const out = chain.produce(input);
    pool.onNewHead(chain.head().number, out.extrinsics);
    for (const o of ops) await o.onNewHead();
    await tower?.onNewHead();
    return { ...out, input };
  };
  const state = () => chain.runtimeState();
  const ledger = () => state().domains!.ledger;
  const dc = () => state().domains!.domains.get(cfg.domainId)!;
  return { chain, pool, ops, tower, step, state, ledger, dc };
}

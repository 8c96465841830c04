/**
 * The domain registry (decex §2): runtime registration and `instantiate_domain` with its checks
 * in the code's order and error names. Funds come from the `StakingLedger`'s consensus balances;
 * the initial balances are burned from the owner and become the domain's starting balance in
 * `DomainBalances`.
 */
import { calculateMaxBundleWeightAndSize, genesisReceipt, receiptHash } from './bundle.js';
import {
  DOMAIN_INSTANTIATION_DEPOSIT,
  MAX_DOMAIN_BLOCK_SIZE,
  MAX_DOMAIN_BLOCK_WEIGHT,
  MAX_DOMAIN_NAME_LENGTH,
  MAX_INITIAL_DOMAIN_ACCOUNTS,
  MIN_INITIAL_DOMAIN_ACCOUNT_BALANCE,
} from './constants.js';
import { stakingRejected } from './errors.js';
import { hexOf, type StakingLedger } from './staking.js';
import type {
  DomainConfig,
  DomainId,
  DomainRuntimeInfo,
  ExecutionReceipt,
  H256,
  MultiAccountId,
  OperatorAllowList,
  PermissionedActionAllowedBy,
  RuntimeType,
  Weight,
} from './types.js';
import type { DomainBalances } from './xdm.js';

export interface InstantiateDomainParams {
  domainName: string;
  runtimeId: number;
  /** `maybe_bundle_limit`: derived from the slot probability when absent. */
  bundleLimits?: { maxBundleSize: number; maxBundleWeight: Weight };
  bundleSlotProbability: [bigint, bigint];
  operatorAllowList: OperatorAllowList;
  initialBalances: [MultiAccountId, bigint][];
  domainRuntimeInfo: DomainRuntimeInfo;
}

export interface DomainObject {
  owner: string;
  createdAt: number;
  genesisReceiptHash: H256;
  genesisReceipt: ExecutionReceipt;
  domainConfig: DomainConfig;
  domainRuntimeInfo: DomainRuntimeInfo;
  domainInstantiationDeposit: bigint;
}

export class DomainRegistry {
  nextDomainId = 0;
  nextRuntimeId = 0;
  readonly runtimes = new Map<number, { runtimeName: string; runtimeType: RuntimeType }>();
  readonly domains = new Map<DomainId, DomainObject>();
  private readonly evmChainIds = new Set<bigint>();
  /** `PermissionedActionAllowedBy` for `instantiate_domain` (set by root). */
  permissioned: PermissionedActionAllowedBy = { type: 'Anyone' };

  constructor(
    private readonly ledger: StakingLedger,
    private readonly balances?: DomainBalances,
    private readonly limits: { maxDomainBlockSize: number; maxDomainBlockWeight: Weight } = {
      maxDomainBlockSize: MAX_DOMAIN_BLOCK_SIZE,
      maxDomainBlockWeight: MAX_DOMAIN_BLOCK_WEIGHT,
    },
  ) {}

  /** `register_domain_runtime` (root). */
  registerRuntime(runtimeName: string, runtimeType: RuntimeType): number {
    const id = this.nextRuntimeId++;
    this.runtimes.set(id, { runtimeName, runtimeType });
    return id;
  }

  /**
   * `instantiate_domain`: every check first (no state change on rejection), then the initial
   * issuance is burned from the owner, the genesis receipt recorded, the deposit held.
   */
  instantiateDomain(
    owner: string,
    p: InstantiateDomainParams,
    genesisStateRoot: H256,
    createdAt = 0,
  ): DomainId {
    if (this.permissioned.type === 'Accounts' && !this.permissioned.accounts.some((a) => hexOf(a) === owner))
      throw stakingRejected('OperatorNotAllowed', 'not allowed to instantiate domains');
    const [num, den] = p.bundleSlotProbability;
    if (num === 0n || den === 0n || num > den) throw stakingRejected('InvalidSlotProbability');
    const limits =
      p.bundleLimits ??
      calculateMaxBundleWeightAndSize(p.bundleSlotProbability, {
        maxDomainBlockSize: this.limits.maxDomainBlockSize,
        maxDomainBlockWeight: this.limits.maxDomainBlockWeight,
      });
    const name = new TextEncoder().encode(p.domainName);
    if (name.length > MAX_DOMAIN_NAME_LENGTH) throw stakingRejected('DomainNameTooLong');
    const runtime = this.runtimes.get(p.runtimeId);
    if (runtime === undefined) throw stakingRejected('RuntimeNotFound');
    if (limits.maxBundleSize > this.limits.maxDomainBlockSize)
      throw stakingRejected('ExceedMaxDomainBlockSize');
    const w = limits.maxBundleWeight;
    if (
      w.refTime > this.limits.maxDomainBlockWeight.refTime ||
      w.proofSize > this.limits.maxDomainBlockWeight.proofSize
    )
      throw stakingRejected('ExceedMaxDomainBlockWeight');
    if (this.ledger.balance(owner) < DOMAIN_INSTANTIATION_DEPOSIT) throw stakingRejected('InsufficientFund');
    const seen = new Set<string>();
    for (const [acc] of p.initialBalances) {
      const k = `${acc.type}:${hexOf(acc.id)}`;
      if (seen.has(k)) throw stakingRejected('DuplicateInitialAccounts');
      seen.add(k);
    }
    if (p.initialBalances.length > MAX_INITIAL_DOMAIN_ACCOUNTS)
      throw stakingRejected('MaxInitialDomainAccounts');
    if (p.initialBalances.some(([, v]) => v < MIN_INITIAL_DOMAIN_ACCOUNT_BALANCE))
      throw stakingRejected('MinInitialAccountBalance');
    if (runtime.runtimeType !== p.domainRuntimeInfo.type)
      throw stakingRejected('InvalidConfigForRuntimeType');
    if (p.domainRuntimeInfo.type === 'Evm' && this.evmChainIds.has(p.domainRuntimeInfo.chainId))
      throw stakingRejected('InvalidEVMChainId');
    const issuance = p.initialBalances.reduce((a, [, v]) => a + v, 0n);
    if (this.ledger.balance(owner) < issuance + DOMAIN_INSTANTIATION_DEPOSIT)
      throw stakingRejected('InsufficientFund');
    // all checks passed: apply
    const id = this.nextDomainId++;
    this.ledger.balances.set(owner, this.ledger.balance(owner) - issuance - DOMAIN_INSTANTIATION_DEPOSIT);
    this.balances?.initialize(id, issuance);
    if (p.domainRuntimeInfo.type === 'Evm') this.evmChainIds.add(p.domainRuntimeInfo.chainId);
    const receipt = genesisReceipt(genesisStateRoot);
    this.domains.set(id, {
      owner,
      createdAt,
      genesisReceiptHash: receiptHash(receipt),
      genesisReceipt: receipt,
      domainConfig: {
        domainName: name,
        runtimeId: p.runtimeId,
        maxBundleSize: limits.maxBundleSize,
        maxBundleWeight: limits.maxBundleWeight,
        bundleSlotProbability: p.bundleSlotProbability,
        operatorAllowList: p.operatorAllowList,
        initialBalances: p.initialBalances,
      },
      domainRuntimeInfo: p.domainRuntimeInfo,
      domainInstantiationDeposit: DOMAIN_INSTANTIATION_DEPOSIT,
    });
    this.ledger.addDomain(id, p.operatorAllowList);
    return id;
  }
}

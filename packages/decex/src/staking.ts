/**
 * `StakingLedger`: operators, nominators, epochs, share prices, withdrawals, storage funds,
 * rewards and slashing as a deterministic state machine (decex §3). Every call validates first and
 * mutates only when all checks pass, so a rejection (`DECEX_STAKING_REJECTED` with the pallet's
 * error name) leaves the ledger unchanged.
 *
 * Share math is Perquintill's: `price = floor(shares·10^18 / stake)`, `stake_to_shares = floor(price
 * · stake / 10^18)`, `shares_to_stake = floor(shares·10^18 / min(price + 1, 10^18))`.
 *
 * Deviations, on purpose: consensus account balances are a plain map (no holds/freezes or existential
 * deposit) unless a node routes them to its own accounts ({@link LedgerAccounts}); either way the
 * ledger keeps deposits and storage funds itself (`heldValue()`) instead of holds and storage-fund
 * accounts; slashing runs in full at once instead of 10 nominators per block; offline detection and
 * XDM chain rewards are not modelled.
 */
import {
  MAX_PENDING_STAKING_OPERATION,
  MIN_NOMINATOR_STAKE,
  MIN_OPERATOR_STAKE,
  PERQUINTILL,
  STAKE_WITHDRAWAL_LOCKING_PERIOD,
  STORAGE_FEE_RESERVE_PARTS,
  WITHDRAWAL_LIMIT,
} from './constants.js';
import { stakingRejected } from './errors.js';
import type {
  DomainId,
  OperatorAllowList,
  OperatorId,
  OperatorRecord,
  OperatorStatus,
  StakingSummary,
} from './types.js';

/** `Perquintill::from_rational(n, d)` parts, rounded down (d > 0, n <= d). */
export function perquintillFromRational(n: bigint, d: bigint): bigint {
  if (d === 0n) return 0n;
  const p = (n * PERQUINTILL) / d;
  // biome-ignore lint/complexity/useMathMinMax: bigints (Math.min/max take numbers)
  return p > PERQUINTILL ? PERQUINTILL : p;
}
/** `Perquintill(parts).mul_floor(x)`. */
export function perquintillMulFloor(parts: bigint, x: bigint): bigint {
  return (parts * x) / PERQUINTILL;
}

/** `SharePrice::new(total_shares, total_stake)`: errors ShareOverflow / ZeroSharePrice. */
export function sharePrice(totalShares: bigint, totalStake: bigint): bigint {
  if (totalShares > totalStake) throw stakingRejected('ShareOverflow');
  if (totalShares === 0n || totalStake === 0n) throw stakingRejected('ZeroSharePrice');
  return (totalShares * PERQUINTILL) / totalStake;
}
/** `stake_to_shares`: `floor(price · stake)`. */
export function stakeToShares(price: bigint, stake: bigint): bigint {
  return (price * stake) / PERQUINTILL;
}
/** `shares_to_stake`: `floor(shares / (price + 1 part))`, the addition saturating at 1. */
export function sharesToStake(price: bigint, shares: bigint): bigint {
  const p = price + 1n > PERQUINTILL ? PERQUINTILL : price + 1n;
  return (shares * PERQUINTILL) / p;
}

/** The storage-fund split of a deposit: `reserve = 20% mul_floor`, `stake = amount − reserve`. */
export function splitStorageFee(amount: bigint): { stake: bigint; storageFee: bigint } {
  const storageFee = perquintillMulFloor(STORAGE_FEE_RESERVE_PARTS, amount);
  return { stake: amount - storageFee, storageFee };
}

export interface OperatorConfig {
  signingKey: Uint8Array;
  minimumNominatorStake: bigint;
  /** Percent 0..100. */
  nominationTax: number;
}

interface PendingDeposit {
  effectiveEpoch: number;
  amount: bigint;
  storageFeeDeposit: bigint;
}
export interface NominatorDeposit {
  knownShares: bigint;
  knownStorageFeeDeposit: bigint;
  pending: PendingDeposit | undefined;
}
interface WithdrawalInBalance {
  unlockAt: number;
  amount: bigint;
  storageFeeRefund: bigint;
}
interface WithdrawalInShares {
  epoch: number;
  unlockAt: number;
  shares: bigint;
  storageFeeRefund: bigint;
}
export interface NominatorWithdrawal {
  withdrawals: WithdrawalInBalance[];
  inShares: WithdrawalInShares | undefined;
}

export interface LedgerOperator extends OperatorRecord {
  id: OperatorId;
  owner: string;
  /** Balance of the operator's storage fund account. */
  storageFund: bigint;
}

interface DomainStake {
  summary: StakingSummary;
  allowList: OperatorAllowList;
  pendingOps: number;
  /** `LastEpochStakingDistribution` of the block that changed epoch. */
  lastEpoch: { operators: Map<OperatorId, bigint>; totalStake: bigint } | undefined;
  pendingSlashes: Set<OperatorId>;
  headDomainNumber: number;
}

/**
 * Where consensus account balances live when they are not the ledger's own map: a node routes
 * real accounts (and the treasury) to its `System.Account`, so deposits, unlocks and slashes move
 * balance between the accounts and the ledger. Accounts it does not `own` stay in `balances`.
 */
export interface LedgerAccounts {
  owns(account: string): boolean;
  /** What the account can put into a deposit (the runtime keeps its existential deposit). */
  free(account: string): bigint;
  credit(account: string, amount: bigint): void;
  debit(account: string, amount: bigint): void;
}

export interface StakingLedgerOptions {
  withdrawalPeriod?: number;
  minOperatorStake?: bigint;
  minNominatorStake?: bigint;
}

/** The ledger's account key of the treasury (a node maps it to its treasury account). */
export const LEDGER_TREASURY = 'treasury';
const TREASURY = LEDGER_TREASURY;

/** A deterministic staking state for all domains of a consensus chain. */
export class StakingLedger {
  /** Free balances of consensus accounts (hex account id → Shannon); `treasury` is the treasury. */
  readonly balances = new Map<string, bigint>();
  readonly operators = new Map<OperatorId, LedgerOperator>();
  private readonly domains = new Map<DomainId, DomainStake>();
  private readonly deposits = new Map<string, NominatorDeposit>();
  private readonly withdrawals = new Map<string, NominatorWithdrawal>();
  /** `OperatorEpochSharePrice[(operator, (domain, epoch))]`. */
  readonly epochSharePrices = new Map<string, bigint>();
  /** Storage fees collected from bundles (paid to farmers on the consensus chain). */
  consensusStorageFees = 0n;
  private nextOperatorId = 0n;
  readonly withdrawalPeriod: number;
  readonly minOperatorStake: bigint;
  readonly minNominatorStake: bigint;
  /** External accounts (not cloned: rebind after `clone()`). */
  accounts: LedgerAccounts | undefined;

  constructor(opts: StakingLedgerOptions = {}) {
    this.withdrawalPeriod = opts.withdrawalPeriod ?? STAKE_WITHDRAWAL_LOCKING_PERIOD;
    this.minOperatorStake = opts.minOperatorStake ?? MIN_OPERATOR_STAKE;
    this.minNominatorStake = opts.minNominatorStake ?? MIN_NOMINATOR_STAKE;
    this.accounts = undefined;
  }

  /**
   * An independent deep copy (maps and records copied), so a consensus node can keep one ledger
   * per block and fork it: changes to the copy never reach this ledger.
   */
  clone(): StakingLedger {
    return cloneData(this, new Set(['accounts']));
  }

  // -- accounts -------------------------------------------------------------------------------

  balance(account: string): bigint {
    const ext = this.accounts;
    if (ext?.owns(account)) return ext.free(account);
    return this.balances.get(account) ?? 0n;
  }
  /** Credits an account (genesis, faucets, rewards, unlocks, the treasury's share of a slash). */
  mint(account: string, amount: bigint): void {
    const ext = this.accounts;
    if (ext?.owns(account)) ext.credit(account, amount);
    else this.balances.set(account, this.balance(account) + amount);
  }
  /** Takes a deposit from an account (checked by the caller). */
  private debit(account: string, amount: bigint): void {
    const ext = this.accounts;
    if (ext?.owns(account)) ext.debit(account, amount);
    else this.balances.set(account, this.balance(account) - amount);
  }
  get treasury(): bigint {
    return this.balance(TREASURY);
  }

  // -- domains --------------------------------------------------------------------------------

  /** Registers a domain's staking state (called when a domain is instantiated). */
  addDomain(domainId: DomainId, allowList: OperatorAllowList = { type: 'Anyone' }): void {
    if (this.domains.has(domainId)) return;
    this.domains.set(domainId, {
      summary: {
        currentEpochIndex: 0,
        currentTotalStake: 0n,
        currentOperators: new Map(),
        nextOperators: [],
        currentEpochRewards: new Map(),
      },
      allowList,
      pendingOps: 0,
      lastEpoch: undefined,
      pendingSlashes: new Set(),
      headDomainNumber: 0,
    });
  }
  private domain(domainId: DomainId): DomainStake {
    const d = this.domains.get(domainId);
    if (d === undefined) throw stakingRejected('DomainNotInitialized');
    return d;
  }
  /** `DomainStakingSummary[domain]` (a copy). */
  stakingSummary(domainId: DomainId): StakingSummary {
    const s = this.domain(domainId).summary;
    return {
      ...s,
      currentOperators: new Map(s.currentOperators),
      nextOperators: [...s.nextOperators],
      currentEpochRewards: new Map(s.currentEpochRewards),
    };
  }
  /** Sets `HeadDomainNumber` (unlock times are measured in it). */
  setHeadDomainNumber(domainId: DomainId, n: number): void {
    this.domain(domainId).headDomainNumber = n;
  }
  headDomainNumber(domainId: DomainId): number {
    return this.domain(domainId).headDomainNumber;
  }

  /**
   * `fetch_operator_stake_info`: `(operator_stake, total_domain_stake)` for the election; uses
   * `LastEpochStakingDistribution` in the block that changed epoch.
   */
  operatorStakeInfo(domainId: DomainId, op: OperatorId): { stake: bigint; total: bigint } | undefined {
    const d = this.domains.get(domainId);
    if (d === undefined) return undefined;
    const last = d.lastEpoch;
    if (last?.operators.has(op)) return { stake: last.operators.get(op)!, total: last.totalStake };
    const stake = d.summary.currentOperators.get(op);
    return stake === undefined ? undefined : { stake, total: d.summary.currentTotalStake };
  }
  /** Clears `LastEpochStakingDistribution` (the pallet's `on_finalize`). */
  onFinalize(domainId: DomainId): void {
    const d = this.domains.get(domainId);
    if (d !== undefined) {
      d.lastEpoch = undefined;
      d.pendingOps = 0;
    }
  }

  /** The effective status: Slashed wins, then PendingSlash, else the stored status. */
  operatorStatus(op: OperatorId): OperatorStatus | undefined {
    const o = this.operators.get(op);
    if (o === undefined) return undefined;
    if (o.partialStatus.type === 'Slashed') return o.partialStatus;
    if (this.domains.get(o.currentDomainId)?.pendingSlashes.has(op)) return { type: 'PendingSlash' };
    return o.partialStatus;
  }
  /** Whether the operator may submit bundles (decex §3). */
  canSubmitBundle(op: OperatorId): boolean {
    const s = this.operatorStatus(op);
    return s !== undefined && (s.type === 'Registered' || s.type === 'Deregistered');
  }

  private notePendingOp(d: DomainStake): void {
    if (d.pendingOps >= MAX_PENDING_STAKING_OPERATION)
      throw stakingRejected('TooManyPendingStakingOperation');
  }

  // -- operator registration ------------------------------------------------------------------

  /**
   * `register_operator`: checks in the pallet's order, then 20% of `amount` to the new operator's
   * storage fund and 80% staked 1:1; the operator joins the election next epoch.
   */
  registerOperator(owner: string, domainId: DomainId, amount: bigint, config: OperatorConfig): OperatorId {
    const d = this.domains.get(domainId);
    if (d !== undefined) this.notePendingOp(d);
    if (config.signingKey.length !== 32 || config.signingKey.every((b) => b === 0))
      throw stakingRejected('InvalidOperatorSigningKey');
    if (config.minimumNominatorStake < this.minNominatorStake) throw stakingRejected('MinimumNominatorStake');
    if (d === undefined) throw stakingRejected('DomainNotInitialized');
    if (d.allowList.type === 'Operators' && !d.allowList.accounts.some((a) => hexOf(a) === owner))
      throw stakingRejected('OperatorNotAllowed');
    if (amount < this.minOperatorStake) throw stakingRejected('MinimumOperatorStake');
    if (this.balance(owner) < amount) throw stakingRejected('InsufficientBalance');
    if (config.nominationTax < 0 || config.nominationTax > 100 || !Number.isInteger(config.nominationTax))
      throw stakingRejected('InvalidOperatorSigningKey', 'nomination tax must be a percent');
    const id = this.nextOperatorId++;
    const { stake, storageFee } = splitStorageFee(amount);
    this.debit(owner, amount);
    this.operators.set(id, {
      id,
      owner,
      signingKey: config.signingKey.slice(),
      currentDomainId: domainId,
      nextDomainId: domainId,
      minimumNominatorStake: config.minimumNominatorStake,
      nominationTax: config.nominationTax,
      currentTotalStake: stake,
      currentTotalShares: stake,
      partialStatus: { type: 'Registered' },
      depositsInEpoch: 0n,
      withdrawalsInEpoch: 0n,
      totalStorageFeeDeposit: storageFee,
      storageFund: storageFee,
    });
    this.deposits.set(key(id, owner), {
      knownShares: stake,
      knownStorageFeeDeposit: storageFee,
      pending: undefined,
    });
    d.summary.nextOperators = [...d.summary.nextOperators, id].sort(cmpBig);
    d.pendingOps++;
    return id;
  }

  private operator(op: OperatorId): LedgerOperator {
    const o = this.operators.get(op);
    if (o === undefined) throw stakingRejected('UnknownOperator');
    return o;
  }

  /** Converts a nominator's pending deposit of a finished epoch into known shares. */
  private convertPendingDeposit(o: LedgerOperator, dep: NominatorDeposit): void {
    const p = dep.pending;
    if (p === undefined) return;
    const price = this.epochSharePrices.get(priceKey(o.id, o.currentDomainId, p.effectiveEpoch));
    if (price === undefined) return; // epoch not finished yet
    dep.knownShares += stakeToShares(price, p.amount);
    dep.knownStorageFeeDeposit += p.storageFeeDeposit;
    dep.pending = undefined;
  }

  /** Converts a withdrawal in shares of a finished epoch into a withdrawal in balance. */
  private convertWithdrawal(o: LedgerOperator, w: NominatorWithdrawal): void {
    const s = w.inShares;
    if (s === undefined) return;
    const price = this.epochSharePrices.get(priceKey(o.id, o.currentDomainId, s.epoch));
    if (price === undefined) return;
    w.withdrawals.push({
      unlockAt: s.unlockAt,
      amount: sharesToStake(price, s.shares),
      storageFeeRefund: s.storageFeeRefund,
    });
    w.inShares = undefined;
  }

  /** A nominator's position (after lazy conversions; a snapshot). */
  position(
    op: OperatorId,
    nominator: string,
  ): { deposit: NominatorDeposit | undefined; withdrawal: NominatorWithdrawal | undefined } {
    const o = this.operators.get(op);
    const dep = this.deposits.get(key(op, nominator));
    const w = this.withdrawals.get(key(op, nominator));
    if (o !== undefined && dep !== undefined) this.convertPendingDeposit(o, dep);
    if (o !== undefined && w !== undefined) this.convertWithdrawal(o, w);
    return {
      deposit: dep === undefined ? undefined : { ...dep, pending: dep.pending && { ...dep.pending } },
      withdrawal:
        w === undefined
          ? undefined
          : { withdrawals: w.withdrawals.map((x) => ({ ...x })), inShares: w.inShares && { ...w.inShares } },
    };
  }

  /** `nominate_operator`: 20% to the storage fund, 80% a pending deposit effective at this epoch's end. */
  nominateOperator(
    nominator: string,
    op: OperatorId,
    amount: bigint,
    opts: { skipBalanceCheck?: boolean } = {},
  ): void {
    const o = this.operator(op);
    const d = this.domain(o.currentDomainId);
    this.notePendingOp(d);
    if (amount === 0n) throw stakingRejected('ZeroDeposit');
    if (o.partialStatus.type !== 'Registered' || d.pendingSlashes.has(op))
      throw stakingRejected('OperatorNotRegistered');
    if (!opts.skipBalanceCheck && this.balance(nominator) < amount)
      throw stakingRejected('InsufficientBalance');
    const { stake, storageFee } = splitStorageFee(amount);
    const k = key(op, nominator);
    const existing = this.deposits.get(k);
    const dep: NominatorDeposit = existing
      ? { ...existing, pending: existing.pending && { ...existing.pending } }
      : { knownShares: 0n, knownStorageFeeDeposit: 0n, pending: undefined };
    this.convertPendingDeposit(o, dep);
    const epoch = d.summary.currentEpochIndex;
    const pending = dep.pending ?? { effectiveEpoch: epoch, amount: 0n, storageFeeDeposit: 0n };
    pending.amount += stake;
    pending.storageFeeDeposit += storageFee;
    // The whole position must reach the operator's minimum (the owner is exempt).
    if (nominator !== o.owner) {
      const price = safePrice(o);
      const total =
        sharesToStake(price, dep.knownShares) +
        dep.knownStorageFeeDeposit +
        pending.amount +
        pending.storageFeeDeposit;
      if (total < o.minimumNominatorStake) throw stakingRejected('MinimumNominatorStake');
    }
    if (!opts.skipBalanceCheck) this.debit(nominator, amount);
    dep.pending = pending;
    this.deposits.set(k, dep);
    o.depositsInEpoch += stake;
    o.totalStorageFeeDeposit += storageFee;
    o.storageFund += storageFee;
    d.pendingOps++;
  }

  /**
   * `withdraw_stake(operator, shares)`: converts earlier pending items first, withdraws everything
   * when a nominator would fall below the operator's minimum, unlocks at `HeadDomainNumber +
   * StakeWithdrawalLockingPeriod` at the epoch's share price.
   */
  withdrawStake(nominator: string, op: OperatorId, shares: bigint): void {
    if (shares === 0n) throw stakingRejected('ZeroWithdraw');
    const o = this.operator(op);
    const d = this.domain(o.currentDomainId);
    this.notePendingOp(d);
    if (o.partialStatus.type !== 'Registered' || d.pendingSlashes.has(op))
      throw stakingRejected('OperatorNotRegisterdOrDeactivated');
    const k = key(op, nominator);
    const stored = this.deposits.get(k);
    if (stored === undefined) throw stakingRejected('UnknownNominator');
    const dep: NominatorDeposit = { ...stored, pending: stored.pending && { ...stored.pending } };
    this.convertPendingDeposit(o, dep);
    const storedW = this.withdrawals.get(k);
    const w: NominatorWithdrawal = storedW
      ? {
          withdrawals: storedW.withdrawals.map((x) => ({ ...x })),
          inShares: storedW.inShares && { ...storedW.inShares },
        }
      : { withdrawals: [], inShares: undefined };
    this.convertWithdrawal(o, w);
    if (w.withdrawals.length + (w.inShares ? 1 : 0) >= WITHDRAWAL_LIMIT)
      throw stakingRejected('TooManyWithdrawals');
    if (shares > dep.knownShares) throw stakingRejected('InsufficientShares');
    const price = safePrice(o);
    let toWithdraw = shares;
    const remainingShares = dep.knownShares - shares;
    const remainingStake =
      sharesToStake(price, remainingShares) +
      perquintillMulFloor(
        perquintillFromRational(remainingShares, dep.knownShares),
        dep.knownStorageFeeDeposit,
      );
    if (nominator === o.owner) {
      if (remainingStake < this.minOperatorStake || remainingShares === 0n)
        throw stakingRejected('MinimumOperatorStake');
    } else if (remainingStake < o.minimumNominatorStake) toWithdraw = dep.knownShares;
    const refundDeposit = perquintillMulFloor(
      perquintillFromRational(toWithdraw, dep.knownShares),
      dep.knownStorageFeeDeposit,
    );
    // The storage fund is redeemed pro rata to the deposit (the fund may have paid bundle fees).
    const refund = perquintillMulFloor(
      perquintillFromRational(refundDeposit, o.totalStorageFeeDeposit),
      o.storageFund,
    );
    const epoch = d.summary.currentEpochIndex;
    const unlockAt = d.headDomainNumber + this.withdrawalPeriod;
    if (w.inShares !== undefined) {
      w.inShares.shares += toWithdraw;
      w.inShares.storageFeeRefund += refund;
      w.inShares.unlockAt = unlockAt;
    } else w.inShares = { epoch, unlockAt, shares: toWithdraw, storageFeeRefund: refund };
    dep.knownShares -= toWithdraw;
    dep.knownStorageFeeDeposit -= refundDeposit;
    o.withdrawalsInEpoch += toWithdraw;
    o.totalStorageFeeDeposit -= refundDeposit;
    o.storageFund -= refund;
    this.deposits.set(k, dep);
    this.withdrawals.set(k, w);
    d.pendingOps++;
  }

  /** `unlock_funds`: releases withdrawals with `unlock_at <= HeadDomainNumber`, front to back. Returns the amount. */
  unlockFunds(nominator: string, op: OperatorId): bigint {
    const o = this.operator(op);
    const k = key(op, nominator);
    const w = this.withdrawals.get(k);
    if (w === undefined) throw stakingRejected('MissingWithdrawal');
    this.convertWithdrawal(o, w);
    const head = this.domain(o.currentDomainId).headDomainNumber;
    let released = 0n;
    while (w.withdrawals.length > 0 && w.withdrawals[0]!.unlockAt <= head) {
      const x = w.withdrawals.shift()!;
      released += x.amount + x.storageFeeRefund;
    }
    if (released === 0n) throw stakingRejected('UnlockPeriodNotComplete');
    this.mint(nominator, released);
    if (w.withdrawals.length === 0 && w.inShares === undefined) this.withdrawals.delete(k);
    return released;
  }

  /** `deregister_operator` (owner only). */
  deregisterOperator(owner: string, op: OperatorId): void {
    const o = this.operator(op);
    if (o.owner !== owner) throw stakingRejected('NotOperatorOwner');
    const d = this.domain(o.currentDomainId);
    if (o.partialStatus.type !== 'Registered' || d.pendingSlashes.has(op))
      throw stakingRejected('OperatorNotRegistered');
    o.partialStatus = {
      type: 'Deregistered',
      domainEpoch: [o.currentDomainId, d.summary.currentEpochIndex],
      unlockAtConfirmedDomainBlockNumber: d.headDomainNumber + this.withdrawalPeriod,
    };
    d.summary.nextOperators = d.summary.nextOperators.filter((x) => x !== op);
  }

  /**
   * `unlock_nominator` after deregistration: the nominator's shares at the current share price,
   * pending deposit, pending withdrawals and storage-fund share, once the unlock height is reached.
   */
  unlockNominator(nominator: string, op: OperatorId): bigint {
    const o = this.operator(op);
    const st = o.partialStatus;
    if (st.type !== 'Deregistered') throw stakingRejected('OperatorNotDeregistered');
    if (this.domain(o.currentDomainId).headDomainNumber < st.unlockAtConfirmedDomainBlockNumber)
      throw stakingRejected('UnlockPeriodNotComplete');
    const k = key(op, nominator);
    const dep = this.deposits.get(k);
    const w = this.withdrawals.get(k);
    if (dep === undefined && w === undefined) throw stakingRejected('UnknownNominator');
    let total = 0n;
    if (dep !== undefined) {
      this.convertPendingDeposit(o, dep);
      const price = safePrice(o);
      const stake = sharesToStake(price, dep.knownShares);
      total += stake + (dep.pending?.amount ?? 0n);
      o.currentTotalStake -= stake;
      o.currentTotalShares -= dep.knownShares;
      const fee = dep.knownStorageFeeDeposit + (dep.pending?.storageFeeDeposit ?? 0n);
      const refund = perquintillMulFloor(
        perquintillFromRational(fee, o.totalStorageFeeDeposit),
        o.storageFund,
      );
      o.totalStorageFeeDeposit -= fee;
      o.storageFund -= refund;
      total += refund;
      this.deposits.delete(k);
    }
    if (w !== undefined) {
      this.convertWithdrawal(o, w);
      for (const x of w.withdrawals) total += x.amount + x.storageFeeRefund;
      if (w.inShares !== undefined)
        total += sharesToStake(safePrice(o), w.inShares.shares) + w.inShares.storageFeeRefund;
      this.withdrawals.delete(k);
    }
    this.mint(nominator, total);
    return total;
  }

  // -- fees, rewards, epochs, slashing --------------------------------------------------------

  /** `charge_bundle_storage_fee`: from the operator's storage fund to the consensus storage fees. */
  canPayStorageFee(op: OperatorId, fee: bigint): boolean {
    const o = this.operators.get(op);
    return o !== undefined && o.storageFund >= fee;
  }
  chargeStorageFee(op: OperatorId, fee: bigint): void {
    const o = this.operator(op);
    if (o.storageFund < fee) throw stakingRejected('InsufficientBalance', 'UnableToPayBundleStorageFee');
    o.storageFund -= fee;
    this.consensusStorageFees += fee;
  }

  /**
   * Rewards of a confirmed ER: `domain_execution_fee` split by weight among `operatorIds`
   * (duplicates count), `floor(weight/total · fee)` each, remainder to the treasury (decex §3).
   */
  distributeExecutionFee(domainId: DomainId, operatorIds: readonly OperatorId[], fee: bigint): void {
    const d = this.domain(domainId);
    const weights = new Map<OperatorId, bigint>();
    for (const id of operatorIds) weights.set(id, (weights.get(id) ?? 0n) + 1n);
    const total = BigInt(operatorIds.length);
    let paid = 0n;
    for (const [id, w] of [...weights.entries()].sort((a, b) => cmpBig(a[0], b[0]))) {
      const share = perquintillMulFloor(perquintillFromRational(w, total), fee);
      d.summary.currentEpochRewards.set(id, (d.summary.currentEpochRewards.get(id) ?? 0n) + share);
      paid += share;
    }
    this.mint(TREASURY, fee - paid);
  }

  /** `refund_storage_fee`: the confirmed ER's `consensus_storage_fee` to the storage funds of valid bundle authors, pro rata to bundle size. */
  refundStorageFees(paidSizes: ReadonlyMap<OperatorId, number>, consensusStorageFee: bigint): void {
    let total = 0n;
    for (const s of paidSizes.values()) total += BigInt(s);
    let paid = 0n;
    if (total > 0n) {
      for (const [id, size] of [...paidSizes.entries()].sort((a, b) => cmpBig(a[0], b[0]))) {
        const o = this.operators.get(id);
        if (o === undefined) continue;
        const share = perquintillMulFloor(perquintillFromRational(BigInt(size), total), consensusStorageFee);
        o.storageFund += share;
        paid += share;
      }
    }
    this.mint(TREASURY, consensusStorageFee - paid);
  }

  /**
   * The epoch transition of a domain (decex §3): rewards with nomination tax, then every operator
   * in `next_operators` finalised (withdrawals, then deposits, at the epoch's share price), then
   * the epoch index advances. The pre-transition stakes stay available for this block's election.
   */
  transitionEpoch(domainId: DomainId): void {
    const d = this.domain(domainId);
    const s = d.summary;
    d.lastEpoch = { operators: new Map(s.currentOperators), totalStake: s.currentTotalStake };
    for (const [id, reward] of [...s.currentEpochRewards.entries()].sort((a, b) => cmpBig(a[0], b[0]))) {
      const o = this.operators.get(id);
      const st = this.operatorStatus(id);
      if (o === undefined || st === undefined || st.type === 'Slashed' || st.type === 'PendingSlash') {
        this.mint(TREASURY, reward);
        continue;
      }
      const tax = (reward * BigInt(o.nominationTax)) / 100n;
      o.currentTotalStake += reward - tax;
      if (tax > 0n) {
        // minted to the owner and deposited as the owner's nomination
        this.nominateOperator(o.owner, id, tax, { skipBalanceCheck: true });
        d.pendingOps--;
      }
    }
    s.currentEpochRewards = new Map();
    const epoch = s.currentEpochIndex;
    const current = new Map<OperatorId, bigint>();
    let total = 0n;
    for (const id of s.nextOperators) {
      const o = this.operators.get(id);
      if (o === undefined) continue;
      const price = sharePrice(o.currentTotalShares, o.currentTotalStake);
      let stake = o.currentTotalStake;
      let shares = o.currentTotalShares;
      if (o.withdrawalsInEpoch > 0n) {
        stake -= sharesToStake(price, o.withdrawalsInEpoch);
        shares -= o.withdrawalsInEpoch;
      }
      if (o.depositsInEpoch > 0n) {
        shares += stakeToShares(price, o.depositsInEpoch);
        stake += o.depositsInEpoch;
      }
      o.currentTotalStake = stake;
      o.currentTotalShares = shares;
      o.depositsInEpoch = 0n;
      o.withdrawalsInEpoch = 0n;
      this.epochSharePrices.set(priceKey(id, domainId, epoch), price);
      current.set(id, stake);
      total += stake;
    }
    s.currentOperators = current;
    s.currentTotalStake = total;
    s.currentEpochIndex = epoch + 1;
  }

  /**
   * Slashes operators of a pruned bad ER (`BadExecutionReceipt`): status Slashed, removed from the
   * election at once, and all stake of the operator and its nominators (including pending deposits
   * and withdrawals) plus its storage fund and unclaimed rewards go to the treasury.
   */
  slashOperators(domainId: DomainId, ops: Iterable<OperatorId>): void {
    const d = this.domain(domainId);
    for (const id of new Set(ops)) {
      const o = this.operators.get(id);
      if (o === undefined || o.partialStatus.type === 'Slashed') continue;
      o.partialStatus = { type: 'Slashed' };
      d.pendingSlashes.delete(id);
      if (d.summary.currentOperators.has(id)) {
        d.summary.currentTotalStake -= d.summary.currentOperators.get(id)!;
        d.summary.currentOperators.delete(id);
      }
      d.summary.nextOperators = d.summary.nextOperators.filter((x) => x !== id);
      let seized =
        o.currentTotalStake +
        o.depositsInEpoch +
        o.storageFund +
        (d.summary.currentEpochRewards.get(id) ?? 0n);
      d.summary.currentEpochRewards.delete(id);
      for (const [k, w] of this.withdrawals) {
        if (!k.startsWith(`${id}:`)) continue;
        for (const x of w.withdrawals) seized += x.amount + x.storageFeeRefund;
        if (w.inShares) seized += w.inShares.storageFeeRefund + this.inSharesStake(k, w.inShares);
        this.withdrawals.delete(k);
      }
      for (const k of [...this.deposits.keys()]) if (k.startsWith(`${id}:`)) this.deposits.delete(k);
      // withdrawals in shares were already removed from the stake accounting at the epoch boundary
      o.currentTotalStake = 0n;
      o.currentTotalShares = 0n;
      o.depositsInEpoch = 0n;
      o.withdrawalsInEpoch = 0n;
      o.storageFund = 0n;
      o.totalStorageFeeDeposit = 0n;
      this.mint(TREASURY, seized);
    }
  }

  /** Marks an invalid-bundle author (`OperatorStatus::InvalidBundle(er_hash)`), removed from the election. */
  markInvalidBundleAuthor(op: OperatorId, receiptHash: Uint8Array): void {
    const o = this.operators.get(op);
    if (o === undefined || o.partialStatus.type !== 'Registered') return;
    o.partialStatus = { type: 'InvalidBundle', receiptHash: receiptHash.slice() };
  }
  /** Reverts the InvalidBundle marks made by a pruned ER. */
  unmarkInvalidBundleAuthors(receiptHash: Uint8Array): void {
    const h = hexOf(receiptHash);
    for (const o of this.operators.values())
      if (o.partialStatus.type === 'InvalidBundle' && hexOf(o.partialStatus.receiptHash) === h)
        o.partialStatus = { type: 'Registered' };
  }

  /** Total value held by the ledger (balances + stakes + funds + pending): conserved by every call except `mint`. */
  totalValue(): bigint {
    let t = 0n;
    for (const v of this.balances.values()) t += v;
    for (const o of this.operators.values()) t += o.currentTotalStake + o.depositsInEpoch + o.storageFund;
    for (const w of this.withdrawals.values()) for (const x of w.withdrawals) t += x.amount;
    return t + this.consensusStorageFees;
  }

  /**
   * Value the ledger itself holds (everything but `balances` and external accounts): stakes,
   * pending deposits, storage funds, unpaid epoch rewards, withdrawals not yet unlocked (in balance
   * and in shares whose epoch ended) with their storage-fee refunds, and collected storage fees.
   */
  heldValue(): bigint {
    let t = this.consensusStorageFees;
    for (const o of this.operators.values()) t += o.currentTotalStake + o.depositsInEpoch + o.storageFund;
    for (const d of this.domains.values()) for (const r of d.summary.currentEpochRewards.values()) t += r;
    for (const [k, w] of this.withdrawals) {
      for (const x of w.withdrawals) t += x.amount + x.storageFeeRefund;
      if (w.inShares !== undefined) t += w.inShares.storageFeeRefund + this.inSharesStake(k, w.inShares);
    }
    return t;
  }

  /** The stake of a withdrawal in shares once its epoch ended (before that it is still in the operator's stake). */
  private inSharesStake(k: string, s: WithdrawalInShares): bigint {
    const o = this.operators.get(BigInt(k.slice(0, k.indexOf(':'))));
    if (o === undefined) return 0n;
    const price = this.epochSharePrices.get(priceKey(o.id, o.currentDomainId, s.epoch));
    return price === undefined ? 0n : sharesToStake(price, s.shares);
  }
}

function safePrice(o: LedgerOperator): bigint {
  return o.currentTotalShares === 0n || o.currentTotalStake === 0n
    ? PERQUINTILL
    : sharePrice(o.currentTotalShares, o.currentTotalStake);
}
function key(op: OperatorId, nominator: string): string {
  return `${op}:${nominator}`;
}
function priceKey(op: OperatorId, domain: DomainId, epoch: number): string {
  return `${op}:${domain}:${epoch}`;
}
function cmpBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
/** Lower-case hex of an account id (the ledger's account key). */
export function hexOf(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i]!.toString(16).padStart(2, '0');
  return s;
}

/** A copy of a class instance whose own fields are structured-clonable data (maps, records, bytes). */
export function cloneData<T extends object>(x: T, keep: ReadonlySet<string> = new Set()): T {
  const out = Object.create(Object.getPrototypeOf(x)) as Record<string, unknown>;
  for (const [k, v] of Object.entries(x)) out[k] = keep.has(k) ? v : structuredClone(v);
  return out as T;
}

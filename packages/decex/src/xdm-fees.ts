/**
 * XDM fees and where they go (decex §3, §8). The sender of an endpoint request pays, up front,
 * the execution fee of the request on the destination and of the response on the source, each
 * `XdmFeeMultipler` times the weight fee. The source keeps its part on hold until the response
 * arrives and then rewards its operators (`on_xdm_rewards`); the destination part travels with the
 * message (`collected_fee`), is held there and rewarded once the source confirms it received the
 * response. A channel's reserve portion kept on the close of a never-opened channel is a chain
 * protocol fee for the peer chain (`on_chain_protocol_fees`). On a domain those rewards become
 * `BlockFees.domain_execution_fee` / `BlockFees.chain_rewards`; on the consensus chain the XDM
 * rewards go to the block author and the protocol fees to the peer domain's operators
 * (`DomainChainRewards`, split equally among the epoch's rewarded operators at the transition).
 */
import {
  CHANNEL_INIT_RESERVE_PORTION_PERBILL,
  FIXED_U128_ONE,
  PERBILL,
  TRANSACTION_WEIGHT_FEE,
  XDM_FEE_MULTIPLIER,
} from './constants.js';
import { invalidArgument } from './errors.js';
import type { StakingLedger } from './staking.js';
import type { BlockFees, ChainId, DomainId } from './types.js';

/** The inputs of the XDM weight-to-fee conversion of one chain. */
export interface XdmFeeModel {
  /** `TransactionWeightFee`: Shannon per unit of ref_time. */
  transactionWeightFee: bigint;
  /** `NextFeeMultiplier` of transaction payment, a `FixedU128` inner value (`FIXED_U128_ONE` = 1.0). */
  feeMultiplier: bigint;
  /** `XdmFeeMultipler`. */
  xdmFeeMultiplier: bigint;
}

/** The consensus runtime's constants with the fee multiplier at 1.0. */
export const DEFAULT_XDM_FEE_MODEL: Readonly<XdmFeeModel> = Object.freeze({
  transactionWeightFee: TRANSACTION_WEIGHT_FEE,
  feeMultiplier: FIXED_U128_ONE,
  xdmFeeMultiplier: XDM_FEE_MULTIPLIER,
});

/** `CollectedFee { src_chain_fee, dst_chain_fee }`. */
export interface CollectedFee {
  srcChainFee: bigint;
  dstChainFee: bigint;
}

/** The benchmarked weights (ref_time) of an endpoint's request and response handlers. */
export interface EndpointWeights {
  message: bigint;
  response: bigint;
}

/**
 * `XdmAdjustedWeightToFee` times the XDM multiplier: `floor(multiplier · refTime · weightFee) · xdm`
 * (`ConstantMultiplier` weight fee, then `FixedU128::saturating_mul_int`, rounded down).
 */
export function xdmWeightToFee(refTime: bigint, model: XdmFeeModel = DEFAULT_XDM_FEE_MODEL): bigint {
  if (
    refTime < 0n ||
    model.transactionWeightFee < 0n ||
    model.feeMultiplier < 0n ||
    model.xdmFeeMultiplier < 0n
  )
    throw invalidArgument('XdmFeeModel', 'negative weight or fee parameter');
  const unadjusted = refTime * model.transactionWeightFee;
  return ((model.feeMultiplier * unadjusted) / FIXED_U128_ONE) * model.xdmFeeMultiplier;
}

/** `collect_fees_for_message_v1`: what the sender of a request to an endpoint with `weights` pays. */
export function xdmCollectedFee(
  weights: EndpointWeights,
  model: XdmFeeModel = DEFAULT_XDM_FEE_MODEL,
): CollectedFee {
  return {
    dstChainFee: xdmWeightToFee(weights.message, model),
    srcChainFee: xdmWeightToFee(weights.response, model),
  };
}

/** `Perbill(parts) * amount` (Substrate rounds to the nearest, ties down). */
export function perbillMul(parts: bigint, amount: bigint): bigint {
  const p = parts * amount;
  const q = p / PERBILL;
  return (p % PERBILL) * 2n > PERBILL ? q + 1n : q;
}

/** The part of a channel reserve kept as protocol fee when a channel closes without having opened. */
export function channelInitReservePortion(reserve: bigint): bigint {
  return perbillMul(CHANNEL_INIT_RESERVE_PORTION_PERBILL, reserve);
}

/** What a messenger has rewarded and not yet handed out (drained with `Messenger.takeRewards`). */
export interface XdmRewards {
  /** `on_xdm_rewards`: executed inbox requests and outbox responses. */
  operatorRewards: bigint;
  /** `on_chain_protocol_fees(chain, fee)`: reserve portions kept, by peer chain. */
  chainProtocolFees: Map<ChainId, bigint>;
}

/**
 * A domain runtime's `OnXDMRewards`: XDM rewards are noted as `domain_execution_fee`, protocol
 * fees as `chain_rewards` (returns a new `BlockFees`).
 */
export function noteXdmRewardsInBlockFees(fees: BlockFees, r: XdmRewards): BlockFees {
  const chainRewards = new Map(fees.chainRewards);
  for (const [c, v] of r.chainProtocolFees) chainRewards.set(c, (chainRewards.get(c) ?? 0n) + v);
  return { ...fees, domainExecutionFee: fees.domainExecutionFee + r.operatorRewards, chainRewards };
}

/**
 * `Domains::DomainChainRewards`: XDM protocol fees owed to a domain's operators, paid at the
 * domain's next epoch transition.
 */
export class DomainChainRewards {
  readonly rewards = new Map<DomainId, bigint>();

  /** `reward_domain_operators(domain, rewards)`. */
  note(domainId: DomainId, amount: bigint): void {
    if (amount < 0n) throw invalidArgument('amount', 'negative reward');
    this.rewards.set(domainId, (this.rewards.get(domainId) ?? 0n) + amount);
  }
  get(domainId: DomainId): bigint {
    return this.rewards.get(domainId) ?? 0n;
  }
  /** An independent copy (kept per block next to a cloned `StakingLedger`). */
  clone(): DomainChainRewards {
    const out = new DomainChainRewards();
    for (const [d, v] of this.rewards) out.rewards.set(d, v);
    return out;
  }
  total(): bigint {
    let s = 0n;
    for (const v of this.rewards.values()) s += v;
    return s;
  }
  /**
   * Step (1) of the epoch transition: splits the domain's chain rewards equally among the operators
   * that earned rewards this epoch (`Perquintill::from_rational(1, n).mul_floor(rewards)` each,
   * added to their epoch rewards so nomination tax applies), the remainder (or everything when no
   * operator earned rewards) to the treasury. Call it just before `ledger.transitionEpoch(domainId)`.
   */
  distribute(ledger: StakingLedger, domainId: DomainId): bigint {
    const amount = this.get(domainId);
    this.rewards.delete(domainId);
    if (amount === 0n) return 0n;
    const active = [...ledger.stakingSummary(domainId).currentEpochRewards.keys()];
    ledger.distributeExecutionFee(domainId, active, amount);
    return amount;
  }
}

/**
 * The consensus chain's `OnXDMRewards` for its own messenger: XDM rewards to the block author,
 * protocol fees of channels to domain `d` owed to `d`'s operators.
 */
export function payConsensusXdmRewards(
  ledger: StakingLedger,
  blockAuthor: string,
  r: XdmRewards,
  chainRewards: DomainChainRewards,
): void {
  if (r.operatorRewards > 0n) ledger.mint(blockAuthor, r.operatorRewards);
  for (const [c, v] of r.chainProtocolFees) {
    if (c === 'consensus') throw invalidArgument('chainProtocolFees', 'the consensus chain owes itself');
    chainRewards.note(c, v);
  }
}

/**
 * `on_chain_rewards` for a confirmed receipt's `block_fees.chain_rewards`: the consensus share to
 * the current block author, a domain's share to that domain's operators.
 */
export function payConfirmedChainRewards(
  ledger: StakingLedger,
  blockAuthor: string,
  rewards: ReadonlyMap<ChainId, bigint>,
  chainRewards: DomainChainRewards,
): void {
  for (const [c, v] of rewards) {
    if (c === 'consensus') ledger.mint(blockAuthor, v);
    else chainRewards.note(c, v);
  }
}

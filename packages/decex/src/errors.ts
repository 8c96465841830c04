/**
 * The error class of @autonomys/decex. `err.code` is stable API; `err.type` holds the data to act
 * on. Rejections by a state machine (bundle, receipt, fraud proof, staking, XDM) carry the spec's
 * reason name (`BundleError::*`, `BlockTreeError::*`, ...) in `reason`, and leave the state unchanged.
 *
 * @example
 * try { tree.submitReceipt(er); } catch (e) {
 *   if (e instanceof DecexError && e.type.code === 'DECEX_RECEIPT_REJECTED') console.log(e.type.reason);
 * }
 */
import { AutonomysError } from '@autonomys/primitives';

/** `BundleError` names of pallet-domains (decex §4). */
export type BundleRejection =
  | 'UnexpectedReceiptGap'
  | 'ExpectingReceiptGap'
  | 'UnableToPayBundleStorageFee'
  | 'InvalidDomainId'
  | 'BundleTooLarge'
  | 'BundleTooHeavy'
  | 'InvalidExtrinsicRoot'
  | 'DomainFrozen'
  | 'InvalidOperatorId'
  | 'BadOperator'
  | 'BadBundleSignature'
  | 'SlotSmallerThanPreviousBlockBundle'
  | 'EquivocatedBundle'
  | 'SlotInTheFuture'
  | 'SlotInThePast'
  | 'InvalidProofOfTime'
  | 'BadVrfProof'
  | 'InvalidThreshold'
  | 'ThresholdUnsatisfied';

/** `BlockTreeError` names (decex §6). */
export type ReceiptRejection =
  | 'InFutureReceipt'
  | 'PrunedReceipt'
  | 'StaleReceipt'
  | 'NewBranchReceipt'
  | 'UnmatchedNewHeadReceipt'
  | 'BadGenesisReceipt'
  | 'InvalidExecutionTrace'
  | 'RuntimeNotFound'
  | 'UnavailableConsensusBlockHash'
  | 'BuiltOnUnknownConsensusBlock'
  | 'InvalidExtrinsicsRoots'
  | 'InvalidTraceRoot'
  | 'InvalidStateRoot'
  | 'UnknownParentBlockReceipt';

/** `FraudProofError` names (decex §7). */
export type FraudProofRejection =
  | 'BadReceiptNotFound'
  | 'ChallengingGenesisReceipt'
  | 'BadReceiptAlreadyReported'
  | 'UnexpectedDomainRuntimeCodeProof'
  | 'UnexpectedMmrProof'
  | 'MissingMmrProof'
  | 'BadMmrProof'
  | 'ParentReceiptNotFound'
  | 'InvalidStateTransitionFraudProof'
  | 'InvalidExtrinsicRootFraudProof'
  | 'InvalidBundleFraudProof'
  | 'BadValidBundleFraudProof'
  | 'InvalidDomainBlockHashFraudProof'
  | 'InvalidBlockFeesFraudProof'
  | 'InvalidTransfersFraudProof'
  | 'InvalidStorageProof'
  | 'UnexpectedInvalidBundleProofData'
  | 'UnexpectedTargetedBundleEntry'
  | 'InvalidApplyExtrinsicTraceIndex'
  | 'InvalidLongerMismatchTraceIndex'
  | 'InvalidExtrinsicProof'
  | 'DomainNotFound';

/** `pallet_domains::staking::Error` and domain registry names (decex §2, §3). */
export type StakingRejection =
  | 'TooManyPendingStakingOperation'
  | 'InvalidOperatorSigningKey'
  | 'MinimumNominatorStake'
  | 'DomainNotInitialized'
  | 'OperatorNotAllowed'
  | 'MinimumOperatorStake'
  | 'InsufficientBalance'
  | 'UnknownOperator'
  | 'OperatorNotRegistered'
  | 'OperatorNotRegisterdOrDeactivated'
  | 'ZeroDeposit'
  | 'ZeroWithdraw'
  | 'UnknownNominator'
  | 'TooManyWithdrawals'
  | 'InsufficientShares'
  | 'NotOperatorOwner'
  | 'ShareOverflow'
  | 'ZeroSharePrice'
  | 'MissingOperatorEpochSharePrice'
  | 'UnlockPeriodNotComplete'
  | 'OperatorNotDeregistered'
  | 'MissingWithdrawal'
  | 'RuntimeNotFound'
  | 'InvalidSlotProbability'
  | 'BundleLimitCalculationOverflow'
  | 'DomainNameTooLong'
  | 'ExceedMaxDomainBlockSize'
  | 'ExceedMaxDomainBlockWeight'
  | 'InsufficientFund'
  | 'DuplicateInitialAccounts'
  | 'MaxInitialDomainAccounts'
  | 'MinInitialAccountBalance'
  | 'InvalidConfigForRuntimeType'
  | 'InvalidEVMChainId';

/** Messenger / transporter rejections (decex §8). */
export type XdmRejection =
  | 'InvalidChain'
  | 'MissingChannel'
  | 'InvalidChannelState'
  | 'InvalidMessageNonce'
  | 'MessageAlreadyDelivered'
  | 'OutboxFull'
  | 'BadProof'
  | 'InsufficientBalance'
  | 'DomainBalanceUnderflow'
  | 'UnknownTransfer'
  | 'ChannelOwner'
  | 'NoMessageHandler';

export type DecexErrorType =
  /** Outside bytes that do not decode as the named type (SCALE layout, tag, length, trailing bytes). */
  | { code: 'DECEX_INVALID_ENCODING'; what: string; reason: string }
  /** A caller passed something of the wrong kind or out of range. */
  | { code: 'DECEX_INVALID_ARGUMENT'; what: string; reason: string }
  /** A bundle (or singleton receipt) failed a consensus-side check. */
  | { code: 'DECEX_BUNDLE_REJECTED'; reason: BundleRejection; detail?: string }
  /** An execution receipt failed the block tree's checks. */
  | { code: 'DECEX_RECEIPT_REJECTED'; reason: ReceiptRejection; detail?: string }
  /** A fraud proof failed validation or does not prove the receipt wrong. */
  | { code: 'DECEX_FRAUD_PROOF_REJECTED'; reason: FraudProofRejection; detail?: string }
  /** A staking or domain-registry call was rejected. */
  | { code: 'DECEX_STAKING_REJECTED'; reason: StakingRejection; detail?: string }
  /** A messenger or transporter call was rejected. */
  | { code: 'DECEX_XDM_REJECTED'; reason: XdmRejection; detail?: string }
  /** A storage (trie) proof does not verify against its root. */
  | { code: 'DECEX_INVALID_STORAGE_PROOF'; reason: string }
  /** An MMR proof is malformed or does not verify. */
  | { code: 'DECEX_INVALID_MMR_PROOF'; reason: string }
  /** A domain runtime call failed (not a fraud: the call itself cannot run). */
  | { code: 'DECEX_RUNTIME_ERROR'; reason: string };

/** The error class of `@autonomys/decex`. */
export class DecexError extends AutonomysError<DecexErrorType> {}

export type DecexErrorCode = DecexErrorType['code'];

export function bundleRejected(reason: BundleRejection, detail?: string): DecexError {
  return new DecexError(
    detail === undefined
      ? { code: 'DECEX_BUNDLE_REJECTED', reason }
      : { code: 'DECEX_BUNDLE_REJECTED', reason, detail },
  );
}
export function receiptRejected(reason: ReceiptRejection, detail?: string): DecexError {
  return new DecexError(
    detail === undefined
      ? { code: 'DECEX_RECEIPT_REJECTED', reason }
      : { code: 'DECEX_RECEIPT_REJECTED', reason, detail },
  );
}
export function fraudProofRejected(reason: FraudProofRejection, detail?: string): DecexError {
  return new DecexError(
    detail === undefined
      ? { code: 'DECEX_FRAUD_PROOF_REJECTED', reason }
      : { code: 'DECEX_FRAUD_PROOF_REJECTED', reason, detail },
  );
}
export function stakingRejected(reason: StakingRejection, detail?: string): DecexError {
  return new DecexError(
    detail === undefined
      ? { code: 'DECEX_STAKING_REJECTED', reason }
      : { code: 'DECEX_STAKING_REJECTED', reason, detail },
  );
}
export function xdmRejected(reason: XdmRejection, detail?: string): DecexError {
  return new DecexError(
    detail === undefined
      ? { code: 'DECEX_XDM_REJECTED', reason }
      : { code: 'DECEX_XDM_REJECTED', reason, detail },
  );
}
export function invalidArgument(what: string, reason: string): DecexError {
  return new DecexError({ code: 'DECEX_INVALID_ARGUMENT', what, reason });
}

/**
 * The error class of @autonomys/pot. `err.code` is stable API; `err.type` holds the data to act on.
 *
 * @example
 * try { verifyOrThrow(seed, 160, checkpoints); } catch (e) {
 *   if (e instanceof PotError && e.type.code === 'POT_CHECKPOINT_MISMATCH') console.log(e.type.checkpoint);
 * }
 */
import { AutonomysError } from '@autonomys/primitives';

export type PotErrorType =
  /** A byte argument does not have its layout's length (seed, key, checkpoints, entropy). */
  | { code: 'POT_INVALID_LENGTH'; what: string; expected: number; actual: number }
  /** An argument of the wrong kind (not bytes, not an integer, not a bigint). */
  | { code: 'POT_INVALID_ARGUMENT'; what: string; reason: string }
  /** `slot_iterations` (or iterations per checkpoint) is zero. */
  | { code: 'POT_ZERO_ITERATIONS'; what: string }
  /** `slot_iterations` is not a multiple of 16 (2 × 8 checkpoints): the reference's `NotMultipleOfCheckpoints`. */
  | { code: 'POT_NOT_MULTIPLE_OF_CHECKPOINTS'; slotIterations: number }
  /** An integer outside its type (iterations above u32, a slot outside u64, ...). */
  | { code: 'POT_OUT_OF_RANGE'; what: string; value: string; max: string }
  /** Checkpoint `checkpoint` (0..7) is not the AES chain of the one before it (or of the seed). */
  | { code: 'POT_CHECKPOINT_MISMATCH'; checkpoint: number }
  /** A SCALE value (gossip proof, slot input, parameters change) does not decode. */
  | { code: 'POT_INVALID_ENCODING'; what: string; reason: string }
  /** The requested AES engine cannot run here (no addon, no node:crypto). */
  | { code: 'POT_ENGINE_UNAVAILABLE'; engine: string }
  /** The operation was aborted through its `AbortSignal`. */
  | { code: 'POT_ABORTED' }
  /** The worker pool was closed before or while the job ran. */
  | { code: 'POT_POOL_CLOSED' }
  /** A worker thread failed (crashed or threw). */
  | { code: 'POT_WORKER_FAILED'; reason: string };

/** The error class of `@autonomys/pot`. */
export class PotError extends AutonomysError<PotErrorType> {}

export type PotErrorCode = PotErrorType['code'];

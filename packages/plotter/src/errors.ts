/**
 * The error class of `@autonomys/plotter`: a stable, package-prefixed `code` (part of the API) and
 * the data to act on in `type`.
 */
import { AutonomysError } from '@autonomys/primitives';

export type PlotterErrorType =
  /** A value's byte length is not the one the layout requires (a seed, a proof). */
  | { code: 'PLOTTER_INVALID_LENGTH'; what: string; expected: number; actual: number }
  /** An integer argument is outside its allowed range (a challenge index, K, a table number, x). */
  | { code: 'PLOTTER_OUT_OF_RANGE'; what: string; value: string; min: string; max: string }
  /** An argument of the wrong kind (not bytes, not an integer, a table of another K). */
  | { code: 'PLOTTER_INVALID_ARGUMENT'; what: string; reason: string }
  /** Table generation was cancelled through its AbortSignal. */
  | { code: 'PLOTTER_ABORTED'; what: string; reason: string }
  /** A table worker failed (crashed, or exited before answering). */
  | { code: 'PLOTTER_WORKER_FAILED'; what: string; reason: string }
  /** The generator was used after `close()`. */
  | { code: 'PLOTTER_CLOSED'; what: string };

export type PlotterErrorCode = PlotterErrorType['code'];

/**
 * Every failure of this package.
 * @example
 * try { parseProof(bytes); } catch (e) {
 *   if (e instanceof PlotterError && e.type.code === 'PLOTTER_INVALID_LENGTH') console.log(e.type.actual);
 * }
 */
export class PlotterError extends AutonomysError<PlotterErrorType> {}

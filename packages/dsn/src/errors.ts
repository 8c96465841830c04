/**
 * The error class of @autonomys/dsn. `err.code` is stable API; `err.type` holds the data to act on.
 *
 * @example
 * try { decodePieceByIndexRequest(bytes); } catch (e) {
 *   if (e instanceof DsnError && e.type.code === 'DSN_INVALID_MESSAGE') console.log(e.type.reason);
 * }
 */
import { AutonomysError } from '@autonomys/primitives';

export type DsnErrorType =
  /** Bytes from outside (a request, a response, a key, a file) do not decode. */
  | { code: 'DSN_INVALID_MESSAGE'; what: string; reason: string }
  /** A frame or message is larger than its protocol allows. */
  | { code: 'DSN_MESSAGE_TOO_LARGE'; what: string; size: number; max: number }
  /** An argument of the wrong kind or range. */
  | { code: 'DSN_INVALID_ARGUMENT'; what: string; reason: string }
  /** A request got no answer in time. */
  | { code: 'DSN_TIMEOUT'; protocol: string; ms: number }
  /** The peer is temporarily banned. */
  | { code: 'DSN_PEER_BANNED'; peer: string; untilMs: number }
  /** A piece or segment could not be obtained from anyone. */
  | { code: 'DSN_NOT_FOUND'; what: string }
  /** DSN sync failed (no peers, no majority, a broken header chain, an importer error). */
  | { code: 'DSN_SYNC_FAILED'; reason: string }
  /** The operation was aborted. */
  | { code: 'DSN_ABORTED' };

/** The error class of `@autonomys/dsn`. */
export class DsnError extends AutonomysError<DsnErrorType> {}

export type DsnErrorCode = DsnErrorType['code'];

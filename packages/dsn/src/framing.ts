/**
 * Request-response framing (C.1): one message per direction, `unsigned-varint length ‖ payload`,
 * with the protocol's size limit checked on the length before any payload is buffered. A stream
 * closed without bytes is "no response".
 */
import type { Stream } from '@libp2p/interface';
import { DsnError } from './errors.js';
import { decodeVarint, encodeVarint } from './varint.js';

/** `varint(len) ‖ payload` as one buffer. */
export function frame(payload: Uint8Array): Uint8Array {
  const len = encodeVarint(payload.length);
  const out = new Uint8Array(len.length + payload.length);
  out.set(len);
  out.set(payload, len.length);
  return out;
}

/**
 * Reads one frame from a stream's source. Returns `undefined` when the stream ends with no bytes
 * (the peer's "no response"); a truncated frame, a length over `max` or bytes after the frame in
 * the same chunk are `DSN_INVALID_MESSAGE` / `DSN_MESSAGE_TOO_LARGE`. The stream is not read past
 * the frame (one message per direction).
 */
export async function readFrame(
  source: AsyncIterable<{ subarray(): Uint8Array } | Uint8Array>,
  max: number,
  what: string,
): Promise<Uint8Array | undefined> {
  let head = new Uint8Array(0);
  let body: Uint8Array | undefined;
  let filled = 0;
  for await (const chunk of source) {
    // A Uint8ArrayList iterates over its buffers: read them in place rather than joining them.
    const parts: Iterable<Uint8Array> =
      chunk instanceof Uint8Array
        ? [chunk]
        : Symbol.iterator in chunk
          ? (chunk as unknown as Iterable<Uint8Array>)
          : [chunk.subarray()];
    for (let bytes of parts) {
      if (body === undefined) {
        const joined = new Uint8Array(head.length + bytes.length);
        joined.set(head);
        joined.set(bytes, head.length);
        const v = decodeVarint(joined, 0, 9);
        if (v === undefined) {
          head = joined;
          continue;
        }
        if (v.value > max) throw new DsnError({ code: 'DSN_MESSAGE_TOO_LARGE', what, size: v.value, max });
        body = new Uint8Array(v.value);
        bytes = joined.subarray(v.length);
      }
      if (filled + bytes.length > body.length) {
        throw new DsnError({ code: 'DSN_INVALID_MESSAGE', what, reason: 'bytes after the frame' });
      }
      body.set(bytes, filled);
      filled += bytes.length;
      if (filled === body.length) return body;
    }
  }
  if (body === undefined && head.length === 0) return undefined;
  if (body !== undefined && filled === body.length) return body;
  throw new DsnError({ code: 'DSN_INVALID_MESSAGE', what, reason: 'stream ended inside the frame' });
}

/** Writes one frame (length and payload as two chunks: the payload is not copied) and closes the write side. */
export async function writeFrame(stream: Stream, payload: Uint8Array): Promise<void> {
  await stream.sink([encodeVarint(payload.length), payload]);
}

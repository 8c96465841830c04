/** Unsigned LEB128 varints (the `unsigned-varint` framing of multiformats and request-response). */
import { DsnError } from './errors.js';

/** Bytes of `value` as an unsigned varint. @example encodeVarint(300) // 0xac 0x02 */
export function encodeVarint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new DsnError({
      code: 'DSN_INVALID_ARGUMENT',
      what: 'varint',
      reason: `not a non-negative safe integer: ${value}`,
    });
  }
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return Uint8Array.from(out);
}

/**
 * Reads an unsigned varint at `offset`. Returns undefined when the bytes end before the varint
 * does; a varint longer than `maxBytes` or not minimally encoded is a `DSN_INVALID_MESSAGE`.
 */
export function decodeVarint(
  bytes: Uint8Array,
  offset = 0,
  maxBytes = 8,
): { value: number; length: number } | undefined {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < maxBytes; i++) {
    const b = bytes[offset + i];
    if (b === undefined) return undefined;
    value += (b & 0x7f) * scale;
    scale *= 0x80;
    if ((b & 0x80) === 0) {
      if (b === 0 && i > 0) {
        throw new DsnError({ code: 'DSN_INVALID_MESSAGE', what: 'varint', reason: 'not minimally encoded' });
      }
      return { value, length: i + 1 };
    }
  }
  throw new DsnError({
    code: 'DSN_INVALID_MESSAGE',
    what: 'varint',
    reason: `longer than ${maxBytes} bytes`,
  });
}

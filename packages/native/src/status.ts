import { NativeError } from './errors.js';

// csrc/kernels.h status codes.
const BAD_ENCODING = 1;
const NOT_ON_CURVE = 2;
const NOT_IN_GROUP = 3;
const BAD_SCALAR = 4;
const BAD_ROOT = 5;
const NO_MEMORY = 6;

/** Turns a failed kernel status into the package's error; `offset` shifts element indexes of a sub-range. */
export function statusError(
  what: string,
  status: [number, number, number],
  offset = 0,
  size = 0,
): NativeError {
  const [code, rawIndex, rawGroup] = status;
  const index = rawIndex + offset;
  const group = rawGroup === 2 ? 'G2' : 'G1';
  switch (code) {
    case BAD_ENCODING:
      return new NativeError({ code: 'NATIVE_BAD_ENCODING', what, index, group });
    case NOT_ON_CURVE:
      return new NativeError({ code: 'NATIVE_NOT_ON_CURVE', what, index, group });
    case NOT_IN_GROUP:
      return new NativeError({ code: 'NATIVE_NOT_IN_SUBGROUP', what, index, group });
    case BAD_SCALAR:
      return new NativeError({ code: 'NATIVE_INVALID_SCALAR', what, index });
    case BAD_ROOT:
      return new NativeError({ code: 'NATIVE_INVALID_ROOT', what, size });
    case NO_MEMORY:
      return new NativeError({ code: 'NATIVE_OUT_OF_MEMORY', what });
    default:
      return new NativeError({ code: 'NATIVE_INVALID_ARGUMENT', what, reason: `native status ${code}` });
  }
}

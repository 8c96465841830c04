/**
 * Parameter readers for RPC handlers: each checks one positional parameter and throws
 * `RPC_INVALID_PARAMS` (JSON-RPC -32602) naming it. Bytes travel as `0x` hex, u32 as JSON numbers,
 * u64 as numbers, decimal strings or `0x` hex (JSON numbers lose precision above 2^53).
 */
import { hexToBytes } from '@autonomys/primitives';
import { RpcError } from './errors.js';

const U64_MAX = 0xffff_ffff_ffff_ffffn;

function bad(method: string, reason: string): RpcError {
  return new RpcError({ code: 'RPC_INVALID_PARAMS', method, reason });
}

/** `0x` hex of `length` bytes (any length when omitted) at `params[i]`. */
export function hexParam(
  method: string,
  params: readonly unknown[],
  i: number,
  name: string,
  length?: number,
): Uint8Array {
  const v = params[i];
  if (typeof v !== 'string' || !v.startsWith('0x')) throw bad(method, `${name}: expected 0x-prefixed hex`);
  try {
    return hexToBytes(v, length, name);
  } catch (e) {
    throw bad(method, `${name}: ${(e as Error).message}`);
  }
}

/** Like {@link hexParam}, `undefined` when absent or null. */
export function optionalHexParam(
  method: string,
  params: readonly unknown[],
  i: number,
  name: string,
  length?: number,
): Uint8Array | undefined {
  const v = params[i];
  return v === undefined || v === null ? undefined : hexParam(method, params, i, name, length);
}

/** A u64 (number, decimal string or 0x hex) at `params[i]`. */
export function u64Param(method: string, params: readonly unknown[], i: number, name: string): bigint {
  const v = params[i];
  let n: bigint;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0) throw bad(method, `${name}: expected a non-negative integer`);
    n = BigInt(v);
  } else if (typeof v === 'string' && /^(0x[0-9a-fA-F]{1,16}|[0-9]{1,20})$/.test(v)) {
    n = BigInt(v);
  } else throw bad(method, `${name}: expected a u64 (number, decimal or 0x hex string)`);
  if (n > U64_MAX) throw bad(method, `${name}: exceeds u64`);
  return n;
}

/** A u32 at `params[i]` (a JSON number, or hex/decimal string as Substrate clients send block numbers). */
export function u32Param(method: string, params: readonly unknown[], i: number, name: string): number {
  const n = u64Param(method, params, i, name);
  if (n > 0xffff_ffffn) throw bad(method, `${name}: exceeds u32`);
  return Number(n);
}

/** Like {@link u32Param}, `undefined` when absent or null. */
export function optionalU32Param(
  method: string,
  params: readonly unknown[],
  i: number,
  name: string,
): number | undefined {
  const v = params[i];
  return v === undefined || v === null ? undefined : u32Param(method, params, i, name);
}

/** An object at `params[i]`. */
export function objectParam(
  method: string,
  params: readonly unknown[],
  i: number,
  name: string,
): Record<string, unknown> {
  const v = params[i];
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw bad(method, `${name}: expected an object`);
  return v as Record<string, unknown>;
}

/** Lowercase `0x` hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  let s = '0x';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** `0x` hex of an integer, the way Substrate's JSON writes block numbers. */
export function toHexNumber(n: number | bigint): string {
  return `0x${n.toString(16)}`;
}

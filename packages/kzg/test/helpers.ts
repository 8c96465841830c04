import { readFileSync } from 'node:fs';
import { scalarFromBigint } from '@autonomys/primitives';
import { vectorPath } from '@autonomys/test-utils';
import {
  decodePublicParameters,
  type KzgBackend,
  nativeKzgBackend,
  type PublicParameters,
  typescriptBackend,
} from '../src/index.js';

export const PARAMETERS_PATH = vectorPath('kzg/eth-public-parameters.bin');
export const parametersBytes = (): Uint8Array => new Uint8Array(readFileSync(PARAMETERS_PATH));

/** Every backend available here: TypeScript always, native when the addon loaded. */
export const backends: KzgBackend[] = [typescriptBackend, ...(nativeKzgBackend ? [nativeKzgBackend] : [])];

const loaded = new Map<number, PublicParameters>();
/** The first `count` G1 powers (decoded once per process; the disk cache makes reruns fast). */
export function params(count = 4096): PublicParameters {
  let p = loaded.get(count);
  if (p === undefined) {
    p = decodePublicParameters(parametersBytes(), { g1Count: count });
    loaded.set(count, p);
  }
  return p;
}

export const s = (x: bigint | number): Uint8Array => scalarFromBigint(BigInt(x));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

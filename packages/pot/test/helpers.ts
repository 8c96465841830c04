import { hex } from '@autonomys/test-utils';
import { expect } from 'vitest';
import { availableEngines, PotError, type PotErrorCode } from '../src/index.js';

export { hex };

/** Engines that run here (native only with the addon and AES-NI). */
export const engines = availableEngines();

export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const cat = (parts: string[]): Uint8Array => hex(parts.join(''));

/** Asserts that `f` throws a PotError with `code` (and returns it). */
export function expectPotError(f: () => unknown, code: PotErrorCode): PotError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PotError);
    expect((e as PotError).code).toBe(code);
    return e as PotError;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

export async function expectPotRejection(p: Promise<unknown>, code: PotErrorCode): Promise<PotError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PotError);
    expect((e as PotError).code).toBe(code);
    return e as PotError;
  }
  throw new Error(`expected ${code}, the promise resolved`);
}

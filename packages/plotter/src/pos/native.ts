/**
 * The native table kernel of `@autonomys/native` when its addon is loaded and has it (else
 * undefined). A namespace import, so that an older build of the native package without the kernel
 * degrades to the TypeScript path instead of failing to link.
 */
import * as native from '@autonomys/native';
import type { PosTablesData } from './table.js';

type NativeBuild = (
  seed: Uint8Array,
  k: number,
  opts?: { proofMasks?: number; threads?: number; spare?: ArrayBuffer[] },
) => PosTablesData;

const ns = native as { hasPosTables?: boolean; posTables?: NativeBuild };

export const nativePosTables: NativeBuild | undefined =
  ns.hasPosTables === true && typeof ns.posTables === 'function' ? ns.posTables : undefined;

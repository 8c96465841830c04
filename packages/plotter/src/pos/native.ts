/**
 * The native table kernel of `@autonomys/native` when its addon is loaded and has it (else
 * undefined). A namespace import, so that an older build of the native package without the kernel
 * degrades to the TypeScript path instead of failing to link.
 */
import * as native from '@autonomys/native';
import type { PosTablesData } from './table.js';

const ns = native as { hasPosTables?: boolean; posTables?: (seed: Uint8Array, k: number) => PosTablesData };

export const nativePosTables: ((seed: Uint8Array, k: number) => PosTablesData) | undefined =
  ns.hasPosTables === true && typeof ns.posTables === 'function' ? ns.posTables : undefined;

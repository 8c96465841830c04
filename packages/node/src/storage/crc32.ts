/** CRC-32 (IEEE 802.3), the checksum of the node's stored values and of the object index. */
import * as zlib from 'node:zlib';

// zlib.crc32 exists from Node 20.15 / 22.2 (native, ~20x the table loop); older Node 20 releases
// use the table below.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 in TypeScript (the fallback of {@link crc32}; exported for tests). */
export function crc32Table(data: Uint8Array, value = 0): number {
  let c = (value ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * CRC-32 (IEEE) of `data`, continuing from `value` (the CRC of the bytes before it; 0 to start).
 * @example crc32(new TextEncoder().encode('123456789')) // 0xcbf43926
 */
export function crc32(data: Uint8Array, value = 0): number {
  return nativeCrc32 === undefined ? crc32Table(data, value) : nativeCrc32(data, value) >>> 0;
}

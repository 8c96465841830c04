import { appendFileSync, mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AutoScoreError,
  bindClaims,
  FileNullifierRegistry,
  MemoryNullifierRegistry,
  nullifier,
  REGISTRY_MAGIC,
  REGISTRY_RECORD_SIZE,
} from '../src/node.js';

const A = new Uint8Array(32).fill(0xa);
const B = new Uint8Array(32).fill(0xb);
const n1 = nullifier('GithubUsername', 'alice');
const n2 = nullifier('icao9303', 'UTO:L898902C3');
const n3 = nullifier('GoogleEmail', 'alice@example.com');

async function reused(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AutoScoreError) return e.code;
    throw e;
  }
  return 'none';
}

const dir = () => mkdtempSync(join(tmpdir(), 'auto-score-'));

describe.each([
  ['memory', () => new MemoryNullifierRegistry()],
  ['file', () => FileNullifierRegistry.open(join(dir(), 'nullifiers.log'))],
])('%s registry', (_, make) => {
  it('refuses a second Auto ID for a nullifier, all or nothing', async () => {
    const r = make();
    expect((await r.bind([n1, n2], A)).length).toBe(2);
    expect((await r.bind([n1], A)).length).toBe(0); // same Auto ID again: fine, nothing new
    expect(await reused(r.bind([n3, n1], B))).toBe('AUTO_SCORE_NULLIFIER_REUSED');
    expect(r.lookup(n3)).toBeUndefined(); // nothing of the refused batch was bound
    expect(r.size).toBe(2);
    await r.bind([n3], B);
    expect(r.lookup(n3)).toEqual(B);
  });

  it('bindClaims refuses claims of several subjects', async () => {
    const r = make();
    const c = (subject: Uint8Array) => ({ subject, nullifier: n1 }) as never;
    await expect(bindClaims(r, [c(A), c(B)])).rejects.toThrow(/AUTO_SCORE_INVALID_ARGUMENT/);
  });
});

describe('file registry persistence', () => {
  it('survives a restart and still refuses reuse', async () => {
    const path = join(dir(), 'n.log');
    const r = FileNullifierRegistry.open(path);
    await r.bind([n1, n2], A);
    r.close();
    const again = FileNullifierRegistry.open(path);
    expect(again.size).toBe(2);
    expect(again.lookup(n1)).toEqual(A);
    expect(await reused(again.bind([n1], B))).toBe('AUTO_SCORE_NULLIFIER_REUSED');
    expect(statSync(path).size).toBe(REGISTRY_MAGIC.length + 2 * REGISTRY_RECORD_SIZE);
    again.close();
  });

  it('recovers from a torn tail (partial record, bad final checksum)', async () => {
    const path = join(dir(), 'n.log');
    const r = FileNullifierRegistry.open(path);
    await r.bind([n1], A);
    await r.bind([n2], A);
    r.close();
    appendFileSync(path, new Uint8Array(30).fill(1)); // a crash mid-append
    const a = FileNullifierRegistry.open(path);
    expect(a.recoveredBytes).toBe(30);
    expect(a.size).toBe(2);
    a.close();
    // corrupt the checksum of the last record: it is dropped as torn
    const bytes = readFileSync(path);
    bytes[bytes.length - 1]! ^= 0xff;
    writeFileSync(path, bytes);
    const b = FileNullifierRegistry.open(path);
    expect(b.size).toBe(1);
    expect(b.lookup(n2)).toBeUndefined();
    await b.bind([n2], B); // the lost binding can be made again, durably
    b.close();
    expect(FileNullifierRegistry.open(path).lookup(n2)).toEqual(B);
  });

  it('refuses a file corrupt in the middle or of another kind', async () => {
    const path = join(dir(), 'n.log');
    const r = FileNullifierRegistry.open(path);
    await r.bind([n1, n2, n3], A);
    r.close();
    const bytes = readFileSync(path);
    bytes[REGISTRY_MAGIC.length + 5]! ^= 1;
    writeFileSync(path, bytes);
    expect(() => FileNullifierRegistry.open(path)).toThrow(/AUTO_SCORE_REGISTRY_CORRUPT/);
    const other = join(dir(), 'x');
    writeFileSync(other, 'hello world');
    expect(() => FileNullifierRegistry.open(other)).toThrow(/AUTO_SCORE_REGISTRY_CORRUPT/);
    truncateSync(other, 0);
    expect(() => FileNullifierRegistry.open(other)).toThrow(/AUTO_SCORE_REGISTRY_CORRUPT/);
  });
});

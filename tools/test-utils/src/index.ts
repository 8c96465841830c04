/**
 * Test helpers shared by the packages: the shared vectors (../shared/vectors beside the repository
 * root, where CI has them too) and a claim list, so that a suite fails when a vector id in a file
 * goes untested.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** `../shared/vectors` from the repository root (override with AUTONOMYS_VECTORS_DIR). */
export const vectorsDir = process.env.AUTONOMYS_VECTORS_DIR ?? join(repoRoot, '..', 'shared', 'vectors');

/** The absolute path of a vector file; throws with the place it looked when it is missing. */
export function vectorPath(relative: string): string {
  const p = join(vectorsDir, relative);
  if (!existsSync(p))
    throw new Error(`test vector ${relative} not found at ${p} (set AUTONOMYS_VECTORS_DIR)`);
  return p;
}

/** Parses a JSON vector file. */
export function loadVectors<T = unknown>(file: string): T {
  return JSON.parse(readFileSync(vectorPath(file), 'utf8')) as T;
}

/** Hex to bytes for tests (no validation beyond what Node does). */
export function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.startsWith('0x') ? s.slice(2) : s, 'hex'));
}

/**
 * Tracks which vector ids (or keys) of a file a suite has tested. `claim(id)` in each test,
 * then `unclaimed()` in a last test must be empty.
 */
export class VectorClaims {
  private readonly claimed = new Set<string>();
  constructor(private readonly all: readonly string[]) {}
  claim(id: string): string {
    if (!this.all.includes(id)) throw new Error(`vector ${id} is not in the file`);
    this.claimed.add(id);
    return id;
  }
  unclaimed(): string[] {
    return this.all.filter((id) => !this.claimed.has(id));
  }
}

/**
 * Runs `fn`, which must throw an instance of `errorClass`, and returns the error's `code`
 * (throws when nothing or something else was thrown).
 * @example expect(thrownCode(() => hexToBytes('abc'), PrimitivesError)).toBe('PRIMITIVES_INVALID_HEX')
 */
export function thrownCode(
  fn: () => unknown,
  errorClass: abstract new (...args: never[]) => { code: string },
): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof errorClass) return e.code;
    throw new Error(`expected a ${errorClass.name}, got ${String(e)}`);
  }
  throw new Error(`expected a ${errorClass.name}, nothing was thrown`);
}

/**
 * The ```ts code blocks of a README, in order (for tests that run a package's documented example).
 */
export function readmeCodeBlocks(readmePath: string): string[] {
  const text = readFileSync(readmePath, 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
}

/**
 * Runs code block `index` of a package's README (written to the package's git-ignored `.scratch/`
 * and imported, so `@autonomys/*` imports resolve as in the package's tests) and returns what it
 * printed with console.log, one string per call (bigints as `5n`).
 * @example expect(await runReadmeExample(pkgDir)).toEqual(['true', '0'])
 */
export async function runReadmeExample(pkgDir: string, index = 0): Promise<string[]> {
  const code = readmeCodeBlocks(join(pkgDir, 'README.md'))[index];
  if (code === undefined) throw new Error(`README of ${pkgDir} has no code block ${index}`);
  const dir = join(pkgDir, '.scratch');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `readme-example-${index}.ts`);
  writeFileSync(file, code);
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => {
    lines.push(args.map((x) => (typeof x === 'bigint' ? `${x}n` : String(x))).join(' '));
  };
  try {
    await import(file);
  } finally {
    console.log = original;
  }
  return lines;
}

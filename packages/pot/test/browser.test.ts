import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as browser from '../src/browser.js';
import * as node from '../src/index.js';

/** Every module specifier imported (statically or dynamically) from `file` and the files it reaches. */
function importGraph(file: URL, seen = new Map<string, string[]>()): Map<string, string[]> {
  if (seen.has(file.href)) return seen;
  const src = readFileSync(file, 'utf8');
  const specs = [...src.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!);
  seen.set(file.href, specs);
  for (const s of specs) if (s.startsWith('.')) importGraph(new URL(s.replace(/\.js$/, '.ts'), file), seen);
  return seen;
}

describe('browser entry', () => {
  it('reaches no node: module, no native addon and no worker code', () => {
    const graph = importGraph(new URL('../src/browser.ts', import.meta.url));
    const external = [...graph.values()].flat().filter((s) => !s.startsWith('.'));
    expect(external.filter((s) => s.startsWith('node:') || s === '@autonomys/native')).toEqual([]);
    expect(new Set(external)).toEqual(new Set(['@autonomys/primitives']));
    expect([...graph.keys()].some((f) => /pool|worker|engine-node/.test(f))).toBe(false);
  });

  it('has the Node API minus the worker pool', () => {
    const nodeOnly = Object.keys(node).filter((k) => !(k in browser));
    expect(nodeOnly.sort()).toEqual(['PotWorkerPool', 'createPotWorkerPool']);
    // The TypeScript engine gives the same proof through the browser API.
    const seed = new Uint8Array(16).fill(1);
    expect(browser.prove(seed, 160, { engine: 'ts' })).toEqual(node.prove(seed, 160));
  });
});

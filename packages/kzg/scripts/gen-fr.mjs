// Writes src/fr-kernels.generated.ts: the unrolled Montgomery kernels of the BLS12-381 scalar
// field over 11 limbs of 24 bits held in Float64Arrays (see src/fr.ts for the representation).
// Unrolling keeps every limb in a local; the loop version measured ~2x slower on V8.
// Run: node scripts/gen-fr.mjs && biome format --write src/fr-kernels.generated.ts
import { writeFileSync } from 'node:fs';

const L = 11;
const W = 24;
const B = 2 ** W;
const R_MOD = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;
const P = [];
for (let i = 0, v = R_MOD; i < L; i++, v >>= BigInt(W)) P.push(Number(v & BigInt(B - 1)));
if (P[0] !== 1) throw new Error('the kernels rely on r = 1 mod 2^24 (so -1/r = -1 mod 2^24)');

const range = (n) => Array.from({ length: n }, (_, i) => i);

/** Lines computing t = a·b·2^-264 mod r into locals o0..o10 (value < 2r before the final subtraction). */
function montMul(a, b) {
  const s = [];
  s.push(
    `let ${range(2 * L)
      .map((k) => `t${k} = 0`)
      .join(', ')};`,
  );
  s.push('let m = 0;');
  for (let i = 0; i < L; i++) {
    for (let j = 0; j < L; j++) s.push(`t${i + j} += ${a}${i} * ${b}${j};`);
    // m = -t_i mod 2^24 because r = 1 mod 2^24; then t_i + m·r is divisible by 2^24.
    s.push(`m = t${i} - Math.floor(t${i} * INV_B) * B;`);
    s.push('m = m === 0 ? 0 : B - m;');
    for (let j = 0; j < L; j++) if (P[j] !== 0) s.push(`t${i + j} += m * ${P[j]};`);
    s.push(`t${i + 1} += t${i} * INV_B;`);
  }
  s.push('let c = 0;');
  for (let j = L; j < 2 * L; j++) s.push(`t${j} += c; c = Math.floor(t${j} * INV_B); t${j} -= c * B;`);
  return { lines: s, limbs: range(L).map((j) => `t${L + j}`) };
}

/** Lines that write limbs `v` (value < 2r, normalized) minus r if >= r into out[oo..]. */
function reduceStore(v, out, oo) {
  const s = [];
  let cmp = '';
  for (let j = L - 1; j >= 0; j--) cmp += `${v[j]} !== ${P[j]} ? ${v[j]} > ${P[j]} : `;
  s.push(`if (${cmp}true) {`);
  s.push('let br = 0, d = 0;');
  for (let j = 0; j < L; j++)
    s.push(`d = ${v[j]} - ${P[j]} - br; br = d < 0 ? 1 : 0; ${out}[${oo} + ${j}] = d + br * B;`);
  s.push('} else {');
  for (let j = 0; j < L; j++) s.push(`${out}[${oo} + ${j}] = ${v[j]};`);
  s.push('}');
  return s;
}

function load(name, arr, off) {
  return `const ${range(L)
    .map((i) => `${name}${i} = ${arr}[${off} + ${i}]!`)
    .join(', ')};`;
}

/** Lines for s = x + y (normalized limbs in locals s0.., value < 2r). */
function addLimbs(x, y, s) {
  const out = [
    `let ${range(L)
      .map((i) => `${s}${i} = 0`)
      .join(', ')}, ${s}c = 0;`,
  ];
  for (let j = 0; j < L; j++)
    out.push(`${s}${j} = ${x}${j} + ${y}${j} + ${s}c; ${s}c = ${s}${j} >= B ? 1 : 0; ${s}${j} -= ${s}c * B;`);
  return out;
}

/** A block for out[oo..] = x - y mod r (x, y < r): x - y with borrows, plus r when it went negative. */
function subStore(x, y, out, oo) {
  const s = ['{', 'let br = 0;'];
  for (let j = 0; j < L; j++)
    s.push(`let d${j} = ${x}${j} - ${y}${j} - br; br = d${j} < 0 ? 1 : 0; d${j} += br * B;`);
  s.push('if (br === 0) {');
  for (let j = 0; j < L; j++) s.push(`${out}[${oo} + ${j}] = d${j};`);
  s.push('} else {');
  // d = x - y + 2^264; adding r overflows past 2^264 exactly once, and the carry out is dropped.
  s.push('let c = 0, e = 0;');
  for (let j = 0; j < L; j++)
    s.push(`e = d${j} + ${P[j]} + c; c = e >= B ? 1 : 0; ${out}[${oo} + ${j}] = e - c * B;`);
  s.push('}', '}');
  return s;
}

const fn = (name, params, body, doc) =>
  `/** ${doc} */\nexport function ${name}(${params}): void {\n${body.map((l) => `  ${l}`).join('\n')}\n}\n`;
const arr = 'Float64Array';

const mul = montMul('a', 'b');
const mulFn = fn(
  'frMulAt',
  `out: ${arr}, oo: number, x: ${arr}, xo: number, y: ${arr}, yo: number`,
  [load('a', 'x', 'xo'), load('b', 'y', 'yo'), ...mul.lines, ...reduceStore(mul.limbs, 'out', 'oo')],
  'out[oo] = x[xo]·y[yo] (Montgomery product). out may alias x or y.',
);
const addFn = fn(
  'frAddAt',
  `out: ${arr}, oo: number, x: ${arr}, xo: number, y: ${arr}, yo: number`,
  [
    load('a', 'x', 'xo'),
    load('b', 'y', 'yo'),
    ...addLimbs('a', 'b', 's'),
    ...reduceStore(
      range(L).map((i) => `s${i}`),
      'out',
      'oo',
    ),
  ],
  'out[oo] = x[xo] + y[yo]. out may alias x or y.',
);
const subFn = fn(
  'frSubAt',
  `out: ${arr}, oo: number, x: ${arr}, xo: number, y: ${arr}, yo: number`,
  [load('a', 'x', 'xo'), load('b', 'y', 'yo'), ...subStore('a', 'b', 'out', 'oo')],
  'out[oo] = x[xo] - y[yo]. out may alias x or y.',
);
// DIT butterfly: v = x[q]·w; x[q] = x[p] - v; x[p] = x[p] + v.
const bm = montMul('b', 'w');
const bfly = fn(
  'frButterflyAt',
  `x: ${arr}, p: number, q: number, tw: ${arr}, wo: number`,
  [
    load('b', 'x', 'q'),
    load('w', 'tw', 'wo'),
    ...bm.lines,
    '// v = t (< 2r): normalize to < r in place',
    ...reduceLocal(bm.limbs, 'v'),
    load('a', 'x', 'p'),
    ...subStore('a', 'v', 'x', 'q'),
    ...addLimbs('a', 'v', 's'),
    ...reduceStore(
      range(L).map((i) => `s${i}`),
      'x',
      'p',
    ),
  ],
  'The radix-2 DIT butterfly: v = x[q]·tw[wo]; x[q] = x[p] - v; x[p] = x[p] + v.',
);

// The butterfly without a twiddle (w = 1): x[q] = x[p] - x[q]; x[p] = x[p] + x[q]. It saves the
// multiplication of the first butterfly of every block (n - 1 of the (n/2)·log2(n) in an FFT).
const addSub = fn(
  'frAddSubAt',
  `x: ${arr}, p: number, q: number`,
  [
    load('a', 'x', 'p'),
    load('b', 'x', 'q'),
    ...subStore('a', 'b', 'x', 'q'),
    ...addLimbs('a', 'b', 's'),
    ...reduceStore(
      range(L).map((i) => `s${i}`),
      'x',
      'p',
    ),
  ],
  'The radix-2 butterfly with twiddle 1: (x[p], x[q]) = (x[p] + x[q], x[p] - x[q]).',
);

function reduceLocal(v, name) {
  const s = [
    `let ${range(L)
      .map((j) => `${name}${j} = ${v[j]}`)
      .join(', ')};`,
  ];
  let cmp = '';
  for (let j = L - 1; j >= 0; j--) cmp += `${name}${j} !== ${P[j]} ? ${name}${j} > ${P[j]} : `;
  s.push(`if (${cmp}true) {`);
  s.push('let rb = 0, rd = 0;');
  for (let j = 0; j < L; j++)
    s.push(`rd = ${name}${j} - ${P[j]} - rb; rb = rd < 0 ? 1 : 0; ${name}${j} = rd + rb * B;`);
  s.push('}');
  return s;
}

const header = `// Generated by scripts/gen-fr.mjs: do not edit by hand.
// Montgomery arithmetic mod r (BLS12-381 Fr) over ${L} limbs of ${W} bits, little-endian, stored as
// doubles: every product of two limbs is < 2^48 and a column sums at most ${2 * L} of them (< 2^53),
// so all arithmetic below is exact in float64. R = 2^${L * W}. Inputs must be reduced (< r).

const B = ${B};
const INV_B = 2 ** -${W};
`;
const file = new URL('../src/fr-kernels.generated.ts', import.meta.url);
writeFileSync(file, [header, mulFn, addFn, subFn, bfly, addSub].join('\n'));
console.log(`wrote ${file.pathname}`);

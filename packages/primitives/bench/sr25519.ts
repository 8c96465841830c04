// sr25519 per call: ours (TypeScript over @noble/curves), @polkadot/util-crypto 14 (which runs
// @scure/sr25519, also TypeScript over noble) and @polkadot/wasm-crypto (schnorrkel compiled to
// WebAssembly, the reference). Every row is anchored to the WebAssembly one. The message is a
// 32-byte pre_hash, what block seals and votes sign.
//
// `tsx bench/sr25519.ts` runs these alone (results in bench-results/primitives-sr25519.json);
// `sr25519Cases` can also join bench/index.ts.
import type { BenchCase } from '@autonomys/bench';
import { runBench } from '@autonomys/bench';
import {
  sr25519PairFromSeed as pdPairFromSeed,
  sr25519Sign as pdSign,
  sr25519Verify as pdVerify,
  sr25519VrfSign as pdVrfSign,
  sr25519VrfVerify as pdVrfVerify,
} from '@polkadot/util-crypto';
import * as wasm from '@polkadot/wasm-crypto';
import {
  REWARD_SIGNING_CONTEXT,
  SUBSTRATE_SIGNING_CONTEXT,
  signingContext,
  sr25519PairFromSeed,
  sr25519Sign,
  sr25519Verify,
  sr25519VrfSign,
  sr25519VrfVerify,
} from '../src/index.js';

await wasm.waitReady();

const seed = new Uint8Array(32).fill(7);
const pair = sr25519PairFromSeed(seed);
const { publicKey, secretKey } = pair;
const msg = new Uint8Array(32).fill(0xab);
const SUBSTRATE = { context: SUBSTRATE_SIGNING_CONTEXT };
const sig = sr25519Sign(secretKey, publicKey, msg, SUBSTRATE);
const rewardSig = sr25519Sign(secretKey, publicKey, msg, { context: REWARD_SIGNING_CONTEXT });

const ctx = new TextEncoder().encode('ctx');
const EMPTY = new Uint8Array(0);
const vrfTranscript = signingContext(ctx).appendMessage('sign-bytes', msg);
const vrf = sr25519VrfSign(secretKey, publicKey, vrfTranscript);
const vrfJoined = new Uint8Array(96);
vrfJoined.set(vrf.preOutput);
vrfJoined.set(vrf.proof, 32);

const W_PAIR = 'sr25519 pair from seed (wasm schnorrkel)';
const W_SIGN = 'sr25519 sign (wasm schnorrkel)';
const W_VERIFY = 'sr25519 verify (wasm schnorrkel)';
const W_VRF_SIGN = 'sr25519 VRF sign (wasm schnorrkel)';
const W_VRF_VERIFY = 'sr25519 VRF verify (wasm schnorrkel)';

export const sr25519Cases: BenchCase[] = [
  {
    name: 'sr25519 pair from seed (ours)',
    size: '32 B',
    anchor: W_PAIR,
    fn: () => sr25519PairFromSeed(seed),
  },
  {
    name: 'sr25519 pair from seed (util-crypto)',
    size: '32 B',
    anchor: W_PAIR,
    fn: () => pdPairFromSeed(seed),
  },
  { name: W_PAIR, size: '32 B', fn: () => wasm.sr25519KeypairFromSeed(seed) },

  {
    name: 'sr25519 sign (ours)',
    size: '32 B',
    anchor: W_SIGN,
    fn: () => sr25519Sign(secretKey, publicKey, msg, SUBSTRATE),
  },
  { name: 'sr25519 sign (util-crypto)', size: '32 B', anchor: W_SIGN, fn: () => pdSign(msg, pair) },
  { name: W_SIGN, size: '32 B', fn: () => wasm.sr25519Sign(publicKey, secretKey, msg) },

  {
    name: 'sr25519 verify (ours)',
    size: '32 B',
    anchor: W_VERIFY,
    fn: () => sr25519Verify(sig, msg, publicKey, SUBSTRATE),
  },
  {
    name: 'sr25519 verify subspace_reward (ours)',
    size: '32 B',
    anchor: W_VERIFY,
    fn: () => sr25519Verify(rewardSig, msg, publicKey, { context: REWARD_SIGNING_CONTEXT }),
  },
  {
    name: 'sr25519 verify (util-crypto)',
    size: '32 B',
    anchor: W_VERIFY,
    fn: () => pdVerify(msg, sig, publicKey),
  },
  { name: W_VERIFY, size: '32 B', fn: () => wasm.sr25519Verify(sig, msg, publicKey) },

  {
    name: 'sr25519 VRF sign (ours)',
    size: '32 B',
    anchor: W_VRF_SIGN,
    fn: () => sr25519VrfSign(secretKey, publicKey, vrfTranscript),
  },
  {
    name: 'sr25519 VRF sign (util-crypto)',
    size: '32 B',
    anchor: W_VRF_SIGN,
    // a copy each call: util-crypto 14.0.3 zeroes the nonce half of the secret key it is given
    fn: () => pdVrfSign(msg, { publicKey, secretKey: secretKey.slice() }, ctx),
  },
  { name: W_VRF_SIGN, size: '32 B', fn: () => wasm.vrfSign(secretKey, ctx, msg, EMPTY) },

  {
    name: 'sr25519 VRF verify (ours)',
    size: '32 B',
    anchor: W_VRF_VERIFY,
    fn: () => sr25519VrfVerify(publicKey, vrfTranscript, vrf),
  },
  {
    name: 'sr25519 VRF verify (util-crypto)',
    size: '32 B',
    anchor: W_VRF_VERIFY,
    fn: () => pdVrfVerify(msg, vrfJoined, publicKey, ctx),
  },
  { name: W_VRF_VERIFY, size: '32 B', fn: () => wasm.vrfVerify(publicKey, ctx, msg, EMPTY, vrfJoined) },
];

if (process.argv[1]?.endsWith('sr25519.ts')) {
  await runBench({ package: 'primitives-sr25519', cases: sr25519Cases, time: 300 });
}

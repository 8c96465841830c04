import { describe, expect, it } from 'vitest';
import {
  nextSlotInput,
  type PotSlotProof,
  PotVerifier,
  proveSlots,
  Timekeeper,
  type TimekeeperSlotEvent,
  verify,
} from '../src/index.js';
import { hex } from './helpers.js';

const seed = hex('d666ccd8d593c23da8db6b5b1413b13a');
const IT = 16 * 1024;

describe('Timekeeper', () => {
  it('produces a verifiable chain of slots (async iterator), with the parameters change applied', async () => {
    const entropy = new Uint8Array(32).fill(1);
    const change = { slot: 3n, slotIterations: IT * 2, entropy };
    const verifier = new PotVerifier();
    const tk = new Timekeeper({
      input: { slot: 1n, slotIterations: IT, seed },
      parametersChange: change,
      verifier,
    });
    const got: PotSlotProof[] = [];
    for await (const proof of tk) {
      got.push(proof);
      if (got.length === 5) break;
    }
    expect(tk.isRunning).toBe(false);
    expect(got.map((p) => p.slot)).toEqual([1n, 2n, 3n, 4n, 5n]);
    expect(got).toEqual(proveSlots({ slot: 1n, slotIterations: IT, seed }, 5, change));
    for (const p of got) {
      expect(verify(p.seed, p.slotIterations, p.checkpoints)).toBe(true);
      expect(verifier.getCheckpoints(p.seed, p.slotIterations)).toEqual(p.checkpoints); // injected as known-good
    }
  });

  it('switches to a new input on request (reorg / faster peer proof) and stops cleanly', async () => {
    const tk = new Timekeeper({
      input: { slot: 1n, slotIterations: IT * 1024, seed },
      chunkIterations: 4096,
    });
    const events: PotSlotProof[] = [];
    tk.addEventListener('slot', (e) => events.push((e as TimekeeperSlotEvent).detail));
    tk.start();
    // A peer's proof for slot 1 arrives first: continue from slot 2 with small iterations.
    await new Promise((r) => setTimeout(r, 10));
    const peerOutput = new Uint8Array(16).fill(0xab); // slot 1's output, as a peer's proof says
    const input2 = nextSlotInput(1n, IT, peerOutput);
    tk.setInput(input2);
    while (events.length < 3) await new Promise((r) => setTimeout(r, 5));
    await tk.stop();
    expect(tk.isRunning).toBe(false);
    const n = events.length;
    await new Promise((r) => setTimeout(r, 30));
    expect(events.length).toBe(n); // nothing after stop
    expect(events[0]!.slot).toBe(2n); // slot 1 was dropped, not finished
    expect(events.slice(0, 3)).toEqual(proveSlots(input2, 3));
    expect(tk.nextInput.slot).toBe(2n + BigInt(n));
  });

  it('an aborted iterator ends and stops the timekeeper', async () => {
    const ac = new AbortController();
    const tk = new Timekeeper({ input: { slot: 1n, slotIterations: IT, seed } });
    const got: bigint[] = [];
    for await (const p of tk.proofs({ signal: ac.signal })) {
      got.push(p.slot);
      if (got.length === 2) ac.abort();
    }
    expect(got.length).toBeGreaterThanOrEqual(2);
    expect(tk.isRunning).toBe(false);
  });
});

import { genesisSlotInput, type PotSlotProof, prove } from '@autonomys/pot';
import { describe, expect, it } from 'vitest';
import type { ChainApi } from '../src/consensus/api.js';
import { JSON_RPC_ERROR } from '../src/rpc/errors.js';
import { RpcRouter } from '../src/rpc/jsonrpc.js';
import { toHex } from '../src/rpc/params.js';
import { RemotePotSource } from '../src/service/remote-pot.js';

describe('RemotePotSource (autonomys timekeeper → node)', () => {
  it('accepts only the expected, verifying proof and chains the next input', async () => {
    const input = genesisSlotInput(new Uint8Array(32).fill(2), '', 512);
    const chain = {
      authoringContext: () => ({ nextSlotInput: input, potParametersChange: undefined }),
      head: () => ({ number: 0, slot: 0n }),
      on: () => chain,
      off: () => chain,
    } as unknown as ChainApi;
    const pot = new RemotePotSource(chain);
    const router = new RpcRouter();
    pot.register(router);
    const got: PotSlotProof[] = [];
    pot.onProof((p) => got.push(p));
    const call = async (method: string, params: unknown[]) =>
      JSON.parse((await router.handleText(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params })))!);

    const next = (await call('autonomys_potNextSlotInput', [])).result;
    expect(next).toMatchObject({
      slot: 1,
      slotIterations: 512,
      seed: toHex(input.seed),
      parametersChange: null,
    });
    const checkpoints = prove(input.seed, 512);
    const proof = { slot: 1, slotIterations: 512, seed: toHex(input.seed), checkpoints: toHex(checkpoints) };
    const bad = new Uint8Array(checkpoints);
    bad[5]! ^= 1;
    expect((await call('autonomys_submitPotProof', [{ ...proof, checkpoints: toHex(bad) }])).error.code).toBe(
      JSON_RPC_ERROR.REJECTED,
    );
    expect((await call('autonomys_submitPotProof', [{ ...proof, slot: 2 }])).error.code).toBe(
      JSON_RPC_ERROR.REJECTED,
    );
    expect((await call('autonomys_submitPotProof', [{ ...proof, seed: '0x12' }])).error.code).toBe(
      JSON_RPC_ERROR.INVALID_PARAMS,
    );
    expect((await call('autonomys_submitPotProof', [proof])).result).toBe(true);
    expect(got.map((p) => p.slot)).toEqual([1n]);
    expect((await call('autonomys_potNextSlotInput', [])).result.slot).toBe(2);
    expect((await call('autonomys_submitPotProof', [proof])).error.code).toBe(JSON_RPC_ERROR.REJECTED); // replay
    expect(pot.stats).toEqual({ accepted: 1, refused: 3 });
  });
});

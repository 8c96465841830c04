import { afterAll, describe, expect, it } from 'vitest';
import { BAN_INITIAL_MS, BAN_MAX_MS, BanList } from '../src/index.js';
import { connect, isConnected, spawn, stopAll, waitFor } from './helpers.js';

afterAll(stopAll);

describe('bans, limits, reserved peers (C.1)', () => {
  it('temporary bans back off exponentially from 5 s to 30 min', () => {
    let now = 0;
    const bans = new BanList(BAN_INITIAL_MS, BAN_MAX_MS, () => now);
    const lengths: number[] = [];
    for (let i = 0; i < 12; i++) lengths.push(bans.ban('p', 'x').untilMs - now);
    expect(lengths.slice(0, 4)).toEqual([5_000, 10_000, 20_000, 40_000]);
    expect(lengths.at(-1)).toBe(30 * 60_000);
    expect(bans.isBanned('p')).toBe(true);
    now += 30 * 60_000;
    expect(bans.isBanned('p')).toBe(false);
    expect(bans.isBanned('q')).toBe(false);
  });

  it('refuses non-global addresses unless allowed', async () => {
    const strict = await spawn({ allowNonGlobalAddresses: false });
    const other = await spawn();
    await expect(strict.dial(other.addresses[0]!)).rejects.toThrow();
  });

  it('limits inbound connections', async () => {
    const server = await spawn({ connectionLimits: { maxIncoming: 1, maxOutgoing: 10 } });
    const a = await spawn();
    const b = await spawn();
    await connect(a, server);
    await b.dial(server.addresses[0]!).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300));
    expect(isConnected(server, a.peerId)).toBe(true);
    expect(isConnected(server, b.peerId)).toBe(false);
  });

  it('keeps reserved peers connected and dials bootstrap peers at start', async () => {
    const farmer = await spawn();
    const boot = await spawn();
    const node = await spawn({
      reservedPeers: [farmer.addresses[0]!.toString()],
      bootstrapPeers: [boot.addresses[0]!.toString()],
    });
    await waitFor(() => isConnected(node, farmer.peerId) && isConnected(node, boot.peerId));
    await farmer.libp2p.hangUp(node.peerId);
    await waitFor(() => isConnected(node, farmer.peerId), 15_000);
  });
});

/**
 * Kademlia is for routing only (C.1): records a peer asks us to store (`ADD_PROVIDER`, `PUT_VALUE`)
 * are dropped or refused and never reach the datastore; routing (`FIND_NODE`) keeps working.
 */
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import { afterAll, describe, expect, it } from 'vitest';
import { connect, spawn, stopAll, waitFor } from './helpers.js';

interface Datastore {
  query(q: { prefix: string }): AsyncIterable<{ key: { toString(): string } }>;
}
const datastoreOf = (n: { libp2p: unknown }) =>
  (n.libp2p as { components: { datastore: Datastore } }).components.datastore;

async function keys(ds: Datastore, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of ds.query({ prefix })) out.push(e.key.toString());
  return out;
}

describe('Kademlia routing only', () => {
  afterAll(stopAll);

  it('provider records and PUT_VALUE records from peers are not stored', { timeout: 30_000 }, async () => {
    const a = await spawn();
    const b = await spawn();
    await connect(b, a);
    await waitFor(
      () => (b.libp2p.services.dht as unknown as { routingTable: { size: number } }).routingTable.size > 0,
      10_000,
    );

    const cid = CID.createV1(0x55, await sha256.digest(new Uint8Array([1, 2, 3])));
    // B announces itself as a provider and puts a record; its queries reach A, the only peer.
    for await (const _ of b.libp2p.services.dht.provide(cid)) {
      // drain the query events
    }
    const key = new TextEncoder().encode('/autonomys-test/record');
    await (async () => {
      for await (const _ of b.libp2p.services.dht.put(key, new Uint8Array([9, 9]))) {
        // drain
      }
    })().catch(() => undefined); // a refused put may surface as a query error on B
    await waitFor(() => a.kadStoresRefused.addProvider > 0 && a.kadStoresRefused.putValue > 0, 10_000);

    // A stored nothing for anyone; its routing still answers.
    expect(await keys(datastoreOf(a), '/dht/provider')).toEqual([]);
    expect(await keys(datastoreOf(a), '/dht/record')).toEqual([]);
    const providers: unknown[] = [];
    for await (const e of b.libp2p.services.dht.findProviders(cid, { signal: AbortSignal.timeout(2_000) })) {
      // Answers from A (B's own record is local to B).
      if (e.name === 'PROVIDER' && e.from.equals(a.peerId)) providers.push(...e.providers);
    }
    expect(providers).toEqual([]);
    const closest: string[] = [];
    for await (const e of a.libp2p.services.dht.getClosestPeers(b.peerId.toMultihash().bytes)) {
      if (e.name === 'FINAL_PEER') closest.push(e.peer.id.toString());
    }
    expect(closest).toContain(b.peerId.toString());
  });
});

import type { PeerId } from '@libp2p/interface';
import {
  createDsnNode,
  createPieceValidator,
  type DsnNode,
  type DsnNodeOptions,
  type PieceValidator,
} from '../src/index.js';
import { G, GENESIS, KZG_PARAMETERS, PARAMS } from './fixture.js';

export const nodes: DsnNode[] = [];

export async function spawn(opts: Partial<DsnNodeOptions> = {}): Promise<DsnNode> {
  const n = await createDsnNode({
    genesisHash: GENESIS,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    allowNonGlobalAddresses: true,
    pieceSize: G.pieceSize,
    requestTimeoutMs: 5_000,
    ...opts,
  });
  nodes.push(n);
  return n;
}

export async function stopAll(): Promise<void> {
  await Promise.allSettled(nodes.splice(0).map((n) => n.stop()));
}

/** Connects a to b and waits until identify told a which protocols b serves. */
export async function connect(a: DsnNode, b: DsnNode): Promise<void> {
  const addr = b.addresses[0];
  if (!addr) throw new Error('no address');
  await a.dial(addr);
  await waitFor(async () => {
    try {
      const p = await a.libp2p.peerStore.get(b.peerId);
      return p.protocols.length > 0;
    } catch {
      return false;
    }
  });
}

export async function waitFor(f: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function validator(): PieceValidator {
  return createPieceValidator({ params: PARAMS, parameters: KZG_PARAMETERS, threads: 0 });
}

export const isConnected = (a: DsnNode, b: PeerId) => a.libp2p.getConnections(b).length > 0;

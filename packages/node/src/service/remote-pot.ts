/**
 * Proof of time from a timekeeper in another process (`autonomys timekeeper`), until the network
 * layer carries PoT gossip (pot A.7). The node side, {@link RemotePotSource}, adds two methods to
 * the node's RPC: `autonomys_potNextSlotInput` (what to prove next) and `autonomys_submitPotProof`
 * (a proof; accepted only for the expected input and only when its checkpoints verify). The
 * timekeeper side is {@link runRemoteTimekeeper}.
 */
import {
  nextSlotInput,
  type PotNextSlotInput,
  type PotSlotProof,
  potCheckpointsOutput,
  verifyAsync,
} from '@autonomys/pot';
import { equalBytes } from '@autonomys/primitives';
import type { ChainApi } from '../consensus/api.js';
import { TimekeeperRole } from '../roles/timekeeper.js';
import type { PotSource, Unsubscribe } from '../roles/types.js';
import { RpcClient } from '../rpc/client.js';
import { bytesFromJson, u64FromJson, u64ToJson } from '../rpc/codec.js';
import { RpcError } from '../rpc/errors.js';
import type { RpcRouter } from '../rpc/jsonrpc.js';
import { objectParam, toHex } from '../rpc/params.js';

type Change = ReturnType<ChainApi['authoringContext']>['potParametersChange'];

function changeToJson(c: Change) {
  return c === undefined
    ? null
    : { slot: u64ToJson(c.slot), slotIterations: c.slotIterations, entropy: toHex(c.entropy) };
}

/**
 * The node side: a {@link PotSource} fed over RPC.
 * @example const pot = new RemotePotSource(chain); NodeService.start({ chain, timekeeper: false, potSource: pot, extendRouter: (r) => pot.register(r) })
 */
export class RemotePotSource implements PotSource {
  private readonly chain: Pick<ChainApi, 'authoringContext' | 'head' | 'on' | 'off'>;
  private expected: PotNextSlotInput;
  private readonly listeners = new Set<(p: PotSlotProof) => void>();
  private readonly recent = new Map<bigint, PotSlotProof>();
  /** Proofs accepted and refused. */
  readonly stats = { accepted: 0, refused: 0 };
  private readonly onHead = () => this.followParameters();

  constructor(chain: Pick<ChainApi, 'authoringContext' | 'head' | 'on' | 'off'>) {
    this.chain = chain;
    this.expected = chain.authoringContext().nextSlotInput;
    chain.on('newHead', this.onHead);
  }

  /** Stops following the chain's parameter changes (the source takes no more proofs after this). */
  close(): void {
    this.chain.off('newHead', this.onHead);
    this.listeners.clear();
  }

  onProof(listener: (proof: PotSlotProof) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private followParameters(): void {
    const change = this.chain.authoringContext().potParametersChange;
    if (change === undefined) return;
    const before = this.recent.get(change.slot - 1n);
    const at = this.recent.get(change.slot);
    if (before === undefined || at === undefined) return;
    const want = nextSlotInput(
      before.slot,
      before.slotIterations,
      potCheckpointsOutput(before.checkpoints),
      change,
    );
    if (equalBytes(want.seed, at.seed) && want.slotIterations === at.slotIterations) return;
    for (const s of this.recent.keys()) if (s >= change.slot) this.recent.delete(s);
    this.expected = want;
  }

  /** Adds `autonomys_potNextSlotInput` and `autonomys_submitPotProof` to a router. */
  register(router: RpcRouter): void {
    router.method('autonomys_potNextSlotInput', () => {
      const head = this.chain.head();
      return {
        slot: u64ToJson(this.expected.slot),
        slotIterations: this.expected.slotIterations,
        seed: toHex(this.expected.seed),
        parametersChange: changeToJson(this.chain.authoringContext().potParametersChange),
        catchUpTo: u64ToJson(head.number === 0 ? 0n : head.slot + 4n),
      };
    });
    router.method('autonomys_submitPotProof', async (p) => {
      const method = 'autonomys_submitPotProof';
      const o = objectParam(method, p, 0, 'proof');
      let proof: PotSlotProof;
      try {
        proof = {
          slot: u64FromJson(o.slot, 'slot'),
          slotIterations: Number(u64FromJson(o.slotIterations, 'slotIterations')),
          seed: bytesFromJson(o.seed, 'seed', 16),
          checkpoints: bytesFromJson(o.checkpoints, 'checkpoints', 128),
        };
      } catch (e) {
        throw new RpcError({ code: 'RPC_INVALID_PARAMS', method, reason: (e as Error).message });
      }
      const want = this.expected;
      if (
        proof.slot !== want.slot ||
        proof.slotIterations !== want.slotIterations ||
        !equalBytes(proof.seed, want.seed)
      ) {
        this.stats.refused++;
        throw new RpcError({
          code: 'RPC_REJECTED',
          method,
          reason: `not the expected input (slot ${want.slot})`,
        });
      }
      if (!(await verifyAsync(proof.seed, proof.slotIterations, proof.checkpoints))) {
        this.stats.refused++;
        throw new RpcError({ code: 'RPC_REJECTED', method, reason: 'checkpoints do not verify' });
      }
      if (this.expected !== want)
        throw new RpcError({ code: 'RPC_REJECTED', method, reason: 'the expected input changed' });
      this.stats.accepted++;
      this.recent.set(proof.slot, proof);
      for (const s of this.recent.keys()) if (s + 64n < proof.slot) this.recent.delete(s);
      this.expected = nextSlotInput(
        proof.slot,
        proof.slotIterations,
        potCheckpointsOutput(proof.checkpoints),
        this.chain.authoringContext().potParametersChange,
      );
      for (const l of [...this.listeners]) {
        try {
          l(proof);
        } catch {
          // a consumer's failure does not refuse the proof
        }
      }
      return true;
    });
  }
}

/** Options of {@link runRemoteTimekeeper}. */
export interface RemoteTimekeeperOptions {
  url: string;
  slotDurationMs?: number;
  signal?: AbortSignal;
  onEvent?: (line: string) => void;
}

function changeFromJson(v: unknown) {
  if (v === null || v === undefined || typeof v !== 'object') return undefined;
  const o = v as Record<string, unknown>;
  return {
    slot: u64FromJson(o.slot, 'change.slot'),
    slotIterations: Number(u64FromJson(o.slotIterations, 'change.slotIterations')),
    entropy: bytesFromJson(o.entropy, 'change.entropy', 32),
  };
}

/**
 * The timekeeper side: proves what the node expects, submits each proof, and starts over from the
 * node's expected input whenever a proof is refused (the node restarted, a parameters change).
 * Resolves when `signal` aborts.
 */
export async function runRemoteTimekeeper(opts: RemoteTimekeeperOptions): Promise<void> {
  const say = (line: string) => opts.onEvent?.(line);
  const client = new RpcClient(opts.url, { minReconnectDelayMs: 200 });
  const fetchInput = async () => {
    const r = await client.request<Record<string, unknown>>('autonomys_potNextSlotInput');
    return {
      input: {
        slot: u64FromJson(r.slot, 'slot'),
        slotIterations: Number(u64FromJson(r.slotIterations, 'slotIterations')),
        seed: bytesFromJson(r.seed, 'seed', 16),
      },
      change: changeFromJson(r.parametersChange),
      catchUpTo: u64FromJson(r.catchUpTo, 'catchUpTo'),
    };
  };
  const first = await fetchInput();
  say(
    `timekeeper: proving from slot ${first.input.slot} (${first.input.slotIterations} iterations) for ${opts.url}`,
  );
  const tk = new TimekeeperRole({
    input: first.input,
    parametersChange: first.change,
    slotDurationMs: opts.slotDurationMs ?? 1000,
    catchUpTo: first.catchUpTo,
  });
  let resyncing = false;
  const resync = async (why: string) => {
    if (resyncing) return;
    resyncing = true;
    try {
      const next = await fetchInput();
      say(`timekeeper: restarting at slot ${next.input.slot} (${why})`);
      tk.setParametersChange(next.change);
      tk.setInput(next.input);
    } catch {
      // the node is away; the next refused proof retries
    } finally {
      resyncing = false;
    }
  };
  tk.onProof((p) => {
    client
      .request('autonomys_submitPotProof', [
        {
          slot: u64ToJson(p.slot),
          slotIterations: p.slotIterations,
          seed: toHex(p.seed),
          checkpoints: toHex(p.checkpoints),
        },
      ])
      .then(() => say(`slot ${p.slot} proved and accepted`))
      .catch((e) => void resync((e as Error).message));
  });
  const heads = await client.subscribe(
    'chain_subscribeNewHeads',
    [],
    'chain_newHead',
    'chain_unsubscribeNewHeads',
    () => {
      void fetchInput()
        .then((r) => tk.setParametersChange(r.change))
        .catch(() => {});
    },
  );
  client.addEventListener('connected', () => void resync('reconnected'));
  tk.start();
  await new Promise<void>((resolve) => {
    if (opts.signal?.aborted) resolve();
    opts.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await heads.unsubscribe();
  await tk.stop();
  await client.close();
}

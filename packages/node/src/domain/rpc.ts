/**
 * JSON-RPC methods of a domain run by this node (`autonomys dev --domain`): users submit signed
 * domain transactions (`BalancesRuntime` extrinsics, e.g. from `signBalancesExtrinsic`), which go
 * to the operators' pools, end in bundles, are executed in the derived domain blocks, and show in
 * the domain state read back here.
 *
 * - `domain_submitExtrinsic(0x body)` → `0x` BLAKE2-256 of the body. Checked first against the
 *   newest derived domain state (decodes, is signed and not an inherent, valid signature, the
 *   account's next nonce, balance for the fee): `RPC_REJECTED` otherwise (so one transaction per
 *   account per domain block); malformed hex `RPC_INVALID_PARAMS`.
 * - `domain_getAccount(0x accountId)` → `{ free, nonce, domainBlockNumber }` (`free` a decimal
 *   string) in the newest derived domain block.
 * - `domain_getHead()` → `{ domainId, domainBlockNumber, stateRoot, receiptHash, headReceiptNumber,
 *   latestConfirmed, pending }`: the newest derived block, the chain's head receipt number and
 *   latest confirmed domain block number, and the transactions still in the pool.
 */

import { OverlayState, receiptHash } from '@autonomys/decex';
import { blake2b256 } from '../chain/hash.js';
import { RpcError } from '../rpc/errors.js';
import type { RpcRouter } from '../rpc/jsonrpc.js';
import { hexParam, toHex } from '../rpc/params.js';
import type { DomainOperatorRole } from './operator.js';
import { type DomainGenesisConfig, type DomainsState, domainRuntime } from './runtime.js';
import type { Watchtower } from './watchtower.js';

/** What the methods read (a `DevDomain` is one). */
export interface DomainRpcSource {
  readonly config: DomainGenesisConfig;
  readonly operators: readonly DomainOperatorRole[];
  readonly watchtower: Watchtower | undefined;
  submitTransaction(extrinsic: Uint8Array): void;
  /** The domain state at the best consensus block. */
  state(): DomainsState;
}

/** Adds the `domain_*` methods to a router (`source()` is `undefined` until the domain runs: `null` results). */
export function registerDomainRpc(router: RpcRouter, source: () => DomainRpcSource | undefined): void {
  const runtime = domainRuntime();
  const follower = (d: DomainRpcSource) => (d.watchtower?.follower ?? d.operators[0]?.follower)?.derive;
  const reject = (method: string, reason: string) => new RpcError({ code: 'RPC_REJECTED', method, reason });

  router.method('domain_submitExtrinsic', (p) => {
    const m = 'domain_submitExtrinsic';
    const body = hexParam(m, p, 0, 'extrinsic');
    const d = source();
    const derive = d === undefined ? undefined : follower(d);
    if (d === undefined || derive === undefined) throw reject(m, 'this node runs no domain');
    const info = runtime.inspect(body);
    if (info === undefined) throw reject(m, 'the extrinsic does not decode');
    if (info.isInherent || info.signer === undefined) throw reject(m, 'not a signed transaction');
    // Against the newest derived state: signature, nonce, fee balance (operators put pool
    // transactions into bundles as they are, so an invalid one must not get there).
    const state = derive.stateAt(derive.headNumber);
    if (state === undefined || !runtime.checkExtrinsic(new OverlayState(state), body))
      throw reject(m, 'invalid transaction (signature, nonce or balance) in the newest domain block');
    d.submitTransaction(body);
    return toHex(blake2b256(body));
  });

  router.method('domain_getAccount', (p) => {
    const id = hexParam('domain_getAccount', p, 0, 'accountId', 32);
    const d = source();
    const derive = d === undefined ? undefined : follower(d);
    const state = derive?.stateAt(derive.headNumber);
    if (derive === undefined || state === undefined) return null;
    const acc = runtime.account(state, id);
    return { free: acc.free.toString(), nonce: acc.nonce, domainBlockNumber: derive.headNumber };
  });

  router.method('domain_getHead', () => {
    const d = source();
    const derive = d === undefined ? undefined : follower(d);
    if (d === undefined || derive === undefined) return null;
    const n = derive.headNumber;
    const er = derive.receiptAt(n)!;
    const dc = d.state().domains.get(d.config.domainId);
    return {
      domainId: d.config.domainId,
      domainBlockNumber: n,
      stateRoot: toHex(er.finalStateRoot),
      receiptHash: toHex(receiptHash(er)),
      headReceiptNumber: dc?.headReceiptNumber ?? null,
      latestConfirmed: dc?.latestConfirmed.domainBlockNumber ?? null,
      pending: d.operators[0]?.pool.length ?? 0,
    };
  });
}

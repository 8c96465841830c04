import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ChainId,
  DecexError,
  DomainBalances,
  Messenger,
  Transporter,
  xdmRejected,
} from '../src/index.js';

const sum = (m: Map<string, bigint>) => [...m.values()].reduce((a, b) => a + b, 0n);
const acct = (i: number) => i.toString(16).padStart(64, '0');
const acctBytes = (i: number) => Uint8Array.from(Buffer.from(acct(i), 'hex'));

function reason(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof DecexError && e.type.code === 'DECEX_XDM_REJECTED') return e.type.reason;
    throw e;
  }
  throw new Error('no rejection');
}

/** Two chains with a channel, a transporter each, and a lossy relayer that retries. */
function setup(rejectAccount?: number) {
  const c = new Messenger('consensus');
  const d = new Messenger(0);
  c.openChannel(0, 0n);
  d.openChannel('consensus', 0n);
  const tc = new Transporter(c);
  const td = new Transporter(d, (a) => a !== (rejectAccount === undefined ? '' : acct(rejectAccount)));
  return { c, d, tc, td };
}

interface Pending {
  from: Messenger;
  to: Messenger;
  nonce: bigint;
  stage: 'request' | 'response';
}

function relayOnce(p: Pending): boolean {
  const src: ChainId = p.from.chainId;
  const dst: ChainId = p.to.chainId;
  if (p.stage === 'request') {
    const { stateRoot, proof } = p.from.proveOutbox(dst, 0n, p.nonce);
    try {
      p.to.relayMessage(src, 0n, p.nonce, stateRoot, proof);
    } catch (e) {
      // a retry of a delivered message is rejected without effect
      if (
        !(
          e instanceof DecexError &&
          e.type.code === 'DECEX_XDM_REJECTED' &&
          e.type.reason === 'MessageAlreadyDelivered'
        )
      )
        throw e;
    }
    p.stage = 'response';
    return false;
  }
  const { stateRoot, proof } = p.to.proveResponse(src, 0n, p.nonce);
  p.from.relayResponse(dst, 0n, p.nonce, stateRoot, proof);
  return true;
}

describe('XDM and the transporter', () => {
  it('a transfer consensus -> domain -> consensus with proofs, nonces and responses', () => {
    const { c, d, tc, td } = setup();
    tc.balances.set(acct(1), 100n);
    const m = tc.transfer(acct(1), 0, 0n, acctBytes(2), 40n);
    expect(m.nonce).toBe(0n);
    expect(tc.total()).toBe(100n);
    const p: Pending = { from: c, to: d, nonce: 0n, stage: 'request' };
    relayOnce(p);
    expect(td.balance(acct(2))).toBe(40n);
    // replay is rejected, state unchanged
    const { stateRoot, proof } = c.proveOutbox(0, 0n, 0n);
    expect(reason(() => d.relayMessage('consensus', 0n, 0n, stateRoot, proof))).toBe(
      'MessageAlreadyDelivered',
    );
    expect(td.balance(acct(2))).toBe(40n);
    relayOnce(p);
    expect(tc.inFlight.size).toBe(0);
    expect(c.channel(0, 0n)!.latestResponseReceivedMessageNonce).toBe(0n);
    // and back
    td.transfer(acct(2), 'consensus', 0n, acctBytes(1), 15n);
    const back: Pending = { from: d, to: c, nonce: 0n, stage: 'request' };
    relayOnce(back);
    relayOnce(back);
    expect(tc.balance(acct(1))).toBe(75n);
    expect(td.balance(acct(2))).toBe(25n);
  });

  it('bad proofs, gaps and unknown channels are typed rejections', () => {
    const { c, d, tc } = setup();
    tc.balances.set(acct(1), 100n);
    tc.transfer(acct(1), 0, 0n, acctBytes(2), 1n);
    tc.transfer(acct(1), 0, 0n, acctBytes(2), 1n);
    const p1 = c.proveOutbox(0, 0n, 1n);
    expect(reason(() => d.relayMessage('consensus', 0n, 1n, p1.stateRoot, p1.proof))).toBe(
      'InvalidMessageNonce',
    );
    const p0 = c.proveOutbox(0, 0n, 0n);
    expect(reason(() => d.relayMessage('consensus', 0n, 0n, new Uint8Array(32), p0.proof))).toBe('BadProof');
    expect(reason(() => d.relayMessage('consensus', 0n, 0n, p0.stateRoot, p0.proof.slice(1)))).toBe(
      'BadProof',
    );
    expect(reason(() => tc.transfer(acct(1), 0, 5n, acctBytes(2), 1n))).toBe('MissingChannel');
    expect(reason(() => tc.transfer(acct(9), 0, 0n, acctBytes(2), 1n))).toBe('InsufficientBalance');
    expect(xdmRejected('OutboxFull').code).toBe('DECEX_XDM_REJECTED');
  });

  it('a rejected transfer is claimed back by the sender', () => {
    const { c, d, tc, td } = setup(7);
    tc.balances.set(acct(1), 10n);
    tc.transfer(acct(1), 0, 0n, acctBytes(7), 10n);
    const p: Pending = { from: c, to: d, nonce: 0n, stage: 'request' };
    relayOnce(p);
    relayOnce(p);
    expect(tc.balance(acct(1))).toBe(10n);
    expect(td.balance(acct(7))).toBe(0n);
  });

  it('balance is conserved under random transfers, message loss and retries (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            dir: fc.boolean(),
            from: fc.integer({ min: 1, max: 4 }),
            to: fc.integer({ min: 1, max: 5 }),
            amount: fc.bigInt({ min: 1n, max: 60n }),
          }),
          { minLength: 1, maxLength: 25 },
        ),
        fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }),
        (ops, lossPattern) => {
          const { c, d, tc, td } = setup(5); // account 5 does not exist on the domain: those transfers bounce
          for (let i = 1; i <= 4; i++) {
            tc.balances.set(acct(i), 100n);
            td.balances.set(acct(i), 100n);
          }
          const initial = tc.total() + td.total();
          const pending: Pending[] = [];
          let loss = 0;
          const lossy = () => lossPattern[loss++ % lossPattern.length]!;
          for (const op of ops) {
            const [from, to, t] = op.dir ? [c, d, tc] : [d, c, td];
            try {
              const m = t.transfer(acct(op.from), to.chainId, 0n, acctBytes(op.to), op.amount);
              pending.push({ from, to, nonce: m.nonce, stage: 'request' });
            } catch (e) {
              expect((e as DecexError).code).toBe('DECEX_XDM_REJECTED');
            }
            // the relayer tries each pending message; some attempts are lost (and retried later)
            for (const p of [...pending]) {
              if (lossy()) continue;
              // messages must be delivered in nonce order per direction: only the oldest request moves
              const older = pending.find(
                (q) => q.from === p.from && q.stage === 'request' && q.nonce < p.nonce,
              );
              if (p.stage === 'request' && older) continue;
              if (relayOnce(p)) pending.splice(pending.indexOf(p), 1);
            }
            // between a delivery and its response the amount is both credited and still in flight on
            // the source, so mid-flight: balances alone never exceed the start, balances + in-flight never fall short
            const bal = sum(tc.balances) + sum(td.balances);
            expect(bal <= initial).toBe(true);
            expect(bal + sum(tc.inFlight) + sum(td.inFlight) >= initial).toBe(true);
          }
          // drain with retries (a lost relay is simply attempted again)
          for (let round = 0; round < 1000 && pending.length > 0; round++) {
            const p = pending.filter(
              (q) =>
                !(
                  q.stage === 'request' &&
                  pending.some((r) => r.from === q.from && r.stage === 'request' && r.nonce < q.nonce)
                ),
            )[0]!;
            if (lossy()) continue;
            if (relayOnce(p)) pending.splice(pending.indexOf(p), 1);
          }
          expect(pending).toEqual([]);
          expect(tc.inFlight.size + td.inFlight.size).toBe(0);
          expect(tc.total() + td.total()).toBe(initial);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('DomainBalances never lets a domain go negative and changes nothing on failure', () => {
    const b = new DomainBalances();
    b.initialize(0, 100n);
    const t = (out: bigint, inn = 0n) => ({
      transfersIn: new Map<ChainId, bigint>(inn ? [['consensus', inn]] : []),
      transfersOut: new Map<ChainId, bigint>(out ? [['consensus', out]] : []),
      rejectedTransfersClaimed: new Map(),
      transfersRejected: new Map(),
    });
    b.applyReceiptTransfers(0, t(30n, 10n));
    expect(b.balance(0)).toBe(80n);
    expect(reason(() => b.applyReceiptTransfers(0, t(81n)))).toBe('DomainBalanceUnderflow');
    expect(b.balance(0)).toBe(80n);
    expect(reason(() => b.applyReceiptTransfers(0, { ...t(0n), transfersIn: new Map([[0, 1n]]) }))).toBe(
      'InvalidChain',
    );
  });
});

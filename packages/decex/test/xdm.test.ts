import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ChainId,
  DecexError,
  DomainBalances,
  decodeChannel,
  encodeChannel,
  FIXED_U128_ONE,
  Messenger,
  type MessengerOptions,
  Transporter,
  xdmRejected,
} from '../src/index.js';

const sum = (m: Map<unknown, bigint>) => [...m.values()].reduce((a, b) => a + b, 0n);
const acct = (i: number) => i.toString(16).padStart(64, '0');
const acctBytes = (i: number) => Uint8Array.from(Buffer.from(acct(i), 'hex'));

/** Fees small enough for hand-checked tests: the transporter's weights at 1e-7 Shannon per ref_time. */
const FEE_MODEL = {
  transactionWeightFee: 1n,
  feeMultiplier: FIXED_U128_ONE / 10_000_000n,
  xdmFeeMultiplier: 5n,
};
const DST_FEE = 35n; // floor(76_260_000 · 1e-7) · 5
const SRC_FEE = 65n; // floor(139_909_000 · 1e-7) · 5
const FEE = DST_FEE + SRC_FEE;
const RESERVE = 1_000n;
const OWNER = 100;

function reason(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof DecexError && e.type.code === 'DECEX_XDM_REJECTED') return e.type.reason;
    if (e instanceof DecexError) return e.type.code;
    throw e;
  }
  throw new Error('no rejection');
}

/** Relays a request (`stage` request) or its response from `from` to `to` with storage proofs. */
function relay(
  from: Messenger,
  to: Messenger,
  channelId: bigint,
  nonce: bigint,
  stage: 'request' | 'response',
): void {
  if (stage === 'request') {
    const { stateRoot, proof } = from.proveOutbox(to.chainId, channelId, nonce);
    to.relayMessage(from.chainId, channelId, nonce, stateRoot, proof);
  } else {
    const { stateRoot, proof } = to.proveResponse(from.chainId, channelId, nonce);
    from.relayResponse(to.chainId, channelId, nonce, stateRoot, proof);
  }
}
/** Request and response. */
function roundTrip(from: Messenger, to: Messenger, channelId: bigint, nonce: bigint): void {
  relay(from, to, channelId, nonce, 'request');
  relay(from, to, channelId, nonce, 'response');
}

/** Consensus and domain 0 with a transporter each; `open` runs the handshake for channel 0. */
function setup(
  opts: {
    rejectAccount?: number;
    open?: boolean;
    domain?: MessengerOptions;
    consensus?: MessengerOptions;
  } = {},
) {
  const c = new Messenger('consensus', {
    feeModel: FEE_MODEL,
    channelReserveFee: RESERVE,
    ...opts.consensus,
  });
  const d = new Messenger(0, { feeModel: FEE_MODEL, channelReserveFee: RESERVE, ...opts.domain });
  const tc = new Transporter(c);
  const td = new Transporter(
    d,
    (a) => a !== (opts.rejectAccount === undefined ? '' : acct(opts.rejectAccount)),
  );
  c.balances.set(acct(OWNER), 5n * RESERVE);
  if (opts.open !== false) {
    c.initiateChannel(acct(OWNER), 0);
    roundTrip(c, d, 0n, 0n);
  }
  return { c, d, tc, td };
}

/** Everything both chains account for, plus fees and amounts in transit between them. */
function grandTotal(c: Messenger, d: Messenger, tc: Transporter, td: Transporter): bigint {
  const inTransit = (a: Messenger, b: Messenger) =>
    (a.feesOut.get(b.chainId) ?? 0n) - (b.feesIn.get(a.chainId) ?? 0n);
  return c.total() + d.total() + inTransit(c, d) + inTransit(d, c) + sum(tc.inFlight) + sum(td.inFlight);
}

describe('XDM channel handshake', () => {
  it('initiate -> ChannelOpen relayed with a proof -> response opens the source side', () => {
    const { c, d, tc, td } = setup({ open: false });
    tc.balances.set(acct(1), 1_000n);
    const { channelId, message } = c.initiateChannel(acct(OWNER), 0);
    expect(channelId).toBe(0n);
    expect(message.payload).toEqual({ type: 'ProtocolChannelOpen', maxOutgoingMessages: 10_000 });
    expect(c.balance(acct(OWNER))).toBe(4n * RESERVE);
    expect(c.held.get(acct(OWNER))).toBe(RESERVE);
    const ch = c.channel(0, 0n)!;
    expect(ch.state).toBe('Initiated');
    expect(ch.channelReserveFee).toBe(RESERVE);
    expect(ch.maybeOwner).toEqual(acctBytes(OWNER));
    expect(decodeChannel(encodeChannel(ch))).toEqual(ch);
    // nothing can be sent before the channel is open
    expect(reason(() => tc.transfer(acct(1), 0, 0n, acctBytes(2), 1n))).toBe('InvalidChannelState');
    expect(d.channel('consensus', 0n)).toBeUndefined();

    relay(c, d, 0n, 0n, 'request');
    const dch = d.channel('consensus', 0n)!;
    expect(dch.state).toBe('Open');
    expect(dch.maybeOwner).toBeUndefined();
    expect(dch.channelReserveFee).toBe(0n);
    expect(dch.nextInboxNonce).toBe(1n);
    // the destination may already send; the source rejects it until it sees the response
    d.balances.set(acct(3), 500n);
    const early = td.transfer(acct(3), 'consensus', 0n, acctBytes(4), 10n);
    expect(reason(() => relay(d, c, 0n, early.nonce, 'request'))).toBe('InvalidChannelState');
    // replaying the open request changes nothing
    expect(reason(() => relay(c, d, 0n, 0n, 'request'))).toBe('MessageAlreadyDelivered');

    relay(c, d, 0n, 0n, 'response');
    expect(c.channel(0, 0n)!.state).toBe('Open');
    expect(c.channel(0, 0n)!.latestResponseReceivedMessageNonce).toBe(0n);
    expect(reason(() => relay(c, d, 0n, 0n, 'response'))).toBe('MessageAlreadyDelivered');
    // the early message is accepted now
    roundTrip(d, c, 0n, early.nonce);
    expect(c.balance(acct(4))).toBe(10n);
    // a second channel to the same chain gets the next id and its own handshake
    const second = c.initiateChannel(acct(OWNER), 0);
    expect(second.channelId).toBe(1n);
    roundTrip(c, d, 1n, 0n);
    expect(c.channel(0, 1n)!.state).toBe('Open');
    expect(d.channel('consensus', 1n)!.state).toBe('Open');
  });

  it('a rejected open leaves the channel Initiated; closing it keeps 20% of the reserve as protocol fee', () => {
    const { c, d, tc } = setup({ open: false, domain: { allowlist: [] } });
    tc.balances.set(acct(1), 1_000n);
    c.initiateChannel(acct(OWNER), 0);
    roundTrip(c, d, 0n, 0n);
    expect(d.channel('consensus', 0n)!.state).toBe('Initiated');
    expect(c.channel(0, 0n)!.state).toBe('Initiated');
    expect(reason(() => tc.transfer(acct(1), 0, 0n, acctBytes(2), 1n))).toBe('InvalidChannelState');
    const before = c.total();
    const close = c.closeChannel(0, 0n, { type: 'Owner', account: acct(OWNER) });
    expect(close.payload).toEqual({ type: 'ProtocolChannelClose' });
    expect(c.channel(0, 0n)!.state).toBe('Closed');
    expect(c.held.get(acct(OWNER))).toBe(0n);
    expect(c.balance(acct(OWNER))).toBe(5n * RESERVE - 200n);
    expect(c.pendingRewards().chainProtocolFees.get(0)).toBe(200n);
    expect(c.total()).toBe(before);
    roundTrip(c, d, 0n, 1n);
    expect(d.channel('consensus', 0n)!.state).toBe('Closed');
    expect(c.takeRewards().chainProtocolFees.get(0)).toBe(200n);
    expect(c.pendingRewards().chainProtocolFees.size).toBe(0);
  });

  it('close: owner or root only, full refund of an open channel, rejections change nothing', () => {
    const { c, d } = setup();
    expect(reason(() => c.closeChannel(0, 0n, { type: 'Owner', account: acct(7) }))).toBe('ChannelOwner');
    expect(reason(() => c.closeChannel(0, 9n, { type: 'Sudo' }))).toBe('MissingChannel');
    // the destination side has no owner: only root closes it there
    expect(reason(() => d.closeChannel('consensus', 0n, { type: 'Owner', account: acct(OWNER) }))).toBe(
      'ChannelOwner',
    );
    expect(c.channel(0, 0n)!.state).toBe('Open');
    c.closeChannel(0, 0n, { type: 'Owner', account: acct(OWNER) });
    expect(c.balance(acct(OWNER))).toBe(5n * RESERVE);
    expect(c.pendingRewards().chainProtocolFees.size).toBe(0);
    expect(reason(() => c.closeChannel(0, 0n, { type: 'Sudo' }))).toBe('InvalidChannelState');
    roundTrip(c, d, 0n, 1n);
    expect(d.channel('consensus', 0n)!.state).toBe('Closed');
    // root may close a channel it does not own (here a fresh one on the domain side)
    const { c: c2, d: d2 } = setup();
    d2.closeChannel('consensus', 0n, { type: 'Sudo' });
    roundTrip(d2, c2, 0n, 0n);
    expect(c2.channel(0, 0n)!.state).toBe('Closed');
    expect(c2.balance(acct(OWNER))).toBe(5n * RESERVE); // the owner's reserve is released on the close request
  });

  it('initiate: self, missing reserve, outbox back pressure', () => {
    const c = new Messenger('consensus', {
      feeModel: FEE_MODEL,
      channelReserveFee: RESERVE,
      maxOutgoingMessages: 2,
    });
    const d = new Messenger(0, { feeModel: FEE_MODEL, channelReserveFee: RESERVE });
    const tc = new Transporter(c);
    new Transporter(d);
    expect(reason(() => c.initiateChannel(acct(1), 'consensus'))).toBe('InvalidChain');
    expect(reason(() => c.initiateChannel(acct(1), 0))).toBe('InsufficientBalance');
    expect(c.total()).toBe(0n);
    c.balances.set(acct(1), RESERVE + 10n * FEE + 10n);
    c.initiateChannel(acct(1), 0);
    roundTrip(c, d, 0n, 0n);
    tc.transfer(acct(1), 0, 0n, acctBytes(2), 1n);
    tc.transfer(acct(1), 0, 0n, acctBytes(2), 1n);
    expect(reason(() => tc.transfer(acct(1), 0, 0n, acctBytes(2), 1n))).toBe('OutboxFull');
    expect(reason(() => c.closeChannel(0, 0n, { type: 'Sudo' }))).toBe('OutboxFull');
    roundTrip(c, d, 0n, 1n);
    tc.transfer(acct(1), 0, 0n, acctBytes(2), 1n);
  });

  it('closing while messages are in flight: they complete, later requests fail back', () => {
    const { c, d, tc, td } = setup();
    tc.balances.set(acct(1), 1_000n);
    td.balances.set(acct(5), 1_000n);
    const start = grandTotal(c, d, tc, td);
    const m1 = tc.transfer(acct(1), 0, 0n, acctBytes(2), 100n);
    const m2 = tc.transfer(acct(1), 0, 0n, acctBytes(2), 50n);
    const back = td.transfer(acct(5), 'consensus', 0n, acctBytes(6), 70n); // sent before the close arrives
    const close = c.closeChannel(0, 0n, { type: 'Owner', account: acct(OWNER) });
    expect(reason(() => tc.transfer(acct(1), 0, 0n, acctBytes(2), 1n))).toBe('InvalidChannelState');
    expect(grandTotal(c, d, tc, td)).toBe(start);
    for (const n of [m1.nonce, m2.nonce, close.nonce]) relay(c, d, 0n, n, 'request');
    expect(d.channel('consensus', 0n)!.state).toBe('Closed');
    expect(td.balance(acct(2))).toBe(150n);
    expect(reason(() => td.transfer(acct(5), 'consensus', 0n, acctBytes(6), 1n))).toBe('InvalidChannelState');
    for (const n of [m1.nonce, m2.nonce, close.nonce]) relay(c, d, 0n, n, 'response');
    expect(tc.inFlight.size).toBe(0);
    // the domain's request reaches a closed channel: its fee is kept, the amount comes back
    roundTrip(d, c, 0n, back.nonce);
    expect(c.balance(acct(6))).toBe(0n);
    expect(td.balance(acct(5))).toBe(1_000n - FEE);
    expect(td.inFlight.size).toBe(0);
    expect(c.balance(acct(OWNER))).toBe(5n * RESERVE);
    expect(grandTotal(c, d, tc, td)).toBe(start);
  });
});

describe('XDM fees and the transporter', () => {
  it('a transfer consensus -> domain -> consensus: proofs, nonces, responses and fees', () => {
    const { c, d, tc, td } = setup();
    tc.balances.set(acct(1), 1_000n);
    const start = grandTotal(c, d, tc, td);
    expect(tc.fee()).toEqual({ srcChainFee: SRC_FEE, dstChainFee: DST_FEE });
    const m = tc.transfer(acct(1), 0, 0n, acctBytes(2), 400n);
    expect(m.nonce).toBe(1n); // nonce 0 was the ChannelOpen
    expect(m.payload.type === 'EndpointRequest' && m.payload.collectedFee).toEqual({
      srcChainFee: SRC_FEE,
      dstChainFee: DST_FEE,
    });
    expect(tc.balance(acct(1))).toBe(1_000n - 400n - FEE);
    expect(c.outboxFeesOnHold).toBe(SRC_FEE);
    expect(c.feesOut.get(0)).toBe(DST_FEE);
    expect(grandTotal(c, d, tc, td)).toBe(start);
    relay(c, d, 0n, 1n, 'request');
    expect(td.balance(acct(2))).toBe(400n);
    expect(d.inboxFeesOnHold).toBe(DST_FEE);
    expect(d.feesIn.get('consensus')).toBe(DST_FEE);
    // replay is rejected, state unchanged
    expect(reason(() => relay(c, d, 0n, 1n, 'request'))).toBe('MessageAlreadyDelivered');
    expect(td.balance(acct(2))).toBe(400n);
    relay(c, d, 0n, 1n, 'response');
    expect(tc.inFlight.size).toBe(0);
    expect(c.outboxFeesOnHold).toBe(0n);
    expect(c.pendingRewards().operatorRewards).toBe(SRC_FEE);
    // the destination rewards its inbox fee once the source confirms it has the response
    expect(d.pendingRewards().operatorRewards).toBe(0n);
    tc.transfer(acct(1), 0, 0n, acctBytes(2), 1n);
    relay(c, d, 0n, 2n, 'request');
    expect(d.pendingRewards().operatorRewards).toBe(DST_FEE);
    expect(d.inboxFeesOnHold).toBe(DST_FEE);
    relay(c, d, 0n, 2n, 'response');
    // and back
    td.transfer(acct(2), 'consensus', 0n, acctBytes(1), 150n);
    roundTrip(d, c, 0n, 0n);
    expect(tc.balance(acct(1))).toBe(1_000n - 401n - 2n * FEE + 150n);
    expect(td.balance(acct(2))).toBe(401n - 150n - FEE);
    expect(grandTotal(c, d, tc, td)).toBe(start);
    // the rewards leave the messengers when the runtime takes them
    const rc = c.takeRewards();
    // two responses received here; the domain's request is rewarded once the domain confirms its response
    expect(rc.operatorRewards).toBe(2n * SRC_FEE);
    expect(c.inboxFeesOnHold).toBe(DST_FEE);
    expect(c.pendingRewards().operatorRewards).toBe(0n);
    expect(grandTotal(c, d, tc, td)).toBe(start - rc.operatorRewards);
  });

  it('fees are checked before anything changes', () => {
    const { c, d, tc } = setup();
    tc.balances.set(acct(1), 100n + FEE - 1n);
    expect(reason(() => tc.transfer(acct(1), 0, 0n, acctBytes(2), 100n))).toBe('InsufficientBalance');
    expect(tc.balance(acct(1))).toBe(100n + FEE - 1n);
    expect(c.outboxFeesOnHold).toBe(0n);
    expect(reason(() => tc.transfer(acct(1), 0, 0n, acctBytes(2), 0n))).toBe('InsufficientBalance');
    expect(reason(() => c.sendRequest(acct(1), 0, 0n, 77n, new Uint8Array(1)))).toBe('NoMessageHandler');
    expect(reason(() => c.sendRequest(acct(1), 'consensus', 0n, 1n, new Uint8Array(1)))).toBe('InvalidChain');
    expect(c.channel(0, 0n)!.nextOutboxNonce).toBe(1n);
    expect(d.channel('consensus', 0n)!.nextInboxNonce).toBe(1n);
  });

  it('bad proofs, gaps and unknown channels are typed rejections', () => {
    const { c, d, tc } = setup();
    tc.balances.set(acct(1), 1_000n);
    tc.transfer(acct(1), 0, 0n, acctBytes(2), 1n);
    tc.transfer(acct(1), 0, 0n, acctBytes(2), 1n);
    const p2 = c.proveOutbox(0, 0n, 2n);
    expect(reason(() => d.relayMessage('consensus', 0n, 2n, p2.stateRoot, p2.proof))).toBe(
      'InvalidMessageNonce',
    );
    const p1 = c.proveOutbox(0, 0n, 1n);
    expect(reason(() => d.relayMessage('consensus', 0n, 1n, new Uint8Array(32), p1.proof))).toBe('BadProof');
    expect(reason(() => d.relayMessage('consensus', 0n, 1n, p1.stateRoot, p1.proof.slice(1)))).toBe(
      'BadProof',
    );
    // a proof for another key: the message read does not match the claimed nonce
    expect(reason(() => d.relayMessage('consensus', 0n, 1n, p2.stateRoot, p2.proof))).toBe('BadProof');
    expect(reason(() => d.relayMessage('consensus', 3n, 0n, p1.stateRoot, p1.proof))).toBe('BadProof');
    expect(reason(() => tc.transfer(acct(1), 0, 5n, acctBytes(2), 1n))).toBe('MissingChannel');
    expect(reason(() => tc.transfer(acct(9), 0, 0n, acctBytes(2), 1n))).toBe('InsufficientBalance');
    // responses: out of order, unknown channel, before the request was relayed
    relay(c, d, 0n, 1n, 'request');
    relay(c, d, 0n, 2n, 'request');
    expect(reason(() => relay(c, d, 0n, 2n, 'response'))).toBe('InvalidMessageNonce');
    const r1 = d.proveResponse('consensus', 0n, 1n);
    expect(reason(() => c.relayResponse(0, 4n, 1n, r1.stateRoot, r1.proof))).toBe('MissingChannel');
    expect(reason(() => c.relayResponse(0, 0n, 1n, new Uint8Array(32), r1.proof))).toBe('BadProof');
    relay(c, d, 0n, 1n, 'response');
    relay(c, d, 0n, 2n, 'response');
    expect(reason(() => relay(c, d, 0n, 2n, 'response'))).toBe('MessageAlreadyDelivered');
    // a message on a channel the destination never opened
    const other = new Messenger(1, { feeModel: FEE_MODEL });
    const po = c.proveOutbox(0, 0n, 1n);
    expect(reason(() => other.relayMessage('consensus', 0n, 1n, po.stateRoot, po.proof))).toBe('BadProof');
    expect(xdmRejected('OutboxFull').code).toBe('DECEX_XDM_REJECTED');
  });

  it('a message on a channel the destination has not seen opened waits (InvalidMessageNonce)', () => {
    const c = new Messenger('consensus', { feeModel: FEE_MODEL, channelReserveFee: RESERVE });
    const d = new Messenger(0, { feeModel: FEE_MODEL, channelReserveFee: RESERVE });
    const d2 = new Messenger(0, { feeModel: FEE_MODEL, channelReserveFee: RESERVE });
    const tc = new Transporter(c);
    new Transporter(d);
    c.balances.set(acct(1), 10_000n);
    c.initiateChannel(acct(1), 0);
    roundTrip(c, d, 0n, 0n);
    tc.transfer(acct(1), 0, 0n, acctBytes(2), 1n);
    // d2 is another instance of domain 0 that never saw the open request
    const p = c.proveOutbox(0, 0n, 1n);
    expect(reason(() => d2.relayMessage('consensus', 0n, 1n, p.stateRoot, p.proof))).toBe(
      'InvalidMessageNonce',
    );
    expect(d2.channel('consensus', 0n)).toBeUndefined();
  });

  it('a rejected transfer is claimed back by the sender; the fees are not refunded', () => {
    const { c, d, tc, td } = setup({ rejectAccount: 7 });
    tc.balances.set(acct(1), 10n + FEE);
    const m = tc.transfer(acct(1), 0, 0n, acctBytes(7), 10n);
    roundTrip(c, d, 0n, m.nonce);
    expect(tc.balance(acct(1))).toBe(10n);
    expect(td.balance(acct(7))).toBe(0n);
    expect(c.pendingRewards().operatorRewards).toBe(SRC_FEE);
    expect(d.inboxFeesOnHold).toBe(DST_FEE);
  });

  it('balance (with fees and reserves) is conserved through the handshake, random transfers, loss, retries and close (property)', () => {
    interface Pending {
      from: Messenger;
      to: Messenger;
      nonce: bigint;
      stage: 'request' | 'response';
    }
    /** One relay attempt; transient rejections (out of order, channel not yet open) are retried later. */
    const attempt = (p: Pending): boolean => {
      try {
        relay(p.from, p.to, 0n, p.nonce, p.stage);
      } catch (e) {
        const r = e instanceof DecexError && e.type.code === 'DECEX_XDM_REJECTED' ? e.type.reason : undefined;
        if (r === 'InvalidMessageNonce' || r === 'InvalidChannelState') return false;
        throw e;
      }
      if (p.stage === 'response') return true;
      p.stage = 'response';
      return false;
    };
    const seen = { delivered: 0, closedOpen: 0, closedInitiated: 0 };
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            dir: fc.boolean(),
            from: fc.integer({ min: 1, max: 4 }),
            to: fc.integer({ min: 1, max: 5 }),
            amount: fc.bigInt({ min: 1n, max: 600n }),
          }),
          { minLength: 1, maxLength: 25 },
        ),
        fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }),
        fc.boolean(),
        (ops, lossPattern, closeAtEnd) => {
          // account 5 does not exist on the domain: those transfers bounce
          const { c, d, tc, td } = setup({ rejectAccount: 5, open: false });
          for (let i = 1; i <= 4; i++) {
            tc.balances.set(acct(i), 1_000n);
            td.balances.set(acct(i), 1_000n);
          }
          const initial = grandTotal(c, d, tc, td);
          const pending: Pending[] = [];
          let loss = 0;
          const lossy = () => lossPattern[loss++ % lossPattern.length]!;
          // the handshake goes through the same lossy relayer
          c.initiateChannel(acct(OWNER), 0);
          pending.push({ from: c, to: d, nonce: 0n, stage: 'request' });
          const step = () => {
            for (const p of [...pending]) {
              if (lossy()) continue;
              if (attempt(p)) pending.splice(pending.indexOf(p), 1);
            }
          };
          for (const op of ops) {
            const [from, to, t] = op.dir ? [c, d, tc] : [d, c, td];
            try {
              const m = t.transfer(acct(op.from), to.chainId, 0n, acctBytes(op.to), op.amount);
              pending.push({ from, to, nonce: m.nonce, stage: 'request' });
            } catch (e) {
              // not yet open (or no such channel yet), or not enough for amount + fees
              expect(['InvalidChannelState', 'MissingChannel', 'InsufficientBalance']).toContain(
                reason(() => {
                  throw e;
                }),
              );
            }
            step();
            // fees are exact at every moment; a transfer amount is counted twice between its
            // delivery and its response, and is in flight only before the response
            const total = grandTotal(c, d, tc, td);
            expect(total >= initial).toBe(true);
            expect(total - sum(tc.inFlight) - sum(td.inFlight) <= initial).toBe(true);
          }
          const openAtClose = c.channel(0, 0n)!.state === 'Open';
          if (closeAtEnd) {
            const m = c.closeChannel(0, 0n, { type: 'Owner', account: acct(OWNER) });
            pending.push({ from: c, to: d, nonce: m.nonce, stage: 'request' });
          }
          // drain with retries (a lost relay is simply attempted again)
          for (let round = 0; round < 2_000 && pending.length > 0; round++) step();
          expect(pending).toEqual([]);
          expect(tc.inFlight.size + td.inFlight.size).toBe(0);
          expect(grandTotal(c, d, tc, td)).toBe(initial);
          // every fee sent arrived, and the reserve is back with its owner (all of it if the
          // channel was open at the close, else less the 20% protocol fee for the domain)
          expect(c.feesOut.get(0) ?? 0n).toBe(d.feesIn.get('consensus') ?? 0n);
          expect(d.feesOut.get('consensus') ?? 0n).toBe(c.feesIn.get(0) ?? 0n);
          seen.delivered += Number(
            c.channel(0, 0n)!.nextInboxNonce + d.channel('consensus', 0n)!.nextInboxNonce,
          );
          if (closeAtEnd) {
            seen[openAtClose ? 'closedOpen' : 'closedInitiated']++;
            expect(c.balance(acct(OWNER))).toBe(5n * RESERVE - (openAtClose ? 0n : RESERVE / 5n));
            expect(c.pendingRewards().chainProtocolFees.get(0) ?? 0n).toBe(openAtClose ? 0n : RESERVE / 5n);
            expect(d.channel('consensus', 0n)!.state).toBe('Closed');
          } else expect(c.channel(0, 0n)!.state).toBe('Open');
        },
      ),
      { numRuns: 40 },
    );
    // the runs did move messages and closed channels in both states
    expect(seen.delivered).toBeGreaterThan(40);
    expect(seen.closedOpen).toBeGreaterThan(0);
    expect(seen.closedInitiated).toBeGreaterThan(0);
  });

  it('random proofs and roots are typed rejections that change nothing (fuzz)', () => {
    const { c, d, tc } = setup();
    tc.balances.set(acct(1), 1_000n);
    tc.transfer(acct(1), 0, 0n, acctBytes(2), 5n);
    const real = c.proveOutbox(0, 0n, 1n);
    const before = { ch: d.channel('consensus', 0n), total: d.total(), root: d.state.root() };
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 4 }),
        fc.boolean(),
        fc.bigInt({ min: 0n, max: 3n }),
        (junk, realRoot, nonce) => {
          const root = realRoot ? real.stateRoot : new Uint8Array(32).fill(nonce === 0n ? 1 : 2);
          for (const f of [
            () => d.relayMessage('consensus', 0n, nonce, root, junk),
            () => d.relayMessage('consensus', 0n, nonce, root, [...real.proof.slice(1), ...junk]),
            () => c.relayResponse(0, 0n, nonce, root, junk),
          ]) {
            let code: string | undefined;
            try {
              f();
            } catch (e) {
              code = e instanceof DecexError ? e.type.code : 'untyped';
            }
            expect(code).toBe('DECEX_XDM_REJECTED');
          }
          expect(d.channel('consensus', 0n)).toEqual(before.ch);
          expect(d.total()).toBe(before.total);
          expect(d.state.root()).toEqual(before.root);
        },
      ),
      { numRuns: 150 },
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

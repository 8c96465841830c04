/**
 * Extrinsics and signing payloads against @polkadot/types (the oracle for Substrate's generic
 * formats), transfers signed by @polkadot/keyring verified by our node, trie roots, storage hashers.
 */

import { sr25519PairFromSeed } from '@autonomys/primitives';
import { Keyring } from '@polkadot/keyring';
import { TypeRegistry } from '@polkadot/types';
import { u8aToHex } from '@polkadot/util';
import { blake2AsU8a, cryptoWaitReady, signatureVerify, xxhashAsU8a } from '@polkadot/util-crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Call,
  decodeCall,
  decodeExtrinsic,
  decodeSignedVote,
  EMPTY_TRIE_ROOT,
  encodeCall,
  encodeExtrinsic,
  encodeSignedVote,
  IMMORTAL,
  mortalEra,
  NodeError,
  orderedTrieRoot,
  signExtrinsic,
  signingPayload,
  signVote,
  storagePrefix,
  trieRoot,
  twox128,
  verifyExtrinsicSignature,
  verifyVoteSignature,
  xxh64,
} from '../src/index.js';

const registry = new TypeRegistry();
registry.setSignedExtensions(
  [
    'CheckNonZeroSender',
    'CheckSpecVersion',
    'CheckTxVersion',
    'CheckGenesis',
    'CheckMortality',
    'CheckNonce',
    'CheckWeight',
    'ChargeTransactionPayment',
    'BalanceTransferCheckExtension',
    'SubspaceExtension',
    'DomainsExtension',
    'MessengerExtension',
  ],
  {
    BalanceTransferCheckExtension: { extrinsic: {}, payload: {} },
    SubspaceExtension: { extrinsic: {}, payload: {} },
    DomainsExtension: { extrinsic: {}, payload: {} },
    MessengerExtension: { extrinsic: {}, payload: {} },
  },
);

const genesisHash = new Uint8Array(32).fill(0x11);
const birthHash = new Uint8Array(32).fill(0x22);
const implicit = { specVersion: 10, transactionVersion: 1, genesisHash, birthHash: genesisHash };

describe('calls', () => {
  it('transfer arguments equal @polkadot/types (MultiAddress, Compact<u128>)', () => {
    const dest = new Uint8Array(32).fill(3);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), (value) => {
        const ours = encodeCall({ type: 'Balances.transfer_keep_alive', dest, value });
        const theirs = registry.createType('(MultiAddress, Compact<u128>)', [{ Id: dest }, value]).toU8a();
        expect(u8aToHex(ours)).toBe(u8aToHex(Uint8Array.of(5, 3, ...theirs)));
        expect(decodeCall(ours)).toEqual({ type: 'Balances.transfer_keep_alive', dest, value });
      }),
      { numRuns: 50 },
    );
  });

  it('remark, timestamp and batches round-trip; nested unknown calls are malformed', () => {
    const calls: Call[] = [
      { type: 'System.remark', remark: Uint8Array.of(1, 2, 3) },
      { type: 'Timestamp.set', now: 1_700_000_000_000n },
      {
        type: 'Utility.batch_all',
        calls: [
          { type: 'System.remark_with_event', remark: new Uint8Array(70) },
          { type: 'Balances.transfer_all', dest: new Uint8Array(32).fill(9), keepAlive: true },
        ],
      },
    ];
    for (const c of calls) expect(decodeCall(encodeCall(c))).toEqual(c);
    expect(u8aToHex(encodeCall(calls[1]!))).toBe(
      u8aToHex(Uint8Array.of(1, 0, ...registry.createType('Compact<u64>', 1_700_000_000_000n).toU8a())),
    );
    expect(decodeCall(Uint8Array.of(0x54, 1, 9, 9))).toEqual({
      type: 'Opaque',
      palletIndex: 0x54,
      callIndex: 1,
      args: Uint8Array.of(9, 9),
    });
    expect(() => decodeCall(Uint8Array.of(8, 0, 4, 0x54, 1))).toThrow(NodeError);
  });
});

describe('eras', () => {
  it('mortal era bytes equal @polkadot/types', () => {
    for (const [period, current] of [
      [64, 1000],
      [4, 7],
      [256, 12345],
      [65536, 99999],
    ] as const) {
      const era = mortalEra(period, current);
      const theirs = registry.createType('ExtrinsicEra', { current, period });
      const ours = encodeExtrinsic({
        type: 'General',
        era,
        nonce: 0,
        tip: 0n,
        call: { type: 'System.remark', remark: new Uint8Array() },
      });
      // General: compact len, 0x45, 0x00, era...
      expect(u8aToHex(ours.subarray(3, 3 + theirs.toU8a().length))).toBe(u8aToHex(theirs.toU8a()));
    }
  });
});

describe('signed transactions', () => {
  beforeAll(async () => {
    await cryptoWaitReady();
  });

  it('the signing payload equals @polkadot/types ExtrinsicPayload bytes', () => {
    const call = encodeCall({
      type: 'Balances.transfer_allow_death',
      dest: new Uint8Array(32).fill(5),
      value: 10n ** 18n,
    });
    for (const [era, birth] of [
      [IMMORTAL, genesisHash],
      [mortalEra(64, 100), birthHash],
    ] as const) {
      for (const [nonce, tip] of [
        [0, 0n],
        [70000, 123456789n],
      ] as const) {
        const ours = signingPayload(decodeCall(call), { era, nonce, tip }, { ...implicit, birthHash: birth });
        const theirs = registry.createType(
          'ExtrinsicPayload',
          {
            method: u8aToHex(call),
            era:
              era.type === 'Immortal'
                ? '0x00'
                : registry.createType('ExtrinsicEra', { current: 100, period: 64 }),
            nonce,
            tip,
            specVersion: 10,
            transactionVersion: 1,
            genesisHash: u8aToHex(genesisHash),
            blockHash: u8aToHex(birth),
          },
          { version: 4 },
        );
        expect(u8aToHex(ours)).toBe(u8aToHex(theirs.toU8a({ method: true })));
      }
    }
  });

  it('long payloads (> 256 bytes) are signed as their BLAKE2-256', () => {
    const call: Call = { type: 'System.remark', remark: new Uint8Array(400).fill(1) };
    const raw = new Uint8Array([...encodeCall(call), 0, 0, 0, ...new Uint8Array(8), ...new Uint8Array(64)]);
    raw.set([10, 0, 0, 0, 1, 0, 0, 0], encodeCall(call).length + 3);
    raw.set(genesisHash, encodeCall(call).length + 11);
    raw.set(genesisHash, encodeCall(call).length + 43);
    expect(signingPayload(call, { era: IMMORTAL, nonce: 0, tip: 0n }, implicit)).toEqual(
      blake2AsU8a(raw, 256),
    );
  });

  it('a transfer signed by @polkadot/keyring verifies in our node; the extrinsic equals the polkadot signature layout', () => {
    const keyring = new Keyring({ type: 'sr25519' });
    const alice = keyring.addFromUri('//Alice');
    const call: Call = {
      type: 'Balances.transfer_keep_alive',
      dest: keyring.addFromUri('//Bob').publicKey,
      value: 5n * 10n ** 18n,
    };
    const explicit = { era: mortalEra(64, 100), nonce: 3, tip: 0n };
    const imp = { ...implicit, birthHash };
    const payload = signingPayload(call, explicit, imp);
    const signature = alice.sign(payload);
    const bytes = encodeExtrinsic({
      type: 'Signed',
      signer: alice.publicKey,
      signature: { type: 'Sr25519', signature },
      ...explicit,
      call,
    });
    const x = decodeExtrinsic(bytes);
    expect(x.type).toBe('Signed');
    expect(verifyExtrinsicSignature(x as Extract<typeof x, { type: 'Signed' }>, imp)).toBe(true);
    expect(
      verifyExtrinsicSignature(x as Extract<typeof x, { type: 'Signed' }>, { ...imp, specVersion: 11 }),
    ).toBe(false);
    // The signature part: MultiAddress ‖ MultiSignature ‖ era ‖ Compact(nonce) ‖ Compact(tip).
    const sigPart = registry.createType(
      '(MultiAddress, MultiSignature, ExtrinsicEra, Compact<u32>, Compact<u128>)',
      [
        { Id: alice.publicKey },
        { Sr25519: signature },
        registry.createType('ExtrinsicEra', { current: 100, period: 64 }),
        3,
        0,
      ],
    );
    const body = Uint8Array.of(0x84, ...sigPart.toU8a(), ...encodeCall(call));
    expect(u8aToHex(bytes)).toBe(
      u8aToHex(Uint8Array.of(...registry.createType('Compact<u32>', body.length).toU8a(), ...body)),
    );
  });

  it('transactions we sign verify with @polkadot/util-crypto (sr25519, context substrate)', () => {
    const pair = sr25519PairFromSeed(new Uint8Array(32).fill(4));
    const call: Call = { type: 'System.remark', remark: Uint8Array.of(1) };
    const explicit = { era: IMMORTAL, nonce: 0, tip: 0n };
    const x = decodeExtrinsic(signExtrinsic(call, explicit, implicit, pair.secretKey, pair.publicKey));
    if (x.type !== 'Signed') throw new Error('not signed');
    expect(
      signatureVerify(signingPayload(call, explicit, implicit), x.signature.signature, pair.publicKey)
        .isValid,
    ).toBe(true);
  });

  it('general (v5) vote extrinsics start 45 00 00 00 00', () => {
    const bytes = encodeExtrinsic({
      type: 'General',
      era: IMMORTAL,
      nonce: 0,
      tip: 0n,
      call: { type: 'Subspace.vote', signedVote: new Uint8Array(553) },
    });
    expect(u8aToHex(bytes.subarray(0, 9))).toBe('0xc10845000000000202');
  });

  it('decoding random bytes throws NodeError only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        try {
          decodeExtrinsic(b);
        } catch (e) {
          expect(e).toBeInstanceOf(NodeError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('hashers and tries', () => {
  it('xxh64/twox128 equal @polkadot/util-crypto', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (b) => {
        expect(twox128(b)).toEqual(xxhashAsU8a(b, 128));
      }),
      { numRuns: 100 },
    );
    expect(xxh64(new Uint8Array(0), 0n)).toBe(0xef46db3751d8e999n);
  });

  it('well-known storage prefixes (B.11)', () => {
    expect(u8aToHex(storagePrefix('System', 'Account'))).toBe(
      '0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9',
    );
    expect(u8aToHex(storagePrefix('Balances', 'TotalIssuance'))).toBe(
      '0xc2261276cc9d1f8598ea4b6a74b15c2f57c875e4cff74148e4628f264b974c80',
    );
  });

  it('empty trie root; ordered root of [] is the empty root', () => {
    expect(u8aToHex(EMPTY_TRIE_ROOT)).toBe(
      '0x03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314',
    );
    expect(orderedTrieRoot([])).toEqual(EMPTY_TRIE_ROOT);
  });

  it('trie root is independent of insertion order and changes with any value', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.uint8Array({ minLength: 0, maxLength: 6 }), {
          maxLength: 12,
          selector: (k) => u8aToHex(k),
        }),
        (keys) => {
          const pairs = keys.map((k, i) => [k, new Uint8Array(i * 7).fill(i)] as const);
          const a = trieRoot(pairs);
          expect(trieRoot([...pairs].reverse())).toEqual(a);
          if (pairs.length > 0) {
            const changed = pairs.map(([k, v], i) => [k, i === 0 ? Uint8Array.of(...v, 1) : v] as const);
            expect(trieRoot(changed)).not.toEqual(a);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('votes (B.7)', () => {
  it('SignedVote is 553 bytes, round-trips, and its signature verifies (subspace_reward) as the vote extrinsic argument', () => {
    const pair = sr25519PairFromSeed(new Uint8Array(32).fill(8));
    const solution = {
      publicKey: pair.publicKey,
      rewardAddress: new Uint8Array(32).fill(2),
      sectorIndex: 3,
      historySize: 7n,
      pieceOffset: 9,
      recordCommitment: new Uint8Array(48).fill(4),
      recordWitness: new Uint8Array(48).fill(5),
      chunk: new Uint8Array(32).fill(6),
      chunkWitness: new Uint8Array(48).fill(7),
      proofOfSpace: new Uint8Array(160).fill(8),
    };
    const vote = {
      height: 12,
      parentHash: new Uint8Array(32).fill(1),
      slot: 99n,
      solution,
      proofOfTime: new Uint8Array(16).fill(3),
      futureProofOfTime: new Uint8Array(16).fill(4),
    };
    const signed = signVote(vote, pair.secretKey, pair.publicKey);
    const bytes = encodeSignedVote(signed);
    expect(bytes.length).toBe(553);
    expect(u8aToHex(bytes.subarray(0, 5))).toBe('0x000c000000');
    expect(decodeSignedVote(bytes)).toEqual(signed);
    expect(verifyVoteSignature(signed)).toBe(true);
    expect(verifyVoteSignature({ ...signed, vote: { ...vote, slot: 100n } })).toBe(false);
    const x = decodeExtrinsic(
      encodeExtrinsic({
        type: 'General',
        era: IMMORTAL,
        nonce: 0,
        tip: 0n,
        call: { type: 'Subspace.vote', signedVote: bytes },
      }),
    );
    expect(x.call).toEqual({ type: 'Subspace.vote', signedVote: bytes });
    expect(() => decodeSignedVote(bytes.subarray(1))).toThrow(NodeError);
  });
});

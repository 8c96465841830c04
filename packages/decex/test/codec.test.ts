import { bytesToHex } from '@autonomys/primitives';
import { loadVectors, thrownCode, VectorClaims } from '@autonomys/test-utils';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Bundle,
  bundleCodec,
  type ChainId,
  type Codec,
  channelCodec,
  checkingOrder,
  consensusChainMmrLeafProofCodec,
  crossDomainMessageCodec,
  DecexError,
  decodeWith,
  domainConfigCodec,
  type ExecutionReceipt,
  encodeWith,
  executionReceiptCodec,
  type FraudProof,
  fraudProofCodec,
  type InvalidBundleType,
  messageCodec,
  mmrLeafCodec,
  operatorRecordCodec,
  sealedSingletonReceiptCodec,
  stakingSummaryCodec,
  transferCodec,
} from '../src/index.js';

const V = loadVectors<Record<string, any>>('decex.json');

const h = fc.uint8Array({ minLength: 32, maxLength: 32 });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const u128 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
const chainId: fc.Arbitrary<ChainId> = fc.oneof(fc.constant('consensus' as const), u32);
const chainMap = fc
  .uniqueArray(fc.tuple(chainId, u128), { selector: (e) => String(e[0]), maxLength: 4 })
  .map((a) => new Map(a));
const invalidType: fc.Arbitrary<InvalidBundleType> = fc.oneof(
  fc.record({
    type: fc.constantFrom(
      'UndecodableTx',
      'OutOfRangeTx',
      'IllegalTx',
      'InvalidXDM',
      'InherentExtrinsic' as const,
    ),
    index: u32,
  }) as fc.Arbitrary<InvalidBundleType>,
  fc.constant({ type: 'InvalidBundleWeight' as const }),
);
const receipt: fc.Arbitrary<ExecutionReceipt> = fc.record({
  domainBlockNumber: u32,
  domainBlockHash: h,
  domainBlockExtrinsicRoot: h,
  parentDomainBlockReceiptHash: h,
  consensusBlockNumber: u32,
  consensusBlockHash: h,
  inboxedBundles: fc.array(
    fc.record({
      bundle: fc.oneof(
        fc.record({ type: fc.constant('Valid' as const), digest: h }),
        fc.record({ type: fc.constant('Invalid' as const), invalid: invalidType }),
      ),
      extrinsicsRoot: h,
    }),
    { maxLength: 3 },
  ),
  finalStateRoot: h,
  executionTrace: fc.array(h, { maxLength: 4 }),
  executionTraceRoot: h,
  blockFees: fc.record({
    consensusStorageFee: u128,
    domainExecutionFee: u128,
    burnedBalance: u128,
    chainRewards: chainMap,
  }),
  transfers: fc.record({
    transfersIn: chainMap,
    transfersOut: chainMap,
    rejectedTransfersClaimed: chainMap,
    transfersRejected: chainMap,
  }),
});
const weight = fc.record({ refTime: u64, proofSize: u64 });
const poe = fc.record({
  domainId: u32,
  slotNumber: u64,
  proofOfTime: fc.uint8Array({ minLength: 16, maxLength: 16 }),
  vrfSignature: fc.record({ preOutput: h, proof: fc.uint8Array({ minLength: 64, maxLength: 64 }) }),
  operatorId: u64,
});
const bundle: fc.Arbitrary<Bundle> = fc.record({
  sealedHeader: fc.record({
    header: fc.record({
      proofOfElection: poe,
      receipt,
      estimatedBundleWeight: weight,
      bundleExtrinsicsRoot: h,
    }),
    signature: fc.uint8Array({ minLength: 64, maxLength: 64 }),
  }),
  extrinsics: fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 4 }),
});
const sortedProof = fc
  .uniqueArray(fc.uint8Array({ maxLength: 40 }), { selector: bytesToHex, maxLength: 3 })
  .map((a) => [...a].sort((x, y) => Buffer.compare(x, y)));
const mmrProof = fc.record({
  consensusBlockNumber: u32,
  consensusBlockHash: h,
  opaqueMmrLeaf: fc.uint8Array({ maxLength: 101 }),
  proof: fc.record({
    leafIndices: fc.array(u64, { maxLength: 2 }),
    leafCount: u64,
    items: fc.array(h, { maxLength: 3 }),
  }),
});
const fraudProof: fc.Arbitrary<FraudProof> = fc.record({
  domainId: u32,
  badReceiptHash: h,
  maybeMmrProof: fc.option(mmrProof, { nil: undefined }),
  maybeDomainRuntimeCodeProof: fc.option(fc.record({ mmrProof, domainRuntimeCodeProof: sortedProof }), {
    nil: undefined,
  }),
  proof: fc.oneof(
    fc.record({
      type: fc.constant('InvalidStateTransition' as const),
      executionProof: sortedProof,
      executionPhase: fc.oneof(
        fc.constant({ type: 'InitializeBlock' as const }),
        fc.record({
          type: fc.constant('ApplyExtrinsic' as const),
          extrinsicProof: sortedProof,
          mismatch: fc.oneof(
            fc.record({ type: fc.constant('StateRoot' as const), index: u32 }),
            fc.constant({ type: 'Shorter' as const }),
          ),
        }),
        fc.record({
          type: fc.constant('FinalizeBlock' as const),
          mismatch: fc.oneof(
            fc.constant({ type: 'StateRoot' as const }),
            fc.record({ type: fc.constant('Longer' as const), index: u32 }),
          ),
        }),
      ),
    }),
    fc.record({
      type: fc.constant('ValidBundle' as const),
      bundleWithProof: fc.record({ bundle, bundleIndex: u32, bundleStorageProof: sortedProof }),
    }),
    fc.record({
      type: fc.constant('InvalidExtrinsicsRoot' as const),
      validBundleDigests: fc.array(
        fc.record({
          bundleIndex: u32,
          bundleDigest: fc.array(
            fc.tuple(
              fc.option(h, { nil: undefined }),
              fc.oneof(
                fc.record({ type: fc.constant('Data' as const), data: fc.uint8Array({ maxLength: 32 }) }),
                fc.record({ type: fc.constant('Hash' as const), hash: h }),
              ),
            ),
            { maxLength: 2 },
          ),
        }),
        { maxLength: 2 },
      ),
      invalidInherentExtrinsicProofs: sortedProof,
      maybeDomainRuntimeUpgradedProof: fc.record({
        domainRuntimeUpgrades: sortedProof,
        newDomainRuntimeCode: fc.option(sortedProof, { nil: undefined }),
      }),
      domainChainAllowlistProof: sortedProof,
      domainSudoCallProof: sortedProof,
      evmDomainContractCreationAllowedByCallProof: sortedProof,
    }),
    fc.record({
      type: fc.constant('InvalidBundles' as const),
      bundleIndex: u32,
      invalidBundleType: invalidType,
      isGoodInvalidFraudProof: fc.boolean(),
      proofData: fc.oneof(
        fc.record({ type: fc.constant('Extrinsic' as const), proof: sortedProof }),
        fc.record({
          type: fc.constant('BundleAndExecution' as const),
          bundleWithProof: fc.record({ bundle, bundleIndex: u32, bundleStorageProof: sortedProof }),
          executionProof: sortedProof,
        }),
        fc.record({
          type: fc.constant('InvalidXDMProofData' as const),
          extrinsicProof: sortedProof,
          mmrRootProof: fc.option(fc.record({ mmrProof, mmrRootStorageProof: sortedProof }), {
            nil: undefined,
          }),
        }),
      ),
    }),
    fc.record({ type: fc.constant('InvalidDomainBlockHash' as const), digestStorageProof: sortedProof }),
    fc.record({ type: fc.constant('InvalidBlockFees' as const), storageProof: sortedProof }),
    fc.record({ type: fc.constant('InvalidTransfers' as const), storageProof: sortedProof }),
  ) as fc.Arbitrary<FraudProof['proof']>,
});

function roundTrip<T>(name: string, codec: Codec<T>, arb: fc.Arbitrary<T>, runs = 80) {
  it(`${name}: decode(encode(x)) = x and re-encodes byte-identically (property)`, () => {
    fc.assert(
      fc.property(arb, (x) => {
        const bytes = encodeWith(codec, x);
        const back = decodeWith(codec, bytes, name);
        expect(back).toEqual(x);
        expect(bytesToHex(encodeWith(codec, back))).toBe(bytesToHex(bytes));
      }),
      { numRuns: runs },
    );
  });
  it(`${name}: random bytes only ever throw DECEX_INVALID_ENCODING (fuzz)`, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        try {
          decodeWith(codec, b, name);
        } catch (e) {
          expect(e).toBeInstanceOf(DecexError);
          expect((e as DecexError).code).toBe('DECEX_INVALID_ENCODING');
        }
      }),
      { numRuns: 300 },
    );
  });
  it(`${name}: truncations and appended bytes of a valid encoding are rejected`, () => {
    fc.assert(
      fc.property(arb, (x) => {
        const bytes = encodeWith(codec, x);
        expect(
          thrownCode(() => decodeWith(codec, bytes.subarray(0, bytes.length - 1), name), DecexError),
        ).toBe('DECEX_INVALID_ENCODING');
        expect(thrownCode(() => decodeWith(codec, Uint8Array.of(...bytes, 0), name), DecexError)).toBe(
          'DECEX_INVALID_ENCODING',
        );
      }),
      { numRuns: 30 },
    );
  });
}

describe('SCALE codecs', () => {
  roundTrip('ExecutionReceipt', executionReceiptCodec, receipt);
  roundTrip('Bundle', bundleCodec, bundle, 40);
  roundTrip('FraudProof', fraudProofCodec, fraudProof, 60);
  roundTrip(
    'SealedSingletonReceipt',
    sealedSingletonReceiptCodec,
    fc.record({
      singletonReceipt: fc.record({ proofOfElection: poe, receipt }),
      signature: fc.uint8Array({ minLength: 64, maxLength: 64 }),
    }),
    40,
  );
  roundTrip('ConsensusChainMmrLeafProof', consensusChainMmrLeafProofCodec, mmrProof);
  roundTrip(
    'MmrLeaf',
    mmrLeafCodec,
    fc.record({ blockNumber: u32, blockHash: h, stateRoot: h, extrinsicsRoot: h }),
  );
  roundTrip(
    'DomainConfig',
    domainConfigCodec,
    fc.record({
      domainName: fc.uint8Array({ maxLength: 32 }),
      runtimeId: u32,
      maxBundleSize: u32,
      maxBundleWeight: weight,
      bundleSlotProbability: fc.tuple(u64, u64),
      operatorAllowList: fc.oneof(
        fc.constant({ type: 'Anyone' as const }),
        fc.record({
          type: fc.constant('Operators' as const),
          accounts: fc
            .uniqueArray(h, { selector: bytesToHex, maxLength: 3 })
            .map((a) => [...a].sort((x, y) => Buffer.compare(x, y))),
        }),
      ),
      initialBalances: fc.array(
        fc.tuple(
          fc.oneof(
            fc.record({ type: fc.constant('AccountId32' as const), id: h }),
            fc.record({
              type: fc.constant('AccountId20' as const),
              id: fc.uint8Array({ minLength: 20, maxLength: 20 }),
            }),
            fc.record({ type: fc.constant('Raw' as const), id: fc.uint8Array({ maxLength: 8 }) }),
          ),
          u128,
        ),
        { maxLength: 3 },
      ),
    }),
  );
  roundTrip(
    'Operator',
    operatorRecordCodec,
    fc.record({
      signingKey: h,
      currentDomainId: u32,
      nextDomainId: u32,
      minimumNominatorStake: u128,
      nominationTax: fc.integer({ min: 0, max: 100 }),
      currentTotalStake: u128,
      currentTotalShares: u128,
      partialStatus: fc.oneof(
        fc.constant({ type: 'Registered' as const }),
        fc.record({
          type: fc.constant('Deregistered' as const),
          domainEpoch: fc.tuple(u32, u32),
          unlockAtConfirmedDomainBlockNumber: u32,
        }),
        fc.constant({ type: 'Slashed' as const }),
        fc.constant({ type: 'PendingSlash' as const }),
        fc.record({ type: fc.constant('InvalidBundle' as const), receiptHash: h }),
        fc.record({ type: fc.constant('Deactivated' as const), epoch: u32 }),
      ),
      depositsInEpoch: u128,
      withdrawalsInEpoch: u128,
      totalStorageFeeDeposit: u128,
    }),
  );
  roundTrip(
    'StakingSummary',
    stakingSummaryCodec,
    fc.record({
      currentEpochIndex: u32,
      currentTotalStake: u128,
      currentOperators: fc
        .uniqueArray(fc.tuple(u64, u128), { selector: (e) => e[0], maxLength: 3 })
        .map((a) => new Map(a)),
      nextOperators: fc
        .uniqueArray(u64, { maxLength: 3 })
        .map((a) => [...a].sort((x, y) => (x < y ? -1 : 1))),
      currentEpochRewards: fc
        .uniqueArray(fc.tuple(u64, u128), { selector: (e) => e[0], maxLength: 3 })
        .map((a) => new Map(a)),
    }),
  );
  const u256 = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n });
  roundTrip(
    'Channel',
    channelCodec,
    fc.record({
      channelId: u256,
      state: fc.constantFrom('Initiated', 'Open', 'Closed' as const),
      nextInboxNonce: u256,
      nextOutboxNonce: u256,
      latestResponseReceivedMessageNonce: fc.option(u256, { nil: undefined }),
      maxOutgoingMessages: u32,
      maybeOwner: fc.option(h, { nil: undefined }),
      channelReserveFee: u128,
    }),
  );
  roundTrip(
    'Message',
    messageCodec,
    fc.record({
      srcChainId: chainId,
      dstChainId: chainId,
      channelId: u256,
      nonce: u256,
      payload: fc.oneof(
        fc.record({ type: fc.constant('ProtocolChannelOpen' as const), maxOutgoingMessages: u32 }),
        fc.constant({ type: 'ProtocolChannelClose' as const }),
        fc.record({
          type: fc.constant('ProtocolResponse' as const),
          result: fc.oneof(
            fc.constant({ ok: true as const, value: null }),
            fc.constant({ ok: false as const, error: { type: 'BadOrigin' as const } }),
          ),
        }),
        fc.record({
          type: fc.constant('EndpointRequest' as const),
          req: fc.record({ srcEndpoint: u64, dstEndpoint: u64, payload: fc.uint8Array({ maxLength: 20 }) }),
          collectedFee: fc.record({ srcChainFee: u128, dstChainFee: u128 }),
        }),
        fc.record({
          type: fc.constant('EndpointResponse' as const),
          result: fc.oneof(
            fc.record({ ok: fc.constant(true as const), value: fc.uint8Array({ maxLength: 10 }) }),
            fc.record({
              ok: fc.constant(false as const),
              error: fc.record({
                type: fc.constant('Module' as const),
                index: fc.integer({ min: 0, max: 255 }),
                error: fc.uint8Array({ minLength: 4, maxLength: 4 }),
              }),
            }),
          ),
        }),
      ) as fc.Arbitrary<any>,
      lastDeliveredMessageResponseNonce: fc.option(u256, { nil: undefined }),
    }),
  );
  roundTrip(
    'CrossDomainMessage',
    crossDomainMessageCodec,
    fc.record({
      srcChainId: chainId,
      dstChainId: chainId,
      channelId: u256,
      nonce: u256,
      proof: fc.oneof(
        fc.record({
          type: fc.constant('Consensus' as const),
          consensusChainMmrProof: mmrProof,
          messageProof: sortedProof,
        }),
        fc.record({
          type: fc.constant('Domain' as const),
          consensusChainMmrProof: mmrProof,
          domainProof: sortedProof,
          messageProof: sortedProof,
        }),
      ),
      weightTag: fc.oneof(
        fc.constant({ type: 'None' as const }),
        fc.record({ type: fc.constant('EndpointRequest' as const), endpoint: u64 }),
      ),
    }) as fc.Arbitrary<any>,
  );
  roundTrip(
    'Transfer',
    transferCodec,
    fc.record({
      amount: u128,
      sender: fc.record({
        chainId,
        accountId: fc.record({ type: fc.constant('AccountId32' as const), id: h }),
      }),
      receiver: fc.record({
        chainId,
        accountId: fc.record({
          type: fc.constant('AccountId20' as const),
          id: fc.uint8Array({ minLength: 20, maxLength: 20 }),
        }),
      }),
    }) as fc.Arbitrary<any>,
  );

  it('layouts: ER hash input starts with the u32 number; the enum prefix is 0x00; ChainId order', () => {
    const er = fc.sample(receipt, 1)[0]!;
    const b = encodeWith(executionReceiptCodec, er);
    expect(b[0]).toBe(0);
    expect(new DataView(b.buffer).getUint32(1, true)).toBe(er.domainBlockNumber);
    // BTreeMap<ChainId, _> sorts Consensus before Domain(n), domains numerically
    const m = new Map<ChainId, bigint>([
      [5, 1n],
      ['consensus', 2n],
      [2, 3n],
    ]);
    const fees = encodeWith(executionReceiptCodec, {
      ...er,
      blockFees: { ...er.blockFees, chainRewards: m },
    });
    const hex = bytesToHex(fees);
    expect(hex).toContain(
      `0c00${'02'.padEnd(32, '0')}0102000000${'03'.padEnd(32, '0')}0105000000${'01'.padEnd(32, '0')}`,
    );
  });

  it('MmrLeaf is exactly 101 bytes: 00 ‖ le32 ‖ 3 × 32', () => {
    const leaf = {
      blockNumber: 7,
      blockHash: new Uint8Array(32).fill(1),
      stateRoot: new Uint8Array(32).fill(2),
      extrinsicsRoot: new Uint8Array(32).fill(3),
    };
    const b = encodeWith(mmrLeafCodec, leaf);
    expect(b.length).toBe(101);
    expect(bytesToHex(b.subarray(0, 5))).toBe('0007000000');
  });
});

describe('decex.json vectors', () => {
  const claims = new VectorClaims(Object.keys(V).filter((k) => !k.startsWith('_')));
  it.each(
    V.invalid_bundle_type_checking_order.cases as { type: string; index: number | null; expected: string }[],
  )('invalid_bundle_type_checking_order: $type($index) = $expected', (c) => {
    claims.claim('invalid_bundle_type_checking_order');
    const t = (c.index === null ? { type: c.type } : { type: c.type, index: c.index }) as InvalidBundleType;
    expect(checkingOrder(t).toString()).toBe(c.expected);
  });
  it('invalid_bundle_type_checking_order: SCALE tags', () => {
    const tags = V.invalid_bundle_type_checking_order.codec_indexes as Record<string, number>;
    for (const [type, tag] of Object.entries(tags)) {
      const t = (type === 'InvalidBundleWeight' ? { type } : { type, index: 0 }) as InvalidBundleType;
      const er = fc.sample(receipt, 1)[0]!;
      const b = encodeWith(executionReceiptCodec, {
        ...er,
        inboxedBundles: [{ bundle: { type: 'Invalid', invalid: t }, extrinsicsRoot: new Uint8Array(32) }],
      });
      // domain no (4) + 3 hashes + u32 + hash, then Vec len 1, then BundleValidity tag 0, then the type tag
      expect(b[1 + 4 + 96 + 4 + 32 + 1 + 1]).toBe(tag);
    }
  });
  it('empty_extrinsic_root', async () => {
    claims.claim('empty_extrinsic_root');
    const { orderedTrieRoot, EMPTY_EXTRINSIC_ROOT_HEX } = await import('../src/index.js');
    expect(bytesToHex(orderedTrieRoot([]))).toBe(V.empty_extrinsic_root.hex);
    expect(EMPTY_EXTRINSIC_ROOT_HEX).toBe(V.empty_extrinsic_root.hex);
  });
  it('labels_and_constants', async () => {
    claims.claim('labels_and_constants');
    const c = await import('../src/constants.js');
    const L = V.labels_and_constants;
    expect(c.BUNDLE_PRODUCER_ELECTION_LABEL).toBe(L.vrf_transcript_label);
    expect(c.EXTRINSICS_SHUFFLING_SEED_SUBJECT).toBe(L.shuffling_seed_subject);
    expect(c.INITIAL_DOMAIN_TX_RANGE).toBe(BigInt(L.initial_domain_tx_range_divisor));
    expect(c.DOMAIN_STORAGE_FEE_MULTIPLIER).toBe(BigInt(L.domain_storage_fee_multiplier));
    expect((c.STORAGE_FEE_RESERVE_PARTS * 100n) / c.PERQUINTILL).toBe(BigInt(L.storage_fee_reserve_percent));
    expect(c.SLOT_PROBABILITY).toEqual(L.slot_probability.map(BigInt));
    expect(c.MAX_BLOCK_LENGTH).toBe(L.max_block_length);
    expect(c.NORMAL_DISPATCH_RATIO_PERCENT).toBe(L.normal_dispatch_ratio_percent);
  });
  it('runtime_params_mainnet', async () => {
    claims.claim('runtime_params_mainnet');
    const c = await import('../src/constants.js');
    const R = V.runtime_params_mainnet;
    expect(c.CONFIRMATION_DEPTH_K).toBe(R.confirmation_depth_k);
    expect(c.BLOCK_TREE_PRUNING_DEPTH).toBe(R.domain_block_pruning_depth);
    expect(c.STAKE_WITHDRAWAL_LOCKING_PERIOD).toBe(R.staking_withdrawal_period);
    expect(c.DEV_CHAIN_PARAMS).toEqual({
      confirmationDepthK: R.dev.confirmation_depth_k,
      pruningDepth: R.dev.domain_block_pruning_depth,
      withdrawalPeriod: R.dev.staking_withdrawal_period,
    });
    expect(c.STAKE_EPOCH_DURATION).toBe(R.stake_epoch_duration);
    expect(c.MIN_OPERATOR_STAKE).toBe(BigInt(R.min_operator_stake_ai3) * c.AI3);
    expect(c.MIN_NOMINATOR_STAKE).toBe(BigInt(R.min_nominator_stake_ai3) * c.AI3);
    expect(c.DOMAIN_INSTANTIATION_DEPOSIT).toBe(BigInt(R.domain_instantiation_deposit_ai3) * c.AI3);
    expect(c.MAX_DOMAIN_NAME_LENGTH).toBe(R.max_domain_name_length);
    expect(c.BUNDLE_LONGEVITY).toBe(R.bundle_longevity);
    expect(c.BLOCK_SLOT_COUNT).toBe(R.block_slot_count);
    expect(c.WITHDRAWAL_LIMIT).toBe(R.withdrawal_limit);
    expect(c.MAX_PENDING_STAKING_OPERATION).toBe(R.max_pending_staking_operation);
    expect(c.OPERATOR_ACTIVATION_DELAY_IN_EPOCHS).toBe(R.operator_activation_delay_in_epochs);
    expect(c.MAX_NOMINATORS_TO_SLASH).toBe(R.max_nominators_to_slash);
    expect(c.MAX_INITIAL_DOMAIN_ACCOUNTS).toBe(R.max_initial_domain_accounts);
    expect(c.MIN_INITIAL_DOMAIN_ACCOUNT_BALANCE).toBe(
      BigInt(R.min_initial_domain_account_balance_ai3) * c.AI3,
    );
    expect(c.CHANNEL_RESERVE_FEE).toBe(BigInt(R.channel_reserve_fee_ai3) * c.AI3);
    expect(c.CHANNEL_INIT_RESERVE_PORTION_PERCENT).toBe(BigInt(R.channel_init_reserve_portion_percent));
    expect(c.MAX_OUTGOING_MESSAGES).toBe(R.max_outgoing_messages);
    expect(c.XDM_FEE_MULTIPLIER).toBe(BigInt(R.xdm_fee_multiplier));
    expect(c.TRANSPORTER_ENDPOINT_ID).toBe(BigInt(R.transporter_endpoint_id));
  });
  it('signer_in_tx_range', async () => {
    claims.claim('signer_in_tx_range');
    const { signerInTxRange } = await import('../src/index.js');
    const MAX = (1n << 256n) - 1n;
    const W = (x: bigint) => x & MAX;
    const tr = MAX / 4n;
    const cases: [bigint, bigint, boolean][] = [
      [MAX / 2n, MAX / 2n + 10n, true],
      [MAX / 2n, MAX / 2n - 10n, true],
      [MAX / 2n, MAX / 2n + MAX / 8n, true],
      [MAX / 2n, MAX / 2n - MAX / 8n, true],
      [MAX / 2n, MAX / 2n + MAX / 8n + 1n, false],
      [MAX / 2n, MAX / 2n - MAX / 8n - 1n, false],
      [MAX / 2n, MAX / 2n + MAX / 4n, false],
      [100n, W(100n - 1000n), true],
      [100n, W(100n - (MAX / 8n + 1n)), false],
      [MAX - 100n, W(MAX - 100n + 1000n), true],
      [MAX - 100n, W(MAX - 100n + MAX / 8n + 1n), false],
    ];
    const listed = V.signer_in_tx_range.cases_tx_range_is_U256_MAX_div_4 as { in_range: boolean }[];
    expect(cases.map((c) => c[2])).toEqual(listed.map((c) => c.in_range));
    for (const [vrf, signer, want] of cases) expect(signerInTxRange(vrf, signer, tr)).toBe(want);
    expect(signerInTxRange(MAX / 2n, MAX / 2n + 10n, MAX)).toBe(
      V.signer_in_tx_range.case_tx_range_max.in_range,
    );
  });
  it('offline_operators', async () => {
    claims.claim('offline_operators');
    const c = await import('../src/constants.js');
    const { computeERelevance, chernoffThreshold, operatorExpectedBundlesInEpoch } = await import(
      '../src/index.js'
    );
    const O = V.offline_operators;
    expect(computeERelevance(c.LN_1_OVER_TAU_1_PERCENT, O.e_base)).toBe(O.compute_e_relevance.tau_1_percent);
    expect(computeERelevance(c.LN_1_OVER_TAU_0_5_PERCENT, O.e_base)).toBe(
      O.compute_e_relevance.tau_0_5_percent,
    );
    // ln(1000) = 6.907755278982137 -> 6907755278982137052 as FixedU128 inner
    expect(computeERelevance(6_907_755_278_982_137_052n, O.e_base)).toBe(
      O.compute_e_relevance.tau_0_1_percent,
    );
    expect(chernoffThreshold(O.chernoff_edges.S, 0n, c.LN_1_OVER_TAU_1_PERCENT)).toBe(
      O.chernoff_edges.p0_result,
    );
    expect(chernoffThreshold(O.chernoff_edges.S, 10n ** 18n, c.LN_1_OVER_TAU_1_PERCENT)).toBe(
      O.chernoff_edges.p1_result,
    );
    // 5% stake share at (1,1) over 600 slots: mu = 30 -> relevant; 1% -> mu = 6 < 11 -> not relevant
    const total = 1000n;
    expect(operatorExpectedBundlesInEpoch(600, total / 20n, total, [1n, 1n])?.expectedBundles).toBe(29);
    expect(operatorExpectedBundlesInEpoch(600, total / 100n, total, [1n, 1n])).toBeUndefined();
    expect(c.LN_1_OVER_TAU_1_PERCENT.toString()).toBe(O.ln_1_over_tau_1_percent_fixedu128_inner);
    expect(c.LN_1_OVER_TAU_0_5_PERCENT.toString()).toBe(O.ln_1_over_tau_0_5_percent_fixedu128_inner);
    expect(c.E_BASE).toBe(O.e_base);
    expect(c.OFFLINE_SHORTFALL_FRACTION).toEqual(O.offline_shortfall_fraction.map(BigInt));
  });
  it('every top-level vector group was claimed', () => {
    expect(claims.unclaimed()).toEqual([]);
  });
});

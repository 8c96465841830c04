// One suite over every ClaimVerifier: garbage proofs and envelopes only ever produce AutoScoreError,
// and nothing unverified reaches `score`.
import { AutoIdRegistry } from '@autonomys/auto-id';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AutoScoreError,
  autoIdVerifier,
  type ClaimVerifier,
  DEFAULT_POLICY,
  InMemoryParticipation,
  participationVerifier,
  passportVerifier,
  reclaimVerifier,
  score,
  verifyClaims,
  zkPassportVerifier,
} from '../src/index.js';
import { GITHUB, makePki, witness } from './fixtures.js';

const verifiers: ClaimVerifier[] = [];
beforeAll(async () => {
  const pki = await makePki();
  verifiers.push(
    reclaimVerifier({ witnesses: [witness(1).address], providers: [GITHUB] }) as ClaimVerifier,
    passportVerifier({ trustedCscas: [pki.csca] }) as ClaimVerifier,
    autoIdVerifier(new AutoIdRegistry()) as ClaimVerifier,
    participationVerifier(new InMemoryParticipation()) as ClaimVerifier,
    zkPassportVerifier({
      protocols: ['test/1'],
      verify: async () => {
        throw new AutoScoreError({ code: 'AUTO_SCORE_INVALID_SIGNATURE', what: 'zk proof' });
      },
    }) as ClaimVerifier,
  );
});

const serviceIds = ['GithubUsername', 'icao9303', 'auto-id', 'autonomys-farmer', 'zkpassport', 'x'];
const factors = ['zktls-account', 'e-passport', 'auto-id', 'chain-participation', 'zk-passport', 'fax'];

describe('every verifier', () => {
  it('garbage claims are rejected with AutoScoreError and score nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...factors),
        fc.constantFrom(...serviceIds),
        fc.anything(),
        fc.oneof(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.anything()),
        async (factor, serviceId, proof, nullifier) => {
          const claim = {
            factor,
            serviceId,
            subject: new Uint8Array(32).fill(1),
            proof,
            nullifier,
            issuedAt: 1_000,
            expiresAt: 2_000_000_000_000,
          };
          const { verified, rejected } = await verifyClaims([claim as never], verifiers, {
            now: 1_700_000_000_000,
          });
          expect(verified).toEqual([]);
          for (const r of rejected) expect(r.error).toBeInstanceOf(AutoScoreError);
          expect(score(verified, DEFAULT_POLICY, { now: 1_700_000_000_000 }).value).toBe(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('claim envelopes of the wrong kind are typed errors', async () => {
    for (const bad of [
      null,
      1,
      'x',
      {},
      { factor: 'zktls-account' },
      { factor: 'zktls-account', serviceId: 'a', subject: 1 },
    ]) {
      const { rejected } = await verifyClaims([bad as never], verifiers, { now: 1 });
      expect(rejected[0]!.error).toBeInstanceOf(AutoScoreError);
    }
    await expect(verifyClaims(new Array(257).fill(null), verifiers, { now: 1 })).rejects.toThrow(
      /AUTO_SCORE_OVERSIZED_INPUT/,
    );
  });
});

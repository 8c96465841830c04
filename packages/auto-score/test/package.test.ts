import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import * as node from '../src/node.js';

describe('@autonomys/auto-score', () => {
  it('exports the documented API', () => {
    for (const name of [
      'AutoScoreError',
      'CLAIM_TYPE_HASHES',
      'DEFAULT_POLICY',
      'claimTypeHash',
      'nullifier',
      'verifyClaim',
      'verifyClaims',
      'reclaimVerifier',
      'verifyReclaimProof',
      'passportVerifier',
      'passiveAuthentication',
      'zkPassportVerifier',
      'autoIdVerifier',
      'participationVerifier',
      'score',
      'evaluate',
      'MemoryNullifierRegistry',
      'issueScoreCredential',
      'issueThresholdCredential',
      'verifyCredential',
    ])
      expect(typeof (api as Record<string, unknown>)[name], name).not.toBe('undefined');
    expect(Object.keys(api)).not.toContain('FileNullifierRegistry'); // node-only, in ./node
    expect(typeof node.FileNullifierRegistry.open).toBe('function');
  });

  it('the default policy is valid and versioned', () => {
    expect(api.validatePolicy(api.DEFAULT_POLICY).version).toBe('auto-score/v1');
  });
});

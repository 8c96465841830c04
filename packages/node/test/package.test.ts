import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

describe('@autonomys/node', () => {
  it('exports the chain formats and NodeError', () => {
    for (const name of [
      'encodeHeader',
      'decodeHeader',
      'headerHash',
      'headerPreHash',
      'unsealHeader',
      'sealHeader',
      'verifyHeaderSeal',
      'encodeDigestItem',
      'decodeDigestItem',
      'encodePreDigest',
      'decodePreDigest',
      'encodeConsensusLog',
      'decodeConsensusLog',
      'extractSubspaceDigestItems',
      'encodeSubspaceJustification',
      'decodeSubspaceJustification',
      'encodeJustifications',
      'decodeJustifications',
      'findSubspaceJustification',
      'blake2b256',
      'NodeError',
      'SUBSPACE_ENGINE_ID',
    ]) {
      expect(api, name).toHaveProperty(name);
    }
  });
});

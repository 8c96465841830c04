// Cross-checks with an independent implementation (the openssl CLI): an e-passport data set made
// entirely by openssl (CSCA, DSC, CMS SignedData) passes our passive authentication, and the
// EF.SODs our fixtures build pass `openssl cms -verify` against their CSCA.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { OID } from '../src/constants.js';
import { encAlg, encInt, T, tlv } from '../src/der.js';
import { AutoScoreError, passiveAuthentication } from '../src/index.js';
import { buildSod, dg1Of, makePki, td3 } from './fixtures.js';

const openssl = (dir: string, ...args: string[]) =>
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString();

describe('openssl cross-checks', () => {
  it('a passport data set made by openssl passes passive authentication', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'auto-score-openssl-'));
    const dg1 = dg1Of(td3({ issuingState: 'UTO', documentNumber: 'X12345678' }));
    const lds = tlv(
      T.SEQUENCE,
      encInt(0),
      encAlg(OID.sha256),
      tlv(T.SEQUENCE, tlv(T.SEQUENCE, encInt(1), tlv(T.OCTET_STRING, sha256(dg1)))),
    );
    writeFileSync(join(dir, 'lds.der'), lds);
    openssl(dir, 'ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'csca.key');
    openssl(
      dir,
      'req',
      '-x509',
      '-new',
      '-key',
      'csca.key',
      '-subj',
      '/C=UT/CN=CSCA openssl',
      '-days',
      '3650',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign',
      '-out',
      'csca.pem',
    );
    openssl(dir, 'ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'dsc.key');
    openssl(dir, 'req', '-new', '-key', 'dsc.key', '-subj', '/C=UT/CN=DS openssl', '-out', 'dsc.csr');
    openssl(
      dir,
      'x509',
      '-req',
      '-in',
      'dsc.csr',
      '-CA',
      'csca.pem',
      '-CAkey',
      'csca.key',
      '-CAcreateserial',
      '-days',
      '3650',
      '-out',
      'dsc.pem',
    );
    openssl(
      dir,
      'cms',
      '-sign',
      '-binary',
      '-nodetach',
      '-outform',
      'DER',
      '-econtent_type',
      OID.ldsSecurityObject,
      '-in',
      'lds.der',
      '-signer',
      'dsc.pem',
      '-inkey',
      'dsc.key',
      '-md',
      'sha256',
      '-out',
      'sod.der',
    );
    openssl(dir, 'x509', '-in', 'csca.pem', '-outform', 'DER', '-out', 'csca.der');
    const sod = new Uint8Array(readFileSync(join(dir, 'sod.der')));
    const csca = new Uint8Array(readFileSync(join(dir, 'csca.der')));
    const r = await passiveAuthentication(sod, { 1: dg1 }, { trustedCscas: [csca] }, Date.now());
    expect(r.mrz.documentNumber).toBe('X12345678');
    expect(r.signingTime).toBeGreaterThan(Date.now() - 3_600_000);
    const altered = dg1Of(td3({ issuingState: 'UTO', documentNumber: 'X12345679' }));
    await expect(
      passiveAuthentication(sod, { 1: altered }, { trustedCscas: [csca] }, Date.now()),
    ).rejects.toBeInstanceOf(AutoScoreError);
  });

  it.each(['ECDSA-P256', 'RSA-2048'] as const)(
    'openssl cms -verify accepts our %s EF.SOD fixtures',
    async (kind) => {
      const dir = mkdtempSync(join(tmpdir(), 'auto-score-openssl-'));
      const pki = await makePki({ kind });
      const sod = await buildSod({
        pki,
        dataGroups: { 1: dg1Of(td3({})) },
        wrap: false,
        keyTypeAlgorithm: kind === 'RSA-2048',
      });
      writeFileSync(join(dir, 'sod.der'), sod);
      writeFileSync(join(dir, 'csca.der'), pki.csca);
      openssl(dir, 'x509', '-inform', 'DER', '-in', 'csca.der', '-out', 'csca.pem');
      const out = execFileSync(
        'openssl',
        [
          'cms',
          '-verify',
          '-inform',
          'DER',
          '-in',
          'sod.der',
          '-CAfile',
          'csca.pem',
          '-purpose',
          'any',
          '-binary',
          '-out',
          'lds.der',
        ],
        { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      expect(out.length).toBe(0);
      expect(readFileSync(join(dir, 'lds.der'))[0]).toBe(0x30);
    },
  );
});

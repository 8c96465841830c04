import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bytesToHex } from '@autonomys/primitives';
import { beforeAll, describe, expect, it } from 'vitest';
import { createIdCommand, runIdCli } from '../src/cli.js';
import { AutoIdError, deriveAutoId } from '../src/index.js';

const COMMANDS = ['create', 'issue', 'register', 'verify', 'sign', 'verify-content'];

function cli() {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
  const run = async (...args: string[]) => {
    out.length = 0;
    err.length = 0;
    await createIdCommand({ io, exitOverride: true }).parseAsync(args, { from: 'user' });
    return out.join('\n');
  };
  return { run, out, err, io };
}

describe('autonomys-id CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'autoid-cli-'));
  const p = (f: string) => join(dir, f);
  const reg = p('registry.json');
  const { run, io } = cli();
  let orgId = '';
  let agentId = '';

  beforeAll(async () => {
    const created = await run('create', 'Example Org', '--out', p('org'));
    orgId = /auto id ([0-9a-f]{64})/.exec(created)![1]!;
  });

  it('--help on the program and on each command', async () => {
    const { run: r, out } = cli();
    for (const c of [[], ...COMMANDS.map((x) => [x])]) {
      await expect(r(...c, '--help')).rejects.toMatchObject({ code: 'commander.helpDisplayed' });
      const text = out.join('\n');
      expect(text).toMatch(/^Usage: autonomys-id/);
      if (c.length === 0) for (const name of COMMANDS) expect(text).toContain(name);
      else expect(text).toContain(c[0]);
    }
  });

  it('create -> issue -> register -> verify -> sign -> verify-content', async () => {
    expect(orgId).toBe(bytesToHex(deriveAutoId('Example Org')));
    const issued = await run(
      'issue',
      'Org agent',
      '--issuer-cert',
      p('org.cert.pem'),
      '--issuer-key',
      p('org.key.pem'),
      '--out',
      p('agent'),
    );
    agentId = /auto id ([0-9a-f]{64})/.exec(issued)![1]!;
    expect(agentId).toBe(bytesToHex(deriveAutoId('Org agent', deriveAutoId('Example Org'))));
    expect(await run('register', p('org.cert.pem'), '-r', reg)).toBe(`registered ${orgId}`);
    expect(await run('register', p('agent.cert.pem'), '--issuer-id', orgId, '-r', reg)).toBe(
      `registered ${agentId}`,
    );
    const verified = await run('verify', p('agent.cert.pem'), '--issuer-cert', p('org.cert.pem'), '-r', reg);
    expect(verified).toContain(`auto id ${agentId}`);
    expect(verified).toContain('registered, chain of 2 not revoked');
    writeFileSync(p('doc.txt'), 'hello provenance');
    const signed = await run(
      'sign',
      p('doc.txt'),
      '--key',
      p('agent.key.pem'),
      '--id',
      `did:autoid:${agentId}`,
    );
    expect(signed).toMatch(/^cid bafkr4i/);
    expect(await run('verify-content', p('doc.txt'), '-r', reg)).toContain(`signed by ${agentId}`);
    // JSON records, SHA-256 CIDs
    await run(
      'sign',
      p('doc.txt'),
      '--key',
      p('agent.key.pem'),
      '--id',
      agentId,
      '--json',
      '--hash',
      'sha2-256',
      '--out',
      p('doc.json'),
    );
    expect(JSON.parse(readFileSync(p('doc.json'), 'utf8')).cid).toMatch(/^bafkrei/);
    expect(await run('verify-content', p('doc.txt'), '--record', p('doc.json'), '-r', reg)).toMatch(
      /^ok bafkrei/,
    );
  });

  it('failures are typed errors: changed content, unregistered signer, bad arguments', async () => {
    writeFileSync(p('other.txt'), 'hello provenance!');
    await expect(
      run('verify-content', p('other.txt'), '--record', p('doc.txt.provenance'), '-r', reg),
    ).rejects.toMatchObject({
      code: 'AUTO_ID_INVALID_PROOF',
    });
    await expect(run('verify-content', p('doc.txt'), '-r', p('empty.json'))).rejects.toMatchObject({
      code: 'AUTO_ID_UNRESOLVED_IDENTITY',
    });
    await expect(
      run('sign', p('doc.txt'), '--key', p('agent.key.pem'), '--id', 'nothex'),
    ).rejects.toBeInstanceOf(AutoIdError);
    await expect(run('verify', p('agent.cert.pem'))).rejects.toMatchObject({ code: 'AUTO_ID_INVALID_PROOF' }); // not self-signed
    await expect(run('register', p('agent.cert.pem'), '--issuer-id', orgId, '-r', reg)).rejects.toMatchObject(
      {
        code: 'AUTO_ID_CERTIFICATE_SERIAL_ALREADY_ISSUED',
      },
    );
    await expect(run('create', 'X', '--algorithm', 'DSA')).rejects.toMatchObject({
      code: 'commander.invalidArgument',
    });
    // runIdCli turns typed errors into exit code 1 with a message
    const errs: string[] = [];
    const code = await runIdCli(
      [
        'node',
        'autonomys-id',
        'verify-content',
        p('other.txt'),
        '--record',
        p('doc.txt.provenance'),
        '-r',
        reg,
      ],
      {
        out: () => {},
        err: (l) => errs.push(l),
      },
    );
    expect(code).toBe(1);
    expect(errs[0]).toMatch(/^error: AUTO_ID_INVALID_PROOF/);
    expect(io).toBeTruthy();
  });

  it('the bin runs as an executable (--help)', async () => {
    const tsx = join(
      import.meta.dirname,
      '..',
      '..',
      '..',
      'node_modules',
      'tsx',
      'dist',
      'esm',
      'index.mjs',
    );
    const bin = join(import.meta.dirname, '..', 'src', 'bin.ts');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', tsx, bin, 'verify-content', '--help'],
      { timeout: 30_000 },
    );
    expect(stdout).toContain('Usage: autonomys-id verify-content');
    expect(stdout).toContain('--registry');
  });
});

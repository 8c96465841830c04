/**
 * `autonomys-id`: a small command-line front end of the package (Node only), for people who want
 * to try Auto ID without writing code. Commands: create, issue, register, verify, sign,
 * verify-content. The "registry" is a local JSON file replaying the pallet's calls through
 * {@link AutoIdRegistry} (it never talks to a node). `createIdCommand()` returns the commander
 * command so a host CLI (e.g. `autonomys id …` in @autonomys/node) can mount it.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { bytesToHex, hexToBytes } from '@autonomys/primitives';
import { Command, Option } from 'commander';
import {
  createCsr,
  detectKeyAlgorithm,
  exportKeyPem,
  generateKeyPair,
  importPrivateKey,
  issueCertificate,
  type KeyAlgorithm,
  selfIssueCertificate,
} from './certificates.js';
import { autoIdFromDid, didFromAutoId } from './did.js';
import { AutoIdError, invalidArgument } from './errors.js';
import { autoIdFromCertificate } from './identifier.js';
import {
  createProvenanceRecord,
  decodeProvenanceRecord,
  encodeProvenanceRecord,
  provenanceRecordFromJson,
  provenanceRecordToJson,
  verifyProvenanceRecord,
} from './provenance.js';
import { AutoIdRegistry, registrationFromCertificate } from './registry.js';
import { decodeCall, encodeCall } from './scale.js';
import { verifyX509Signature } from './signature.js';
import { checkChain } from './trust.js';
import type { Identifier } from './types.js';
import { derToPem, parseCertificate } from './x509.js';

/** Where the commands write their results and diagnostics. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** The registry file format: the pallet calls in order, with the time each was applied. */
export interface RegistryFile {
  format: 'autonomys-auto-id-registry';
  version: 1;
  calls: Array<{ now: string; call: string }>;
}

const ALGORITHMS: KeyAlgorithm[] = ['Ed25519', 'ECDSA-P256', 'RSA-2048', 'RSA-3072', 'RSA-4096'];
const DEFAULT_REGISTRY = 'autoid-registry.json';

/** Loads a registry file by replaying its calls (an absent file is an empty registry). */
export async function loadRegistryFile(
  path: string,
): Promise<{ registry: AutoIdRegistry; file: RegistryFile }> {
  let file: RegistryFile = { format: 'autonomys-auto-id-registry', version: 1, calls: [] };
  try {
    file = JSON.parse(await readFile(path, 'utf8')) as RegistryFile;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      invalidArgument('registry', `cannot read ${path}: ${(e as Error).message}`);
  }
  if (file.format !== 'autonomys-auto-id-registry' || file.version !== 1 || !Array.isArray(file.calls))
    invalidArgument('registry', `${path} is not an Auto ID registry file`);
  const registry = new AutoIdRegistry();
  for (const { now, call } of file.calls) await applyCall(registry, hexToBytes(call), BigInt(now));
  return { registry, file };
}

async function applyCall(
  registry: AutoIdRegistry,
  bytes: Uint8Array,
  now: bigint,
): Promise<Identifier | undefined> {
  const c = decodeCall(bytes);
  switch (c.call) {
    case 'register_auto_id':
      return registry.registerAutoId(c.req, { now });
    case 'renew_auto_id':
      await registry.renewAutoId(c.id, c.req, { now });
      return c.id;
    case 'revoke_certificate':
      await registry.revokeCertificate(c.id, c.signature, { now });
      return c.id;
    case 'deactivate_auto_id':
      await registry.deactivateAutoId(c.id, c.signature, { now });
      return c.id;
  }
}

const readCert = async (path: string) => {
  const b = await readFile(path);
  const text = b.toString('latin1');
  return parseCertificate(text.includes('-----BEGIN') ? text : new Uint8Array(b));
};

function parseId(v: string): Identifier {
  if (v.startsWith('did:')) return autoIdFromDid(v);
  const hex = v.startsWith('0x') ? v.slice(2) : v;
  if (!/^[0-9a-fA-F]{64}$/.test(hex))
    return invalidArgument('id', 'expected 64 hex digits or a did:autoid DID');
  return hexToBytes(hex.toLowerCase());
}

function parseNow(v: string | undefined): bigint {
  if (v === undefined) return BigInt(Date.now());
  if (!/^\d{1,16}$/.test(v)) return invalidArgument('now', 'expected ms since the UNIX epoch');
  return BigInt(v);
}

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '') || 'autoid';

/**
 * The `id` command tree (named `name`, default `autonomys-id`).
 *
 * @example
 * await createIdCommand().parseAsync(['create', 'Alice', '--out', 'alice'], { from: 'user' });
 */
export function createIdCommand(opts: { name?: string; io?: CliIo; exitOverride?: boolean } = {}): Command {
  const io = opts.io ?? { out: (l) => console.log(l), err: (l) => console.error(l) };
  const program = new Command(opts.name ?? 'autonomys-id');
  program
    .description(
      'Auto ID identities: certificates, a local registry replaying the pallet, signed content provenance',
    )
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, '')),
      writeErr: (s) => io.err(s.replace(/\n$/, '')),
    })
    .showHelpAfterError();
  if (opts.exitOverride) program.exitOverride();
  const algorithm = () =>
    new Option('-a, --algorithm <algorithm>', 'key type').choices(ALGORITHMS).default('Ed25519');

  program
    .command('create')
    .description('create a key pair and a self-signed root certificate (a root Auto ID)')
    .argument('<name>', 'the subject common name (the Auto ID is blake2b-256 of it)')
    .addOption(algorithm())
    .option('-o, --out <prefix>', 'write <prefix>.key.pem and <prefix>.cert.pem (default: the name, slugged)')
    .option('--days <days>', 'validity in days', '365')
    .action(async (name: string, o: { algorithm: KeyAlgorithm; out?: string; days: string }) => {
      const keys = await generateKeyPair(o.algorithm);
      const cert = await selfIssueCertificate({
        commonName: name,
        keys,
        validityDays: Number(o.days),
        autoIdSan: true,
      });
      const prefix = o.out ?? slug(name);
      await writeFile(`${prefix}.key.pem`, await exportKeyPem(keys.privateKey), { mode: 0o600 });
      await writeFile(`${prefix}.cert.pem`, derToPem(cert.der, 'CERTIFICATE'));
      const id = autoIdFromCertificate(cert.der);
      io.out(`auto id ${bytesToHex(id)}`);
      io.out(`did ${didFromAutoId(id)}`);
      io.out(`wrote ${prefix}.key.pem ${prefix}.cert.pem`);
    });

  program
    .command('issue')
    .description('issue a certificate under an issuer (a leaf Auto ID, e.g. an agent of its creator)')
    .argument('<name>', 'the subject common name')
    .requiredOption('--issuer-cert <file>', "the issuer's certificate (PEM or DER)")
    .requiredOption('--issuer-key <file>', "the issuer's private key (PKCS#8 PEM)")
    .option('--issuer-id <id>', "the issuer's Auto ID (hex or DID; default: the issuer as a root)")
    .option('--csr <file>', 'issue for this CSR instead of creating a key pair')
    .addOption(algorithm())
    .option('-o, --out <prefix>', 'write <prefix>.key.pem (unless --csr) and <prefix>.cert.pem')
    .option('--days <days>', 'validity in days', '365')
    .action(
      async (
        name: string,
        o: {
          issuerCert: string;
          issuerKey: string;
          issuerId?: string;
          csr?: string;
          algorithm: KeyAlgorithm;
          out?: string;
          days: string;
        },
      ) => {
        const issuerCert = await readCert(o.issuerCert);
        const keyPem = await readFile(o.issuerKey, 'utf8');
        const privateKey = await importPrivateKey(keyPem, detectKeyAlgorithm(keyPem));
        const issuerId = o.issuerId ? parseId(o.issuerId) : autoIdFromCertificate(issuerCert.der);
        const prefix = o.out ?? slug(name);
        let csr: Uint8Array | string;
        if (o.csr) {
          const b = await readFile(o.csr);
          const text = b.toString('latin1');
          csr = text.includes('-----BEGIN') ? text : new Uint8Array(b);
        } else {
          const keys = await generateKeyPair(o.algorithm);
          csr = await createCsr({ commonName: name, keys });
          await writeFile(`${prefix}.key.pem`, await exportKeyPem(keys.privateKey), { mode: 0o600 });
        }
        const cert = await issueCertificate({
          csr,
          issuer: { certificate: issuerCert.der, privateKey },
          issuerAutoId: issuerId,
          validityDays: Number(o.days),
        });
        await writeFile(`${prefix}.cert.pem`, derToPem(cert.der, 'CERTIFICATE'));
        const id = autoIdFromCertificate(cert.der, issuerId);
        io.out(`auto id ${bytesToHex(id)}`);
        io.out(`issuer ${bytesToHex(issuerId)}`);
        io.out(`wrote ${o.csr ? '' : `${prefix}.key.pem `}${prefix}.cert.pem`);
      },
    );

  program
    .command('register')
    .description('register a certificate in a local registry file, as register_auto_id would')
    .argument('<cert>', 'the certificate (PEM or DER)')
    .option('--issuer-id <id>', 'register as a leaf of this Auto ID (hex or DID); default: as a root')
    .option('-r, --registry <file>', 'the registry file', DEFAULT_REGISTRY)
    .option('--now <ms>', 'the time to apply the call at (default: now)')
    .action(async (certPath: string, o: { issuerId?: string; registry: string; now?: string }) => {
      const cert = await readCert(certPath);
      const { registry, file } = await loadRegistryFile(o.registry);
      const now = parseNow(o.now);
      const req = registrationFromCertificate(cert.der, o.issuerId ? parseId(o.issuerId) : undefined);
      const call = encodeCall({ call: 'register_auto_id', req });
      const id = await applyCall(registry, call, now);
      file.calls.push({ now: now.toString(), call: bytesToHex(call) });
      await writeFile(o.registry, `${JSON.stringify(file, null, 2)}\n`);
      io.out(`registered ${bytesToHex(id!)}`);
    });

  program
    .command('verify')
    .description("verify a certificate: its signature, validity and (with a registry) its Auto ID's chain")
    .argument('<cert>', 'the certificate (PEM or DER)')
    .option('--issuer-cert <file>', "the issuer's certificate (default: self-signed)")
    .option('--issuer-id <id>', "the issuer's Auto ID (hex or DID) to derive a leaf's Auto ID")
    .option('-r, --registry <file>', 'also check the Auto ID against this registry file')
    .option('--now <ms>', 'the time to check at (default: now)')
    .action(
      async (
        certPath: string,
        o: { issuerCert?: string; issuerId?: string; registry?: string; now?: string },
      ) => {
        const cert = await readCert(certPath);
        const issuer = o.issuerCert ? await readCert(o.issuerCert) : cert;
        const now = parseNow(o.now);
        const ok = await verifyX509Signature(
          issuer.subjectPublicKeyInfo,
          cert.signatureAlgorithm,
          cert.tbs,
          cert.signature,
        );
        if (!ok)
          throw new AutoIdError({
            code: 'AUTO_ID_INVALID_PROOF',
            reason: 'certificate signature does not verify',
          });
        const { notBefore, notAfter } = cert.validity;
        if (now < notBefore || now > notAfter)
          throw new AutoIdError({
            code: 'AUTO_ID_NOT_VALID_AT',
            what: 'certificate',
            reason: `valid ${notBefore}..${notAfter} ms`,
          });
        const issuerId = o.issuerId
          ? parseId(o.issuerId)
          : o.issuerCert
            ? autoIdFromCertificate(issuer.der)
            : undefined;
        const id = autoIdFromCertificate(cert.der, issuerId);
        io.out(`signature ok, valid at ${now}`);
        io.out(`auto id ${bytesToHex(id)}`);
        if (o.registry) {
          const { registry } = await loadRegistryFile(o.registry);
          const chain = checkChain(registry, id, { at: now });
          if (bytesToHex(chain[0]!.certificate.raw) !== bytesToHex(cert.tbs))
            throw new AutoIdError({
              code: 'AUTO_ID_REVOKED',
              id: bytesToHex(id),
              reason: 'not the registered certificate (renewed?)',
            });
          io.out(`registered, chain of ${chain.length} not revoked`);
        }
      },
    );

  program
    .command('sign')
    .description('sign a file: a provenance record over its raw CIDv1 by an Auto ID')
    .argument('<file>', 'the content to sign')
    .requiredOption('-k, --key <file>', "the signer's private key (PKCS#8 PEM)")
    .requiredOption('--id <id>', "the signer's Auto ID (hex or DID)")
    .option('-o, --out <file>', 'where to write the record (default: <file>.provenance)')
    .addOption(new Option('--hash <hash>', 'CID multihash').choices(['blake3', 'sha2-256']).default('blake3'))
    .option('--json', 'write the record as JSON instead of bytes')
    .action(
      async (
        path: string,
        o: { key: string; id: string; out?: string; hash: 'blake3' | 'sha2-256'; json?: boolean },
      ) => {
        const content = new Uint8Array(await readFile(path));
        const pem = await readFile(o.key, 'utf8');
        const privateKey = await importPrivateKey(pem, detectKeyAlgorithm(pem));
        const record = await createProvenanceRecord({
          content,
          signer: { id: parseId(o.id), privateKey },
          hash: o.hash,
        });
        const out = o.out ?? `${path}.provenance`;
        await writeFile(
          out,
          o.json
            ? `${JSON.stringify(provenanceRecordToJson(record), null, 2)}\n`
            : encodeProvenanceRecord(record),
        );
        io.out(`cid ${record.cid.text}`);
        io.out(`wrote ${out}`);
      },
    );

  program
    .command('verify-content')
    .description("verify a file against its provenance record and the signer's chain in a registry")
    .argument('<file>', 'the content')
    .option('--record <file>', 'the provenance record, bytes or JSON (default: <file>.provenance)')
    .option('-r, --registry <file>', 'the registry file', DEFAULT_REGISTRY)
    .option('--now <ms>', 'the time to check at (default: now)')
    .action(async (path: string, o: { record?: string; registry: string; now?: string }) => {
      const content = new Uint8Array(await readFile(path));
      const raw = new Uint8Array(await readFile(o.record ?? `${path}.provenance`));
      const record = raw[0] === 0x7b ? provenanceRecordFromJson(parseJson(raw)) : decodeProvenanceRecord(raw);
      const { registry } = await loadRegistryFile(o.registry);
      const v = await verifyProvenanceRecord(record, { registry, content, now: parseNow(o.now) });
      io.out(`ok ${record.cid.text}`);
      io.out(`signed by ${bytesToHex(v.signer)} at ${new Date(Number(record.timestamp)).toISOString()}`);
    });

  return program;
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new AutoIdError({ code: 'AUTO_ID_INVALID_PROVENANCE', reason: 'record is not JSON' });
  }
}

/**
 * Runs the CLI on `argv` (as `process.argv`): prints `error: <code>: …` and resolves 1 on a typed
 * error, 0 on success.
 */
export async function runIdCli(argv: readonly string[], io?: CliIo): Promise<number> {
  const program = createIdCommand(io ? { io } : {});
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (e) {
    if (e instanceof AutoIdError) {
      (io?.err ?? console.error)(`error: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

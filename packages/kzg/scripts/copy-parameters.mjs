// Build step: copies the public parameters file (not in git) into dist/assets/, where
// loadPublicParameters() looks for it, after checking its SHA-256. Source: $AUTONOMYS_KZG_PARAMETERS,
// else $AUTONOMYS_VECTORS_DIR/kzg/, else ../shared/vectors/kzg/ beside the repository.
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SHA256 = 'f3ead1a6249527aa503d6c56578325c01d19b3365cc59905be2bba64ae322925';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vectors = process.env.AUTONOMYS_VECTORS_DIR ?? join(root, '..', '..', '..', 'shared', 'vectors');
const candidates = [
  process.env.AUTONOMYS_KZG_PARAMETERS,
  join(vectors, 'kzg', 'eth-public-parameters.bin'),
].filter((p) => p !== undefined && p !== '');
const source = candidates.find((p) => existsSync(p));
if (source === undefined) {
  // Not fatal: the package still builds; loadPublicParameters() then needs a path.
  console.warn(
    `@autonomys/kzg: public parameters not found (looked at ${candidates.join(', ')}); not copied`,
  );
  process.exit(0);
}
const digest = createHash('sha256').update(readFileSync(source)).digest('hex');
if (digest !== SHA256) {
  console.error(`@autonomys/kzg: ${source} has SHA-256 ${digest}, expected ${SHA256}`);
  process.exit(1);
}
const target = join(root, 'dist', 'assets', 'eth-public-parameters.bin');
mkdirSync(dirname(target), { recursive: true });
copyFileSync(source, target);
chmodSync(target, 0o644); // the source may be read-only; the next build must be able to replace the copy
console.log(`@autonomys/kzg: copied the public parameters to ${target}`);

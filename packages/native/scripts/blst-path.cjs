// Prints the directory of blst's C sources relative to the current directory (gyp runs this from the
// package root). gyp's make generator breaks on absolute source paths, hence the relative form.
// blst comes from the pinned c-kzg package (used only as a source carrier; its own build is off).
const path = require('node:path');
const fs = require('node:fs');

function blstDir() {
  const packed = path.join(__dirname, '..', 'deps', 'blst'); // a copy made at pack time, if any
  if (fs.existsSync(path.join(packed, 'src', 'server.c'))) return packed;
  return path.join(path.dirname(require.resolve('c-kzg/package.json')), 'deps', 'blst');
}

process.stdout.write(path.relative(process.cwd(), blstDir()).split(path.sep).join('/'));

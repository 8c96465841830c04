#!/usr/bin/env node
// The `autonomys` command (see `autonomys --help`): runs the built package.
import { runCli } from '../dist/index.js';

await runCli(process.argv);
// Worker pools and sockets are closed by the commands; exit even if a library left a handle open.
process.exit();

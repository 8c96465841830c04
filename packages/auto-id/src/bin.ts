#!/usr/bin/env node
// The `autonomys-id` executable: see cli.ts.
import { runIdCli } from './cli.js';

process.exitCode = await runIdCli(process.argv);

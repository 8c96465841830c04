/**
 * The `autonomys` command line: `dev` (a development network in one process), `node`, `farm` and
 * `timekeeper` (one role each, talking JSON-RPC), `verify-block` and `status` (inspection). Every
 * command has `--help`. Long-running commands stop cleanly on SIGINT/SIGTERM (a second signal
 * exits at once).
 */
import { createIdCommand } from '@autonomys/auto-id/cli';
import { Command } from 'commander';
import { devCommand } from './commands/dev.js';
import { farmCommand } from './commands/farm.js';
import { nodeCommand } from './commands/node.js';
import { statusCommand } from './commands/status.js';
import { storageCommands } from './commands/storage.js';
import { timekeeperCommand } from './commands/timekeeper.js';
import { verifyBlockCommand } from './commands/verify-block.js';
import { type Output, processOutput } from './display.js';

/** Builds the program (tests call `parseAsync` on it with their own output). */
export function createProgram(o: Output = processOutput(), signal?: AbortSignal): Command {
  const program = new Command('autonomys')
    .description('Autonomys Network node, farmer and timekeeper (TypeScript)')
    .version('0.1.0')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => o.out(s.trimEnd()), writeErr: (s) => o.err(s.trimEnd()) });

  program.addCommand(devCommand(o, signal));
  program.addCommand(nodeCommand(o, signal));
  program.addCommand(farmCommand(o, signal));
  program.addCommand(timekeeperCommand(o, signal));
  program.addCommand(verifyBlockCommand(o));
  program.addCommand(statusCommand(o));
  // Auto ID identities (@autonomys/auto-id's CLI, mounted as `autonomys id`)
  program.addCommand(createIdCommand({ name: 'id', io: { out: (l) => o.out(l), err: (l) => o.err(l) } }));
  for (const c of storageCommands(o)) program.addCommand(c);
  // addCommand() does not pass the output settings down: give every command the same output.
  const output = { writeOut: (s: string) => o.out(s.trimEnd()), writeErr: (s: string) => o.err(s.trimEnd()) };
  for (const c of program.commands) c.configureOutput(output).showHelpAfterError();
  return program;
}

/**
 * Runs the CLI on `argv` (as `process.argv`). Errors print their message (a typed error's code
 * first) and set exit code 1.
 * @example await runCli(process.argv)
 */
export async function runCli(argv: readonly string[], o: Output = processOutput()): Promise<void> {
  try {
    await createProgram(o).parseAsync([...argv]);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    o.err(
      `error: ${typeof code === 'string' && !code.startsWith('commander.') ? `${code}: ` : ''}${(e as Error).message ?? String(e)}`,
    );
    process.exitCode = 1;
  }
}

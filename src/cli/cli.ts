/**
 * The `qdistill` command line as a function: dispatch to the commands, the command list, and
 * one-line errors with exit codes (2 for usage and config errors, 1 for failures, 130 after an
 * interrupt). `main.ts` is the executable that calls it.
 */
import { Command } from 'commander';
import { QDISTILL_VERSION } from '../version.js';
import { demoCommand, demoDefinition } from './demo.js';
import { UsageError } from './errors.js';
import { gradCommand, gradDefinition } from './grad.js';
import { groundstateCommand, groundstateDefinition } from './groundstate.js';
import { HELP_WIDTH, helpText, suggestCommand } from './parse.js';
import { runCommand, runDefinition, validateCommand, validateDefinition } from './run.js';
import { simulateCommand, simulateDefinition } from './simulate.js';
import { mergeCommand, mergeDefinition, planCommand, planDefinition } from './study.js';
import { submitCommand, submitDefinition } from './submit.js';

/** The commands: their definitions (parser and help) and what runs them. */
const COMMANDS: Record<string, { define: () => Command; run: (argv: string[]) => string | Promise<string> }> = {
  simulate: { define: simulateDefinition, run: simulateCommand },
  run: { define: runDefinition, run: runCommand },
  validate: { define: validateDefinition, run: validateCommand },
  groundstate: { define: groundstateDefinition, run: groundstateCommand },
  grad: { define: gradDefinition, run: gradCommand },
  demo: { define: demoDefinition, run: (argv) => demoCommand(argv) },
  plan: { define: planDefinition, run: planCommand },
  merge: { define: mergeDefinition, run: mergeCommand },
  submit: { define: submitDefinition, run: (argv) => submitCommand(argv) },
};

/** The text of `qdistill --help`: the command list from the commands' definitions. */
export function rootHelp(): string {
  const root = new Command('qdistill')
    .usage('<command> [options]')
    .description('qdistill — quantum neural networks as matrix product states, compressed by distillation')
    .helpOption('-h, --help', 'this text')
    .helpCommand('help [command]', 'this text, or the help of a command')
    .configureHelp({ helpWidth: HELP_WIDTH, subcommandTerm: (c) => `${c.name()} ${c.usage()}`.replace(/\s*(--|\[options\]).*$/, '') })
    .addHelpText('after', `\nRun 'qdistill <command> --help' for a command's options. Add --debug to any command to see\nstack traces on errors.`);
  for (const c of Object.values(COMMANDS)) root.addCommand(c.define());
  root.command('version').usage('').summary('print the version');
  return helpText(root);
}

/** Runs the CLI on `argv` (without node and script); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const debug = argv.includes('--debug');
  const [cmd, ...rest] = argv;
  try {
    if (cmd === undefined || cmd === '--help' || cmd === '-h' || (cmd === 'help' && rest.length === 0)) {
      process.stdout.write(rootHelp() + '\n');
      return 0;
    }
    if (cmd === 'version' || cmd === '--version') {
      process.stdout.write(QDISTILL_VERSION + '\n');
      return 0;
    }
    // `qdistill help run` is `qdistill run --help`
    const [name, args] = cmd === 'help' ? [rest[0]!, ['--help']] : [cmd, rest];
    const command = COMMANDS[name];
    if (!command) {
      const names = [...Object.keys(COMMANDS), 'help', 'version'];
      const near = suggestCommand(names, name);
      throw new UsageError(`unknown command '${name}'; allowed: ${names.join(', ')}${near ? ` (did you mean ${near}?)` : ''}`);
    }
    process.stdout.write((await command.run(args)) + '\n');
    return 0;
  } catch (e) {
    const err = e as Error & { code?: string };
    if (debug) process.stderr.write((err.stack ?? String(err)) + '\n');
    process.stderr.write(`qdistill: ${(err.message ?? String(err)).split('\n')[0]}\n`);
    if (err.name === 'InterruptedError') return 130;
    return err instanceof UsageError || err.name === 'ConfigError' || err.name === 'ResultsFolderError' ? 2 : 1;
  }
}

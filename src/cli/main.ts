#!/usr/bin/env node
/**
 * The `qdistill` command-line entry point. Every failure prints one line on stderr
 * (`qdistill: <message>`) and exits non-zero; `--debug` adds the stack trace.
 */
import { QDISTILL_VERSION } from '../version.js';
import { demoCommand } from './demo.js';
import { UsageError } from './errors.js';
import { gradCommand } from './grad.js';
import { groundstateCommand } from './groundstate.js';
import { runCommand, validateCommand } from './run.js';
import { simulateCommand } from './simulate.js';

const HELP = `qdistill — quantum neural networks as matrix product states, compressed by distillation

Usage: qdistill <command> [options]

Commands:
  simulate <circuit.qasm>   simulate an OpenQASM 2 circuit (MPS or state vector)
  run <config.json>         run an experiment (distillation studies): results.json, table.md, figures
  validate <config.json>    check an experiment config without running it
  groundstate               ground state of a spin chain by DMRG (tfim, cluster-ising, annni, xxz)
  grad <circuit.json>       value and gradient of a Pauli sum (adjoint or parameter shift)
  demo                      the main job: a small distillation demo (teacher, KD and label-only
                            students, a self-distilled student); prints the table, writes figures
  help                      this text
  version                   print the version

Run 'qdistill <command> --help' for a command's options. Add --debug to any command to see
stack traces on errors.`;

const COMMANDS: Record<string, (argv: string[]) => string | Promise<string>> = {
  simulate: simulateCommand,
  grad: gradCommand,
  groundstate: groundstateCommand,
  run: runCommand,
  validate: validateCommand,
  demo: (argv) => demoCommand(argv),
};


/**
 * Joins `--opt -1` into `--opt=-1` so that negative numbers, and Pauli sums that start with a
 * minus sign (`--observable "-Z0 + Z1"`), reach the option validators (node's parseArgs would
 * otherwise reject them as ambiguous).
 */
export function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!, b = argv[i + 1];
    if (a.startsWith('--') && !a.includes('=') && b !== undefined && /^-\s*(\d|\.\d|inf|nan|[XYZI]\s*\d)/i.test(b)) { out.push(`${a}=${b}`); i++; }
    else out.push(a);
  }
  return out;
}

/** Runs the CLI on `argv` (without node and script); returns the exit code. */
export async function main(rawArgv: string[]): Promise<number> {
  const argv = joinNegativeValues(rawArgv);
  const debug = argv.includes('--debug');
  const [cmd, ...rest] = argv;
  try {
    if (cmd === undefined || cmd === 'help' || cmd === '--help' || cmd === '-h') {
      process.stdout.write(HELP + '\n');
      return 0;
    }
    if (cmd === 'version' || cmd === '--version') {
      process.stdout.write(QDISTILL_VERSION + '\n');
      return 0;
    }
    const run = COMMANDS[cmd];
    if (!run) throw new UsageError(`unknown command '${cmd}'; allowed: ${Object.keys(COMMANDS).join(', ')}, help, version`);
    process.stdout.write((await run(rest)) + '\n');
    return 0;
  } catch (e) {
    const err = e as Error & { code?: string };
    if (debug) process.stderr.write((err.stack ?? String(err)) + '\n');
    // one line: node's own argument errors put their hint (e.g. "use '--out=-dir'") on later lines
    const lines = (err.message ?? String(err)).split('\n');
    const msg = err.code?.startsWith('ERR_PARSE_ARGS') ? lines.map((l) => l.trim()).filter((l) => l !== '').join(' ') : lines[0];
    process.stderr.write(`qdistill: ${msg}\n`);
    if (err.name === 'InterruptedError') return 130;
    return err instanceof UsageError || err.name === 'ConfigError' || err.name === 'ResultsFolderError' || err.code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));

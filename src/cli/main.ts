#!/usr/bin/env node
/**
 * The `qdistill` command-line entry point. Every failure prints one line on stderr
 * (`qdistill: <message>`) and exits non-zero; `--debug` adds the stack trace. It first
 * switches V8 to single-threaded garbage collection (./gc.ts), then loads the commands.
 */
import { applySingleThreadedGc } from './gc.js';

const gcError = applySingleThreadedGc();
if (gcError !== null) {
  process.stderr.write(`qdistill: ${gcError}\n`);
  process.exit(2);
}
const { main } = await import('./cli.js');
process.exitCode = await main(process.argv.slice(2));

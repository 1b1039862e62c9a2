#!/usr/bin/env node
/**
 * The `qdistill` command-line entry point. Every failure prints one line on stderr
 * (`qdistill: <message>`) and exits non-zero; `--debug` adds the stack trace. It first
 * checks the environment variables `QDISTILL_WASM` and `QDISTILL_SINGLE_THREADED_GC` and switches
 * V8 to single-threaded garbage collection (./gc.ts), then loads the commands.
 */
import { wasmSetting } from '../../mps/env-switch.js';
import { applySingleThreadedGc } from './gc.js';

// the environment variables, before anything that reads them loads
const envError = wasmSetting(process.env.QDISTILL_WASM).error ?? applySingleThreadedGc().error;
if (envError !== null) {
  process.stderr.write(`qdistill: ${envError}\n`);
  process.exit(2);
}
const { main } = await import('./cli.js');
process.exitCode = await main(process.argv.slice(2));

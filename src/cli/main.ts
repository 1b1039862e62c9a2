#!/usr/bin/env node
/**
 * The `qdistill` command-line entry point. Every failure prints one line on stderr
 * (`qdistill: <message>`) and exits non-zero; `--debug` adds the stack trace.
 */
import { main } from './cli.js';

process.exitCode = await main(process.argv.slice(2));

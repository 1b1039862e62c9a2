// Single-threaded garbage collection of the CLI process (src/cli/gc.ts): the variable's values,
// the flags being ones this Node's V8 knows, and the built CLI with each value (and with a
// value of QDISTILL_WASM it does not know: the environment is checked before anything loads).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SINGLE_THREADED_GC_FLAGS, singleThreadedGcSetting } from '../../src/cli/gc.js';
import { runCli } from './run-cli.js';

describe('QDISTILL_SINGLE_THREADED_GC', () => {
  it.each([
    [undefined, true], ['', true], ['1', true], ['0', false],
  ])('%j switches single-threaded collection %s without error', (value, on) => {
    expect(singleThreadedGcSetting(value)).toEqual({ on, error: null });
  });

  it.each(['yes', 'true', 'on', ' 1', '2', '-1', 'parallel'])('%j is refused with one line naming the variable, the value and what is allowed', (value) => {
    const s = singleThreadedGcSetting(value);
    expect(s.on).toBe(false);
    expect(s.error).toBe(`QDISTILL_SINGLE_THREADED_GC = ${JSON.stringify(value)}: allowed 1 (the default: single-threaded garbage collection) or 0 (V8's parallel collector)`);
  });
});

describe('the V8 flags', () => {
  it('each is the negation of a boolean flag this Node\'s V8 lists, on by default, and one that --single-threaded-gc implies off', () => {
    const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
    expect(options).toContain('--single-threaded-gc');
    for (const flag of SINGLE_THREADED_GC_FLAGS) {
      expect(flag.startsWith('--no-')).toBe(true);
      const name = `--${flag.slice('--no-'.length)}`;
      const at = options.indexOf(`  ${name} (`);
      expect(at, name).toBeGreaterThanOrEqual(0);
      const block = options.slice(at, options.indexOf('\n', options.indexOf('\n', at) + 1));
      expect(block, name).toMatch(new RegExp(`type: bool\\s+default: ${name.replace(/-/g, '\\-')}\\b`));
    }
  });

  it('setting them in a running process and then starting a worker that allocates works, with nothing on stderr', () => {
    const gc = new URL('../../dist/src/cli/gc.js', import.meta.url).href;
    const script = `
      const { applySingleThreadedGc } = await import(${JSON.stringify(gc)});
      if (applySingleThreadedGc('1').error !== null) process.exit(3);
      const { Worker } = await import('node:worker_threads');
      const code = 'let a = []; for (let i = 0; i < 2e5; i++) { a.push(new Float64Array(64)); if (a.length > 1000) a = []; } import("node:worker_threads").then((m) => m.parentPort.postMessage("done"))';
      const w = new Worker(code, { eval: true });
      w.on('message', (m) => { console.log(m); w.terminate(); });`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('done');
    expect(r.status).toBe(0);
  });
});

describe('the built CLI', () => {
  it.each(['', '0', '1'])('QDISTILL_SINGLE_THREADED_GC=%j runs with nothing on stderr', (value) => {
    const r = runCli(['--version'], { env: { QDISTILL_SINGLE_THREADED_GC: value } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it.each(['false', 'off', ' 0'])('QDISTILL_WASM=%j exits 2 with one line naming the variable, before any command runs', (value) => {
    const r = runCli(['demo', '--quick'], { env: { QDISTILL_WASM: value } });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`qdistill: QDISTILL_WASM = ${JSON.stringify(value)}: allowed 1 (the WebAssembly kernels, the default) or 0 (the TypeScript kernels)\n`);
  });

  it('an unknown value exits 2 with the one error line, before any command runs', () => {
    const r = runCli(['demo', '--quick'], { env: { QDISTILL_SINGLE_THREADED_GC: 'yes' } });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('qdistill: QDISTILL_SINGLE_THREADED_GC = "yes": allowed 1 (the default: single-threaded garbage collection) or 0 (V8\'s parallel collector)\n');
  });
});

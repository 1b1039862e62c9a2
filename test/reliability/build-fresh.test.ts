/**
 * No silent skips and no stale builds: the CLI and worker tests run the compiled files in dist/,
 * and the kernel tests compare the WebAssembly module with TypeScript. A missing or stale build,
 * or a WebAssembly module that failed to load, must fail the suite instead of letting those tests
 * skip or test yesterday's code.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kernelBackend } from '../../mps/kernels/registry.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** Newest modification time (ms) of the files under `dir` whose names match `re`. */
function newest(dir: string, re: RegExp, skip: (p: string) => boolean = () => false): { time: number; file: string } {
  let best = { time: 0, file: '' };
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (skip(p)) continue;
      if (e.isDirectory()) walk(p);
      else if (re.test(e.name)) {
        const t = statSync(p).mtimeMs;
        if (t > best.time) best = { time: t, file: p };
      }
    }
  };
  walk(dir);
  return best;
}

describe('the build the tests run against', () => {
  it('dist/ exists and is newer than every TypeScript source (npm test builds first)', () => {
    const entry = join(root, 'dist/src/cli/main.js');
    expect(existsSync(entry), 'dist/ is missing: run `npm run build`').toBe(true);
    const assembly = join(root, 'mps/wasm/assembly');
    const src = [newest(join(root, 'src'), /\.ts$/), newest(join(root, 'mps'), /\.ts$/, (p) => p.startsWith(assembly))]
      .reduce((a, b) => (a.time >= b.time ? a : b));
    const built = [newest(join(root, 'dist/src'), /\.js$/), newest(join(root, 'dist/mps'), /\.js$/)].reduce((a, b) => (a.time >= b.time ? a : b));
    // tsc rewrites every output on each build, so the newest output is at least as new as the newest source
    expect(built.time, `stale build: ${src.file} is newer than every file in dist/; run \`npm run build\``).toBeGreaterThanOrEqual(src.time);
  });

  it('the WebAssembly module is built from the current AssemblyScript sources', () => {
    const wasm = join(root, 'mps/wasm/kernels.wasm');
    expect(existsSync(wasm), 'mps/wasm/kernels.wasm is missing: run `npm run build:wasm`').toBe(true);
    const src = newest(join(root, 'mps/wasm/assembly'), /\.ts$/);
    expect(statSync(wasm).mtimeMs, `stale WebAssembly module: ${src.file} is newer`).toBeGreaterThanOrEqual(src.time);
    expect(existsSync(join(root, 'dist/mps/wasm/kernels.wasm'))).toBe(true);
  });

  it('the WebAssembly kernels are active unless QDISTILL_WASM=0 asks for TypeScript', () => {
    expect(kernelBackend()).toBe(process.env.QDISTILL_WASM === '0' ? 'ts' : 'wasm');
  });
});

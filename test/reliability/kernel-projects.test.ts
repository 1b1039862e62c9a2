/**
 * The suite runs twice over the kernel-dependent folders (vitest.config.ts): project `default`
 * on the WebAssembly kernels, project `ts-kernels` with QDISTILL_WASM=0 on the TypeScript ones.
 * This file runs in both projects and checks that each really uses its backend, in the test
 * process, in a worker thread and in a child process, so the second project cannot silently run
 * the WebAssembly kernels again.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { kernelBackend } from '../../mps/kernels/wasm.js';
import { KERNEL_TESTS } from '../../vitest.config.js';
import { ROOT } from './spawn.js';

const DIST_WASM = join(ROOT, 'dist', 'mps', 'kernels', 'wasm.js');
const probe = `import(${JSON.stringify(pathToFileURL(DIST_WASM).href)}).then((m) => console.log(m.kernelBackend()))`;

/** The backend a fresh worker thread of this process selects (it inherits process.env). */
function workerBackend(): Promise<string> {
  return new Promise((resolve, reject) => {
    const w = new Worker(`import(${JSON.stringify(pathToFileURL(DIST_WASM).href)}).then((m) => require('node:worker_threads').parentPort.postMessage(m.kernelBackend()))`, { eval: true });
    w.once('message', (m: string) => { resolve(m); void w.terminate(); });
    w.once('error', reject);
  });
}

describe('each test project runs on its kernel backend', () => {
  it('the project is one of the two, and its backend is the one it names', ({ task }) => {
    const project = task.file.projectName;
    expect(['default', 'ts-kernels']).toContain(project);
    if (project === 'ts-kernels') {
      expect(process.env.QDISTILL_WASM).toBe('0');
      expect(kernelBackend()).toBe('ts');
    } else {
      // The default project follows the caller's environment (QDISTILL_WASM=0 npx vitest run
      // puts the whole suite on the TypeScript kernels); unset, the WebAssembly module is active.
      expect(kernelBackend()).toBe(process.env.QDISTILL_WASM === '0' ? 'ts' : 'wasm');
    }
  });

  it('worker threads and child processes inherit the backend', async () => {
    expect(existsSync(DIST_WASM), 'run npm run build first').toBe(true);
    const here = kernelBackend();
    expect(await workerBackend()).toBe(here);
    expect(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' }).trim()).toBe(here);
  });

  it('the TypeScript-kernel project covers the engine, the backends, the gradients and this file', () => {
    for (const f of ['test/mps/**/*.test.ts', 'test/backends/**/*.test.ts', 'test/grad/**/*.test.ts', 'test/reliability/kernel-projects.test.ts']) {
      expect(KERNEL_TESTS).toContain(f);
    }
  });
});

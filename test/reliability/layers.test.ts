/**
 * The layering of src/ and mps/: every relative import (static, dynamic, or a worker's module
 * path given as a string or URL) goes from a folder to one the allowed table lists below it,
 * mps/ imports nothing from src/, and no two folders import each other. The checker itself is
 * tested on synthetic trees that break each rule once.
 * `npm run layers` prints the same graph.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALLOWED, checkLayers, extractImports, folderOf, formatGraph, mutualEdges } from './layers-graph.mjs';
import { ROOT } from './spawn.js';

const SCRIPT = join(ROOT, 'test', 'reliability', 'layers-graph.mjs');

describe('the import graph of this repository', () => {
  const result = checkLayers(ROOT);

  it('follows the layering (the graph is printed)', () => {
    console.log(formatGraph(result));
    expect(result.violations.map((v) => `${v.file}:${v.line} ${v.from} → ${v.to} '${v.spec}'`)).toEqual([]);
  });

  it('has mps/ importing nothing outside itself, and no folders importing each other', () => {
    expect(result.edges.get('mps')).toBeUndefined();
    expect(mutualEdges(result.edges)).toEqual([]);
  });

  it('names every folder of src/ in the table (a new folder gets a place in the layering)', () => {
    const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true }).map((d) => folderOf(`src/${d.name}${d.isDirectory() ? '/x.ts' : ''}`));
    expect(folders.filter((f) => !(f in ALLOWED))).toEqual([]);
    expect(result.folders).toEqual(expect.arrayContaining(['mps', 'src/infra', 'src/qnn', 'src/distill', 'src/cli']));
  });

  it('the table is a strict order: no folder may import one that may import it', () => {
    for (const [a, lows] of Object.entries(ALLOWED)) {
      for (const b of lows) expect(ALLOWED[b] ?? [], `${a} and ${b}`).not.toContain(a);
      expect(lows).not.toContain(a);
    }
    expect(ALLOWED['mps']).toEqual([]);
    expect(ALLOWED['src/infra']).toEqual([]);
  });
});

describe('extractImports', () => {
  it.each<[string, string, { spec: string; kind: string }[]]>([
    ['named import', "import { a } from '../train/loop.js';", [{ spec: '../train/loop.js', kind: 'static' }]],
    ['type import', "import type { A } from './a.js';", [{ spec: './a.js', kind: 'static' }]],
    ['side-effect import', "import './setup.js';", [{ spec: './setup.js', kind: 'static' }]],
    ['re-export', "export * from '../qnn/loss.js';\nexport { b } from \"./b.js\";", [{ spec: '../qnn/loss.js', kind: 'static' }, { spec: './b.js', kind: 'static' }]],
    ['import-equals', "import x = require('../data/x.js');", [{ spec: '../data/x.js', kind: 'static' }]],
    ['import type expression', "let t: typeof import('../distill/objective.js');", [{ spec: '../distill/objective.js', kind: 'static' }]],
    ['dynamic import', "const m = await import('./worker-task.js');", [{ spec: './worker-task.js', kind: 'dynamic' }]],
    ['dynamic import, template literal', 'const m = await import(`../cli/x.js`);', [{ spec: '../cli/x.js', kind: 'dynamic' }]],
    ['worker module URL', "new WorkerPool(new URL('../distill/worker-task.js', import.meta.url), 2);", [{ spec: '../distill/worker-task.js', kind: 'string' }]],
    ['worker module path string', "const task = './phase-task.js';", [{ spec: './phase-task.js', kind: 'string' }]],
    ['asset URL', "new URL('../wasm/kernels.wasm', import.meta.url);", [{ spec: '../wasm/kernels.wasm', kind: 'string' }]],
    ['package and node imports are not relative', "import { z } from 'zod';\nimport { join } from 'node:path';\nconst m = await import('node:fs');", []],
    ['comments are not code', "// import { a } from '../cli/a.js';\n/* await import('../cli/b.js') */\n/** new URL('../cli/c.js', import.meta.url) */", []],
    ['strings that are not module paths', "throw new Error('worker-entry.js must run as a worker thread'); const s = '../results/x.json'; const t = `./${n}.js`;", []],
    ['a computed dynamic import is not an edge', 'await import(href);', []],
  ])('%s', (_, code, expected) => {
    expect(extractImports(code).map(({ spec, kind }) => ({ spec, kind }))).toEqual(expected);
  });

  it('reports the line of each path', () => {
    expect(extractImports("\n\nimport { a } from './a.js';\nawait import('./b.js');").map((i) => i.line)).toEqual([3, 4]);
  });

  it.each([
    ['mps/kernels/wasm.ts', 'mps'],
    ['mps/index.ts', 'mps'],
    ['src/qnn/model.ts', 'src/qnn'],
    ['src/index.ts', 'src/index'],
    ['src/version.js', 'src/version'],
    ['test/x.ts', 'test'],
  ])('folderOf(%s) = %s', (rel, folder) => {
    expect(folderOf(rel)).toBe(folder);
  });
});

describe('the checker fails on a synthetic violation of each rule', () => {
  const root = mkdtempSync(join(tmpdir(), 'qdistill-layers-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const put = (rel: string, text: string): void => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  put('mps/engine.ts', "import { QnnModel } from '../src/qnn/model.js';\nexport const e = 1;\n");
  put('mps/ok.ts', "import { e } from './engine.js';\nexport const f = e;\n");
  put('src/qnn/model.ts', "import { kd } from '../distill/losses.js';\nimport { m } from '../../mps/ok.js';\nexport class QnnModel {}\n");
  put('src/qnn/pool-user.ts', "// import { x } from '../cli/x.js';  (a comment: not an edge)\nconst pool = new WorkerPool(new URL('../train/task.js', import.meta.url), 2);\n");
  put('src/distill/losses.ts', "import type { QnnModel } from '../qnn/model.js';\nexport const kd = 1;\n");
  put('src/data/phases.ts', "export async function f() { return import('../distill/losses.js'); }\n");
  put('src/train/loop.ts', "import { QnnModel } from '../qnn/model.js';\nimport { writeFileAtomic } from '../infra/atomic.js';\n");
  put('src/infra/atomic.ts', 'export const writeFileAtomic = 1;\n');
  put('src/extra/thing.ts', "import { kd } from '../qnn/model.js';\n");
  put('src/index.ts', "export * from './cli/main.js';\nexport * from './extra/thing.js';\n");
  put('src/cli/main.ts', "export { run } from '../experiment/runner.js';\n");
  put('test/x.test.ts', "import { cli } from '../src/cli/main.js';\n"); // test/ is not checked

  const result = checkLayers(root);

  it('finds exactly the imports against the table, with kind and line', () => {
    const got = result.violations.map((v) => `${v.file}:${v.line} ${v.from} → ${v.to} ${v.kind}`).sort();
    expect(got).toEqual([
      'src/data/phases.ts:1 src/data → src/distill dynamic', // sibling layers: data does not import distill
      'src/extra/thing.ts:1 src/extra → src/qnn static', // a folder missing from the table imports nothing
      'src/index.ts:2 src/index → src/extra static',
      'mps/engine.ts:1 mps → src/qnn static', // the engine never imports src/
      'src/qnn/model.ts:1 src/qnn → src/distill static', // upward
      'src/qnn/pool-user.ts:2 src/qnn → src/train string', // a worker module given as a URL
    ].sort());
  });

  it('reports the folders that import each other', () => {
    expect(mutualEdges(result.edges).map(([a, b]) => `${a} ⇄ ${b}`).sort()).toEqual(['mps ⇄ src/qnn', 'src/distill ⇄ src/qnn', 'src/qnn ⇄ src/train']);
    expect(formatGraph(result)).toContain('src/distill ⇄ src/qnn');
  });

  it('passes once the violations are gone, and the command-line script exits 1 before and 0 after', () => {
    const before = spawnSync(process.execPath, [SCRIPT, root], { encoding: 'utf8' });
    expect(before.status).toBe(1);
    expect(before.stdout).toContain('imports against the layering: 6');
    expect(before.stdout).toContain("src/qnn/pool-user.ts:2 (src/qnn → src/train) string '../train/task.js'");
    rmSync(join(root, 'src', 'extra'), { recursive: true });
    put('mps/engine.ts', 'export const e = 1;\n');
    put('src/qnn/model.ts', "import { m } from '../../mps/ok.js';\nexport class QnnModel {}\n");
    put('src/qnn/pool-user.ts', "const pool = new WorkerPool(new URL('./task.js', import.meta.url), 2);\n");
    put('src/data/phases.ts', 'export const f = 1;\n');
    put('src/index.ts', "export * from './cli/main.js';\n");
    expect(checkLayers(root).violations).toEqual([]);
    expect(execFileSync(process.execPath, [SCRIPT, root], { encoding: 'utf8' })).toContain('imports against the layering: 0');
  });
});

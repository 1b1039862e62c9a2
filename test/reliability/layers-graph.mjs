#!/usr/bin/env node
/**
 * The folder-to-folder import graph of `src/` and `mps/`, checked against the allowed layering.
 *
 *   node test/reliability/layers-graph.mjs [root]      (npm run layers)
 *
 * Prints every folder's outgoing edges (with the number of importing files) and every edge the
 * table below does not allow; exits 1 when there is one. `root` defaults to the repository.
 *
 * An edge is any relative module path in a `.ts` file: static imports and re-exports
 * (`import … from`, `export … from`, `import x = require()`, `import('…')` types), dynamic
 * `import('…')` calls, and module paths written as strings (a worker's task module given as
 * `new URL('./task.js', import.meta.url)` or a plain string). Comments are not read: the files
 * are parsed with the TypeScript compiler. A path is attributed to its folder: `mps` for the
 * whole engine, `src/<dir>` for a folder of `src/`, `src/<name>` for a file directly in `src/`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** Bottom to top; a folder may import its own files and those of the folders it lists. */
const LOWER = {
  mps: [],
  'src/version': [],
  'src/infra': [],
  'src/circuit': ['mps'],
  'src/report': ['src/infra', 'src/version'],
  'src/stats': ['src/version'],
  'src/backends': ['mps', 'src/circuit', 'src/infra', 'src/version'],
  'src/grad': ['mps', 'src/circuit', 'src/backends', 'src/infra', 'src/version'],
  'src/qnn': ['mps', 'src/circuit', 'src/backends', 'src/grad', 'src/infra', 'src/version'],
  'src/train': ['mps', 'src/circuit', 'src/backends', 'src/grad', 'src/qnn', 'src/infra', 'src/version'],
  'src/data': ['mps', 'src/circuit', 'src/backends', 'src/grad', 'src/qnn', 'src/infra', 'src/version'],
  'src/distill': ['mps', 'src/circuit', 'src/backends', 'src/grad', 'src/qnn', 'src/train', 'src/data', 'src/report', 'src/infra', 'src/version'],
  'src/experiment': ['mps', 'src/circuit', 'src/backends', 'src/grad', 'src/qnn', 'src/train', 'src/data', 'src/distill', 'src/report', 'src/stats', 'src/infra', 'src/version'],
  'src/cluster': ['src/infra', 'src/version', 'src/experiment'],
  'src/cli': ['src/cluster', 'mps', 'src/circuit', 'src/backends', 'src/grad', 'src/qnn', 'src/train', 'src/data', 'src/distill', 'src/experiment', 'src/report', 'src/stats', 'src/infra', 'src/version'],
  // The public API re-exports every layer.
  'src/index': ['mps', 'src/circuit', 'src/backends', 'src/grad', 'src/qnn', 'src/train', 'src/data', 'src/distill', 'src/experiment', 'src/report', 'src/stats', 'src/infra', 'src/version', 'src/cli'],
};

/** The allowed table: folder → folders it may import (frozen). */
export const ALLOWED = Object.freeze(Object.fromEntries(Object.entries(LOWER).map(([k, v]) => [k, Object.freeze([...v])])));

const MODULE_PATH = /^\.\.?\/.*\.(?:[cm]?[jt]s|wasm)$/;

/**
 * The relative module paths of one TypeScript source text, in source order, each with its kind:
 * 'static' (import/export declarations, import-equals, `import('…')` types), 'dynamic'
 * (`import('…')` calls with a string) or 'string' (any other string literal that is a relative
 * path to a module, e.g. a worker's task module).
 */
export function extractImports(text, fileName = 'file.ts') {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out = [];
  const specifiers = new Set();
  const lit = (n) => (n !== undefined && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) ? n : undefined);
  const visit = (node) => {
    let spec;
    let kind;
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && lit(node.moduleSpecifier)) {
      spec = node.moduleSpecifier; kind = 'static';
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && lit(node.moduleReference.expression)) {
      spec = node.moduleReference.expression; kind = 'static';
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && lit(node.argument.literal)) {
      spec = node.argument.literal; kind = 'static';
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && lit(node.arguments[0])) {
      spec = node.arguments[0]; kind = 'dynamic';
    }
    if (spec !== undefined) {
      specifiers.add(spec);
      if (spec.text.startsWith('.')) out.push({ spec: spec.text, kind, line: sf.getLineAndCharacterOfPosition(spec.getStart(sf)).line + 1 });
    } else if (lit(node) && !specifiers.has(node) && MODULE_PATH.test(node.text)) {
      out.push({ spec: node.text, kind: 'string', line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/**
 * The folder of a path relative to the root (forward slashes): `mps` for anything under mps/,
 * `src/<dir>` under a folder of src/, `src/<name>` (without extension) for a file directly in
 * src/, otherwise the path's first segment.
 */
export function folderOf(rel) {
  const parts = rel.split('/');
  if (parts[0] === 'mps') return 'mps';
  if (parts[0] === 'src') {
    if (parts.length === 2) return `src/${parts[1].replace(/\.[cm]?[jt]s$/, '')}`;
    return `src/${parts[1]}`;
  }
  return parts[0];
}

function tsFiles(dir) {
  const out = [];
  let names;
  try {
    names = readdirSync(dir).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/**
 * Reads every `.ts` file under `root/src` and `root/mps` and returns the folder graph:
 * `edges` (Map folder → Map folder → sorted list of importing files, relative to root),
 * `folders` (every folder seen) and `violations` (one entry per file-level import the
 * `allowed` table does not permit: `{ from, to, file, line, spec, kind }`). A folder missing
 * from the table may import nothing outside itself.
 */
export function checkLayers(root, allowed = ALLOWED) {
  const edges = new Map();
  const folders = new Set();
  const violations = [];
  const files = [...tsFiles(join(root, 'src')), ...tsFiles(join(root, 'mps'))];
  for (const abs of files) {
    const rel = relative(root, abs).split(sep).join('/');
    const from = folderOf(rel);
    folders.add(from);
    for (const imp of extractImports(readFileSync(abs, 'utf8'), abs)) {
      const target = relative(root, resolve(dirname(abs), imp.spec)).split(sep).join('/');
      const to = folderOf(target);
      if (to === from) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      const m = edges.get(from);
      if (!m.has(to)) m.set(to, new Set());
      m.get(to).add(rel);
      if (!(allowed[from] ?? []).includes(to)) violations.push({ from, to, file: rel, line: imp.line, spec: imp.spec, kind: imp.kind });
    }
  }
  const sorted = new Map([...edges].map(([f, m]) => [f, new Map([...m].map(([t, s]) => [t, [...s].sort()]))]));
  return { folders: [...folders].sort(), edges: sorted, violations };
}

/** Pairs of folders that import each other (directly). */
export function mutualEdges(edges) {
  const out = [];
  for (const [a, m] of edges) for (const b of m.keys()) if (a < b && edges.get(b)?.has(a)) out.push([a, b]);
  return out;
}

/**
 * The graph as text: one line per folder (in the table's bottom-to-top order, then any other
 * folder) listing the folders it imports with the number of importing files; then the folder
 * pairs that import each other and every violation with file, line and path.
 */
export function formatGraph({ folders, edges, violations }, allowed = ALLOWED) {
  const order = [...Object.keys(allowed).filter((f) => folders.includes(f)), ...folders.filter((f) => !(f in allowed))];
  const rank = (f) => { const i = order.indexOf(f); return i < 0 ? order.length : i; };
  const width = Math.max(...order.map((f) => f.length));
  const lines = ['folder graph (A → B (k): k files of A import B)'];
  for (const f of order) {
    const m = edges.get(f);
    const outs = m === undefined ? [] : [...m].sort((x, y) => rank(x[0]) - rank(y[0]) || (x[0] < y[0] ? -1 : 1)).map(([t, fs]) => `${t} (${fs.length})`);
    lines.push(`  ${f.padEnd(width)} → ${outs.length === 0 ? '—' : outs.join(', ')}`);
  }
  const mutual = mutualEdges(edges);
  lines.push(`folders importing each other: ${mutual.length === 0 ? 'none' : mutual.map(([a, b]) => `${a} ⇄ ${b}`).join(', ')}`);
  lines.push(`imports against the layering: ${violations.length}`);
  for (const v of violations) lines.push(`  ${v.file}:${v.line} (${v.from} → ${v.to}) ${v.kind} '${v.spec}'`);
  return lines.join('\n');
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..'));
  const result = checkLayers(root);
  console.log(formatGraph(result));
  process.exitCode = result.violations.length === 0 ? 0 : 1;
}

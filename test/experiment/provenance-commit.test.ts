/**
 * The commit recorded in results is qdistill's, whatever folder the command runs from: from this
 * checkout it is `git rev-parse HEAD` of the checkout (with `-dirty` as `git status` says), from
 * a folder outside any repository or from another project's repository it is not that folder's.
 * Rows: the default (this module's checkout), a plain folder, a repository of another package,
 * and the CLI run from a folder outside the checkout (the task marker's `gitCommit`).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { gitCommit } from '../../src/experiment/provenance.js';
import { runCli } from '../cli/run-cli.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), 'qdistill-commit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const git = (cwd: string, args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();

/**
 * This checkout's commit as `git describe` names it at the repository root (another route than
 * the code under test: every tag excluded, so the full hash; `-dirty` when a tracked file differs).
 */
function checkoutCommit(): string {
  return git(root, ['describe', '--always', '--dirty', '--abbrev=40', '--exclude=*']);
}

describe('gitCommit: the commit of the qdistill that runs', () => {
  it('by default, this checkout\'s', () => {
    expect(gitCommit()).toBe(checkoutCommit());
    expect(gitCommit()).toMatch(/^[0-9a-f]{40}(-dirty)?$/);
  });

  it('a folder outside any repository: unknown', () => {
    const plain = join(dir, 'plain');
    mkdirSync(plain);
    expect(gitCommit(plain)).toBe('unknown');
  });

  it('a repository of another package (qdistill installed inside someone\'s project): unknown, not that project\'s commit', () => {
    const other = join(dir, 'other');
    mkdirSync(other);
    git(other, ['init', '-q']);
    writeFileSync(join(other, 'package.json'), JSON.stringify({ name: 'my-analysis' }));
    git(other, ['add', '-A']);
    execFileSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'x'], { cwd: other });
    expect(gitCommit(other)).toBe('unknown');
  });

  it('the CLI run from another folder records this checkout\'s commit in the task marker', () => {
    const cwd = join(dir, 'elsewhere');
    mkdirSync(cwd);
    const cfg = { name: 'commit', seeds: [1], data: { type: 'blobs', classes: 2, features: 2, nTrain: 4, nVal: 2, nTest: 2, separation: 3 }, training: { epochs: 1, batchSize: 2, lr: 0.1 }, methods: [], selfDistillation: { model: { qubits: 2, ansatz: { type: 'ry', layers: 1 }, readout: { type: 'qubits', qubits: [0, 1] } }, methods: ['plain'], targetAccuracy: 0.5 } };
    writeFileSync(join(cwd, 'c.json'), JSON.stringify(cfg));
    const r = runCli(['run', 'c.json', '--task', 'seed-1/data', '--out', 'out'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, 'out', 'tasks', 'seed-1__data.json'), 'utf8')).gitCommit).toBe(checkoutCommit());
  });
});

/** `qdistill run` options that do not train: --seeds and --dry-run. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSeeds } from '../../src/cli/run.js';
import { runCli } from './run-cli.js';

describe('qdistill run --seeds', () => {
  it('replaces the config seed list (shown by --dry-run)', () => {
    const r = runCli(['run', 'experiments/e4-teacher-bond.json', '--seeds', '3,7', '--dry-run']);
    expect(r.status).toBe(0);
    const cfg = JSON.parse(r.stdout.slice(0, r.stdout.indexOf('\n\nTime estimate')));
    expect(cfg.seeds).toEqual([3, 7]);
    expect(r.stdout).toMatch(/per seed, 2 seed\(s\)/);
  });

  it('parses integers and names, and rejects empty entries and duplicates by name and value', () => {
    expect(parseSeeds('1, 2,alpha')).toEqual([1, 2, 'alpha']);
    expect(parseSeeds('0,007,run-1.b_2')).toEqual([0, 7, 'run-1.b_2']);
    expect(() => parseSeeds('1,,2')).toThrow(/--seeds must be a comma-separated list of seeds, e\.g\. 1,2,3; got '1,,2'/);
    expect(() => parseSeeds('4,4')).toThrow(/--seeds lists seed 4 twice: '4,4'; give each seed once/);
    const r = runCli(['run', 'experiments/e4-teacher-bond.json', '--seeds', '', '--dry-run']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^qdistill: --seeds must be/);
  });
});

describe('qdistill run --dry-run cost model', () => {
  it('models reading ground states start from the DMRG bond of their inputs', () => {
    // E5's teacher alone: the dry run times every model (the students add tens of seconds on a
    // loaded machine and nothing to the row checked here)
    const dir = mkdtempSync(join(tmpdir(), 'qdistill-dry-run-'));
    try {
      const file = join(dir, 'e5-teacher.json');
      writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync('experiments/e5-many-body.json', 'utf8')), students: [], methods: [] }));
      const r = runCli(['run', file, '--dry-run'], { timeout: 110_000 });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/teacher\s+n=64\s+2q gates=\d+\s+χ≤32 /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

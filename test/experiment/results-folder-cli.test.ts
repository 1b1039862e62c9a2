/**
 * The results-folder rules through the CLI on a tiny study: quick runs land in
 * results/<name>/quick, a finished full run is refused to every command but `--resume` of the
 * same config (exit 2, naming the folder and --force/--out), --force overwrites, a truncated
 * run record stops `--resume` naming the file, and --workers above the cores warns.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'qdistill-folder-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const study = {
  name: 'tiny', seeds: [1],
  data: { type: 'blobs', classes: 2, features: 2, nTrain: 8, nVal: 4, nTest: 4, separation: 3 },
  training: { epochs: 2, batchSize: 4, lr: 0.1 },
  teacher: { model: { qubits: 2, ansatz: { type: 'ry', layers: 1 } } },
  students: [{ name: 's2', model: { qubits: 2, ansatz: { type: 'ry', layers: 1 } } }],
  methods: ['label'],
  quick: { training: { epochs: 1 } },
};
const cfgFile = join(dir, 'tiny.json');
writeFileSync(cfgFile, JSON.stringify(study));
const quickOf = (out: string) => JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).quick as boolean;

describe('qdistill run: results folders', () => {
  it('quick and full runs have their own folders; a finished full run is overwritten only with --force', () => {
    const cwd = mkdtempSync(join(dir, 'cwd-'));
    const full = join(cwd, 'results', 'tiny');
    expect(runCli(['run', cfgFile, '--workers', '1'], { cwd }).status).toBe(0);
    expect(quickOf(full)).toBe(false);
    const q = runCli(['run', cfgFile, '--quick', '--workers', '1'], { cwd });
    expect(q.stderr).not.toMatch(/qdistill:/);
    expect(q.status).toBe(0);
    expect(quickOf(join(full, 'quick'))).toBe(true);
    expect(quickOf(full)).toBe(false); // untouched
    const before = readFileSync(join(full, 'results.json'), 'utf8');

    // every command that would overwrite it is refused, naming the folder and both ways out
    for (const args of [[], ['--quick', '--out', full], ['--quick', '--resume', '--out', full], ['--seeds', '2']]) {
      const r = runCli(['run', cfgFile, '--workers', '1', ...args], { cwd });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^qdistill: (.*\/)?results\/tiny holds a finished full run of 'tiny' \(results\.json, quick: false\); .* would overwrite it: pass --force to overwrite it, or --out DIR to write elsewhere( \(or --resume to continue it, or to print it again\))?\n$/);
      // a new full run of the same study is also told about --resume; a quick run is not
      expect(r.stderr.includes('or --resume to continue it'), args.join(' ')).toBe(!args.includes('--quick'));
    }
    expect(readFileSync(join(full, 'results.json'), 'utf8')).toBe(before);

    // --resume of the same study continues it (seeds may be added)
    const again = runCli(['run', cfgFile, '--workers', '1', '--resume', '--seeds', '1,2'], { cwd });
    expect(again.stderr).not.toMatch(/qdistill:/);
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/seed-1\/teacher: done earlier \(resume\)/);
    // --force overwrites
    const forced = runCli(['run', cfgFile, '--workers', '1', '--quick', '--force', '--out', full], { cwd });
    expect(forced.status).toBe(0);
    expect(quickOf(full)).toBe(true);
  });

  it('a truncated run record stops --resume with the file named and what to do', () => {
    const out = join(dir, 'damaged');
    expect(runCli(['run', cfgFile, '--quick', '--out', out, '--workers', '1']).status).toBe(0);
    const rec = join(out, 'runs', readdirSync(join(out, 'runs')).find((f) => f.includes('teacher'))!);
    const text = readFileSync(rec, 'utf8');
    writeFileSync(rec, text.slice(0, Math.floor(text.length / 2)));
    const r = runCli(['run', cfgFile, '--quick', '--out', out, '--resume', '--workers', '1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^qdistill: run record .*seed-1__teacher\.json is damaged \(.+\): delete it to rerun that run with --resume, or restore it\n$/);
    rmSync(rec);
    // with the record gone, the run resumes from its checkpoint: a truncated one is named too
    const ck = join(out, 'checkpoints', 'seed-1', 'teacher', 'checkpoint.json');
    const ckText = readFileSync(ck, 'utf8');
    writeFileSync(ck, ckText.slice(0, Math.floor(ckText.length / 3)));
    const c = runCli(['run', cfgFile, '--quick', '--out', out, '--resume', '--workers', '1']);
    expect(c.status).toBe(2);
    expect(c.stderr).toMatch(/^qdistill: checkpoint .*teacher\/checkpoint\.json is corrupted \(truncated\): delete that checkpoint folder to restart the run from its first epoch, or restore the file\n$/);
    writeFileSync(ck, ckText);
    const fixed = runCli(['run', cfgFile, '--quick', '--out', out, '--resume', '--workers', '1']);
    expect(fixed.status).toBe(0);
    expect(existsSync(rec)).toBe(true);
  });

  it('--workers above the cores is accepted with a one-line warning', () => {
    const k = availableParallelism() + 1;
    const r = runCli(['run', cfgFile, '--dry-run', '--workers', String(k)]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(`warning: --workers ${k} is more than the ${k - 1} core(s) available; the worker threads will share cores and the run will be slower than with --workers ${k - 1}\n`);
    expect(runCli(['run', cfgFile, '--dry-run', '--workers', '1']).stderr).toBe('');
  });
});

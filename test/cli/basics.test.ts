/** The everyday commands run: help, version, and the main job (`qdistill demo`, `npm start`) in its quick form. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/experiment/config.js';
import { runConfigHash } from '../../src/experiment/provenance.js';
import { QDISTILL_VERSION } from '../../src/version.js';
import { runCli } from './run-cli.js';
import { expectEstimateWithin3x } from '../experiment/estimate-check.js';

describe('qdistill help, version, demo', () => {
  it.each([[[]], [['help']], [['--help']], [['-h']]])('%j prints the command list and exits 0', (args) => {
    const r = runCli(args);
    expect(r.status).toBe(0);
    for (const c of ['simulate', 'run', 'validate', 'groundstate', 'grad', 'demo', 'submit']) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
  });

  it.each([['version'], ['--version']])('%s prints the package version', (arg) => {
    const r = runCli([arg]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(QDISTILL_VERSION);
    expect(QDISTILL_VERSION).toBe(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
  });

  it('an unknown command is a usage error (exit 2) that lists the commands', () => {
    const r = runCli(['simulat']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^qdistill: unknown command 'simulat'; allowed: simulate, /);
  });

  it('demo --quick runs the main job end to end and prints the table', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'qdistill-demo-'));
    const r = runCli(['demo', '--quick'], { cwd, timeout: 300_000 });
    expect(r.stderr).not.toMatch(/qdistill:/);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/teacher/);
    expect(r.stdout).toMatch(/Results: .*results\.json/);
    const res = JSON.parse(readFileSync(resolve(cwd, r.stdout.match(/Results: (.*results\.json)/)![1]!), 'utf8'));
    expect(res.quick).toBe(true);
    expect(res.runs.some((x: { role: string }) => x.role === 'teacher')).toBe(true);
    // the dry-run estimate, calibrated now on this machine, is within 3× of the measured time
    expectEstimateWithin3x('experiments/demo.json', res);
    // quick runs have their own folder
    expect(r.stdout).toMatch(/Results: results\/demo\/quick\/results\.json/);
    // the study report: one page, and every figure as SVG and PNG, all listed
    for (const f of ['report.html', 'accuracy.svg', 'accuracy.png']) expect(r.stdout).toContain(`results/demo/quick/${f}`);
    expect(readFileSync(resolve(cwd, 'results/demo/quick/report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>[\s\S]*<h1>demo \(quick\)<\/h1>/);
  });

  it('a second full demo is refused with the ways out, --resume among them, and under npm start with the options after --', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'qdistill-demo-again-'));
    // a finished full demo of this config, as the first npm start leaves it (its runs are not needed to refuse)
    const cfg = resolveConfig(JSON.parse(readFileSync('experiments/demo.json', 'utf8')), { file: 'experiments/demo.json' });
    mkdirSync(join(cwd, 'results', 'demo'), { recursive: true });
    writeFileSync(join(cwd, 'results', 'demo', 'results.json'), JSON.stringify({ name: 'demo', quick: false, configHash: runConfigHash(cfg) }));
    const plain = runCli(['demo'], { cwd });
    expect(plain.status).toBe(2);
    expect(plain.stderr).toMatch(/^qdistill: results\/demo holds a finished full run of 'demo' .*pass --force to overwrite it, or --out DIR to write elsewhere \(or --resume to continue it, or to print it again\)\n$/);
    const npm = runCli(['demo'], { cwd, env: { npm_lifecycle_event: 'start' } });
    expect(npm.status).toBe(2);
    expect(npm.stderr).toMatch(/; through npm the options follow --: npm start -- --resume, npm start -- --force\n$/);
    expect(npm.stderr.split('\n')).toHaveLength(2); // one line
  });
});

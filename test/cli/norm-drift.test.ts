/**
 * The norm-drift alarm at the CLI: printed with every result (human and --json), fatal with a
 * one-line message and exit code 1 unless --allow-norm-drift, and absent on a normal circuit.
 * The drift is forced through the engine's test hook QDISTILL_TEST_NORM_DRIFT (added to every
 * MPS run's norm drift); a real drift is exercised in the engine test below.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from './run-cli.js';
import { Mps } from '../../mps/mps.js';
import { runCircuitInPlace } from '../../mps/apply.js';
import { NORM_DRIFT_TOL } from '../../mps/truncation.js';

function cli(args: string[], drift?: string): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env['QDISTILL_TEST_NORM_DRIFT'];
  if (drift !== undefined) env['QDISTILL_TEST_NORM_DRIFT'] = drift;
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'qdistill-drift-'));
const qasm = join(dir, 'ghz.qasm');
writeFileSync(qasm, 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[4];\nh q[0];\ncx q[0],q[1];\ncx q[1],q[2];\nry(0.4) q[3];\ncx q[2],q[3];\n');
const example = 'experiments/circuits/example.json';
const ONE_LINE = /^qdistill: .*norm drift \|‖ψ‖² − F\| = 1\.000e-3 exceeds 1e-8 .*pass --allow-norm-drift to print it anyway\)\n$/;

describe('simulate and grad surface the norm-drift alarm', () => {
  it.each([
    ['simulate', ['simulate', qasm]],
    ['simulate --json', ['simulate', qasm, '--json']],
    ['grad (adjoint)', ['grad', example, '--observable', 'Z0']],
    ['grad (parameter-shift) --json', ['grad', example, '--observable', 'Z0', '--method', 'parameter-shift', '--json']],
  ])('%s: a forced drift exits 1 with one line and no result', (_name, args) => {
    const r = cli(args, '1e-3');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(ONE_LINE);
  });

  it('simulate --allow-norm-drift prints the result with the alarm (human and JSON)', () => {
    const h = cli(['simulate', qasm, '--allow-norm-drift'], '1e-3');
    expect(h.status).toBe(0);
    expect(h.stdout).toMatch(/norm drift 1\.0e-3/);
    expect(h.stdout).toMatch(/^WARNING: norm drift \|‖ψ‖² − F\| = 1\.000e-3 exceeds 1e-8/m);
    const j = cli(['simulate', qasm, '--allow-norm-drift', '--json'], '1e-3');
    expect(j.status).toBe(0);
    const out = JSON.parse(j.stdout);
    expect(out.truncation.normDriftExceeded).toBe(true);
    expect(out.truncation.normDrift).toBeCloseTo(1e-3, 12);
  });

  it('grad --allow-norm-drift prints the result with the alarm', () => {
    const j = cli(['grad', example, '--observable', 'Z0', '--allow-norm-drift', '--json'], '1e-3');
    expect(j.status).toBe(0);
    expect(JSON.parse(j.stdout).truncation.normDriftExceeded).toBe(true);
    const h = cli(['grad', example, '--observable', 'Z0', '--allow-norm-drift'], '1e-3');
    expect(h.status).toBe(0);
    expect(h.stdout).toMatch(/^WARNING: norm drift/m);
  });

  it.each([
    ['simulate', ['simulate', qasm, '--json']],
    ['grad', ['grad', example, '--observable', 'Z0', '--json']],
  ])('%s on a normal circuit: no alarm, exit 0, drift at rounding level', (_name, args) => {
    const r = cli(args);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.truncation.normDriftExceeded).toBe(false);
    expect(out.truncation.normDrift).toBeLessThan(1e-13);
  });

  it('the state-vector backend has no truncation and no alarm (the hook acts on MPS runs only)', () => {
    const r = cli(['simulate', qasm, '--backend', 'statevector', '--json'], '1e-3');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).truncation.normDriftExceeded).toBe(false);
  });

  it('the help texts document the flag', () => {
    expect(cli(['simulate', '--help']).stdout).toMatch(/--allow-norm-drift/);
    expect(cli(['grad', '--help']).stdout).toMatch(/--allow-norm-drift/);
  });
});

describe('the engine sets the flag on a real drift', () => {
  it('a matrix unitary only to 1e-10, applied 2000 times, drifts the norm by ~1.6e-7 and is flagged', () => {
    const g = 1 + 4e-11; // |g|² − 1 = 8e-11 passes the unitarity check (1e-10)
    const op = { name: 'unitary', qubits: [0], params: [], matrix: { dim: 2, re: Float64Array.from([g, 0, 0, 1]), im: null } };
    const psi = Mps.zeros(2);
    const report = runCircuitInPlace(psi, { n: 2, ops: Array.from({ length: 2000 }, () => op) });
    const want = g ** 4000 - 1;
    expect(Math.abs(report.normDrift - want) / want).toBeLessThan(1e-6);
    expect(report.normDrift).toBeGreaterThan(NORM_DRIFT_TOL);
    expect(report.normDriftExceeded).toBe(true);
  });
});

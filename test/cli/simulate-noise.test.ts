/** `qdistill simulate --noise/--depolarizing`: JSON output against the density-matrix reference, noiseless identity, usage errors. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DensityMatrix } from '../../src/backends/density-matrix.js';
import { parseQasm } from '../../src/circuit/qasm.js';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'qdistill-noise-'));
function file(name: string, body: string): string {
  const p = join(dir, name);
  writeFileSync(p, body);
  return p;
}
const QASM = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[3];\nry(0.9) q[0];\ncx q[0],q[1];\nry(0.4) q[2];\ncz q[1],q[2];\nh q[1];\nrx(0.3) q[2];\n';
const circ = file('c.qasm', QASM);
const noiseFile = file('noise.json', JSON.stringify({ oneQubit: { amplitudeDamping: 0.05 }, twoQubit: { depolarizing: 0.1, phaseDamping: 0.1 }, readout: 0.04 }));

describe('qdistill simulate with noise', () => {
  it('--depolarizing P --json: each ⟨Z_q⟩ within 3 SE of the exact density matrix', () => {
    const r = runCli(['simulate', circ, '--depolarizing', '0.1', '--trajectories', '400', '--seed', '3', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    const exact = DensityMatrix.zeros(3).run(parseQasm(QASM).circuit, { oneQubit: { depolarizing: 0.1 }, twoQubit: { depolarizing: 0.1 } }).expectationsZ();
    expect(out.noise).toMatchObject({ trajectories: 400, seed: '3', model: { oneQubit: { depolarizing: 0.1 }, twoQubit: { depolarizing: 0.1 } } });
    // + 1e-12: a qubit whose ⟨Z⟩ is 0 in every trajectory (up to rounding) has SE ≈ 0
    for (let q = 0; q < 3; q++) expect(Math.abs(out.expectations.Z[q] - exact[q]!)).toBeLessThanOrEqual(3 * out.expectations.standardError[q] + 1e-12);
    expect(Math.max(...out.expectations.standardError)).toBeGreaterThan(1e-3);
    expect(out.truncation.normDriftExceeded).toBe(false);
  });
  it('--noise FILE with --shots: K samples per trajectory and a shot estimate within 3 SE', () => {
    const r = runCli(['simulate', circ, '--noise', noiseFile, '--trajectories', '300', '--shots', '2', '--seed', 'a', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.samples).toHaveLength(600);
    const exact = DensityMatrix.zeros(3).run(parseQasm(QASM).circuit, { oneQubit: { amplitudeDamping: 0.05 }, twoQubit: { depolarizing: 0.1, phaseDamping: 0.1 } }).expectationsZ(0.04);
    for (let q = 0; q < 3; q++) {
      expect(Math.abs(out.expectations.Z[q] - exact[q]!)).toBeLessThanOrEqual(3 * out.expectations.standardError[q] + 1e-12);
      expect(Math.abs(out.shotEstimate.Z[q] - exact[q]!)).toBeLessThanOrEqual(3 * out.shotEstimate.standardError[q] + 1e-12);
    }
  });
  it('--depolarizing 0 gives the noiseless ⟨Z⟩ bit for bit, SE 0; the same seed gives the same output', () => {
    const plain = JSON.parse(runCli(['simulate', circ, '--json']).stdout);
    const zero = JSON.parse(runCli(['simulate', circ, '--depolarizing', '0', '--trajectories', '4', '--seed', '1', '--json']).stdout);
    expect(zero.expectations.Z).toEqual(plain.expectations.Z);
    expect(zero.expectations.standardError).toEqual([0, 0, 0]);
    const a = JSON.parse(runCli(['simulate', circ, '--noise', noiseFile, '--trajectories', '20', '--seed', '9', '--json']).stdout);
    const b = JSON.parse(runCli(['simulate', circ, '--noise', noiseFile, '--trajectories', '20', '--seed', '9', '--json']).stdout);
    expect({ ...b, seconds: 0 }).toEqual({ ...a, seconds: 0 });
  });
  it('prints a summary with ± SE without --json', () => {
    const r = runCli(['simulate', circ, '--depolarizing', '0.01', '--trajectories', '10', '--seed', '1']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/10 trajectories, seed 1/);
    expect(r.stdout).toMatch(/<Z_q> ± SE: /);
  });
});

describe('qdistill simulate noise flags: bad values are usage errors (exit 2) naming the flag', () => {
  const cases: [string, string[], RegExp][] = [
    ['P above 16/15', ['--depolarizing', '1.5', '--seed', '1'], /--depolarizing must be a number in \[0, 16\/15\].*got '1\.5'/],
    ['P not a number', ['--depolarizing', 'abc', '--seed', '1'], /--depolarizing must be a number .*got 'abc'/],
    ['negative P', ['--depolarizing', '-0.1', '--seed', '1'], /--depolarizing must be a number .*got '-0\.1'/],
    ['no seed', ['--depolarizing', '0.1'], /--depolarizing needs --seed S/],
    ['trajectories 0', ['--depolarizing', '0.1', '--seed', '1', '--trajectories', '0'], /--trajectories must be an integer ≥ 1, got '0'/],
    ['trajectories 1.5', ['--depolarizing', '0.1', '--seed', '1', '--trajectories', '1.5'], /--trajectories must be an integer ≥ 1, got '1\.5'/],
    ['trajectories too many', ['--depolarizing', '0.1', '--seed', '1', '--trajectories', '2000000'], /--trajectories must be at most 1000000/],
    ['trajectories without noise', ['--trajectories', '5'], /--trajectories needs --noise FILE or --depolarizing P/],
    ['both noise flags', ['--depolarizing', '0.1', '--noise', 'x.json', '--seed', '1'], /either --noise FILE or --depolarizing P, not both/],
    ['missing noise file', ['--noise', join(dir, 'nope.json'), '--seed', '1'], /--noise: cannot read noise file .*nope\.json/],
    ['noise file not JSON', ['--noise', circ, '--seed', '1'], /--noise .*c\.qasm:1:1: invalid JSON: expected a value .*, found 'OPENQASM'/],
    ['bad rate in the file', ['--noise', file('bad.json', '{"twoQubit":{"amplitudeDamping":1.5}}'), '--seed', '1'], /--noise .*bad\.json: noise\.twoQubit\.amplitudeDamping = 1\.5: must be a number in \[0, 1\]/],
    ['unknown key in the file', ['--noise', file('unk.json', '{"readoutError":0.1}'), '--seed', '1'], /noise\.readoutError: unknown key; allowed: oneQubit, twoQubit, gates, readout/],
    ['state-vector backend', ['--depolarizing', '0.1', '--seed', '1', '--backend', 'statevector'], /run trajectories on --backend mps, got --backend statevector/],
    ['too many samples', ['--depolarizing', '0.1', '--seed', '1', '--trajectories', '1000', '--shots', '2000'], /--shots 2000 per trajectory × --trajectories 1000 exceeds 1000000/],
  ];
  it.each(cases)('%s', (_name, args, pattern) => {
    const r = runCli(['simulate', circ, ...args]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'qdistill-cli-'));
function qasm(name: string, body: string): string {
  const p = join(dir, name);
  writeFileSync(p, body);
  return p;
}
const HEADER = 'OPENQASM 2.0;\ninclude "qelib1.inc";\n';
const bell = qasm('bell.qasm', `${HEADER}qreg q[3];\ncreg c[3];\nh q[0];\ncx q[0],q[2];\nry(pi/3) q[1];\nbarrier q;\nmeasure q -> c;\n`);

describe('qdistill simulate --json', () => {
  it.each(['mps', 'statevector'])('prints exactly one JSON object with <Z>, truncation and seconds (%s)', (backend) => {
    const r = runCli(['simulate', bell, '--backend', backend, '--json', '--shots', '50', '--seed', '3']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.n).toBe(3);
    expect(out.backend).toBe(backend);
    expect(out.expectations.Z).toHaveLength(3);
    expect(out.expectations.Z[0]).toBeCloseTo(0, 12);
    expect(out.expectations.Z[1]).toBeCloseTo(Math.cos(Math.PI / 3), 12);
    expect(out.truncation.fidelityEstimate).toBeCloseTo(1, 12);
    expect(typeof out.truncation.bondReached).toBe('number');
    expect(typeof out.truncation.truncations).toBe('number');
    expect(typeof out.truncation.discardedWeight).toBe('number');
    expect(out.samples).toHaveLength(50);
    for (const s of out.samples) expect(s[0]).toBe(s[2]); // Bell pair on qubits 0 and 2
    expect(out.seconds).toBeGreaterThanOrEqual(0);
  });

  it('is reproducible from the seed', () => {
    const a = JSON.parse(runCli(['simulate', bell, '--json', '--shots', '20', '--seed', '9']).stdout);
    const b = JSON.parse(runCli(['simulate', bell, '--json', '--shots', '20', '--seed', '9']).stdout);
    expect(a.samples).toEqual(b.samples);
  });

  // quimb's CircuitMPS on the same file (test/fixtures/brickwork/quimb-results.json). Both codes
  // truncate by the same rule, but at different moments of the gate sequence, so Σ⟨Z⟩ differs by
  // a small fraction of the discarded weight 1 − F (seen: 2.5e-7 at χ = 16 where the cap binds,
  // ≤ 1.3e-10 at χ = 32 and 64) plus rounding; the bound is 1e-2·(1 − F) + 1e-9.
  type QuimbRow = { circuit: string; maxBond: number; sumZ: number; fidelityEstimate: number; maxBondReached: number };
  const quimb = (JSON.parse(readFileSync(join(process.cwd(), 'test/fixtures/brickwork/quimb-results.json'), 'utf8')).results as QuimbRow[])
    .filter((r) => r.circuit === 'ry_cz_n32_L8.qasm' && r.maxBond <= 64);
  it.each(quimb.map((r): [number, QuimbRow] => [r.maxBond, r]))('agrees with quimb on ry_cz_n32_L8 at maxBond %i', (maxBond, q) => {
    const r = runCli(['simulate', 'experiments/circuits/ry_cz_n32_L8.qasm', '--max-bond', String(maxBond), '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    const sum = out.expectations.Z.reduce((a: number, b: number) => a + b, 0);
    const lost = 1 - q.fidelityEstimate;
    expect(Math.abs(sum - q.sumZ)).toBeLessThan(1e-2 * lost + 1e-9);
    expect(Math.abs(out.truncation.fidelityEstimate - q.fidelityEstimate)).toBeLessThan(1e-2 * lost + 1e-10);
    expect(out.truncation.bondReached).toBe(q.maxBondReached);
  });

  it('prints a readable summary without --json', () => {
    const r = runCli(['simulate', bell]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/3 qubits/);
    expect(r.stdout).toMatch(/fidelity estimate/);
  });
});

describe('qdistill simulate: bad input is one line on stderr and a non-zero exit', () => {
  const cases: [string, string[], RegExp][] = [
    ['malformed QASM with line and column', [qasm('bad.qasm', `${HEADER}qreg q[2];\nh q[0]\ncx q[0],q[1];\n`)], /line \d+, column \d+/],
    ['unknown gate', [qasm('unk.qasm', `${HEADER}qreg q[2];\nfoo q[0];\n`)], /unknown gate 'foo'/],
    ['qubit out of range', [qasm('oor.qasm', `${HEADER}qreg q[2];\nh q[5];\n`)], /out of range/],
    ['--max-bond 0', [bell, '--max-bond', '0'], /--max-bond must be an integer ≥ 1, got '0'/],
    ['negative cutoff', [bell, '--cutoff', '-1'], /--cutoff must be a number ≥ 0, got '-1'/],
    ['state vector too large', [qasm('big.qasm', `${HEADER}qreg q[30];\nh q[0];\n`), '--backend', 'statevector'], /n=30 .*16\.0 GiB.*n ≤ 24/],
    ['missing file', [join(dir, 'nope.qasm')], /cannot read circuit file/],
    ['unknown option', [bell, '--max-bnd', '3'], /max-bnd/],
    ['unknown backend', [bell, '--backend', 'gpu'], /--backend must be 'mps' or 'statevector', got 'gpu'/],
    ['shots without seed', [bell, '--shots', '5'], /--seed/],
  ];
  it.each(cases)('%s', (_name, args, pattern) => {
    const r = runCli(['simulate', ...args]);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  it('unknown command', () => {
    const r = runCli(['simulat']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'simulat'/);
  });
});

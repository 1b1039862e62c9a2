import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelHamiltonian, mpoExpectation } from '../../mps/dmrg/index.js';
import { mpsFromJson } from '../../mps/serialize.js';
import { UsageError } from '../../src/cli/errors.js';
import { groundstateCommand, GROUNDSTATE_HELP } from '../../src/cli/groundstate.js';
import { tfimFreeFermionEnergy } from '../mps/dmrg/exact.js';

describe('qdistill groundstate (function)', () => {
  it('--json prints energy, variance, sweeps, bond, truncation report and time', () => {
    const out = JSON.parse(groundstateCommand(['--model', 'tfim', '--n', '16', '--h', '0.8', '--max-bond', '16', '--energy-tol', '1e-11', '--json']));
    expect(Math.abs(out.energy - tfimFreeFermionEnergy(16, 1, 0.8))).toBeLessThan(1e-9);
    expect(out.variance).toBeLessThan(1e-8);
    expect(out.sweeps).toBeGreaterThanOrEqual(2);
    expect(out.converged).toBe(true);
    expect(out.stop).toBe('converged');
    expect(out.criteria).toEqual({ energy: true, variance: true });
    expect(out.bondReached).toBeLessThanOrEqual(16);
    expect(out.truncation).toEqual(expect.objectContaining({ fidelityEstimate: expect.any(Number), bondReached: expect.any(Number), splits: expect.any(Number) }));
    expect(out.seconds).toBeGreaterThan(0);
    expect(out.params).toEqual({ J: 1, h: 0.8 });
    expect(out.sector).toBe('even');
    expect(Math.abs(out.symmetry.parity - 1)).toBeLessThan(1e-10);
  });
  // the failing command (n = 64, h = 0.8 returned a broken state above the ground energy) is the first row
  it.each([
    ['tfim', 64, { J: 1, h: 0.8 }, 64, 'even'],
    ['tfim', 32, { J: 1, h: 0.9 }, 32, 'even'],
    ['tfim', 33, { J: 1, h: -0.9 }, 32, 'odd'],
  ] as const)('groundstate --model %s --n %i %o --max-bond %i --json: the %s-parity ground state, converged, ⟨Z_i⟩ = 0', (model, n, p, chi, sector) => {
    const argv = ['--model', model, '--n', String(n), '--J', String(p.J), `--h=${p.h}`, '--max-bond', String(chi), '--json'];
    const out = JSON.parse(groundstateCommand(argv));
    expect(out.converged).toBe(true);
    expect(out.sector).toBe(sector);
    expect(Math.abs(out.symmetry.parity - (sector === 'even' ? 1 : -1))).toBeLessThan(1e-10);
    expect(Math.abs(out.energy - tfimFreeFermionEnergy(n, p.J, p.h)) / Math.abs(out.energy)).toBeLessThan(1e-10);
  });
  it('--sector, --broken and their errors', () => {
    const odd = JSON.parse(groundstateCommand(['--model', 'tfim', '--n', '16', '--h', '0.7', '--sector', 'odd', '--json']));
    const even = JSON.parse(groundstateCommand(['--model', 'tfim', '--n', '16', '--h', '0.7', '--json']));
    expect(odd.sector).toBe('odd');
    expect(odd.energy).toBeGreaterThan(even.energy); // the splitting ∼ (h/J)^n
    const br = JSON.parse(groundstateCommand(['--model', 'tfim', '--n', '16', '--h', '0.7', '--broken', '-', '--json']));
    expect(br.sector).toBe('broken-');
    expect(br.orderParameter).toBeLessThan(-0.5);
    expect(Math.abs(br.energy - (even.energy + odd.energy) / 2)).toBeLessThan(1e-9);
    const xxz = JSON.parse(groundstateCommand(['--model', 'xxz', '--n', '8', '--sector=-2', '--json']));
    expect(xxz.sector).toBe('-2');
    expect(Math.abs(xxz.symmetry.magnetization + 2)).toBeLessThan(1e-10);
    const cl = JSON.parse(groundstateCommand(['--model', 'cluster-ising', '--n', '8', '--h1', '0.5', '--json']));
    expect(cl.sectorEnergies.length).toBe(4);
    const none = JSON.parse(groundstateCommand(['--model', 'annni', '--n', '8', '--sector', 'none', '--json']));
    expect(none.sector).toBeNull();
    expect(groundstateCommand(['--model', 'tfim', '--n', '8'])).toMatch(/sector\s+even\s+\(⟨P⟩ = 1\.0000000000/);
  });
  it('--save writes the MPS atomically; it round-trips to the same energy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qdistill-gs-'));
    const file = join(dir, 'gs.json');
    const out = JSON.parse(groundstateCommand(['--model', 'xxz', '--n', '10', '--delta=-0.2', '--Delta', '0.5', '--save', file, '--json', '--seed', '3']));
    expect(existsSync(file)).toBe(true);
    expect(readdirSync(dir)).toEqual(['gs.json']); // no temp file left behind
    const psi = mpsFromJson(readFileSync(file, 'utf8'));
    expect(psi.n).toBe(10);
    expect(Math.abs(mpoExpectation(modelHamiltonian('xxz', 10, { delta: -0.2, Delta: 0.5 }), psi) - out.energy)).toBeLessThan(1e-10);
  });
  it('prints a human-readable summary without --json, and help', () => {
    const text = groundstateCommand(['--model', 'annni', '--n', '8', '--kappa', '0.3', '--h', '1']);
    expect(text).toMatch(/^model annni, n = 8, J=1 kappa=0.3 h=1/);
    expect(text).toMatch(/energy\s+-\d/);
    expect(text).toMatch(/converged/);
    expect(groundstateCommand(['--help'])).toBe(GROUNDSTATE_HELP);
  });
  it.each([
    ['no model', ['--n', '8'], /--model is required; allowed: tfim, cluster-ising, annni, xxz/],
    ['unknown model', ['--model', 'ising', '--n', '8'], /--model must be one of tfim, cluster-ising, annni, xxz, got 'ising'/],
    ['no n', ['--model', 'tfim'], /--n is required/],
    ['n = 1', ['--model', 'tfim', '--n', '1'], /--n must be an integer ≥ 2, got '1'/],
    ['n not an integer', ['--model', 'tfim', '--n', '4.5'], /--n must be an integer ≥ 2, got '4.5'/],
    ['cluster n = 2', ['--model', 'cluster-ising', '--n', '2'], /--n must be an integer ≥ 3 for model 'cluster-ising', got '2'/],
    ['parameter of another model', ['--model', 'tfim', '--n', '8', '--kappa', '0.5'], /--kappa does not apply to model 'tfim'; its parameters: --J, --h/],
    ['bad number', ['--model', 'tfim', '--n', '8', '--h', 'abc'], /--h must be a finite number, got 'abc'/],
    ['bad bond', ['--model', 'tfim', '--n', '8', '--max-bond', '0'], /--max-bond must be an integer ≥ 1, got '0'/],
    ['cutoff ≥ 1', ['--model', 'tfim', '--n', '8', '--cutoff', '1'], /--cutoff must be a number in \[0, 1\), got '1'/],
    ['bad sweeps', ['--model', 'tfim', '--n', '8', '--sweeps=-2'] /* main.ts joins '--sweeps -2' into this form */, /--sweeps must be an integer ≥ 1, got '-2'/],
    ['bad energy tolerance', ['--model', 'tfim', '--n', '8', '--energy-tol', 'x'], /--energy-tol must be a number ≥ 0, got 'x'/],
    ['positional', ['extra', '--model', 'tfim', '--n', '8'], /no positional arguments, got 'extra'/],
    ['bad parity sector', ['--model', 'tfim', '--n', '8', '--sector', 'up'], /--sector must be even or odd for model 'tfim', got 'up'/],
    ['bad magnetisation', ['--model', 'xxz', '--n', '8', '--sector', '3'], /--sector must be an integer magnetisation M = Σ Z_i with \|M\| ≤ 8 and M ≡ 0 \(mod 2\) for model 'xxz' at n = 8, got '3'/],
    ['bad cluster sector', ['--model', 'cluster-ising', '--n', '8', '--sector', 'odd'], /--sector must be even,even, even,odd, odd,even or odd,odd/],
    ['bad broken', ['--model', 'tfim', '--n', '8', '--broken', 'up'], /--broken must be \+ or -, got 'up'/],
    ['broken on xxz', ['--model', 'xxz', '--n', '8', '--broken', '+'], /--broken applies to tfim and annni .* not to model 'xxz'/],
    ['broken with sector', ['--model', 'tfim', '--n', '8', '--broken', '+', '--sector', 'even'], /--broken and --sector are exclusive/],
  ])('%s → UsageError', (_label, argv, msg) => {
    expect(() => groundstateCommand(argv)).toThrow(UsageError);
    expect(() => groundstateCommand(argv)).toThrow(msg);
  });
  it('tiny couplings: J = h = 1e-12 gives the ground energy −9.838e-12 (not the random start)', () => {
    const out = JSON.parse(groundstateCommand(['--model', 'tfim', '--n', '8', '--J', '1e-12', '--h', '1e-12', '--json']));
    const exact = tfimFreeFermionEnergy(8, 1, 1) * 1e-12;
    expect(out.converged).toBe(true);
    expect(out.bondReached).toBeGreaterThan(1);
    expect(Math.abs(out.energy - exact)).toBeLessThan(1e-8 * Math.abs(exact));
  });
  it('large field: the variance of the bond-1 state at h = 1e8 is 11.0 (not a rounding zero) and reported relative to E²', () => {
    const out = JSON.parse(groundstateCommand(['--model', 'tfim', '--n', '12', '--h', '1e8', '--json']));
    expect(out.bondReached).toBe(1);
    expect(out.variance).toBeGreaterThan(10.99);
    expect(out.variance).toBeLessThan(11.01);
    expect(Math.abs(out.relativeVariance - out.variance / out.energy ** 2)).toBeLessThan(1e-12 * out.relativeVariance);
  });
  it('a variance outside double range is null in JSON, the relative variance a number', () => {
    const out = JSON.parse(groundstateCommand(['--model', 'xxz', '--n', '8', '--J', '1e300', '--json']));
    expect(out.converged).toBe(true);
    expect(out.variance).toBeNull();
    expect(out.relativeVariance).toBeLessThan(1e-18);
    expect(groundstateCommand(['--model', 'xxz', '--n', '8', '--J', '1e300'])).toMatch(/variance\s+outside double range\s+\(relative to E²: \d/);
  });
  it.each([
    [['--model', 'xxz', '--n', '8', '--J', '1e308', '--delta', '1e308'], /the coefficient J·\(1 \+ δ\) of X_0 X_1 overflows double precision .* \(--J, --delta\)$/],
    [['--model', 'xxz', '--n', '8', '--J', '1e300', '--Delta', '1e10'], /the coefficient J·\(1 \+ δ\)·Δ of Z_0 Z_1 overflows double precision .* \(--J, --Delta\)$/],
    [['--model', 'tfim', '--n', '8', '--J', '1e308', '--h', '1e308'], /the ground-state energy ≈ −9\.84e\+308 overflows double precision .* \(--J, --h\)$/],
  ])('overflow of %j → one-line UsageError naming it', (argv, msg) => {
    expect(() => groundstateCommand(argv)).toThrow(UsageError);
    expect(() => groundstateCommand(argv)).toThrow(msg);
  });
  it('--variance-tol: a bond cap that keeps the variance above it ends as variance-stalled, NOT converged; 0 turns the test off', () => {
    const base = ['--model', 'tfim', '--n', '16', '--max-bond', '2'];
    const out = JSON.parse(groundstateCommand([...base, '--json']));
    expect(out.converged).toBe(false);
    expect(out.stop).toBe('variance-stalled');
    expect(out.criteria).toEqual({ energy: true, variance: false });
    expect(groundstateCommand(base)).toMatch(/NOT converged: the energy settled but the variance stopped falling above --variance-tol; raise --max-bond/);
    const off = JSON.parse(groundstateCommand([...base, '--variance-tol', '0', '--json']));
    expect(off.converged).toBe(true);
    expect(off.criteria).toEqual({ energy: true, variance: null });
    expect(groundstateCommand([...base, '--variance-tol', '0'])).toMatch(/\(converged: energy change; variance test off\)/);
    expect(() => groundstateCommand([...base, '--variance-tol=-1'])).toThrow(/--variance-tol must be a number ≥ 0, got '-1'/);
  });
  it('unknown options are rejected by strict parsing', () => {
    expect(() => groundstateCommand(['--model', 'tfim', '--n', '8', '--chi', '4'])).toThrow(/^unknown option '--chi'; see 'qdistill groundstate --help' for the options$/);
  });
});

/**
 * Public OpenQASM 2 circuits (test/fixtures/qasm/<source>/, with their licences): every file
 * runs through the importer; a valid file's exact MPS result (no truncation) must match the
 * state vector, ⟨Z_q⟩ on every qubit to 1e-10. Files listed in manifest.json's `refused` are not
 * valid OpenQASM 2, or use what a unitary simulation cannot represent (`if`, mid-circuit
 * measurement, reset after gates); each must fail with the QasmError the manifest states.
 *
 * The folder named by `large` holds benchmark circuits of 33–71 qubits that define their own
 * `gate ryy(…)` under `include "qelib1.inc"` (refused before, when the gate table held
 * qdistill's extras): they must parse, with no library `ryy` in the result. With QDISTILL_LONG=1
 * each also runs exactly on the MPS twice, with the file's ryy and with a different exact
 * decomposition RYY(θ) = (S⊗S)·RXX(θ)·(S†⊗S†), and ⟨Z_q⟩ must agree to 1e-10 (minutes).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QasmError, parseQasm } from '../../src/circuit/qasm.js';
import { simulateStateVector } from '../../src/backends/statevector.js';
import { localExpectations, Mps, runCircuitInPlace } from '../../mps/index.js';

const DIR = join(__dirname, '../fixtures/qasm');
const TOL = 1e-10;
const LONG = process.env.QDISTILL_LONG === '1';

interface Manifest {
  sources: Record<string, { repository: string; commit: string; licence: string }>;
  /** file (relative to DIR) → the error it must fail with (a substring of the message). */
  refused: Record<string, { kind: 'invalid' | 'unsupported'; reason: string; error: string }>;
  /** Files beyond the state vector that define their own `ryy` under the standard header. */
  large: { folder: string };
}
const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as Manifest;

const files = Object.keys(manifest.sources).flatMap((src) =>
  readdirSync(join(DIR, src)).filter((f) => f.endsWith('.qasm')).sort().map((f) => `${src}/${f}`));

describe('OpenQASM 2 corpus', () => {
  it('every source has its licence, every manifest entry names a file', () => {
    for (const src of Object.keys(manifest.sources)) {
      expect(readdirSync(join(DIR, src)).some((f) => /^LICEN[CS]E/.test(f)), src).toBe(true);
    }
    for (const f of Object.keys(manifest.refused)) expect(files, f).toContain(f);
    const bytes = files.reduce((s, f) => s + statSync(join(DIR, f)).size, 0);
    expect(bytes).toBeLessThan(2_000_000);
  });

  const valid = files.filter((f) => !(f in manifest.refused));
  let passed = 0;
  it.each(valid)('%s: exact MPS ⟨Z⟩ = state vector', (f) => {
    const { circuit } = parseQasm(readFileSync(join(DIR, f), 'utf8'));
    expect(circuit.n).toBeLessThanOrEqual(16);
    const want = simulateStateVector(circuit).expectations('Z');
    const psi = Mps.zeros(circuit.n);
    const report = runCircuitInPlace(psi, circuit, { maxBond: Infinity, cutoff: 0 });
    expect(report.truncations).toBe(0);
    const got = localExpectations(psi, 'Z');
    for (let q = 0; q < circuit.n; q++) expect(Math.abs(got[q]! - want[q]!), `${f} qubit ${q}`).toBeLessThanOrEqual(TOL);
    passed++;
  });

  it.each(Object.entries(manifest.refused))('%s is refused with the right error', (f, { error }) => {
    let err: unknown;
    try { parseQasm(readFileSync(join(DIR, f), 'utf8')); } catch (e) { err = e; }
    expect(err, f).toBeInstanceOf(QasmError);
    expect((err as QasmError).message).toContain(error);
    expect((err as QasmError).message).not.toContain('\n');
  });

  it('summary', () => {
    const kinds = Object.values(manifest.refused);
    const unsupported = kinds.filter((r) => r.kind === 'unsupported').length;
    const invalid = kinds.filter((r) => r.kind === 'invalid').length;
    expect(unsupported + invalid).toBe(kinds.length);
    console.log(`qasm corpus (${files.length} files): ${passed} of ${valid.length + unsupported} valid OpenQASM 2 files run and match the state vector; ${unsupported} valid files refused for if / mid-circuit measurement / reset; ${invalid} invalid files refused`);
    expect(passed).toBe(valid.length);
  });

  const large = readdirSync(join(DIR, manifest.large.folder)).filter((f) => f.endsWith('.qasm')).sort();
  it.each(large)(`${manifest.large.folder}/%s: a file's own ryy under the standard header is its gate`, (f) => {
    const text = readFileSync(join(DIR, manifest.large.folder, f), 'utf8');
    expect(text).toMatch(/include "qelib1\.inc";[\s\S]*gate ryy\(/);
    const { circuit } = parseQasm(text);
    expect(circuit.n).toBeGreaterThan(16);
    expect(circuit.ops.some((o) => o.name === 'ryy')).toBe(false);
    if (!LONG) return;
    // a different exact RYY for every ryy-like definition the file makes (ryy, ryy_<id>, …);
    // their bodies use the angle of their rz (not always the parameter), so that angle is kept
    const other = text.replace(/gate (ryy\w*)\((\w+)\) (\w+),(\w+)\s*\{[^}]*?rz\(([^)]*)\)[^}]*\}/g,
      (_m, name: string, t: string, a: string, b: string, angle: string) => `gate ${name}(${t}) ${a},${b} { sdg ${a}; sdg ${b}; rxx(${angle}) ${a},${b}; s ${a}; s ${b}; }`);
    expect(other).not.toBe(text);
    const z = [text, other].map((src) => {
      const c = parseQasm(src).circuit;
      const psi = Mps.zeros(c.n);
      expect(runCircuitInPlace(psi, c, { maxBond: Infinity, cutoff: 0 }).truncations).toBe(0);
      return localExpectations(psi, 'Z');
    });
    for (let q = 0; q < circuit.n; q++) expect(Math.abs(z[0]![q]! - z[1]![q]!), `${f} qubit ${q}`).toBeLessThanOrEqual(TOL);
  }, 600_000);
});

/**
 * Property test (fast-check, fixed seed) over the class "any program of standard-header gates":
 * random calls of every qelib1.inc gate (1 to 5 qubits, on arbitrary distinct qubits, distant
 * and reversed ones included) inside and outside user gate definitions. The native import path
 * must give the state of the full expansion through the header (up to a global phase, 1e-12),
 * and the exact MPS must give the state vector's ⟨Z_q⟩ and ⟨X_q⟩ (1e-10).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQasm } from '../../src/circuit/qasm.js';
import { headerDefinitions } from '../../src/circuit/qasm-parser.js';
import { simulateStateVector } from '../../src/backends/statevector.js';
import { localExpectations, Mps, runCircuitInPlace } from '../../mps/index.js';

const FUZZ = { seed: 0x9a5_0012, numRuns: 120 };
const header = headerDefinitions();
const N = 6;

const angle = fc.integer({ min: -(2 ** 20), max: 2 ** 20 }).map((k) => (k / 2 ** 20) * 2 * Math.PI);
const call = fc.constantFrom(...header).chain((d) => fc.record({
  name: fc.constant(d.name),
  params: fc.array(angle, { minLength: d.params.length, maxLength: d.params.length }),
  qubits: fc.shuffledSubarray([...Array(N).keys()], { minLength: d.nArgs, maxLength: d.nArgs }),
}));
type Call = { name: string; params: number[]; qubits: number[] };
const show = (c: Call, q: (k: number) => string) => `${c.name}${c.params.length > 0 ? `(${c.params.join(',')})` : ''} ${c.qubits.map(q).join(',')};`;

/** Program: a user gate `blk(t) a0..a5` made of some calls (one parameter scaled by t), then calls. */
const program = fc.record({ body: fc.array(call, { minLength: 1, maxLength: 6 }), top: fc.array(call, { maxLength: 10 }), t: angle }).map(({ body, top, t }) => {
  const args = [...Array(N).keys()].map((k) => `a${k}`);
  const bodyText = body.map((c) => show({ ...c, params: c.params.map((p, j) => (j === 0 ? Number.NaN : p)) }, (k) => args[k]!)
    .replace('NaN', `${c.params[0]}*t`)).join(' ');
  return [
    'OPENQASM 2.0;', 'include "qelib1.inc";', `gate blk(t) ${args.join(',')} { ${bodyText} }`, `qreg q[${N}];`,
    'h q;', `blk(${t}) q[5],q[4],q[3],q[2],q[1],q[0];`, ...top.map((c) => show(c, (k) => `q[${k}]`)), `blk(${-t}) q[0],q[2],q[4],q[1],q[3],q[5];`,
  ].join('\n');
});

describe('fuzz: programs of qelib1.inc gates', () => {
  it(`native = header expansion (up to phase) and MPS = state vector (${FUZZ.numRuns} programs)`, () => {
    fc.assert(fc.property(program, (text) => {
      const native = parseQasm(text).circuit, full = parseQasm(text, { nativeGates: false }).circuit;
      const a = simulateStateVector(native), b = simulateStateVector(full);
      const ov = a.overlap(b);
      expect(Math.abs(1 - Math.hypot(ov.re, ov.im))).toBeLessThanOrEqual(1e-12);
      const psi = Mps.zeros(N);
      expect(runCircuitInPlace(psi, native, { maxBond: Infinity, cutoff: 0 }).truncations).toBe(0);
      for (const p of ['Z', 'X'] as const) {
        const got = localExpectations(psi, p), want = a.expectations(p);
        for (let q = 0; q < N; q++) expect(Math.abs(got[q]! - want[q]!)).toBeLessThanOrEqual(1e-10);
      }
    }), FUZZ);
  });
});

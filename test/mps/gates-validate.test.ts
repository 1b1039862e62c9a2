/**
 * The gate library's contracts besides the matrices (those are in gate-table.test.ts): the
 * `real` flag (true exactly when the matrix is real at every angle), the OpenQASM spellings
 * accepted on input, the unitarity measure, and every rejection of `validateCircuit` and
 * `gateMatrix`, one row per field, with the message naming the gate, the value and what is
 * allowed.
 */
import { describe, expect, it } from 'vitest';
import { canonicalGateName, GATE_ALIASES, GATES, gateMatrix, unitarityError, validateCircuit, type Circuit, type GateOp } from '../../mps/gates.js';
import type { CMatrix } from '../../mps/complex.js';

/** Gates whose matrices are real for every parameter (textbook: Pauli X, Z, H, RY, CX, CZ, SWAP, the identity and the controlled RYs CRY and UCRY). */
const REAL_GATES = ['id', 'x', 'z', 'h', 'ry', 'cx', 'cz', 'swap', 'cry', 'ucry'];
const ANGLES = [0.3, 1.234, -2.7];

const m = (dim: number, re: number[], im: number[] | null = null): CMatrix => ({ dim, re: Float64Array.from(re), im: im ? Float64Array.from(im) : null });
const op = (name: string, qubits: number[], params: number[] = [], matrix?: CMatrix): GateOp => ({ name, qubits, params, ...(matrix ? { matrix } : {}) });
const circ = (n: number, ...ops: GateOp[]): Circuit => ({ n, ops });

describe('the real flag', () => {
  it('is set exactly for the gates whose matrix is real at every angle', () => {
    expect(Object.keys(GATES).filter((g) => GATES[g]!.real).sort()).toEqual([...REAL_GATES].sort());
  });

  it('every matrix is 2×2 or 4×4 by arity, with planes of exactly dim² entries', () => {
    expect(Object.keys(GATES)).toHaveLength(25);
    for (const [name, spec] of Object.entries(GATES)) {
      const g = gateMatrix(op(name, spec.arity === 1 ? [0] : [0, 1], ANGLES.slice(0, spec.nParams)));
      expect(g.dim, name).toBe(2 ** spec.arity);
      expect(g.re, name).toHaveLength(g.dim * g.dim);
      if (g.im !== null) expect(g.im, name).toHaveLength(g.dim * g.dim);
      expect([...g.re, ...(g.im ?? [])].every(Number.isFinite), name).toBe(true);
    }
  });

  it('every gate without the flag has a non-zero imaginary entry at a generic angle', () => {
    for (const [name, spec] of Object.entries(GATES)) {
      if (spec.real) continue;
      const g = gateMatrix(op(name, spec.arity === 1 ? [0] : [0, 1], ANGLES.slice(0, spec.nParams)));
      expect(g.im !== null && g.im.some((v) => v !== 0), name).toBe(true);
    }
  });
});

describe('gate names', () => {
  // OpenQASM 2 / Qiskit spellings and the canonical gate each stands for
  const spellings: [string, string | undefined][] = [
    ['cx', 'cx'], ['CX', 'cx'], ['Rz', 'rz'], ['i', 'id'], ['I', 'id'], ['u', 'u3'], ['U', 'u3'], ['u1', 'p'],
    ['phase', 'p'], ['cnot', 'cx'], ['CNOT', 'cx'], ['cphase', 'cp'], ['cu1', 'cp'],
    ['u2', undefined], ['ccx', undefined], ['foo', undefined], ['', undefined], ['toString', undefined],
  ];
  it.each(spellings)('%s → %s', (input, canonical) => {
    expect(canonicalGateName(input)).toBe(canonical);
  });

  it('every alias names a gate of the table', () => {
    for (const [alias, target] of Object.entries(GATE_ALIASES)) {
      expect(GATES[target], alias).toBeDefined();
      expect(canonicalGateName(alias)).toBe(target);
    }
  });
});

describe('unitarityError', () => {
  it('is 0 for exact unitaries and the largest |(U†U − I)_ij| otherwise (hand-computed)', () => {
    expect(unitarityError(m(2, [0, 1, 1, 0]))).toBe(0);
    expect(unitarityError(m(2, [0, 0, 0, 0], [0, -1, 1, 0]))).toBe(0); // Y
    // diag(2, 1): U†U = diag(4, 1) → error 3
    expect(unitarityError(m(2, [2, 0, 0, 1]))).toBe(3);
    // [[1, 1], [0, 1]]: U†U = [[1, 1], [1, 2]] → error 1 (off-diagonal and the (1,1) entry)
    expect(unitarityError(m(2, [1, 1, 0, 1]))).toBe(1);
    // [[1, i], [0, 1]]: U†U = [[1, i], [−i, 2]] → the imaginary off-diagonal is 1, the (1,1) defect is 1
    expect(unitarityError(m(2, [1, 0, 0, 1], [0, 1, 0, 0]))).toBe(1);
    // diag(1, 1.5i): U†U = diag(1, 2.25) → 1.25 (conjugation matters: without it 1.5i·1.5i = −2.25)
    expect(unitarityError(m(2, [1, 0, 0, 0], [0, 0, 0, 1.5]))).toBe(1.25);
    // [[1, 0], [i, 1]]/… not normalised: columns (1, i) and (0, 1): U†U = [[2, −i], [i, 1]]
    expect(unitarityError(m(2, [1, 0, 0, 1], [0, 0, 1, 0]))).toBe(1);
    // [[1, i], [i, 1]]/√2 is unitary (the imaginary parts of (U†U)_01 cancel: 1·i + conj(i)·1 = 0);
    // unnormalised, U†U = 2·I → error 1
    const h = Math.SQRT1_2;
    expect(unitarityError(m(2, [h, 0, 0, h], [0, h, h, 0]))).toBeLessThan(1e-15);
    expect(unitarityError(m(2, [1, 0, 0, 1], [0, 1, 1, 0]))).toBe(1);
    // 4×4: SWAP with one entry scaled by 0.5 → U†U has a 0.25 on the diagonal: error 0.75
    expect(unitarityError(m(4, [1, 0, 0, 0, 0, 0, 1, 0, 0, 0.5, 0, 0, 0, 0, 0, 1]))).toBe(0.75);
  });
});

describe('gateMatrix rejects', () => {
  it.each<[GateOp, RegExp]>([
    [op('unitary', [0, 1]), /^gate 'unitary' on qubits \[0, 1\] has no matrix$/],
    [op('ccx', [0, 1]), /^unknown gate 'ccx'; allowed: id, x, .*rzz, unitary$/],
    [op('rx', [0], [NaN]), /^gate 'rx': parameter 0 must be finite, got NaN$/],
    [op('u3', [0], [0, 1, Infinity]), /^gate 'u3': parameter 2 must be finite, got Infinity$/],
  ])('%o', (o, msg) => {
    expect(() => gateMatrix(o)).toThrow(msg);
  });

  it('returns an explicit unitary as given', () => {
    const u = m(2, [0, 1, 1, 0]);
    expect(gateMatrix(op('unitary', [0], [], u))).toBe(u);
  });
});

describe('validateCircuit', () => {
  const X = m(2, [0, 1, 1, 0]);
  // CNOT written out (not taken from the table, so that this file loads whatever the table holds)
  const CX = m(4, [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0]);
  it.each<[string, Circuit, RegExp]>([
    ['n = 0', circ(0), /^circuit\.n must be an integer ≥ 1, got 0$/],
    ['n = 1.5', circ(1.5), /^circuit\.n must be an integer ≥ 1, got 1\.5$/],
    ['n = NaN', circ(NaN), /^circuit\.n must be an integer ≥ 1, got NaN$/],
    ['unitary without a matrix', circ(2, op('h', [0]), op('unitary', [1])), /^gate 1 \(unitary\): missing matrix$/],
    ['unitary of dim 3', circ(2, op('unitary', [0], [], m(3, new Array<number>(9).fill(0)))), /^gate 0 \(unitary\): matrix dim must be 2 or 4, got 3$/],
    ['unitary of dim 8', circ(3, op('unitary', [0, 1, 2], [], m(8, new Array<number>(64).fill(0)))), /^gate 0 \(unitary\): matrix dim must be 2 or 4, got 8$/],
    ['real plane too short', circ(1, op('unitary', [0], [], m(2, [0, 1, 1]))), /^gate 0 \(unitary\): matrix planes must have 4 entries$/],
    ['imaginary plane too short', circ(1, op('unitary', [0], [], m(2, [0, 1, 1, 0], [0, 0, 0]))), /^gate 0 \(unitary\): matrix planes must have 4 entries$/],
    ['imaginary plane too long', circ(1, op('unitary', [0], [], m(2, [0, 1, 1, 0], [0, 0, 0, 0, 0]))), /^gate 0 \(unitary\): matrix planes must have 4 entries$/],
    ['not unitary', circ(1, op('unitary', [0], [], m(2, [2, 0, 0, 1]))), /^gate 0 \(unitary\): matrix is not unitary \(‖U†U − I‖_max = 3\.00e\+0, allowed ≤ 1e-10\)$/],
    ['not unitary by 1e-9', circ(1, op('unitary', [0], [], m(2, [1 + 1e-9, 0, 0, 1]))), /matrix is not unitary \(‖U†U − I‖_max = 2\.00e-9/],
    ['NaN entry', circ(1, op('unitary', [0], [], m(2, [NaN, 0, 0, 1]))), /^gate 0 \(unitary\): matrix is not unitary \(‖U†U − I‖_max = NaN/],
    ['unitary 2×2 on two qubits', circ(2, op('unitary', [0, 1], [], X)), /^gate 0 \(unitary\): acts on 1 qubit\(s\), got 2$/],
    ['unitary 4×4 on one qubit', circ(2, op('unitary', [0], [], CX)), /^gate 0 \(unitary\): acts on 2 qubit\(s\), got 1$/],
    ['unitary with a parameter', circ(1, op('unitary', [0], [NaN], X)), /^gate 0 \(unitary\): parameter 0 must be finite, got NaN$/],
    ['unknown gate', circ(2, op('ccx', [0, 1])), /^gate 0 \(ccx\): unknown gate 'ccx'; allowed: id, x, y, z, h, s, sdg, t, tdg, sx, rx, ry, rz, p, u3, cx, cy, cz, cp, cry, ucry, swap, rxx, ryy, rzz, unitary$/],
    ['alias not canonicalised', circ(2, op('cnot', [0, 1])), /^gate 0 \(cnot\): unknown gate 'cnot'/],
    ['missing parameter', circ(1, op('rx', [0])), /^gate 0 \(rx\): expects 1 parameter\(s\), got 0$/],
    ['extra parameter', circ(1, op('h', [0], [0.1])), /^gate 0 \(h\): expects 0 parameter\(s\), got 1$/],
    ['u3 with two', circ(1, op('u3', [0], [0.1, 0.2])), /^gate 0 \(u3\): expects 3 parameter\(s\), got 2$/],
    ['NaN angle', circ(1, op('rz', [0], [NaN])), /^gate 0 \(rz\): parameter 0 must be finite, got NaN$/],
    ['infinite third angle', circ(1, op('u3', [0], [0, 0, -Infinity])), /^gate 0 \(u3\): parameter 2 must be finite, got -Infinity$/],
    ['one-qubit gate on two', circ(2, op('h', [0, 1])), /^gate 0 \(h\): acts on 1 qubit\(s\), got 2$/],
    ['two-qubit gate on one', circ(2, op('cx', [0])), /^gate 0 \(cx\): acts on 2 qubit\(s\), got 1$/],
    ['two-qubit gate on three', circ(3, op('cz', [0, 1, 2])), /^gate 0 \(cz\): acts on 2 qubit\(s\), got 3$/],
    ['qubit = n', circ(2, op('x', [2])), /^gate 0 \(x\): qubit index 2 out of range \[0, 1\]$/],
    ['qubit < 0', circ(2, op('x', [-1])), /^gate 0 \(x\): qubit index -1 out of range \[0, 1\]$/],
    ['fractional qubit', circ(2, op('x', [0.5])), /^gate 0 \(x\): qubit index 0\.5 out of range \[0, 1\]$/],
    ['second qubit out of range', circ(3, op('x', [0]), op('cx', [0, 3])), /^gate 1 \(cx\): qubit index 3 out of range \[0, 2\]$/],
    ['repeated qubit', circ(3, op('swap', [1, 1])), /^gate 0 \(swap\): qubits must be distinct, got 1 twice$/],
    ['repeated qubit of a unitary', circ(3, op('unitary', [2, 2], [], CX)), /^gate 0 \(unitary\): qubits must be distinct, got 2 twice$/],
  ])('%s', (_name, c, msg) => {
    expect(() => validateCircuit(c)).toThrow(msg);
  });

  it('accepts valid circuits: every named gate, explicit unitaries, the edge qubits', () => {
    const ops: GateOp[] = Object.entries(GATES).map(([name, spec]) => op(name, spec.arity === 1 ? [2] : [2, 0], ANGLES.slice(0, spec.nParams)));
    ops.push(op('unitary', [0], [], X), op('unitary', [1, 2], [], CX), op('unitary', [0], [], m(2, [0, 0, 0, 0], [0, -1, 1, 0])));
    // unitary to rounding only (1e-12 off): inside the 1e-10 tolerance
    ops.push(op('unitary', [0], [], m(2, [1 + 5e-13, 0, 0, 1])));
    expect(() => validateCircuit(circ(3, ...ops))).not.toThrow();
    expect(() => validateCircuit(circ(1))).not.toThrow();
  });
});

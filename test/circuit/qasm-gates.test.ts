/**
 * Every gate of the standard header `qelib1.inc`, written out here from its textbook definition
 * (explicit matrices, controlled versions of explicit matrices, or exp(−iθP/2) from explicit
 * Paulis), against the unitary the importer produces: the circuit of one call on q[0..k−1],
 * run on every basis state by the state-vector backend. Both import paths are checked: the
 * native fast paths (default) and the full expansion through the header down to U and CX.
 *
 * Matrices are compared up to one global phase for the whole matrix (a gate's global phase is
 * unobservable in OpenQASM 2; the header itself defines rz as u1, which differs from RZ by
 * e^{iθ/2}). Relative phases between blocks, so all controlled structure, are compared exactly.
 * Basis order: qubit 0 (the first argument) is the most significant bit.
 */
import { describe, expect, it } from 'vitest';
import { parseQasm } from '../../src/circuit/qasm.js';
import { headerDefinitions } from '../../src/circuit/qasm-parser.js';
import { StateVectorBackend } from '../../src/backends/statevector.js';
import { makeRng } from '../../mps/rng.js';

const TOL = 1e-14;

type C = [number, number];
type M = C[][];
const c = (re: number, im = 0): C => [re, im];
const cmul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const cexp = (t: number): C => [Math.cos(t), Math.sin(t)];
const mat = (rows: (number | C)[][]): M => rows.map((r) => r.map((x) => (typeof x === 'number' ? c(x) : x)));
const eye = (d: number): M => Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => c(i === j ? 1 : 0)));
const scale = (s: C, a: M): M => a.map((r) => r.map((x) => cmul(s, x)));
const add = (a: M, b: M): M => a.map((r, i) => r.map((x, j) => [x[0] + b[i]![j]![0], x[1] + b[i]![j]![1]]));
const kron = (a: M, b: M): M => {
  const da = a.length, db = b.length;
  return Array.from({ length: da * db }, (_, i) => Array.from({ length: da * db }, (_, j) => cmul(a[Math.floor(i / db)]![Math.floor(j / db)]!, b[i % db]![j % db]!)));
};
/** |0⟩⟨0| ⊗ I + |1⟩⟨1| ⊗ U: the control is the first (most significant) qubit. */
const ctrl = (u: M): M => {
  const d = u.length;
  return Array.from({ length: 2 * d }, (_, i) => Array.from({ length: 2 * d }, (_, j) => {
    if (i < d && j < d) return c(i === j ? 1 : 0);
    if (i >= d && j >= d) return u[i - d]![j - d]!;
    return c(0);
  }));
};
const ctrlN = (u: M, k: number): M => (k === 0 ? u : ctrl(ctrlN(u, k - 1)));
/** exp(−iθP/2) = cos(θ/2) I − i sin(θ/2) P for a Pauli string P (P² = I). */
const pauliRot = (p: M, t: number): M => add(scale(c(Math.cos(t / 2)), eye(p.length)), scale(c(0, -Math.sin(t / 2)), p));

const I2 = eye(2);
const X = mat([[0, 1], [1, 0]]);
const Y = mat([[0, c(0, -1)], [c(0, 1), 0]]);
const Z = mat([[1, 0], [0, -1]]);
const H = scale(c(Math.SQRT1_2), mat([[1, 1], [1, -1]]));
const P = (l: number): M => mat([[1, 0], [0, cexp(l)]]);
const U3 = (t: number, f: number, l: number): M => {
  const co = Math.cos(t / 2), si = Math.sin(t / 2);
  return mat([[co, cmul(c(-si), cexp(l))], [cmul(c(si), cexp(f)), cmul(c(co), cexp(f + l))]]);
};
const SX = mat([[c(0.5, 0.5), c(0.5, -0.5)], [c(0.5, -0.5), c(0.5, 0.5)]]);
const SXDG = mat([[c(0.5, -0.5), c(0.5, 0.5)], [c(0.5, 0.5), c(0.5, -0.5)]]);
const SWAP = mat([[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]]);
const proj = (b: 0 | 1): M => (b === 0 ? mat([[1, 0], [0, 0]]) : mat([[0, 0], [0, 1]]));

/** Textbook matrix of each header gate as a function of its parameters; arity from the size. */
const TEXTBOOK: Record<string, (p: number[]) => M> = {
  u3: ([t, f, l]) => U3(t!, f!, l!),
  u2: ([f, l]) => scale(c(Math.SQRT1_2), mat([[1, cmul(c(-1), cexp(l!))], [cexp(f!), cexp(f! + l!)]])),
  u1: ([l]) => P(l!),
  cx: () => ctrl(X),
  id: () => I2,
  u0: () => I2,
  u: ([t, f, l]) => U3(t!, f!, l!),
  p: ([l]) => P(l!),
  x: () => X,
  y: () => Y,
  z: () => Z,
  h: () => H,
  s: () => mat([[1, 0], [0, c(0, 1)]]),
  sdg: () => mat([[1, 0], [0, c(0, -1)]]),
  t: () => mat([[1, 0], [0, cexp(Math.PI / 4)]]),
  tdg: () => mat([[1, 0], [0, cexp(-Math.PI / 4)]]),
  rx: ([t]) => pauliRot(X, t!),
  ry: ([t]) => pauliRot(Y, t!),
  rz: ([t]) => pauliRot(Z, t!),
  sx: () => SX,
  sxdg: () => SXDG,
  cz: () => ctrl(Z),
  cy: () => ctrl(Y),
  swap: () => SWAP,
  ch: () => ctrl(H),
  ccx: () => ctrlN(X, 2),
  cswap: () => ctrl(SWAP),
  crx: ([t]) => ctrl(pauliRot(X, t!)),
  cry: ([t]) => ctrl(pauliRot(Y, t!)),
  crz: ([t]) => ctrl(pauliRot(Z, t!)),
  cu1: ([l]) => ctrl(P(l!)),
  cp: ([l]) => ctrl(P(l!)),
  cu3: ([t, f, l]) => ctrl(U3(t!, f!, l!)),
  csx: () => ctrl(SX),
  cu: ([t, f, l, g]) => ctrl(scale(cexp(g!), U3(t!, f!, l!))),
  rxx: ([t]) => pauliRot(kron(X, X), t!),
  rzz: ([t]) => pauliRot(kron(Z, Z), t!),
  // Relative-phase Toffoli (Margolus): Y on the target when both controls are 1, Z when the
  // controls are 10, identity otherwise.
  rccx: () => add(add(kron(kron(proj(1), proj(1)), Y), kron(kron(proj(1), proj(0)), Z)), kron(proj(0), eye(4))),
  c3x: () => ctrlN(X, 3),
  c3sqrtx: () => ctrlN(SX, 3),
  c4x: () => ctrlN(X, 4),
};
/** Gates defined only up to relative phases: checked as (diagonal of phases) × this matrix. */
const RELATIVE_PHASE: Record<string, () => M> = { rc3x: () => ctrlN(X, 3) };

/** Unitary of a circuit text on k qubits: column b is the state the circuit makes from |b⟩. */
function importedUnitary(text: string, k: number, nativeGates: boolean): M {
  const { circuit } = parseQasm(text, { nativeGates });
  const d = 2 ** k;
  const u: M = Array.from({ length: d }, () => new Array<C>(d));
  for (let b = 0; b < d; b++) {
    const sv = StateVectorBackend.fromBits(b.toString(2).padStart(k, '0'));
    sv.run(circuit);
    const { re, im } = sv.toArrays();
    for (let i = 0; i < d; i++) u[i]![b] = [re[i]!, im[i]!];
  }
  return u;
}

/** max |B − e^{iα} A| with e^{iα} fixed by the largest entry of A. */
function diffUpToPhase(a: M, b: M): number {
  let bi = 0, bj = 0, best = -1;
  a.forEach((r, i) => r.forEach((x, j) => { const m = Math.hypot(x[0], x[1]); if (m > best) { best = m; bi = i; bj = j; } }));
  const x = a[bi]![bj]!, y = b[bi]![bj]!;
  const n2 = x[0] * x[0] + x[1] * x[1];
  const ph: C = [(y[0] * x[0] + y[1] * x[1]) / n2, (y[1] * x[0] - y[0] * x[1]) / n2]; // y / x
  const phn = Math.hypot(ph[0], ph[1]);
  let worst = Math.abs(phn - 1);
  a.forEach((r, i) => r.forEach((v, j) => {
    const w = cmul([ph[0] / phn, ph[1] / phn], v);
    worst = Math.max(worst, Math.abs(b[i]![j]![0] - w[0]), Math.abs(b[i]![j]![1] - w[1]));
  }));
  return worst;
}

const header = headerDefinitions();
const rng = makeRng('qasm-gates');
const angle = (): number => (rng() - 0.5) * 4 * Math.PI;
const callText = (name: string, params: number[], k: number): string =>
  `OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[${k}];\n${name}${params.length > 0 ? `(${params.join(',')})` : ''} ${Array.from({ length: k }, (_, i) => `q[${i}]`).join(',')};\n`;

describe('qelib1.inc gates against textbook matrices', () => {
  it('the shipped header defines exactly the gates with a textbook entry here', () => {
    expect(header.map((d) => d.name).sort()).toEqual([...Object.keys(TEXTBOOK), ...Object.keys(RELATIVE_PHASE)].sort());
    expect(header.length).toBe(42);
  });

  const cases = header.filter((d) => TEXTBOOK[d.name]).flatMap((d) => [0, 1, 2].map((set) => [d.name, set] as const));
  it.each(cases)('%s (parameter set %i), native and fully expanded', (name, set) => {
    const def = header.find((d) => d.name === name)!;
    const params = set === 0 ? def.params.map((_, j) => [0.3, -1.1, 2.5, 0.7][j]!) : def.params.map(angle);
    const k = def.nArgs;
    const want = TEXTBOOK[name]!(params);
    expect(want.length).toBe(2 ** k);
    const text = callText(name, params, k);
    for (const nativeGates of [true, false]) {
      expect(diffUpToPhase(want, importedUnitary(text, k, nativeGates)), `${name} nativeGates=${nativeGates}`).toBeLessThanOrEqual(TOL);
    }
  });

  it.each(Object.keys(RELATIVE_PHASE))('%s is its textbook gate up to a diagonal of relative phases', (name) => {
    const k = header.find((d) => d.name === name)!.nArgs;
    const want = RELATIVE_PHASE[name]!();
    for (const nativeGates of [true, false]) {
      const got = importedUnitary(callText(name, [], k), k, nativeGates);
      // got = D · want with D diagonal and unimodular: (got · want†) is diagonal with |d| = 1
      const d = 2 ** k;
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) {
          let s: C = [0, 0];
          for (let m = 0; m < d; m++) { const p = cmul(got[i]![m]!, [want[j]![m]![0], -want[j]![m]![1]]); s = [s[0] + p[0], s[1] + p[1]]; }
          const mag = Math.hypot(s[0], s[1]);
          expect(Math.abs(mag - (i === j ? 1 : 0)), `${name} (${i},${j})`).toBeLessThanOrEqual(TOL);
        }
      }
    }
  });

  it('fast paths equal the header expansion on distant, reversed qubits in a larger register (states up to phase)', () => {
    const n = 6;
    for (const d of header) {
      const params = d.params.map(angle);
      const qs = [5, 1, 3, 0, 4].slice(0, d.nArgs);
      const text = `OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[${n}];\nh q;\nry(0.4) q[1];\ncx q[1],q[2];\n${d.name}${params.length > 0 ? `(${params.join(',')})` : ''} ${qs.map((q) => `q[${q}]`).join(',')};\n`;
      const states = [true, false].map((nativeGates) => {
        const sv = StateVectorBackend.zeros(n);
        sv.run(parseQasm(text, { nativeGates }).circuit);
        const { re, im } = sv.toArrays();
        return [Array.from(re, (x, i) => [x, im[i]!] as C)];
      });
      expect(diffUpToPhase(states[0]!, states[1]!), d.name).toBeLessThanOrEqual(1e-13);
    }
  });
});

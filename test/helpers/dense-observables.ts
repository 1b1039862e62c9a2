/**
 * An independent dense reference for the observable tests: random OpenQASM circuits over
 * {h, rx, ry, rz, cx, cz}, their state vector computed here by plain complex arithmetic (qubit 0
 * = most significant bit), Pauli-string expectations by applying the Paulis, reduced density
 * matrices and their eigenvalues by cyclic Jacobi rotations. Shares no code with the library.
 */
import seedrandom from 'seedrandom';

/** A dense complex vector (split planes). */
export interface Dense { n: number; re: Float64Array; im: Float64Array }

type Op = { g: 'h' | 'rx' | 'ry' | 'rz'; q: number; theta: number } | { g: 'cx' | 'cz'; a: number; b: number };

/** A seeded random circuit of `depth` layers on n qubits, as QASM text and as its ops. */
export function randomCircuit(n: number, depth: number, seed: string): { qasm: string; ops: Op[] } {
  const rnd = seedrandom.alea(seed);
  const ops: Op[] = [];
  for (let l = 0; l < depth; l++) {
    for (let q = 0; q < n; q++) {
      const g = (['h', 'rx', 'ry', 'rz'] as const)[Math.floor(rnd() * 4)]!;
      ops.push({ g, q, theta: (rnd() * 2 - 1) * Math.PI });
    }
    for (let q = l % 2; q + 1 < n; q += 2) {
      const flip = rnd() < 0.5;
      ops.push({ g: rnd() < 0.5 ? 'cx' : 'cz', a: flip ? q + 1 : q, b: flip ? q : q + 1 });
    }
  }
  const body = ops.map((o) => ('q' in o ? (o.g === 'h' ? `h q[${o.q}];` : `${o.g}(${o.theta.toPrecision(17)}) q[${o.q}];`) : `${o.g} q[${o.a}],q[${o.b}];`));
  return { qasm: `OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[${n}];\n${body.join('\n')}\n`, ops };
}

/** 2×2 complex matrix [[a, b], [c, d]] as [re, im] pairs. */
type M2 = [number, number][];

function apply1(s: Dense, q: number, m: M2): void {
  const bit = 1 << (s.n - 1 - q);
  for (let i = 0; i < 1 << s.n; i++) {
    if (i & bit) continue;
    const j = i | bit;
    const [ar, ai] = [s.re[i]!, s.im[i]!], [br, bi] = [s.re[j]!, s.im[j]!];
    const mul = (k: number, xr: number, xi: number) => [m[k]![0] * xr - m[k]![1] * xi, m[k]![0] * xi + m[k]![1] * xr] as const;
    const [p0, p1] = mul(0, ar, ai), [p2, p3] = mul(1, br, bi), [p4, p5] = mul(2, ar, ai), [p6, p7] = mul(3, br, bi);
    s.re[i] = p0 + p2; s.im[i] = p1 + p3; s.re[j] = p4 + p6; s.im[j] = p5 + p7;
  }
}

/** Pauli matrices (row-major). */
export const PAULI: Record<'X' | 'Y' | 'Z', M2> = {
  X: [[0, 0], [1, 0], [1, 0], [0, 0]],
  Y: [[0, 0], [0, -1], [0, 1], [0, 0]],
  Z: [[1, 0], [0, 0], [0, 0], [-1, 0]],
};

/** |ψ⟩ = ops|0…0⟩. */
export function denseState(n: number, ops: Op[]): Dense {
  const s: Dense = { n, re: new Float64Array(1 << n), im: new Float64Array(1 << n) };
  s.re[0] = 1;
  const r = Math.SQRT1_2;
  for (const o of ops) {
    if ('q' in o) {
      const c = Math.cos(o.theta / 2), sn = Math.sin(o.theta / 2);
      const m: M2 = o.g === 'h' ? [[r, 0], [r, 0], [r, 0], [-r, 0]]
        : o.g === 'rx' ? [[c, 0], [0, -sn], [0, -sn], [c, 0]]
          : o.g === 'ry' ? [[c, 0], [-sn, 0], [sn, 0], [c, 0]]
            : [[c, -sn], [0, 0], [0, 0], [c, sn]];
      apply1(s, o.q, m);
    } else {
      const ba = 1 << (n - 1 - o.a), bb = 1 << (n - 1 - o.b);
      for (let i = 0; i < 1 << n; i++) {
        if (!(i & ba)) continue;
        if (o.g === 'cz') { if (i & bb) { s.re[i] = -s.re[i]!; s.im[i] = -s.im[i]!; } } else if (!(i & bb)) {
          const j = i | bb;
          [s.re[i], s.re[j]] = [s.re[j]!, s.re[i]!];
          [s.im[i], s.im[j]] = [s.im[j]!, s.im[i]!];
        }
      }
    }
  }
  return s;
}

/** ⟨ψ|P|ψ⟩ (real part) for a Pauli string given as [qubit, label] pairs. */
export function denseExpect(s: Dense, factors: [number, 'X' | 'Y' | 'Z'][]): number {
  const t: Dense = { n: s.n, re: s.re.slice(), im: s.im.slice() };
  for (const [q, p] of factors) apply1(t, q, PAULI[p]);
  let acc = 0;
  for (let i = 0; i < 1 << s.n; i++) acc += s.re[i]! * t.re[i]! + s.im[i]! * t.im[i]!;
  return acc;
}

/** Eigenvalues of a Hermitian k×k matrix (split planes), via cyclic Jacobi on its real 2k×2k embedding (each eigenvalue appears twice; one copy of each is returned). */
export function hermitianEigenvalues(k: number, re: Float64Array, im: Float64Array): number[] {
  const N = 2 * k;
  const A = Array.from({ length: N }, (_, i) => Array.from({ length: N }, (_, j) => {
    const [bi, bj] = [i % k, j % k];
    const r = re[bi * k + bj]!, m = im[bi * k + bj]!;
    return (i < k) === (j < k) ? r : i < k ? -m : m;
  }));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < N; p++) for (let q = p + 1; q < N; q++) off += A[p]![q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < N; p++) {
      for (let q = p + 1; q < N; q++) {
        if (Math.abs(A[p]![q]!) < 1e-300) continue;
        const theta = (A[q]![q]! - A[p]![p]!) / (2 * A[p]![q]!);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let r = 0; r < N; r++) {
          const arp = A[r]![p]!, arq = A[r]![q]!;
          A[r]![p] = c * arp - s * arq; A[r]![q] = s * arp + c * arq;
        }
        for (let r = 0; r < N; r++) {
          const apr = A[p]![r]!, aqr = A[q]![r]!;
          A[p]![r] = c * apr - s * aqr; A[q]![r] = s * apr + c * aqr;
        }
      }
    }
  }
  const w = A.map((row, i) => row[i]!).sort((a, b) => a - b);
  return w.filter((_, i) => i % 2 === 0);
}

/** Von Neumann entropy (nats) of qubits 0…b of the normalised state, from the reduced density matrix ρ_A = tr_B |ψ⟩⟨ψ|. */
export function denseBondEntropy(s: Dense, b: number): number {
  const nA = b + 1, dA = 1 << nA, dB = 1 << (s.n - nA);
  const re = new Float64Array(dA * dA), im = new Float64Array(dA * dA);
  let norm2 = 0;
  for (let i = 0; i < 1 << s.n; i++) norm2 += s.re[i]! ** 2 + s.im[i]! ** 2;
  for (let a = 0; a < dA; a++) {
    for (let a2 = 0; a2 < dA; a2++) {
      let r = 0, m = 0;
      for (let c = 0; c < dB; c++) {
        const x = a * dB + c, y = a2 * dB + c; // ψ_x conj(ψ_y)
        r += s.re[x]! * s.re[y]! + s.im[x]! * s.im[y]!;
        m += s.im[x]! * s.re[y]! - s.re[x]! * s.im[y]!;
      }
      re[a * dA + a2] = r / norm2; im[a * dA + a2] = m / norm2;
    }
  }
  let S = 0;
  for (const p of hermitianEigenvalues(dA, re, im)) if (p > 0) S -= p * Math.log(p);
  return S;
}

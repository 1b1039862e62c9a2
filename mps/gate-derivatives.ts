/**
 * Analytic derivatives ∂G/∂p_j of the parameterised gates, and the generator form
 * K_j = G†·∂G/∂p_j used by adjoint differentiation (K_j is anti-Hermitian for unitary G).
 *
 * For the Pauli rotations G = exp(−iθ/2 P): ∂G/∂θ = −(i/2)·P·G, so K = −(i/2)·P.
 */
import { compactImag, type CMatrix } from './complex.js';
import { gateMatrix, type GateOp } from './gates.js';

function cm(dim: number, re: number[], im: number[]): CMatrix {
  return { dim, re: Float64Array.from(re), im: Float64Array.from(im) };
}

/** Complex matrix product a·b of two dim×dim split-plane matrices. */
export function cmatmul(a: CMatrix, b: CMatrix): CMatrix {
  const d = a.dim;
  const re = new Float64Array(d * d), im = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < d; k++) {
      const ar = a.re[i * d + k]!, ai = a.im ? a.im[i * d + k]! : 0;
      for (let j = 0; j < d; j++) {
        const br = b.re[k * d + j]!, bi = b.im ? b.im[k * d + j]! : 0;
        re[i * d + j]! += ar * br - ai * bi;
        im[i * d + j]! += ar * bi + ai * br;
      }
    }
  }
  return compactImag({ dim: d, re, im });
}

/** Conjugate transpose (the imaginary plane stays null for a real matrix). */
export function cdagger(a: CMatrix): CMatrix {
  const d = a.dim;
  const re = new Float64Array(d * d), im = a.im ? new Float64Array(d * d) : null;
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) { re[j * d + i] = a.re[i * d + j]!; if (im) im[j * d + i] = -a.im![i * d + j]!; }
  return { dim: d, re, im };
}

const PAULI_GEN: Record<string, { dim: number; re: number[]; im: number[] }> = {
  rx: { dim: 2, re: [0, 1, 1, 0], im: [0, 0, 0, 0] },
  ry: { dim: 2, re: [0, 0, 0, 0], im: [0, -1, 1, 0] },
  rz: { dim: 2, re: [1, 0, 0, -1], im: [0, 0, 0, 0] },
  rxx: { dim: 4, re: [0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0], im: new Array(16).fill(0) },
  ryy: { dim: 4, re: [0, 0, 0, -1, 0, 0, 1, 0, 0, 1, 0, 0, -1, 0, 0, 0], im: new Array(16).fill(0) },
  rzz: { dim: 4, re: [1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1], im: new Array(16).fill(0) },
};

/** The 4×4 matrix |b⟩⟨b| ⊗ ∂RY(θ)/∂θ (control first), real. */
function controlledRyDerivative(theta: number, b: number): CMatrix {
  const ch = Math.cos(theta / 2) / 2, sh = Math.sin(theta / 2) / 2;
  const re = new Float64Array(16);
  const o = 10 * b; // the top-left entry of block b: row 2b, column 2b
  re[o] = -sh; re[o + 1] = -ch; re[o + 4] = ch; re[o + 5] = -sh;
  return { dim: 4, re, im: null };
}

/**
 * ∂G/∂p_j for a named parameterised gate (rx, ry, rz, rxx, ryy, rzz, p, cp, cry, ucry, u3).
 * Real for the controlled rotations: ∂CRY/∂θ = |1⟩⟨1| ⊗ ∂RY/∂θ, ∂UCRY/∂θ_b = |b⟩⟨b| ⊗ ∂RY/∂θ_b,
 * with ∂RY/∂θ = ½[[−s, −c], [c, −s]], c = cos(θ/2), s = sin(θ/2).
 * @throws Error for gates without parameters or an out-of-range j.
 */
export function gateDerivative(op: GateOp, j: number): CMatrix {
  if (!Number.isInteger(j) || j < 0 || j >= op.params.length) throw new Error(`gate ${op.name}: no parameter ${j}`);
  const gen = PAULI_GEN[op.name];
  if (gen) {
    // ∂G = −(i/2)·P·G
    const d = gen.dim;
    const minusHalfIP = cm(d, gen.im.map((x) => x / 2), gen.re.map((x) => -x / 2));
    return cmatmul(minusHalfIP, gateMatrix(op));
  }
  const [a, b, c] = op.params as [number, number, number];
  switch (op.name) {
    case 'p': return cm(2, [0, 0, 0, -Math.sin(a)], [0, 0, 0, Math.cos(a)]);
    case 'cp': {
      const re = new Array(16).fill(0), im = new Array(16).fill(0);
      re[15] = -Math.sin(a); im[15] = Math.cos(a);
      return cm(4, re, im);
    }
    // the ∂RY block of the target on the rows and columns of control |1⟩ (cry) or |j⟩ (ucry)
    case 'cry': return controlledRyDerivative(a, 1);
    case 'ucry': return controlledRyDerivative(j === 0 ? a : b, j);
    case 'u3': {
      const ch = Math.cos(a / 2), sh = Math.sin(a / 2);
      const e = (x: number) => [Math.cos(x), Math.sin(x)] as const;
      const [lr, li] = e(c), [pr, pi] = e(b), [plr, pli] = e(b + c);
      if (j === 0) return cm(2, [-sh / 2, -lr * ch / 2, pr * ch / 2, -plr * sh / 2], [0, -li * ch / 2, pi * ch / 2, -pli * sh / 2]);
      // ∂/∂φ: i·e^{iφ}·s and i·e^{i(φ+λ)}·c on the bottom row
      if (j === 1) return cm(2, [0, 0, -pi * sh, -pli * ch], [0, 0, pr * sh, plr * ch]);
      // ∂/∂λ: −i·e^{iλ}·s top right, i·e^{i(φ+λ)}·c bottom right
      return cm(2, [0, li * sh, 0, -pli * ch], [0, -lr * sh, 0, plr * ch]);
    }
    default:
      throw new Error(`gate '${op.name}' has no analytic derivative`);
  }
}

/** K_j = G†·∂G/∂p_j (anti-Hermitian), the local operator read by adjoint differentiation. */
export function gateGenerator(op: GateOp, j: number): CMatrix {
  return cmatmul(cdagger(gateMatrix(op)), gateDerivative(op, j));
}

/**
 * K_j = ∂G/∂p_j·G† (anti-Hermitian), the local operator of the same derivative read after the
 * gate: ⟨λ'|K_j|ψ'⟩ with ψ' = Gψ, λ' = Gλ equals ⟨λ|G†·∂G|ψ⟩.
 */
export function gateGeneratorRight(op: GateOp, j: number): CMatrix {
  return cmatmul(gateDerivative(op, j), cdagger(gateMatrix(op)));
}

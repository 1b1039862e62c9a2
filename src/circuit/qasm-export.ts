/**
 * OpenQASM 2.0 export: every gate written is a gate of the standard header `qelib1.inc` or is
 * defined in the exported file (before its first use) in terms of header gates, so any
 * OpenQASM 2 reader with the standard header accepts the file.
 */
import { GATES, validateCircuit, type Circuit } from '../../mps/gates.js';

/**
 * How each library gate is written: the header gate of the same matrix (`p` as `u1` and `cp`
 * as `cu1`, the spellings every version of the header has), or a gate this file defines.
 */
const EXPORT_NAME: Readonly<Record<string, string>> = Object.freeze({
  id: 'id', x: 'x', y: 'y', z: 'z', h: 'h', s: 's', sdg: 'sdg', t: 't', tdg: 'tdg', sx: 'sx',
  rx: 'rx', ry: 'ry', rz: 'rz', p: 'u1', u3: 'u3',
  cx: 'cx', cy: 'cy', cz: 'cz', cp: 'cu1', cry: 'cry', swap: 'swap', rxx: 'rxx', rzz: 'rzz', ryy: 'ryy',
  ucry: 'ucry',
});

/**
 * Definitions written into the file for library gates that the header lacks, by gate name (the
 * QASM parser quotes them when a file calls one of these gates without defining it). RYY(θ) =
 * (RX(−π/2)⊗RX(−π/2)) · RZZ(θ) · (RX(π/2)⊗RX(π/2)), since RX(−π/2)·Z·RX(π/2) = Y, with
 * RZZ(θ) = CX · (I⊗RZ(θ)) · CX (the header's rz is RZ up to a global phase). UCRY(θ0, θ1) =
 * CRY(θ1) · X_a · CRY(θ0) · X_a (control a), exactly, with the header's cry.
 */
export const QASM_FILE_DEFINITIONS: Readonly<Record<string, string>> = Object.freeze({
  ryy: 'gate ryy(theta) a,b { rx(pi/2) a; rx(pi/2) b; cx a,b; rz(theta) b; cx a,b; rx(-pi/2) a; rx(-pi/2) b; }',
  ucry: 'gate ucry(theta0,theta1) a,b { x a; cry(theta0) a,b; x a; cry(theta1) a,b; }',
});

/**
 * A real number as an OpenQASM 2 literal with full round-trip precision. The grammar's real
 * needs a decimal point before an exponent, so `1e-7` is written `1.0e-7`.
 */
export function qasmReal(x: number): string {
  const s = String(x);
  return /e/.test(s) && !s.includes('.') ? s.replace('e', '.0e') : s;
}

/**
 * Writes a circuit as OpenQASM 2.0 with one register `q[n]` (qdistill qubit k = `q[k]` = Qiskit
 * qubit k; remember Qiskit prints bitstrings little-endian, qdistill big-endian). Angles are
 * printed with full round-trip precision. Every gate written is in the standard header
 * `qelib1.inc` (`p` is written `u1`, `cp` is written `cu1`) or is defined in the file before
 * its first use (`ryy`, in terms of `rx`, `cx` and `rz`; `ucry`, in terms of `x` and `cry`);
 * re-importing gives the same state up to a global phase (`ucry` comes back as its four gates).
 * @throws Error for an explicit `'unitary'` gate, which OpenQASM 2 cannot express, an
 *   unknown gate name, or a circuit that `validateCircuit` refuses (a non-finite angle, a
 *   qubit out of range, a wrong arity or parameter count), naming the gate index.
 */
export function toQasm(circuit: Circuit): string {
  validateCircuit(circuit);
  const body: string[] = [];
  const defined = new Set<string>();
  const defs: string[] = [];
  circuit.ops.forEach((op, k) => {
    if (op.name === 'unitary') {
      throw new Error(`toQasm: gate ${k} is an explicit 'unitary' matrix on qubits [${op.qubits.join(', ')}], which OpenQASM 2 cannot express; decompose it into named gates first`);
    }
    const name = GATES[op.name] ? EXPORT_NAME[op.name] : undefined;
    if (name === undefined) throw new Error(`toQasm: gate ${k} has unknown name '${op.name}'; allowed: ${Object.keys(EXPORT_NAME).join(', ')}`);
    const def = QASM_FILE_DEFINITIONS[name];
    if (def !== undefined && !defined.has(name)) { defined.add(name); defs.push(def); }
    const ps = op.params.length > 0 ? `(${op.params.map(qasmReal).join(',')})` : '';
    body.push(`${name}${ps} ${op.qubits.map((q) => `q[${q}]`).join(',')};`);
  });
  return ['OPENQASM 2.0;', 'include "qelib1.inc";', ...defs, `qreg q[${circuit.n}];`, ...body].join('\n') + '\n';
}

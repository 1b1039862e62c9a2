/**
 * OpenQASM 2.0 import and export.
 *
 * **Qubit order.** Registers are flattened in declaration order: the first `qreg`'s qubit 0 is
 * global qubit 0, the next register follows it, and so on. qdistill qubit k is Qiskit's qubit k
 * (the same `q[k]`), but the two *print* bitstrings differently: Qiskit's counts are
 * little-endian (qubit 0 is the **rightmost** character), while qdistill's bitstrings and
 * state-vector indices are big-endian (qubit 0 is the **leftmost** character / most significant
 * bit). Reverse a Qiskit bitstring to compare it with a qdistill one.
 *
 * **Gates, as the specification defines them.** Without `include "qelib1.inc";` only the built-in
 * `U` and `CX` exist and every other name is free for the file's own `gate` definitions. The
 * include adds every gate of the standard header (Qiskit's `qelib1.inc`, shipped in ./qelib1.ts
 * and parsed from its text), which a file may then not redefine. Names are case-sensitive.
 * Header gates that the engine has (u3 u2 u1 u0 u p id x y z h s sdg t tdg rx ry rz sx cx cy cz
 * swap cu1 cp cry rxx rzz) become one library gate with the same matrix up to a global phase; all
 * others (ccx, cswap, ch, crx, crz, cu3, cu, csx, sxdg, rccx, rc3x, c3x, c3sqrtx, c4x) and
 * every user gate are expanded through their definitions, iteratively (no recursion depth limit).
 *
 * Also supported: several `qreg`s, `creg` (checked, otherwise ignored), `barrier` (ignored),
 * `measure` (recorded; gates on a measured qubit afterwards are refused), `reset` of a qubit no
 * gate has touched yet (a no-op), `opaque` declarations (refused when called), `//` and
 * `/* *\/` comments, register-wide application, parameter expressions (pi, + − * / ^, unary
 * minus, parentheses, sin cos tan exp ln sqrt). Refused with a positioned error: `if`, `reset`
 * after gates, mid-circuit measurement, includes other than `qelib1.inc`.
 */
import type { Circuit } from '../../mps/gates.js';
import { Parser, type QasmRegister } from './qasm-parser.js';

export { QasmError } from './qasm-lexer.js';
export { QASM_LIMITS, type QasmRegister } from './qasm-parser.js';
export { QELIB1_INC } from './qelib1.js';
export { toQasm, qasmReal } from './qasm-export.js';

/** Options of {@link parseQasm}. */
export interface QasmParseOptions {
  /**
   * `'sample'` (default): record measured qubits in `measured`; a gate on an already
   * measured qubit is an error (mid-circuit measurement cannot be represented).
   * `'ignore'`: drop `measure` statements entirely (`measured` is empty).
   */
  measure?: 'ignore' | 'sample';
  /**
   * `true` (default): header gates the engine has become one library gate (same matrix up to a
   * global phase). `false`: every gate is expanded through the header's definitions down to `U`
   * and `CX` (slower; for checking the fast paths).
   */
  nativeGates?: boolean;
}

/** Result of {@link parseQasm}. */
export interface QasmParseResult {
  /** The unitary part of the program. */
  circuit: Circuit;
  /** Global indices of measured qubits, in order of first measurement. */
  measured: number[];
  /** Quantum registers in declaration order. */
  registers: QasmRegister[];
}

/**
 * Parses an OpenQASM 2.0 program into a qdistill {@link Circuit}.
 *
 * Registers are flattened in declaration order (see the module doc for the mapping to Qiskit).
 * @throws QasmError with 1-based `line` and `column` for malformed syntax, an unknown gate
 *   (the message lists the gates in scope) or register, a redefined gate, a qubit index out of
 *   range, a wrong parameter or qubit count, duplicate qubits, a non-finite parameter, an
 *   unsupported feature (`if`, `reset` after gates, mid-circuit measurement, a call of an
 *   `opaque` gate), or a circuit over {@link QASM_LIMITS}.
 * @example
 * ```ts
 * parseQasm('OPENQASM 2.0; include "qelib1.inc"; qreg q[2]; h q[0]; cx q[0],q[1];').circuit.ops.length; // 2
 * ```
 */
export function parseQasm(text: string, opts: QasmParseOptions = {}): QasmParseResult {
  const mode = opts.measure ?? 'sample';
  if (mode !== 'sample' && mode !== 'ignore') throw new Error(`opts.measure must be 'ignore' or 'sample', got ${JSON.stringify(mode)}`);
  const natives = opts.nativeGates ?? true;
  if (typeof natives !== 'boolean') throw new Error(`opts.nativeGates must be a boolean, got ${JSON.stringify(natives)}`);
  const p = new Parser(text, { measure: mode, natives });
  p.parse();
  const n = p.registers.reduce((s, r) => s + r.size, 0);
  return { circuit: { n, ops: p.ops }, measured: p.measured, registers: p.registers };
}

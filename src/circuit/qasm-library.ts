/**
 * The gate table of the OpenQASM 2 importer: the two built-in gates `U` and `CX`, and the
 * native fast paths for the standard-header gates that the engine's gate library has.
 *
 * A fast path replaces the expansion of a header gate (its definition in `qelib1.inc`) by one
 * library gate with the same matrix up to a global phase. A global phase of a gate is never
 * observable in OpenQASM 2 (the language has no controlled versions of defined gates), so the
 * state differs from the fully expanded one by a global phase at most;
 * test/circuit/qasm-gates.test.ts checks each fast path against the header's own definition.
 */
import type { GateOp } from '../../mps/gates.js';

/** Builds the library gates of one fast path from evaluated parameters and global qubits. */
export type NativeExpansion = (p: readonly number[], q: readonly number[]) => GateOp[];

/** A gate with a fast path: its signature and the library gates it becomes. */
export interface NativeGate {
  /** Number of real parameters. */
  nParams: number;
  /** Number of qubit arguments. */
  arity: number;
  /** Number of library gates one call becomes. */
  count: number;
  /** The library gates. */
  expand: NativeExpansion;
}

const same = (name: string, nParams: number, arity: number): NativeGate => ({
  nParams, arity, count: 1, expand: (p, q) => [{ name, qubits: [...q], params: [...p] }],
});
const renamed = (name: string, nParams: number, arity: number, map: (p: readonly number[]) => number[]): NativeGate => ({
  nParams, arity, count: 1, expand: (p, q) => [{ name, qubits: [...q], params: map(p) }],
});

/**
 * The built-in gates of OpenQASM 2: `U(θ,φ,λ)` (qdistill's `u3`, Qiskit's convention; the
 * specification's U differs by the global phase e^{−i(φ+λ)/2}) and `CX` (control first).
 */
export const BUILTIN_GATES: Readonly<Record<string, NativeGate>> = Object.freeze({
  U: same('u3', 3, 1),
  CX: same('cx', 0, 2),
});

/**
 * Fast paths for `qelib1.inc` gates, keyed by header name. Header gates not listed here
 * (`sxdg`, `ch`, `ccx`, `cswap`, `crx`, `crz`, `cu3`, `csx`, `cu`, `rccx`, `rc3x`, `c3x`,
 * `c3sqrtx`, `c4x`) are expanded through their header definitions into gates that are listed.
 * `cry` is native: the header's `ry(θ/2) b; cx a,b; ry(−θ/2) b; cx a,b;` is exactly (no global
 * phase) the library's CRY(θ), one two-qubit gate instead of two CX and two RY.
 */
export const NATIVE_HEADER_GATES: Readonly<Record<string, NativeGate>> = Object.freeze({
  u3: same('u3', 3, 1),
  u2: renamed('u3', 2, 1, (p) => [Math.PI / 2, p[0]!, p[1]!]),
  u1: renamed('p', 1, 1, (p) => [p[0]!]),
  cx: same('cx', 0, 2),
  id: same('id', 0, 1),
  u0: renamed('id', 1, 1, () => []),
  u: same('u3', 3, 1),
  p: same('p', 1, 1),
  x: same('x', 0, 1),
  y: same('y', 0, 1),
  z: same('z', 0, 1),
  h: same('h', 0, 1),
  s: same('s', 0, 1),
  sdg: same('sdg', 0, 1),
  t: same('t', 0, 1),
  tdg: same('tdg', 0, 1),
  rx: same('rx', 1, 1),
  ry: same('ry', 1, 1),
  rz: same('rz', 1, 1),
  sx: same('sx', 0, 1),
  cz: same('cz', 0, 2),
  cy: same('cy', 0, 2),
  swap: same('swap', 0, 2),
  cu1: renamed('cp', 1, 2, (p) => [p[0]!]),
  cp: same('cp', 1, 2),
  cry: same('cry', 1, 2),
  rxx: same('rxx', 1, 2),
  rzz: same('rzz', 1, 2),
});

/**
 * The observable flags of `qdistill simulate`: Pauli sums (`--observable`), two-point
 * correlators (`--correlations`), bond entanglement entropies (`--entropy`, `--entropy-base`),
 * single amplitudes (`--amplitude`) and the histogram of `--shots`. Parsing (one-line usage
 * errors naming the flag, the value and what is allowed), evaluation on either backend, and
 * the human-readable lines.
 */
import { amplitude, bondEntropies, correlationMatrix, expectPauliString, flattenNdArray, localExpectations, type PauliSum } from '../../mps/index.js';
import { parsePauliSum } from '../../mps/pauli-parse.js';
import type { SimulatedStateData } from '../backends/simulator.js';
import { stateVectorBondEntropies, stateVectorCorrelations, stateVectorNormalizedAmplitude, SV_ENTROPY_MAX_QUBITS } from '../backends/statevector-observables.js';
import type { Command } from 'commander';
import { UsageError } from './errors.js';
import { repeatable } from './parse.js';

/** Adds the observable flags to a command definition (`--observable`, `--correlations`, `--amplitude` repeatable). */
export function addObservableOptions(c: Command): Command {
  return c
    .addOption(repeatable('--observable <SUM>', '<M> of a Pauli sum, same syntax as \'grad\', e.g. "Z0*Z5 + 0.5*X3"; repeat the flag for several observables (one value each)'))
    .addOption(repeatable('--correlations <P>', 'the matrix <P_i P_j> for all qubit pairs, P = X, Y or Z (and the connected part <P_i P_j> − <P_i><P_j>); repeatable'))
    .option('--entropy', 'von Neumann entanglement entropy S = −Σ λ² ln λ² of every bond (bond b: qubits 0…b against b+1…n−1), from the Schmidt values λ')
    .option('--entropy-base <B>', 'units of --entropy: e = nats (default), 2 = bits')
    .addOption(repeatable('--amplitude <BITS>', 'the amplitude <BITS|ψ> of the normalised state, BITS = n characters 0/1 with qubit 0 first; repeatable (--shots K also prints the histogram of the K bitstrings, most frequent first)'));
}

/** The validated observable flags. */
export interface ObservableRequest {
  /** Pauli sums as given and parsed. */
  observables: { text: string; sum: PauliSum }[];
  /** Paulis for correlator matrices, in the order given, without repeats. */
  correlations: ('X' | 'Y' | 'Z')[];
  /** Entropy request: the logarithm base (Math.E or 2) and the unit's name; null when not asked. */
  entropy: { base: number; unit: 'nats' | 'bits' } | null;
  /** Bitstrings of the amplitudes asked for (qubit 0 first). */
  amplitudes: string[];
}

/** Values of the observable flags as the parser returns them. */
export interface ObservableFlagValues {
  observable?: string[];
  correlations?: string[];
  entropy?: boolean;
  'entropy-base'?: string;
  amplitude?: string[];
}

/**
 * Validates the observable flags for a circuit of `n` qubits.
 * @throws UsageError (exit 2), one line naming the flag, the value and what is allowed: a
 *   malformed Pauli sum or a qubit index ≥ n, a correlator Pauli other than X/Y/Z, an entropy
 *   base other than e/2 or `--entropy-base` without `--entropy`, a bitstring of the wrong length
 *   or with characters other than 0 and 1.
 */
export function parseObservableOptions(values: ObservableFlagValues, n: number): ObservableRequest {
  const observables = (values.observable ?? []).map((text) => {
    let sum: PauliSum;
    try { sum = parsePauliSum(text, n); } catch (e) { throw new UsageError(`--observable: ${(e as Error).message}; qubits are 0…${n - 1}`); }
    if (!Number.isFinite(sum.reduce((a, t) => a + Math.abs(t.coeff), 0))) throw new UsageError(`--observable "${text}": the sum of |coefficients| overflows a double (largest ~1.8e308); rescale the observable`);
    return { text, sum };
  });
  const correlations: ('X' | 'Y' | 'Z')[] = [];
  for (const raw of values.correlations ?? []) {
    const p = raw.trim().toUpperCase();
    if (p !== 'X' && p !== 'Y' && p !== 'Z') throw new UsageError(`--correlations must be X, Y or Z, got '${raw}'`);
    if (!correlations.includes(p)) correlations.push(p);
  }
  let entropy: ObservableRequest['entropy'] = null;
  const rawBase = values['entropy-base'];
  if (rawBase !== undefined && !values.entropy) throw new UsageError(`--entropy-base ${rawBase} needs --entropy`);
  if (values.entropy) {
    const b = (rawBase ?? 'e').trim();
    if (b === 'e') entropy = { base: Math.E, unit: 'nats' };
    else if (b === '2') entropy = { base: 2, unit: 'bits' };
    else throw new UsageError(`--entropy-base must be 'e' (nats) or '2' (bits), got '${rawBase}'`);
  }
  const amplitudes = (values.amplitude ?? []).map((bits) => {
    if (!/^[01]*$/.test(bits)) {
      const bad = [...bits].findIndex((c) => c !== '0' && c !== '1');
      throw new UsageError(`--amplitude '${bits}': character ${bad + 1} is '${[...bits][bad]}'; a bitstring has only 0 and 1 (qubit 0 first)`);
    }
    if (bits.length !== n) throw new UsageError(`--amplitude '${bits}' has ${bits.length} bits; the circuit has n = ${n} qubits (qubit 0 first)`);
    return bits;
  });
  return { observables, correlations, entropy, amplitudes };
}

/** Whether any observable flag was given (besides the histogram, which follows `--shots`). */
export function hasObservables(r: ObservableRequest): boolean {
  return r.observables.length > 0 || r.correlations.length > 0 || r.entropy !== null || r.amplitudes.length > 0;
}

/** The fields the observable flags add to `simulate --json` (each present only when asked). */
export interface ObservablesOutput {
  /** ⟨M⟩ of each `--observable`, in the order given. */
  observables?: { observable: string; value: number }[];
  /** Per Pauli: `matrix[i][j]` = ⟨P_i P_j⟩ (diagonal 1) and `connected[i][j]` = ⟨P_i P_j⟩ − ⟨P_i⟩⟨P_j⟩. */
  correlations?: Partial<Record<'X' | 'Y' | 'Z', { matrix: number[][]; connected: number[][] }>>;
  /** Entanglement entropy of bonds 0…n−2 (bond b cuts between qubits b and b+1), in `unit`. */
  entropy?: { unit: 'nats' | 'bits'; bonds: number[] };
  /** ⟨b|ψ⟩ of the normalised state and its probability |⟨b|ψ⟩|². */
  amplitudes?: { bitstring: string; re: number; im: number; probability: number }[];
}

/** The simulated state: an MPS (its gauge may be moved) or a state vector (the simulator seam's {@link SimulatedStateData}). */
export type SimulatedState = SimulatedStateData;

/**
 * Evaluates the requested observables on the state. MPS: `expectPauliSum`-style transfer
 * contractions, `correlationMatrix`, Schmidt values by SVD at each bond, the amplitude
 * contraction divided by ‖ψ‖. State vector: Pauli strings by index masks, reduced density
 * matrices by dense Gram products and eigensolver.
 * @throws UsageError when `--entropy` asks for a state vector beyond its size limit.
 */
export function evaluateObservables(state: SimulatedState, r: ObservableRequest): ObservablesOutput {
  const out: ObservablesOutput = {};
  const n = state.kind === 'mps' ? state.psi.n : state.sv.n;
  if (r.observables.length) {
    out.observables = r.observables.map(({ text, sum }) => {
      let value = 0;
      for (const t of sum) value += state.kind === 'mps' ? expectPauliString(state.psi, t) : state.sv.expectPauliString(t);
      if (!Number.isFinite(value)) throw new Error(`--observable "${text}": <M> came out ${value}; the coefficients are too large for double precision`);
      return { observable: text, value };
    });
  }
  if (r.correlations.length) {
    out.correlations = {};
    for (const p of r.correlations) {
      const matrix = state.kind === 'mps' ? toRows(flattenNdArray(correlationMatrix(state.psi, p, p), 'correlationMatrix'), n) : stateVectorCorrelations(state.sv, p);
      const loc = state.kind === 'mps' ? localExpectations(state.psi, p) : state.sv.expectations(p);
      const connected = matrix.map((row, i) => row.map((v, j) => v - loc[i]! * loc[j]!));
      out.correlations[p] = { matrix, connected };
    }
  }
  if (r.entropy) {
    let bonds: Float64Array;
    if (state.kind === 'mps') bonds = bondEntropies(state.psi, r.entropy.base);
    else {
      if (n > SV_ENTROPY_MAX_QUBITS) throw new UsageError(`--entropy with --backend statevector is limited to n ≤ ${SV_ENTROPY_MAX_QUBITS} qubits (its cost grows as 2^(3n/2)), got n = ${n}; use --backend mps`);
      bonds = stateVectorBondEntropies(state.sv, r.entropy.base);
    }
    out.entropy = { unit: r.entropy.unit, bonds: Array.from(bonds) };
  }
  if (r.amplitudes.length) {
    const nrm = state.kind === 'mps' ? Math.sqrt(state.psi.normSquared()) : 1;
    out.amplitudes = r.amplitudes.map((bitstring) => {
      const a = state.kind === 'mps' ? amplitude(state.psi, bitstring) : stateVectorNormalizedAmplitude(state.sv, bitstring);
      const re = a.re / nrm, im = a.im / nrm;
      return { bitstring, re, im, probability: re * re + im * im };
    });
  }
  return out;
}

/** Rows of an n × n row-major matrix. */
function toRows(a: Float64Array, n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n)));
}

/**
 * The histogram of measured bitstrings: [bitstring, count] pairs, most frequent first, ties in
 * ascending bitstring order. Counts sum to the number of samples. (An array of pairs, not an
 * object, so that the order survives JSON: object keys that look like integers, e.g. "10",
 * would be reordered.)
 */
export function histogram(samples: readonly string[]): [string, number][] {
  const m = new Map<string, number>();
  for (const s of samples) m.set(s, (m.get(s) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/** Most histogram rows printed in the human-readable output. */
export const HISTOGRAM_ROWS = 32;

/** Human-readable lines of the histogram (the first {@link HISTOGRAM_ROWS} rows, with frequencies). */
export function formatHistogram(counts: [string, number][], shots: number): string[] {
  const lines = [`counts (${shots} shots, ${counts.length} distinct bitstrings, qubit 0 first):`];
  for (const [b, c] of counts.slice(0, HISTOGRAM_ROWS)) lines.push(`  ${b}  ${String(c).padStart(String(shots).length)}  ${(c / shots).toFixed(4)}`);
  if (counts.length > HISTOGRAM_ROWS) lines.push(`  … ${counts.length - HISTOGRAM_ROWS} more bitstrings (use --json)`);
  return lines;
}

/** Human-readable lines of the observables. */
export function formatObservables(o: ObservablesOutput): string[] {
  const lines: string[] = [];
  for (const { observable, value } of o.observables ?? []) lines.push(`<${observable}> = ${value.toPrecision(12)}`);
  for (const [p, c] of Object.entries(o.correlations ?? {})) {
    lines.push(`<${p}_i ${p}_j> (row i, column j):`);
    for (const row of c.matrix) lines.push('  ' + row.map((v) => fmtSigned(v)).join(' '));
    lines.push(`connected <${p}_i ${p}_j> − <${p}_i><${p}_j>:`);
    for (const row of c.connected) lines.push('  ' + row.map((v) => fmtSigned(v)).join(' '));
  }
  if (o.entropy) lines.push(`entanglement entropy per bond (${o.entropy.unit}; bond b cuts qubits 0…b | b+1…): ` + (o.entropy.bonds.length ? o.entropy.bonds.map((s) => s.toFixed(8)).join(' ') : '(none: n = 1)'));
  for (const a of o.amplitudes ?? []) lines.push(`<${a.bitstring}|ψ> = ${a.re.toPrecision(12)} ${a.im < 0 || Object.is(a.im, -0) ? '-' : '+'} ${Math.abs(a.im).toPrecision(12)}i  (probability ${a.probability.toPrecision(12)})`);
  return lines;
}

function fmtSigned(v: number): string {
  const s = fixed(v, 6);
  return s.startsWith('-') ? s : ' ' + s;
}

/**
 * `v.toFixed(digits)` without a minus sign on a value that rounds to zero (`-1e-17` prints
 * `0.000000`, not `-0.000000`).
 */
export function fixed(v: number, digits: number): string {
  const s = v.toFixed(digits);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

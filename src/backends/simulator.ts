/**
 * The simulator seam: one resolved choice of backend, `{ kind: 'mps', truncation }` or
 * `{ kind: 'statevector' }`, and one interface over both — run a circuit, read expectations
 * of Pauli strings, Pauli sums and ⟨Z_q⟩, take the adjoint gradient, and get the truncation
 * report. Entry points (CLI flags, experiment configs, model specs) resolve a
 * {@link Simulator} once with {@link resolveSimulator}; everything below them receives it
 * resolved and never branches on the backend name again.
 *
 * A resolved simulator is plain JSON: "no bond cap" is spelled by leaving `truncation.maxBond`
 * out, and the engine's `maxBond: Infinity` is produced only at the call into `mps/`
 * ({@link engineTruncation}).
 */
import {
  adjointGradientMps, emptyReport, expectPauliString, expectPauliSum, localExpectations, Mps, resolveTruncation, runCircuitInPlace,
  type Circuit, type PauliString, type PauliSum, type TruncationOptions, type TruncationReport,
} from '../../mps/index.js';
import { StateVectorBackend } from './statevector.js';
import { adjointGradientStateVector } from './statevector-adjoint.js';

/** Resolved MPS truncation settings: `maxBond` (the bond cap) absent means no cap. */
export interface SimulatorTruncation {
  /** The bond-dimension cap χ (integer ≥ 1); absent: no cap. */
  maxBond?: number;
  /** Bound on the relative discarded weight of one truncation, in [0, 1). */
  cutoff: number;
  /** Smallest bond dimension kept when that many values exist (integer ≥ 1); absent: 1. */
  minBond?: number;
}

/** A resolved simulator: the MPS with its truncation settings, or the exact state vector. */
export type Simulator =
  | { kind: 'mps'; truncation: SimulatorTruncation }
  | { kind: 'statevector' };

/** The backend names a user may pick. */
export type BackendName = Simulator['kind'];

/**
 * Resolves a backend name and user truncation options into a {@link Simulator}, filling the
 * defaults of `mps/truncation.ts` (no bond cap, cutoff 1e-10, minBond 1).
 * @param truncation the user's options; `undefined` fields count as absent. "No cap" is
 *   spelled by leaving `maxBond` out (`Infinity` is also accepted, so resolved engine options
 *   can be passed back).
 * @throws Error for an unknown backend name, for any truncation option given with
 *   `statevector` (it is exact, never truncates, and never ignores a setting), or for an
 *   invalid option (naming the field, the value and what is allowed).
 */
export function resolveSimulator(backend: string, truncation: Partial<TruncationOptions> = {}): Simulator {
  if (backend !== 'mps' && backend !== 'statevector') throw new Error(`backend must be 'mps' or 'statevector', got '${backend}'`);
  const given = Object.fromEntries(Object.entries(truncation).filter(([, v]) => v !== undefined)) as Partial<TruncationOptions>;
  if (backend === 'statevector') {
    if (Object.keys(given).length > 0) {
      throw new Error(`truncation settings (maxBond ${given.maxBond ?? '-'}, cutoff ${given.cutoff ?? '-'}) do not apply to backend 'statevector'`);
    }
    return { kind: 'statevector' };
  }
  const r = resolveTruncation(given);
  return {
    kind: 'mps',
    truncation: { cutoff: r.cutoff, ...(r.maxBond !== Infinity ? { maxBond: r.maxBond } : {}), ...(r.minBond !== 1 ? { minBond: r.minBond } : {}) },
  };
}

/**
 * The engine's resolved truncation options of an MPS simulator (`maxBond: Infinity` for no
 * cap). For the state vector, which never truncates, the engine's defaults (they reach no
 * simulation: the hardware estimators that take them run on the MPS only).
 */
export function engineTruncation(sim: Simulator): TruncationOptions {
  return sim.kind === 'mps' ? resolveTruncation(sim.truncation) : resolveTruncation({});
}

/** The state a simulation ended in: an MPS or a state vector. */
export type SimulatedStateData = { kind: 'mps'; psi: Mps } | { kind: 'statevector'; sv: StateVectorBackend };

/**
 * What can be read from a final state. Reading expectations of an MPS moves its orthogonality
 * centre (the amplitudes are unchanged).
 */
export interface StateReader {
  /** Number of qubits. */
  readonly n: number;
  /** The state itself, for what this interface does not cover (sampling, observables). */
  readonly state: SimulatedStateData;
  /** ⟨P⟩ of one Pauli string, coefficient included, normalised by ⟨ψ|ψ⟩. */
  expectPauliString(o: PauliString): number;
  /** ⟨M⟩ of a Pauli sum, the sum of its strings' expectations. */
  expectPauliSum(m: PauliSum): number;
  /** ⟨Z_q⟩ for every qubit q = 0…n−1. */
  expectationsZ(): Float64Array;
}

/** The final state of {@link runSimulation}: a {@link StateReader} with the run's truncation report. */
export interface SimulatedState extends StateReader {
  /**
   * Truncation report of the run. The state vector's is the trivial report of
   * `emptyReport()` (F = 1, nothing discarded, no splits).
   */
  readonly report: TruncationReport;
}

function mpsReader(psi: Mps): StateReader {
  return {
    n: psi.n, state: { kind: 'mps', psi },
    expectPauliString: (o) => expectPauliString(psi, o),
    expectPauliSum: (m) => expectPauliSum(psi, m),
    expectationsZ: () => localExpectations(psi, 'Z'),
  };
}

function svReader(sv: StateVectorBackend): StateReader {
  return {
    n: sv.n, state: { kind: 'statevector', sv },
    expectPauliString: (o) => sv.expectPauliString(o),
    expectPauliSum: (m) => sv.expectPauliSum(m),
    expectationsZ: () => sv.expectations('Z'),
  };
}

/** The exact state vector of an MPS (dense; n ≤ {@link StateVectorBackend.MAX_QUBITS}). */
export function stateVectorOfMps(x: Mps): StateVectorBackend {
  const { re, im } = x.toStateVector();
  return StateVectorBackend.fromAmplitudes(re, im);
}

/**
 * Runs `circuit` on the simulator from `initial` (an MPS, not modified) or |0…0⟩.
 * MPS: a copy of the initial state evolved gate by gate with the simulator's truncation
 * (`runCircuitInPlace`); state vector: the exact amplitudes (an MPS initial state is expanded
 * densely first).
 * @throws Error when the circuit is invalid or its width differs from the initial state's, or
 *   (state vector) when n exceeds {@link StateVectorBackend.MAX_QUBITS}.
 */
export function runSimulation(sim: Simulator, circuit: Circuit, initial?: Mps | null): SimulatedState {
  if (sim.kind === 'statevector') {
    const sv = initial ? stateVectorOfMps(initial) : StateVectorBackend.zeros(circuit.n);
    sv.run(circuit);
    return { ...svReader(sv), report: emptyReport() };
  }
  const psi = initial ? initial.clone() : Mps.zeros(circuit.n);
  const report = runCircuitInPlace(psi, circuit, engineTruncation(sim));
  return { ...mpsReader(psi), report };
}

/** Value, per-gate gradients and truncation report of {@link adjointGradient}. */
export interface SimulatorGradient {
  /** ⟨M⟩ = ⟨ψ|M|ψ⟩/⟨ψ|ψ⟩ of the final state. */
  value: number;
  /** ∂value/∂op.params[j] for each gate op, in circuit order (empty arrays for fixed gates). */
  gateGradients: Float64Array[];
  /** Truncation report of the forward simulation (the state vector's is trivial). */
  report: TruncationReport;
}

/**
 * ⟨M⟩ and its gradient with respect to every gate parameter by the adjoint method: one forward
 * simulation and one backward sweep (MPS: `mps/adjoint.ts`, the backward state truncated at the
 * cap times the observable's MPO bond; state vector: `statevector-adjoint.ts`, exact).
 * @param observable a Pauli sum, or a function of the final state returning one (so that
 *   ∂L/∂⟨O_k⟩ can be formed from the same forward pass)
 * @param initial the initial state (not modified); default |0…0⟩
 * @throws Error as {@link runSimulation}, or when the final state has zero norm.
 */
export function adjointGradient(sim: Simulator, circuit: Circuit, observable: PauliSum | ((final: StateReader) => PauliSum), initial?: Mps | null): SimulatorGradient {
  if (sim.kind === 'statevector') {
    const obs = typeof observable === 'function' ? (sv: StateVectorBackend) => observable(svReader(sv)) : observable;
    const r = adjointGradientStateVector(circuit, obs, initial ? stateVectorOfMps(initial) : undefined);
    return { value: r.value, gateGradients: r.gateGradients, report: emptyReport() };
  }
  const psi0 = initial ?? Mps.zeros(circuit.n);
  const obs = typeof observable === 'function' ? (psi: Mps) => observable(mpsReader(psi)) : observable;
  const r = adjointGradientMps(psi0, circuit, obs, engineTruncation(sim));
  return { value: r.value, gateGradients: r.gateGradients, report: r.report };
}

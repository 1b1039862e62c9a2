/**
 * `qdistill simulate <circuit.qasm>`: runs an OpenQASM 2 circuit on the MPS or state-vector
 * backend and prints ⟨Z_q⟩ for every qubit, the truncation report, optional samples (and their
 * histogram), the observables asked for (see ./observables.ts) and the wall time.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { sampleBitstrings, type TruncationReport } from '../../mps/index.js';
import { DEFAULT_CUTOFF } from '../backends/defaults.js';
import { engineTruncation, runSimulation } from '../backends/simulator.js';
import { StateVectorBackend } from '../backends/statevector.js';
import { parseQasm } from '../circuit/qasm.js';
import { enforceAlarms } from './alarms.js';
import { fileProblem, parseNumberOption, UsageError } from './errors.js';
import { addObservableOptions, evaluateObservables, fixed, formatHistogram, formatObservables, hasObservables, histogram, parseObservableOptions, type ObservableFlagValues, type ObservablesOutput } from './observables.js';
import { addNoiseOptions, parseNoiseOptions, simulateNoisy } from './noise-options.js';
import { addDebugOption, defineCommand, helpText, parseCommand } from './parse.js';
import { simulatorFromFlags } from './simulator-flags.js';

/** The definition of `qdistill simulate`: its parser and its help text. */
export function simulateDefinition(): Command {
  const c = defineCommand('simulate', {
    summary: 'simulate an OpenQASM 2 circuit (MPS or state vector)',
    usage: '<circuit.qasm> [options]',
    description: `Simulates an OpenQASM 2.0 circuit from |0…0⟩ and reports <Z_q> on every qubit
(qubit 0 = leftmost MPS site = most significant bit; bitstrings print qubit 0 first).`,
    examples: [
      'qdistill simulate circuit.qasm --max-bond 64 --json',
      'qdistill simulate circuit.qasm --backend statevector --shots 100 --seed 1',
      'qdistill simulate circuit.qasm --observable "Z0*Z5 + 0.5*X3" --correlations Z --entropy --amplitude 000000',
      'qdistill simulate circuit.qasm --depolarizing 0.01 --trajectories 200 --seed 1 --json',
    ],
  })
    .option('--backend <NAME>', 'simulator: mps or statevector (statevector needs n ≤ 24)', 'mps')
    .option('--max-bond <N>', 'largest MPS bond dimension kept (integer ≥ 1; default: no cap)')
    .option('--cutoff <X>', `bound on the relative discarded weight per truncation (default ${DEFAULT_CUTOFF})`)
    .option('--shots <K>', `draw K ≤ ${1_000_000} bitstrings (perfect sampling); needs --seed`)
    .option('--seed <S>', 'seed for sampling (and for the noise trajectories)');
  addObservableOptions(c);
  addNoiseOptions(c)
    .option('--json', 'print one JSON object instead of a summary')
    .option('--allow-norm-drift', 'print the result even when the norm-drift alarm is raised (otherwise that alarm is an error, exit code 1)');
  return addDebugOption(c);
}

/** Help text of `qdistill simulate`. */
export const SIMULATE_HELP = helpText(simulateDefinition());

/** Option values of `qdistill simulate`, keyed by flag. */
interface SimulateFlags extends ObservableFlagValues {
  backend: string; 'max-bond'?: string; cutoff?: string; shots?: string; seed?: string;
  noise?: string; depolarizing?: string; trajectories?: string; json: boolean; 'allow-norm-drift': boolean;
}

/** Largest `--shots` accepted (the samples are held in memory and printed). */
export const MAX_SHOTS = 1_000_000;

/**
 * The JSON object printed by `simulate --json`. The observable fields (`observables`,
 * `correlations`, `entropy`, `amplitudes`) appear only when their flags are given; `counts`
 * (the histogram of `samples`, [bitstring, count] pairs, most frequent first) with `--shots`.
 */
export interface SimulateOutput extends ObservablesOutput {
  n: number;
  backend: 'mps' | 'statevector';
  expectations: { Z: number[] };
  truncation: Pick<TruncationReport, 'fidelityEstimate' | 'discardedWeight' | 'bondReached' | 'truncations' | 'normDrift' | 'normDriftExceeded'> & { splitMethods?: Record<string, number> };
  samples?: string[];
  counts?: [string, number][];
  seconds: number;
}

/** Runs the command; returns the text to print on stdout. */
export function simulateCommand(argv: string[]): string {
  const cli = parseCommand<SimulateFlags>(simulateDefinition(), argv);
  if (cli.help !== null) return cli.help;
  const { values, positionals } = cli;
  if (positionals.length !== 1) throw new UsageError(`simulate takes exactly one circuit file, got ${positionals.length}`);
  const sim = simulatorFromFlags(values);
  const backend = sim.kind;
  const shots = parseNumberOption('shots', values.shots, 'int>=0');
  if (shots !== undefined && shots > MAX_SHOTS) throw new UsageError(`--shots must be at most ${MAX_SHOTS}, got '${values.shots}'`);
  if (shots !== undefined && values.seed === undefined) throw new UsageError('--shots needs --seed S (sampling is always seeded)');
  const noise = parseNoiseOptions(values);
  const file = positionals[0]!;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read circuit file '${file}': ${fileProblem(e)}`);
  }
  // a circuit JSON document given to simulate: say what each command reads, not a QASM syntax error
  if (/^\s*[{[]/.test(text) && !/^\s*OPENQASM/.test(text)) {
    throw new UsageError(`${file}: a JSON document, not an OpenQASM 2 circuit: simulate reads OpenQASM 2 (a circuit JSON with parameters is read by 'qdistill grad')`);
  }
  let parsed;
  try {
    parsed = parseQasm(text);
  } catch (e) {
    throw new UsageError(`${file}: ${(e as Error).message}`);
  }
  const { circuit } = parsed;
  const request = parseObservableOptions(values, circuit.n);
  if (noise && hasObservables(request)) throw new UsageError(`--observable, --correlations, --entropy and --amplitude need a pure state; under --noise/--depolarizing only <Z_q> and --shots are available`);
  if (noise) return simulateNoisy({ file, circuit, backend, truncation: engineTruncation(sim), shots, seed: values.seed!, json: values.json, noise, maxShots: MAX_SHOTS, allowNormDrift: values['allow-norm-drift'] });
  const t0 = performance.now();
  let z: Float64Array;
  let report: SimulateOutput['truncation'];
  let samples: string[] | undefined;
  let observables: ObservablesOutput;
  if (sim.kind === 'statevector' && circuit.n > StateVectorBackend.MAX_QUBITS) {
    throw new UsageError(`state vector of n=${circuit.n} qubits needs ${formatBytes(StateVectorBackend.memoryBytes(circuit.n))}; the limit is n ≤ ${StateVectorBackend.MAX_QUBITS} — use --backend mps`);
  }
  const final = runSimulation(sim, circuit);
  z = final.expectationsZ();
  const st = final.state;
  if (st.kind === 'statevector') {
    // no truncation; the bond reported is the largest Schmidt rank an n-qubit state can have
    report = { fidelityEstimate: 1, discardedWeight: 0, bondReached: StateVectorBackend.maxBond(circuit.n), truncations: 0, normDrift: 0, normDriftExceeded: false };
    if (shots !== undefined) samples = st.sv.sample(shots, values.seed!);
  } else {
    const r = final.report;
    report = { fidelityEstimate: r.fidelityEstimate, discardedWeight: r.discardedWeight, bondReached: r.bondReached, truncations: r.truncations, normDrift: r.normDrift, normDriftExceeded: r.normDriftExceeded, splitMethods: r.splitMethods };
    if (shots !== undefined) samples = sampleBitstrings(st.psi, shots, values.seed!);
  }
  observables = evaluateObservables(st, request);
  const seconds = (performance.now() - t0) / 1000;
  const warnings = enforceAlarms(report, values['allow-norm-drift'], file);
  const counts = samples ? histogram(samples) : undefined;
  const out: SimulateOutput = { n: circuit.n, backend, expectations: { Z: Array.from(z) }, truncation: report, ...(samples ? { samples, counts } : {}), ...observables, seconds };
  if (values.json) return JSON.stringify(out);
  const lines = [
    `${file}: ${circuit.n} qubits, ${circuit.ops.length} gates, backend ${backend}`,
    backend === 'statevector' ? 'exact state vector: no truncation' : `fidelity estimate ${report.fidelityEstimate.toPrecision(12)}, discarded weight ${report.discardedWeight.toExponential(3)}, bond reached ${report.bondReached}, truncations ${report.truncations}, norm drift ${report.normDrift.toExponential(1)}`,
    ...warnings,
    `sum <Z> = ${fixed(Array.from(z).reduce((a, b) => a + b, 0), 10)}`,
    '<Z_q>: ' + Array.from(z, (v) => fixed(v, 6)).join(' '),
  ];
  lines.push(...formatObservables(observables));
  if (samples) lines.push(...formatHistogram(counts!, samples.length));
  lines.push(`time ${seconds.toFixed(3)} s`);
  return lines.join('\n');
}

/** Human-readable byte count. */
export function formatBytes(b: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  while (b >= 1024 && i < units.length - 1) { b /= 1024; i++; }
  return `${b.toFixed(1)} ${units[i]}`;
}

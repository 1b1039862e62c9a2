/**
 * `qdistill grad <circuit.json>`: the value of a weighted Pauli sum after a parameterised
 * circuit (JSON circuit format, src/circuit/json.ts) and its gradient with respect to every
 * entry of the circuit's `params`, by the adjoint method or the parameter-shift rule.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { type TruncationReport, emptyReport, mergeReports } from '../../mps/index.js';
import { parsePauliSum } from '../../mps/pauli-parse.js';
import { DEFAULT_CUTOFF } from '../backends/defaults.js';
import { adjointGradient, runSimulation } from '../backends/simulator.js';
import { StateVectorBackend } from '../backends/statevector.js';
import { bindCircuit, type ParamCircuit } from '../circuit/ir.js';
import { parseCircuitJson } from '../circuit/json.js';
import { parameterShiftGradient } from '../grad/param-shift.js';
import { enforceAlarms } from './alarms.js';
import { checkJsonDepth, fileProblem, UsageError } from './errors.js';
import { addDebugOption, defineCommand, helpText, parseCommand } from './parse.js';
import { simulatorFromFlags } from './simulator-flags.js';

/** The definition of `qdistill grad`: its parser and its help text. */
export function gradDefinition(): Command {
  const c = defineCommand('grad', {
    summary: 'value and gradient of a Pauli sum (adjoint or parameter shift)',
    usage: '<circuit.json> --observable "<sum>" [options]',
    description: `Evaluates <M> = <psi|M|psi> for psi = circuit|0...0> and d<M>/d params[k] for every k.
The circuit is a qdistill JSON circuit (README "Circuit JSON"); its "params" are the
values at which the gradient is taken. The observable is a weighted Pauli sum such as
"Z0 + 0.5*Z1*Z2 - 0.25*X3" (qubit 0 = leftmost site).`,
    examples: [
      'qdistill grad circuit.json --observable "Z0 + 0.5*Z1*Z2" --json',
      'qdistill grad circuit.json --observable "X3" --method parameter-shift --backend statevector',
    ],
  })
    .option('--observable <SUM>', 'the Pauli sum M (required)')
    .option('--backend <NAME>', 'simulator: mps or statevector', 'mps')
    .option('--method <NAME>', 'gradient method: adjoint or parameter-shift', 'adjoint')
    .option('--max-bond <N>', 'MPS bond cap (integer ≥ 1; default none)')
    .option('--cutoff <X>', `MPS relative discarded-weight bound per truncation (default ${DEFAULT_CUTOFF})`)
    .option('--inputs <LIST>', 'input feature values "x0,x1,...", when the circuit reads inputs')
    .option('--json', 'print one JSON object')
    .option('--allow-norm-drift', 'print the result even when the norm-drift alarm is raised (otherwise that alarm is an error, exit code 1)');
  return addDebugOption(c);
}

/** Help text of `qdistill grad`. */
export const GRAD_HELP = helpText(gradDefinition());

/** Option values of `qdistill grad`, keyed by flag. */
interface GradFlags {
  observable?: string; backend: string; method: string; 'max-bond'?: string; cutoff?: string; inputs?: string;
  json: boolean; 'allow-norm-drift': boolean;
}

/** Chain rule from per-gate angle gradients to the circuit's parameters. */
export function paramGradient(c: ParamCircuit, gate: Float64Array[]): Float64Array {
  const g = new Float64Array(c.nParams);
  c.gates.forEach((gt, k) => (gt.angles ?? []).forEach((a, j) => { if ('param' in a) g[a.param]! += (a.scale ?? 1) * gate[k]![j]!; }));
  return g;
}

/** Runs the command; returns the text to print. */
export function gradCommand(argv: string[]): string {
  const cli = parseCommand<GradFlags>(gradDefinition(), argv);
  if (cli.help !== null) return cli.help;
  const { values, positionals } = cli;
  if (positionals.length !== 1) throw new UsageError(`grad takes exactly one circuit file, got ${positionals.length}`);
  if (values.observable === undefined) throw new UsageError('--observable is required, e.g. --observable "Z0 + 0.5*Z1*Z2"');
  const method = values.method;
  if (values.backend !== 'mps' && values.backend !== 'statevector') throw new UsageError(`--backend must be 'mps' or 'statevector', got '${values.backend}'`);
  if (method !== 'adjoint' && method !== 'parameter-shift') throw new UsageError(`--method must be 'adjoint' or 'parameter-shift', got '${method}'`);
  const sim = simulatorFromFlags(values);
  const backend = sim.kind;
  const file = positionals[0]!;
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) { throw new UsageError(`cannot read circuit file '${file}': ${fileProblem(e)}`); }
  let doc: unknown = text;
  try { doc = JSON.parse(text); } catch { /* parseCircuitJson reports the syntax error */ }
  checkJsonDepth(doc, file);
  let parsed;
  try { parsed = parseCircuitJson(doc); } catch (e) { throw new UsageError(`${file}: ${(e as Error).message}`); }
  const { circuit, params } = parsed;
  let inputs: Float64Array | null = null;
  if (circuit.nInputs > 0) {
    if (values.inputs === undefined) throw new UsageError(`${file} reads ${circuit.nInputs} input feature(s); give them with --inputs "x0,x1,..."`);
    inputs = Float64Array.from(values.inputs.split(',').map((s, i) => {
      const v = Number(s);
      if (s.trim() === '' || !Number.isFinite(v)) throw new UsageError(`--inputs entry ${i} must be a finite number, got '${s}'`);
      return v;
    }));
    if (inputs.length !== circuit.nInputs) throw new UsageError(`--inputs has ${inputs.length} values; the circuit reads ${circuit.nInputs}`);
  } else if (values.inputs !== undefined) {
    throw new UsageError(`--inputs '${values.inputs}': ${file} declares no input features ("inputs" is 0 or absent); drop --inputs`);
  }
  let M;
  try { M = parsePauliSum(values.observable, circuit.n); } catch (e) { throw new UsageError(`--observable: ${(e as Error).message}`); }
  // |<M>| ≤ Σ|c_k|: when that bound overflows, so may the value, M|ψ⟩ and the gradient
  if (!Number.isFinite(M.reduce((a, t) => a + Math.abs(t.coeff), 0))) throw new UsageError(`--observable: the sum of |coefficients| overflows a double (largest ~1.8e308); rescale the observable`);
  if (backend === 'statevector' && circuit.n > StateVectorBackend.MAX_QUBITS) throw new UsageError(`state vector of n=${circuit.n} qubits exceeds the limit n ≤ ${StateVectorBackend.MAX_QUBITS} — use --backend mps`);
  const bound = bindCircuit(circuit, params, inputs);
  const t0 = performance.now();
  let value: number, gateGrads: Float64Array[], report: TruncationReport = emptyReport();
  if (method === 'adjoint') {
    ({ value, gateGradients: gateGrads, report } = adjointGradient(sim, bound, M));
  } else {
    const evaluate = (c: typeof bound) => {
      const final = runSimulation(sim, c);
      report = mergeReports(report, final.report);
      return final.expectPauliSum(M);
    };
    value = evaluate(bound);
    const base = report;
    gateGrads = parameterShiftGradient(bound, evaluate);
    // the truncation summary is that of the value; the alarm covers every shifted evaluation too
    report = { ...base, normDrift: report.normDrift, normDriftExceeded: report.normDriftExceeded };
  }
  const gradient = paramGradient(circuit, gateGrads);
  // A value or gradient that overflows (huge but finite coefficients) is an error, not output.
  const badGrad = gradient.findIndex((g) => !Number.isFinite(g));
  if (!Number.isFinite(value) || badGrad >= 0) {
    throw new Error(!Number.isFinite(value) ? `<M> came out ${value}: the observable's coefficients are too large for double precision` : `d<M>/d params[${badGrad}] came out ${gradient[badGrad]}: the observable's coefficients are too large for double precision`);
  }
  const seconds = (performance.now() - t0) / 1000;
  // the state vector truncates nothing; its bond reported is the largest Schmidt rank an n-qubit state can have (as `simulate`)
  const bondReached = backend === 'statevector' ? StateVectorBackend.maxBond(circuit.n) : report.bondReached;
  const truncation = { fidelityEstimate: report.fidelityEstimate, discardedWeight: report.discardedWeight, bondReached, truncations: report.truncations, normDrift: report.normDrift, normDriftExceeded: report.normDriftExceeded };
  const warnings = enforceAlarms(truncation, values['allow-norm-drift'], file);
  if (values.json) return JSON.stringify({ value, gradient: Array.from(gradient), method, backend, truncation, seconds });
  return [
    `${file}: ${circuit.n} qubits, ${circuit.gates.length} gates, ${circuit.nParams} parameters; backend ${backend}, method ${method}`,
    `<M> = ${value.toPrecision(15)}`,
    `gradient: ${Array.from(gradient, (g) => g.toPrecision(10)).join(' ')}`,
    `${backend === 'statevector' ? 'exact state vector: no truncation' : `fidelity estimate ${truncation.fidelityEstimate.toPrecision(12)}, bond reached ${truncation.bondReached}, norm drift ${truncation.normDrift.toExponential(1)}`}; time ${seconds.toFixed(3)} s`,
    ...warnings,
  ].join('\n');
}

/**
 * The noise options of `qdistill simulate`: `--noise FILE` (a `noise` block, see
 * `mps/noise.ts`), the shorthand `--depolarizing P` (Qiskit Aer's `depolarizing_error(P, k)`
 * after every k-qubit gate), `--trajectories K`; and the noisy run itself, by quantum
 * trajectories on the MPS, with ⟨Z_q⟩ and its standard error over trajectories.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Circuit } from '../../mps/gates.js';
import { depolarizingModel, maxDepolarizing, parseNoiseModel, type NoiseModel } from '../../mps/noise.js';
import { zFromSamples, type ShotEstimate } from '../../mps/shots.js';
import { simulateTrajectories, type TrajectoryTruncation } from '../../mps/trajectories.js';
import type { TruncationOptions } from '../../mps/truncation.js';
import { enforceAlarms } from './alarms.js';
import { checkJsonDepth, fileProblem, parseNumberOption, UsageError } from './errors.js';
import { parseJsonText } from './json-input.js';
import { fixed, formatHistogram, histogram } from './observables.js';

/** Adds the noise flags (`--noise`, `--depolarizing`, `--trajectories`) to a command definition. */
export function addNoiseOptions(c: Command): Command {
  return c
    .option('--noise <FILE>', 'gate and readout noise from a JSON noise block (see README "Shots and noise"); runs quantum trajectories on the MPS; needs --seed')
    .option('--depolarizing <P>', 'shorthand: Qiskit Aer depolarizing_error(P, k) after every k-qubit gate, ρ → (1−P)ρ + P·I/2^k, P in [0, 16/15]; needs --seed')
    .option('--trajectories <K>', `number of trajectories (integer in [1, ${1_000_000}]; default 100); under noise, --shots K draws K bitstrings per trajectory`);
}

/** Largest `--trajectories` accepted. */
export const MAX_TRAJECTORIES = 1_000_000;
/** Trajectories run when `--trajectories` is not given. */
export const DEFAULT_TRAJECTORIES = 100;

/** A validated noisy-run request. */
export interface NoiseRequest {
  /** The noise model. */
  model: NoiseModel;
  /** Number of trajectories. */
  trajectories: number;
  /** Where the model came from: the file name or `--depolarizing P`. */
  source: string;
}

/**
 * Reads the noise flags; returns null when neither `--noise` nor `--depolarizing` is given.
 * @throws UsageError (exit 2) in one line naming the flag, the value and what is allowed.
 */
export function parseNoiseOptions(values: { noise?: string; depolarizing?: string; trajectories?: string; seed?: string }): NoiseRequest | null {
  const K = parseNumberOption('trajectories', values.trajectories, 'int>=1');
  if (K !== undefined && K > MAX_TRAJECTORIES) throw new UsageError(`--trajectories must be at most ${MAX_TRAJECTORIES}, got '${values.trajectories}'`);
  if (values.noise === undefined && values.depolarizing === undefined) {
    if (K !== undefined) throw new UsageError('--trajectories needs --noise FILE or --depolarizing P');
    return null;
  }
  if (values.noise !== undefined && values.depolarizing !== undefined) throw new UsageError('use either --noise FILE or --depolarizing P, not both');
  if (values.seed === undefined) throw new UsageError(`${values.noise !== undefined ? '--noise' : '--depolarizing'} needs --seed S (trajectories are always seeded)`);
  let model: NoiseModel;
  let source: string;
  if (values.depolarizing !== undefined) {
    const raw = values.depolarizing;
    const p = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(p) || p < 0 || p > maxDepolarizing(2)) {
      throw new UsageError(`--depolarizing must be a number in [0, 16/15] (Qiskit Aer's depolarizing_error parameter), got '${raw}'`);
    }
    model = depolarizingModel(p);
    source = `--depolarizing ${raw}`;
  } else {
    const file = values.noise!;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`--noise: cannot read noise file '${file}': ${fileProblem(e)}`);
    }
    let json: unknown;
    try {
      json = parseJsonText(text, file);
    } catch (e) {
      throw new UsageError(`--noise ${(e as Error).message}`);
    }
    checkJsonDepth(json, file);
    try {
      model = parseNoiseModel(json, 'noise');
    } catch (e) {
      throw new UsageError(`--noise ${file}: ${(e as Error).message}`);
    }
    source = file;
  }
  return { model, trajectories: K ?? DEFAULT_TRAJECTORIES, source };
}

/** The JSON object printed by `simulate --json` under noise. */
export interface NoisySimulateOutput {
  /** Number of qubits. */
  n: number;
  /** Always `mps` (trajectories run on the MPS). */
  backend: 'mps';
  /** Mean ⟨Z_q⟩ over trajectories (readout error applied) and its standard error. */
  expectations: { Z: number[]; standardError: number[] };
  /** The noise model, its source, the number of trajectories and the seed. */
  noise: { source: string; model: NoiseModel; trajectories: number; seed: string };
  /** Truncation summary over trajectories (worst case; see `TrajectoryResult.truncation`). */
  truncation: Pick<TrajectoryTruncation, 'fidelityEstimate' | 'meanFidelityEstimate' | 'discardedWeight' | 'bondReached' | 'truncations' | 'splitMethods' | 'normDrift' | 'normDriftExceeded'>;
  /** Bitstrings, `shots` per trajectory, trajectory by trajectory (qubit 0 first). */
  samples?: string[];
  /** Histogram of `samples`: [bitstring, count] pairs, most frequent first, ties by bitstring. */
  counts?: [string, number][];
  /** ⟨Z_q⟩ estimated from the samples, with the standard error over trajectories of the per-trajectory means. */
  shotEstimate?: { Z: number[]; standardError: number[]; shots: number };
  /** Wall time of the simulation, seconds. */
  seconds: number;
}

/**
 * Runs a noisy simulation for `simulate` and returns the text to print.
 * @throws UsageError for a backend other than mps or too many samples in total.
 */
export function simulateNoisy(a: { file: string; circuit: Circuit; backend: string; truncation: TruncationOptions; shots: number | undefined; seed: string; json: boolean; noise: NoiseRequest; maxShots: number; allowNormDrift?: boolean }): string {
  const { circuit, noise } = a;
  if (a.backend !== 'mps') throw new UsageError(`--noise and --depolarizing run trajectories on --backend mps, got --backend ${a.backend}`);
  if (a.shots !== undefined && a.shots * noise.trajectories > a.maxShots) {
    throw new UsageError(`--shots ${a.shots} per trajectory × --trajectories ${noise.trajectories} exceeds ${a.maxShots} samples in total`);
  }
  const t0 = performance.now();
  const r = simulateTrajectories(circuit, noise.model, { trajectories: noise.trajectories, seed: a.seed, truncation: a.truncation, shotsPerTrajectory: a.shots ?? 0 });
  let est: ShotEstimate | undefined;
  if (r.samples && r.samples.length > 0) est = zFromSamples(r.samples, circuit.n, a.shots!);
  const seconds = (performance.now() - t0) / 1000;
  const t = r.truncation;
  const warnings = enforceAlarms(t, a.allowNormDrift ?? false, a.file);
  const out: NoisySimulateOutput = {
    n: circuit.n,
    backend: 'mps',
    expectations: { Z: Array.from(r.z), standardError: Array.from(r.standardError) },
    noise: { source: noise.source, model: noise.model, trajectories: noise.trajectories, seed: a.seed },
    truncation: { fidelityEstimate: t.fidelityEstimate, meanFidelityEstimate: t.meanFidelityEstimate, discardedWeight: t.discardedWeight, bondReached: t.bondReached, truncations: t.truncations, splitMethods: t.splitMethods, normDrift: t.normDrift, normDriftExceeded: t.normDriftExceeded },
    ...(r.samples && a.shots ? { samples: r.samples, counts: histogram(r.samples) } : {}),
    ...(est ? { shotEstimate: { Z: Array.from(est.z), standardError: Array.from(est.standardError), shots: est.shots } } : {}),
    seconds,
  };
  if (a.json) return JSON.stringify(out);
  const lines = [
    `${a.file}: ${circuit.n} qubits, ${circuit.ops.length} gates, backend mps, noise ${noise.source}, ${noise.trajectories} trajectories, seed ${a.seed}`,
    `fidelity estimate min ${t.fidelityEstimate.toPrecision(12)} mean ${t.meanFidelityEstimate.toPrecision(12)}, bond reached ${t.bondReached}, truncations ${t.truncations}, norm drift ${t.normDrift.toExponential(1)}`,
    ...warnings,
    '<Z_q> ± SE: ' + Array.from(r.z, (v, q) => `${fixed(v, 6)}±${r.standardError[q]!.toExponential(2)}`).join(' '),
  ];
  if (out.counts) lines.push(...formatHistogram(out.counts, out.samples!.length));
  if (est) lines.push(`shot estimate (${est.shots} shots): ` + Array.from(est.z, (v, q) => `${fixed(v, 4)}±${est.standardError[q]!.toExponential(2)}`).join(' '));
  lines.push(`time ${seconds.toFixed(3)} s`);
  return lines.join('\n');
}

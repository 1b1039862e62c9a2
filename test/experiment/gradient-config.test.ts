/**
 * The `gradient` option of a model config: under 'auto' a student with amplitude damping still
 * trains by the parameter shift and one with depolarizing noise by the trajectory adjoint (the
 * run records' `hardware.gradient` says which ran); forcing the trajectory adjoint where it
 * cannot run (amplitude damping, shots, a hardware sweep's shot points) is a one-line config
 * error naming the field, the value and why.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/experiment/config.js';
import { runExperiment } from '../../src/experiment/runner.js';

const dir = mkdtempSync(join(tmpdir(), 'qdistill-gradient-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const study = (student: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  name: 'gradient-choice', seeds: [1],
  data: { type: 'blobs', classes: 2, features: 3, nTrain: 8, nVal: 4, nTest: 4, separation: 3 },
  training: { epochs: 1, batchSize: 4, lr: 0.1 },
  teacher: { model: { qubits: 3, ansatz: { type: 'ry', layers: 1 } } },
  students: [{ name: 's', model: { qubits: 3, ansatz: { type: 'ry', layers: 1 }, trajectories: 2, ...student } }],
  methods: ['label'],
  ...extra,
});

function configError(c: unknown): ConfigError {
  try {
    resolveConfig(c, { file: 'c.json' });
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('the config was accepted');
}

describe("'auto' picks the gradient from the noise; the run record says which ran", () => {
  it.each([
    ['amplitude damping', 'parameter-shift', { noise: { oneQubit: { amplitudeDamping: 0.05 } } }],
    ['depolarizing', 'trajectory-adjoint', { noise: { twoQubit: { depolarizing: 0.05 } } }],
    ['depolarizing, forced parameter shift', 'parameter-shift', { noise: { twoQubit: { depolarizing: 0.05 } }, gradient: 'parameter-shift' }],
  ] as [string, string, Record<string, unknown>][])('%s → %s', async (name, method, student) => {
    const { results } = await runExperiment(resolveConfig(study(student)), { workers: 1, resume: false, progress: 'none', quick: true, outDir: join(dir, name.replace(/\W+/g, '-')) });
    const run = results.runs.find((r) => r.role === 'student')!;
    expect(run.hardware!.gradient).toBe(method);
  }, 60_000);
});

describe('forcing the trajectory adjoint where it cannot run is refused', () => {
  it('with amplitude damping', () => {
    const e = configError(study({ noise: { twoQubit: { depolarizing: 0.01, amplitudeDamping: 0.02 } }, gradient: 'trajectory-adjoint' }));
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]!.path).toBe('students.0.model.gradient');
    expect(e.issues[0]!.value).toBe('trajectory-adjoint');
    expect(e.issues[0]!.message).toMatch(/^must be 'auto' or 'parameter-shift' with students\.0\.model\.noise\.twoQubit\.amplitudeDamping > 0 \(amplitude damping is state-dependent/);
    expect(e.message).not.toContain('\n');
    expect(e.message).toMatch(/^c\.json: 1 problem\(s\): students\.0\.model\.gradient = "trajectory-adjoint": must be 'auto' or 'parameter-shift'/);
  });
  it('with shots', () => {
    const e = configError(study({ shots: 32, trajectories: undefined, gradient: 'trajectory-adjoint' }));
    expect(e.issues.map((i) => [i.path, i.value])).toEqual([['students.0.model.gradient', 'trajectory-adjoint']]);
    expect(e.issues[0]!.message).toMatch(/with shots \(students\.0\.model\.shots = 32: sampled readouts have no adjoint\)/);
  });
  it("with a hardware sweep's shot points", () => {
    const e = configError(study({ noise: { twoQubit: { depolarizing: 0.01 } }, gradient: 'trajectory-adjoint' }, { hardwareSweep: { student: 's', shots: [16], depolarizing2q: [0.01] } }));
    expect(e.issues.map((i) => [i.path, i.value])).toEqual([['students.0.model.gradient', 'trajectory-adjoint']]);
    expect(e.issues[0]!.message).toMatch(/hardwareSweep\.shots/);
  });
  it('an unknown method', () => {
    const e = configError(study({ gradient: 'finite-differences' }));
    expect(e.issues[0]!.path).toBe('students.0.model.gradient');
    expect(e.issues[0]!.message).toBe("must be one of 'auto', 'parameter-shift', 'trajectory-adjoint'");
  });
});

// every model of a study — teacher, student, self-distillation — runs the method the README's
// rule gives for its shots and noise, and records it (no record when its readouts are exact:
// no shots and no non-zero rate, whatever `gradient` asks for)
describe('teacher and self-distillation runs record the gradient method as students do', () => {
  const teacherStudy = (model: Record<string, unknown>) => ({
    name: 'gradient-teacher', seeds: [1],
    data: { type: 'blobs', classes: 2, features: 3, nTrain: 8, nVal: 4, nTest: 4, separation: 3 },
    training: { epochs: 1, batchSize: 4, lr: 0.1 },
    teacher: { model: { qubits: 3, ansatz: { type: 'ry', layers: 1 }, ...model } },
  });
  const depol = { twoQubit: { depolarizing: 0.05 } };
  it.each<[string, Record<string, unknown>, string | null]>([
    ['shots only, auto', { shots: 16 }, 'parameter-shift'],
    ['shots only, forced parameter shift', { shots: 16, gradient: 'parameter-shift' }, 'parameter-shift'],
    ['depolarizing, auto', { noise: depol }, 'trajectory-adjoint'],
    ['depolarizing, forced parameter shift', { noise: depol, gradient: 'parameter-shift' }, 'parameter-shift'],
    ['depolarizing, forced trajectory adjoint', { noise: depol, gradient: 'trajectory-adjoint' }, 'trajectory-adjoint'],
    ['phase damping, auto', { noise: { oneQubit: { phaseDamping: 0.05 } } }, 'trajectory-adjoint'],
    ['amplitude damping, auto', { noise: { twoQubit: { amplitudeDamping: 0.05 } } }, 'parameter-shift'],
    ['readout only, auto', { noise: { readout: 0.05 } }, 'trajectory-adjoint'],
    ['readout only, forced parameter shift', { noise: { readout: 0.05 }, gradient: 'parameter-shift' }, 'parameter-shift'],
    ['shots and depolarizing, auto', { shots: 16, noise: depol }, 'parameter-shift'],
    ['a zero-rate noise block, forced trajectory adjoint', { noise: { twoQubit: { depolarizing: 0 }, readout: 0 }, gradient: 'trajectory-adjoint' }, null],
    ['no shots or noise, forced parameter shift', { gradient: 'parameter-shift' }, null],
  ])('teacher: %s', async (name, model, method) => {
    const { results } = await runExperiment(resolveConfig(teacherStudy(model)), { workers: 1, resume: false, progress: 'none', quick: true, outDir: join(dir, `t-${name.replace(/\W+/g, '-')}`) });
    const run = results.runs.find((r) => r.role === 'teacher')!;
    if (method === null) expect(run.hardware).toBeUndefined();
    else {
      expect(run.hardware!.gradient).toBe(method);
      expect(run.hardware!.testAccuracyRepeats).toHaveLength(5);
    }
  }, 60_000);

  it('a self-distillation run under depolarizing noise records the trajectory adjoint', async () => {
    const cfg = {
      name: 'gradient-self', seeds: [1],
      data: { type: 'blobs', classes: 2, features: 3, nTrain: 8, nVal: 4, nTest: 4, separation: 3 },
      training: { epochs: 1, batchSize: 4, lr: 0.1 },
      selfDistillation: { model: { qubits: 3, ansatz: { type: 'ry', layers: 1 }, noise: depol, trajectories: 2 }, methods: ['plain'], targetAccuracy: 0.9 },
    };
    const { results } = await runExperiment(resolveConfig(cfg), { workers: 1, resume: false, progress: 'none', quick: true, outDir: join(dir, 'self') });
    const run = results.runs.find((r) => r.role === 'self')!;
    expect(run.hardware!.gradient).toBe('trajectory-adjoint');
    expect(run.hardware!.noise).toEqual(depol);
  }, 60_000);
});

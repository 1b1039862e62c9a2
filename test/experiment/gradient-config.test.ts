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

/**
 * The objective's norm-drift alarm in both directions, in-process: the test hook
 * QDISTILL_TEST_NORM_DRIFT (read once when mps/apply.ts loads, so each case loads the modules
 * afresh) adds a known drift to every simulation; above NORM_DRIFT_TOL (1e-8) takeNumerics
 * reports it as exceeded, below it not, and in both cases the largest drift is the forced one
 * plus the simulations' own (≤ 1e-14 here).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { toyQnnSpec } from '../helpers/toy-qnn.js';

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

async function driftAfterEvaluate(forced: string): Promise<{ normDriftMax: number; normDriftExceeded: boolean; again: unknown }> {
  vi.stubEnv('QDISTILL_TEST_NORM_DRIFT', forced);
  vi.resetModules();
  const { QnnModel } = await import('../../src/qnn/model.js');
  const { makeQnnObjective, takeNumerics } = await import('../../src/distill/objective.js');
  const { gaussianBlobs } = await import('../../src/data/synthetic.js');
  const { makeRng } = await import('../../mps/rng.js');
  const data = gaussianBlobs({ classes: 2, features: 3, nTrain: 4, nVal: 3, nTest: 2, separation: 2, seed: 3 });
  const model = new QnnModel(toyQnnSpec({ qubits: 3, classes: 2, layers: 1, readout: [0, 1], maxBond: 4 }));
  const obj = await makeQnnObjective(model, data, { workers: 1 });
  try {
    // nothing simulated yet in the freshly loaded modules: no drift, no alarm
    expect(takeNumerics()).toEqual({ normDriftMax: 0, normDriftExceeded: false });
    await obj.evaluate(model.initParams(makeRng('drift')), 'val');
    const s = takeNumerics();
    return { ...s, again: takeNumerics() };
  } finally {
    await obj.close();
  }
}

describe('the norm-drift alarm through the objective', () => {
  it.each([
    ['1e-3', 1e-3, true],
    ['5e-8', 5e-8, true],
    ['2e-9', 2e-9, false],
  ])('forced drift %s: largest drift %d, exceeded %s; the next call starts from zero', async (forced, want, exceeded) => {
    const s = await driftAfterEvaluate(forced);
    expect(Math.abs(s.normDriftMax - want)).toBeLessThan(1e-14);
    expect(s.normDriftExceeded).toBe(exceeded);
    expect(s.again).toEqual({ normDriftMax: 0, normDriftExceeded: false });
  });
});

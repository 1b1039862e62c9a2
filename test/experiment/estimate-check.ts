/** The check that a --quick study's calibrated dry-run estimate is within 3× of its measured time. */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { expect } from 'vitest';
import { resolveConfig } from '../../src/experiment/config.js';
import { estimateConfig } from '../../src/experiment/estimate.js';

/**
 * Estimates `file` with --quick and `workers` threads (calibrated now, on this machine) and
 * expects the central estimate, at the run's own load, within 3× of the run's wall seconds,
 * and the top of the range above the central estimate. Returns the ratio estimate / measured.
 */
export function expectEstimateWithin3x(file: string, res: { name: string; wallSeconds: number; cpuSeconds: number }, workers = 2): number {
  const est = estimateConfig(resolveConfig(JSON.parse(readFileSync(file, 'utf8')), { quick: true, file }), { workers });
  // the machine is shared: the estimate's load factor is the one seen while estimating; the
  // run's own is wall time over CPU time per worker — the model is checked at the run's load
  const runLoad = Math.max(1, res.wallSeconds / (res.cpuSeconds / Math.min(workers, availableParallelism())));
  const expected = (est.totalSeconds / est.calibration.load) * runLoad;
  const ratio = expected / res.wallSeconds;
  console.log(`${res.name} --quick: estimate ${est.totalSeconds.toFixed(1)} s at load ${est.calibration.load.toFixed(1)} (range to ${est.totalSecondsHigh.toFixed(0)} s); measured ${res.wallSeconds.toFixed(1)} s at load ${runLoad.toFixed(1)}; estimate at that load ${expected.toFixed(1)} s, ratio ${ratio.toFixed(2)}`);
  expect(expected).toBeGreaterThan(res.wallSeconds / 3);
  expect(expected).toBeLessThan(res.wallSeconds * 3);
  expect(est.totalSecondsHigh).toBeGreaterThanOrEqual(est.totalSeconds);
  return ratio;
}

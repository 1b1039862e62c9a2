/** A valid forest-plot record shared by the chart tests: three students, two methods, one row without an estimate. */
import type { ForestPlotOptions } from '../../src/report/figure-types.js';

/** The record; `names` are the two series' legend entries. */
export function forestOptions(names: [string, string] = ['KD', 'pseudo']): ForestPlotOptions {
  return {
    title: 'KD minus label-only',
    x: { label: 'Δ test accuracy' },
    yLabel: 'student',
    rows: ['s16-pool', 's8-pca', 's4-pca'],
    legendTitle: 'method',
    uncertainty: { kind: 'ci95', n: 10 },
    xReferences: [{ x: 0, label: 'no difference' }],
    series: [
      { name: names[0], points: [{ value: 0.02, lo: -0.01, hi: 0.05 }, { value: -0.01, lo: -0.03, hi: 0.01 }, null] },
      { name: names[1], points: [{ value: 0.01 }, { value: 0, lo: -0.02, hi: 0.02 }, { value: 0.005, lo: 0.001, hi: 0.009 }] },
    ],
  };
}

/**
 * The time estimate under a data regime: the samples a run trains on and predicts per epoch
 * (hand-derived table over the data kinds and regimes), and the rows of the transfer methods,
 * which train on the labelled plus the transfer set, and of a teacher trained on both.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/experiment/config.js';
import { estimateConfig, runSamples } from '../../src/experiment/estimate.js';

const mnist = (extra: object) => ({ type: 'mnist', classes: [3, 5, 8, 9], perClass: { train: 50, val: 25, test: 100 }, size: 4, ...extra });
const blobs = (extra: object) => ({ type: 'blobs', classes: 3, features: 4, nTrain: 60, nVal: 9, nTest: 12, separation: 2, ...extra });
const cfgOf = (data: object, more: object = {}) => resolveConfig({
  name: 'regime-estimate', seeds: [1], data, training: { epochs: 2, batchSize: 5, lr: 0.1 },
  teacher: { model: { qubits: 16, ansatz: { type: 'ry', layers: 1 }, maxBond: 4 } },
  students: [{ name: 's2', model: { qubits: 2, ansatz: { type: 'ry', layers: 1 } }, input: { kind: 'pca', components: 2 } }],
  // a transfer set needs a run that uses it (else the config is refused)
  ...('transfer' in data ? { methods: ['label', 'pseudo'] } : {}),
  ...more,
});

const phases = (window: number | undefined) => ({ type: 'phases', model: 'tfim', n: 8, grid: { h: [0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5] }, split: { val: 0.2, test: 0.2 }, ...(window === undefined ? {} : { transfer: { window } }) });
const phaseCfg = (data: object) => resolveConfig({
  name: 'regime-estimate-phases', seeds: [1], data, training: { epochs: 1, batchSize: 2, lr: 0.1 },
  teacher: { model: { qubits: 8, encoding: { type: 'mps' }, ansatz: { type: 'qcnn', layers: 0 }, readout: { type: 'qubits' }, maxBond: 8 } },
  students: [], methods: ['label'],
});

describe('runSamples', () => {
  // rows: data, [train, eval] without the transfer set, [train, eval] with it (by hand:
  // mnist 4 classes, 25 + 100 val + test per class = 500; blobs 9 + 12 = 21 val + test)
  it.each([
    ['mnist, every label', mnist({}), [200, 700], [200, 700]],
    ['mnist, labelled all', mnist({ labelled: 'all' }), [200, 700], [200, 700]],
    ['mnist, 10 labelled', mnist({ labelled: 10 }), [40, 540], [40, 540]],
    ['mnist, 10 labelled + 40 transfer', mnist({ labelled: 10, transfer: 40 }), [40, 540], [200, 700]],
    ['mnist, 25 labelled + 25 transfer', mnist({ labelled: 25, transfer: 25 }), [100, 600], [200, 700]],
    ['blobs, every label', blobs({}), [60, 81], [60, 81]],
    ['blobs, 5 labelled + 10 transfer', blobs({ labelled: 5, transfer: 10 }), [15, 36], [45, 66]],
    // phase data, h/J = 0.5 … 1.5 (11 points; 5 ordered, 6 paramagnetic counting h/J = 1): split 0.2/0.2
    // per phase: round(1) + round(1) of 5 and round(1.2) + round(1.2) of 6 leave 3 + 4 = 7 to train
    ['phases, no window', phases(undefined), [7, 11], [7, 11]],
    // window 0.15: 0.9, 1.0, 1.1 leave; ordered 4 (round(0.8) = 1 each: 2 train), para 4 (2 train)
    ['phases, window 0.15', phases(0.15), [4, 8], [7, 11]],
  ])('%s', (_name, data, plain, withTransfer) => {
    const c = (data as { type: string }).type === 'phases' ? phaseCfg(data) : cfgOf(data);
    const a = runSamples(c), b = runSamples(c, true);
    expect([a.train, a.eval]).toEqual(plain);
    expect([b.train, b.eval]).toEqual(withTransfer);
  });
});

describe('estimateConfig under a regime', () => {
  it('kd-transfer and pseudo rows cost more than label and kd (their epoch is longer)', () => {
    const c = cfgOf(mnist({ labelled: 5, transfer: 45 }), { methods: ['label', 'kd', 'kd-transfer', 'pseudo'], teacherBond: { chi: [1, 2], student: 's2', method: 'kd-transfer' } });
    const rows = new Map(estimateConfig(c).perSeed.map((r) => [r.run, r]));
    const sec = (k: string) => rows.get(k)!.seconds;
    // one timing per model: label and kd equal, the transfer methods equal and larger
    expect(sec('s2/kd')).toBe(sec('s2/label'));
    expect(sec('s2/pseudo')).toBe(sec('s2/kd-transfer'));
    expect(sec('s2/kd-transfer')).toBeGreaterThan(sec('s2/label'));
    expect(rows.has('teacher soft labels')).toBe(true);
    for (const r of rows.values()) expect(Object.keys(r)).not.toContain('at');
    expect(rows.get('bond χ_T=1/s2')!.qubits).toBe(2);
  });

  it('the bond runs are costed on the transfer set under teacherBond.method kd-transfer, on the labelled set under kd', () => {
    // 10 labelled samples against 180 010 with the transfer set: the sample term outweighs the
    // fixed overheads (0.5 s here) many times, so a factor of 5 holds whatever the timing noise
    // of the two separately timed models (the student row and the bond row)
    const data = blobs({ classes: 2, nTrain: 200_000, labelled: 5, transfer: 90_000 });
    const more = (method?: string) => ({ teacher: { model: { qubits: 4, ansatz: { type: 'ry', layers: 1 }, maxBond: 2 } }, methods: ['kd', 'kd-transfer'], teacherBond: { chi: [1, 2], student: 's2', ...(method ? { method } : {}) } });
    const secs = (method?: string) => new Map(estimateConfig(cfgOf(data, more(method))).perSeed.map((r) => [r.run, r.seconds]));
    const transfer = secs('kd-transfer');
    expect(transfer.get('s2/kd-transfer')!).toBeGreaterThan(5 * transfer.get('s2/kd')!);
    expect(transfer.get('bond χ_T=1/s2')!).toBeGreaterThan(5 * transfer.get('s2/kd')!);
    const kd = secs();
    expect(kd.get('bond χ_T=1/s2')!).toBeLessThan(2 * kd.get('s2/kd')!);
  });

  it("the teacher is costed on labelled + transfer under teacher.trainingSet 'labelled+transfer', on the labelled set by default", () => {
    // 10 labelled samples against 180 010 with the transfer set (as above): a factor of 5 holds
    // whatever the timing noise of the two separately timed teachers
    const data = blobs({ classes: 2, nTrain: 200_000, labelled: 5, transfer: 90_000 });
    const teacher = (trainingSet?: string) => {
      const c = cfgOf(data, { teacher: { model: { qubits: 4, ansatz: { type: 'ry', layers: 1 }, maxBond: 2 }, ...(trainingSet ? { trainingSet } : {}) }, methods: ['label', 'pseudo'] });
      return estimateConfig(c).perSeed.find((r) => r.run === 'teacher')!.seconds;
    };
    expect(teacher('labelled+transfer')).toBeGreaterThan(5 * teacher());
    expect(teacher('labelled')).toBeLessThan(5 * teacher());
  });
});

describe('estimateConfig under training.evalEvery', () => {
  it('runSamples names the validation part of the per-epoch evaluation', () => {
    expect(runSamples(cfgOf(mnist({ labelled: 10 }))).val).toBe(100);
    expect(runSamples(cfgOf(blobs({ labelled: 5, transfer: 10 })), true).val).toBe(9);
  });

  it('costs the test split once per evalEvery steps and at the end, not after every epoch', () => {
    // 10 labelled samples in batches of 5: 2 steps per epoch, 100 epochs for 200 steps; the test
    // split (20 million samples, only counted) outweighs the training and the fixed overheads
    // a hundredfold, so the ratios are those of the evaluations: 100 against about 1.2 (once)
    // and 10.9 (every 20 steps: 10 of the epochs, and the last) — 83× and 9× — and a factor 3
    // holds whatever the timing noise of the separately timed models
    const data = blobs({ classes: 2, nTrain: 60, nVal: 9, nTest: 20_000_000, labelled: 5 });
    const secs = (evalEvery?: number) => {
      const c = cfgOf(data, { training: { steps: 200, batchSize: 5, lr: 0.1, ...(evalEvery ? { evalEvery } : {}) }, teacher: { model: { qubits: 4, ansatz: { type: 'ry', layers: 1 }, maxBond: 2 } }, methods: ['label'] });
      return estimateConfig(c).perSeed.find((r) => r.run === 's2/label')!.seconds;
    };
    const every = secs(), once = secs(1000), tenTimes = secs(20);
    expect(every).toBeGreaterThan(5 * once);
    expect(tenTimes).toBeGreaterThan(3 * once);
    expect(every).toBeGreaterThan(3 * tenTimes);
  });
});

/**
 * The transfer-set methods (`kd-transfer`, `pseudo`): what they train on (src/experiment/steps/
 * transfer.ts, by hand-built soft labels) and a whole study on blob data with every method, and
 * on phase data with a transfer window around the transition (phase maps with probabilities at
 * every grid point, the transfer points included).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/experiment/config.js';
import { runExperiment, type RunRecord } from '../../src/experiment/runner.js';
import { expectConfigIssue } from '../helpers/config-issue.js';
import { timeless } from '../helpers/train.js';
import { transferArm } from '../../src/experiment/steps/transfer.js';
import { applyDataRegime } from '../../src/data/regime.js';
import { gaussianBlobs } from '../../src/data/synthetic.js';
import { planStudy } from '../../src/experiment/plan.js';
import { reportTables } from '../../src/experiment/report.js';
import { blobTransferConfig } from '../helpers/blob-config.js';

const dir = mkdtempSync(join(tmpdir(), 'qdistill-transfer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('transferArm', () => {
  const data = applyDataRegime(gaussianBlobs({ classes: 2, features: 2, nTrain: 20, nVal: 4, nTest: 4, separation: 3, seed: 1 }), { labelled: 2, transfer: 3 }, 1);
  const split = (n: number, hot: (i: number) => number) => ({ logits: Array.from({ length: n }, (_, i) => Float64Array.of(hot(i) === 0 ? 2 : -1, hot(i) === 0 ? -1 : 2)), fidelity: new Float64Array(n).fill(0.9), bondReached: new Float64Array(n).fill(2) });
  // the teacher calls transfer sample i class i mod 2, whatever its true label
  const sl = { train: split(4, () => 0), test: split(4, () => 0), transfer: split(6, (i) => i % 2), testAccuracy: 0.5 };
  it('kd-transfer: labelled samples first, then the transfer samples with the teacher\'s hard labels, masked as unlabelled', () => {
    const a = transferArm('kd-transfer', data, sl, { T: 2, alpha: 0.5 }, true);
    expect(a.data.train.x).toEqual([...data.train.x, ...data.transfer!.x]);
    expect(Array.from(a.data.train.y)).toEqual([...data.train.y, 0, 1, 0, 1, 0, 1]);
    expect(a.loss).toMatchObject({ kind: 'kd', options: { T: 2, alpha: 0.5 } });
    const l = a.loss as { unlabelled: Uint8Array; teacherLogits: Float64Array[]; weights: Float64Array };
    expect(Array.from(l.unlabelled)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    expect(l.teacherLogits).toEqual([...sl.train.logits, ...sl.transfer.logits]);
    expect(l.weights.length).toBe(10);
    expect(a.data.val).toBe(data.val);
    expect(a.data.test).toBe(data.test);
  });
  it('pseudo: the same training inputs and hard labels, plain cross-entropy', () => {
    const a = transferArm('pseudo', data, sl, { T: 2, alpha: 0.5 }, false);
    expect(a.loss).toBeNull();
    expect(Array.from(a.data.train.y)).toEqual([...data.train.y, 0, 1, 0, 1, 0, 1]);
  });
  it('refuses data without a transfer set or soft labels of the wrong size', () => {
    expect(() => transferArm('pseudo', { ...data, transfer: undefined }, sl, {}, false)).toThrow(/needs a transfer set \(data\.transfer\)/);
    expect(() => transferArm('kd-transfer', data, { ...sl, transfer: split(5, () => 0) }, {}, false)).toThrow(/6 transfer samples but 5 teacher outputs/);
    expect(() => transferArm('kd', data, sl, {}, false)).toThrow(/does not use a transfer set/);
  });
});

const blobs = blobTransferConfig('transfer-blobs', ['label', 'kd', 'kd-transfer', 'pseudo']);

describe('a study with every method on a labelled + transfer regime', () => {
  it('plans the transfer methods after the soft labels and trains every one', async () => {
    const cfg = resolveConfig(blobs);
    const plan = planStudy(cfg, true);
    for (const m of ['kd-transfer', 'pseudo']) expect(plan.tasks.find((t) => t.id === `seed-1/student/s2/${m}`)!.deps.some((d) => d.includes('soft-labels'))).toBe(true);
    expect(plan.tasks.find((t) => t.id === 'seed-1/student/s2/label')!.deps.some((d) => d.includes('soft-labels'))).toBe(false);
    const { results } = await runExperiment(cfg, { workers: 1, resume: false, progress: 'none', quick: true, outDir: join(dir, 'blobs') });
    const by = (m: string) => results.runs.find((r) => r.role === 'student' && r.method === m)!;
    for (const m of ['label', 'kd', 'kd-transfer', 'pseudo']) expect(by(m).final.test_accuracy).not.toBeNull();
    expect(by('kd-transfer').teacher).not.toBeNull();
    expect(by('pseudo').teacher).not.toBeNull();
    expect(by('label').teacher).toBeNull();
    // different training sets and losses give different models
    expect(by('kd-transfer').history.at(-1)!.train_loss).not.toBe(by('kd').history.at(-1)!.train_loss);
    expect(by('pseudo').history.at(-1)!.train_loss).not.toBe(by('label').history.at(-1)!.train_loss);
  }, 120_000);

  it.each([
    [{ methods: ['label', 'pseudo'], data: { ...blobs.data, transfer: undefined } }, 'methods', /pseudo trains on a transfer set: set data\.transfer/],
    [{ methods: ['label', 'kd-transfer', 'pseudo'], data: { ...blobs.data, transfer: 0 } }, 'methods', /kd-transfer and pseudo train on a transfer set: set data\.transfer/],
    [{ data: { ...blobs.data, labelled: undefined } }, 'data.transfer', /needs data\.labelled to be a number/],
    [{ data: { ...blobs.data, labelled: 3, transfer: 10 } }, 'data.transfer', /labelled \+ transfer per class must be ≤ 12/],
  ])('validate refuses %j at %s', (over, path, re) => {
    expectConfigIssue({ ...blobs, ...over }, path, re);
  });
});

describe('teacher.trainingSet: a teacher trained on the labelled and the transfer set', () => {
  it('the teacher trains on labelled + transfer with true labels; students on the labelled set; soft labels read its checkpoint back', async () => {
    const cfg = resolveConfig({ ...blobs, teacher: { ...blobs.teacher, trainingSet: 'labelled+transfer' }, methods: ['label', 'kd-transfer'] });
    const { results } = await runExperiment(cfg, { workers: 1, resume: false, progress: 'none', quick: true, outDir: join(dir, 'teacher-set') });
    const teacher = results.runs.find((r) => r.role === 'teacher')!;
    // 2 classes × (3 labelled + 6 transfer); students keep 2 × 3 (label) and 2 × 9 inputs (kd-transfer)
    expect(teacher.cost!.nTrain).toBe(18);
    expect(results.runs.find((r) => r.role === 'student' && r.method === 'label')!.cost!.nTrain).toBe(6);
    expect(results.runs.find((r) => r.method === 'kd-transfer')!.cost!.nTrain).toBe(18);
    expect(results.runs.find((r) => r.method === 'kd-transfer')!.teacher).not.toBeNull();
    // the same study with the default teacher trains it on 6 samples: a different teacher
    const { results: plain } = await runExperiment(resolveConfig({ ...blobs, methods: ['label', 'kd-transfer'] }), { workers: 1, resume: false, progress: 'none', quick: true, outDir: join(dir, 'teacher-set-default') });
    const t0 = plain.runs.find((r) => r.role === 'teacher')!;
    expect(t0.cost!.nTrain).toBe(6);
    expect(timeless(t0.history)).not.toEqual(timeless(teacher.history));
    // resuming the labelled + transfer folder under the default set is another study: refused,
    // and forced, the teacher's checkpoint (trained on 18 samples) is not read back for 6
    const resumeDefault = (force: boolean) => runExperiment(resolveConfig({ ...blobs, methods: ['label', 'kd-transfer'] }), { workers: 1, resume: true, force, progress: 'none', quick: true, outDir: join(dir, 'teacher-set') });
    await expect(resumeDefault(false)).rejects.toThrow(/holds tasks of another config/);
    await expect(resumeDefault(true)).rejects.toThrow(/checkpoint \S*teacher\S* was written with different training options/);
    // students trained on labels alone do not depend on the teacher: identical
    expect(timeless(plain.runs.find((r) => r.role === 'student' && r.method === 'label')!.history)).toEqual(timeless(results.runs.find((r) => r.role === 'student' && r.method === 'label')!.history));
  }, 120_000);

  it.each([
    [{ ...blobs, teacher: { ...blobs.teacher, trainingSet: 'labelled+transfer' }, methods: ['label', 'kd'], data: { ...blobs.data, transfer: undefined } }, /needs a transfer set: set data\.transfer ≥ 1/],
    [{ ...blobs, teacher: { ...blobs.teacher, trainingSet: 'all' } }, /labelled\+transfer/],
  ])('validate refuses %j at teacher.trainingSet', (c, re) => {
    expectConfigIssue(c, 'teacher.trainingSet', re);
  });

  // every user of a missing transfer set is named in one pass (the teacher's set was refused
  // before the others, which then surfaced only once it was removed)
  it.each([
    ['data.transfer 0', { ...blobs.data, transfer: 0 }],
    ['no data.transfer', { ...blobs.data, transfer: undefined }],
  ])('with %s, a labelled+transfer teacher, a transfer method and a transfer-method bond sweep are refused together', (_n, data) => {
    const err = expectConfigIssue({ ...blobs, data, teacher: { model: { ...blobs.teacher.model, maxBond: 4 }, trainingSet: 'labelled+transfer' }, methods: ['label', 'pseudo'], teacherBond: { chi: [1, 4], student: 's2', method: 'kd-transfer' } }, 'teacher.trainingSet', /needs a transfer set: set data\.transfer ≥ 1/);
    expect(err.issues.map((i) => i.path).sort()).toEqual(['methods', 'teacher.trainingSet', 'teacherBond.method']);
  });
});

describe('the teacher-bond sweep by a transfer method (teacherBond.method)', () => {
  const bond = { ...blobs, teacher: { model: { ...blobs.teacher.model, maxBond: 4 } }, methods: ['label', 'kd', 'kd-transfer'], teacherBond: { chi: [1, 4], student: 's2' } };
  // the history without its wall times
  const hist = (r: RunRecord) => timeless(r.history);
  it('kd-transfer: at the teacher\'s own cap the bond run is the kd-transfer student; the default stays kd', async () => {
    const { results } = await runExperiment(resolveConfig({ ...bond, teacherBond: { ...bond.teacherBond, method: 'kd-transfer' } }), { workers: 1, resume: false, progress: 'none', quick: true, outDir: join(dir, 'bond-transfer') });
    const runs = results.runs.filter((r) => r.role === 'bond');
    expect(runs.map((r) => [r.method, r.chiT])).toEqual([['kd-transfer', 1], ['kd-transfer', 4]]);
    // same seed, data, soft labels (the χ = 4 task is shared) and loss: the same training
    const student = results.runs.find((r) => r.role === 'student' && r.method === 'kd-transfer')!;
    expect(hist(runs[1]!)).toEqual(hist(student));
    expect(hist(runs[0]!)).not.toEqual(hist(runs[1]!));
    expect(runs[0]!.teacher!.train_fidelity_mean).toBeLessThan(runs[1]!.teacher!.train_fidelity_mean);
    expect(reportTables(results).map((t) => t.heading)).toContain('Teacher bond dimension χ_T against the kd-transfer student');
    const { results: plain } = await runExperiment(resolveConfig(bond), { workers: 1, resume: false, progress: 'none', quick: true, outDir: join(dir, 'bond-kd') });
    const kdBond = plain.runs.filter((r) => r.role === 'bond');
    expect(kdBond.map((r) => [r.method, r.chiT])).toEqual([['kd', 1], ['kd', 4]]);
    expect(hist(kdBond[1]!)).toEqual(hist(plain.runs.find((r) => r.role === 'student' && r.method === 'kd')!));
  }, 120_000);

  it.each(['kd-transfer', 'pseudo'])('teacherBond.method %s without a transfer set is refused at teacherBond.method', (method) => {
    expectConfigIssue({ ...bond, methods: ['label', 'kd'], data: { ...blobs.data, transfer: undefined }, teacherBond: { ...bond.teacherBond, method } }, 'teacherBond.method', new RegExp(`${method} trains on a transfer set: set data\\.transfer`));
  });
});

describe('a transfer window that holds no grid point', () => {
  const ph = {
    name: 'empty-window', seeds: [1],
    // h/J = 0.5, 0.7, 1.3, 1.5: none within 0.2 of 1
    data: { type: 'phases', model: 'tfim', n: 8, grid: { J: [1], h: [0.5, 0.7, 1.3, 1.5] }, split: { val: 0, test: 0.5 }, transfer: { window: 0.2 } },
    training: { epochs: 1, batchSize: 2, lr: 0.1 },
    teacher: { model: { qubits: 8, encoding: { type: 'mps' }, ansatz: { type: 'qcnn', layers: 0 }, readout: { type: 'qubits' }, maxBond: 8 } },
    students: [{ name: 'n4', sites: 4, model: { qubits: 4, encoding: { type: 'mps' }, ansatz: { type: 'qcnn', layers: 0 }, readout: { type: 'qubits' } } }],
    methods: ['label'],
  };
  it.each([
    ['methods kd-transfer', { methods: ['label', 'kd-transfer'] }, /transfer set is used by methods kd-transfer;/],
    ['methods pseudo', { methods: ['label', 'pseudo'] }, /used by methods pseudo;/],
    ['a labelled+transfer teacher', { teacher: { ...ph.teacher, trainingSet: 'labelled+transfer' } }, /used by teacher\.trainingSet 'labelled\+transfer';/],
    ['teacherBond.method pseudo', { methods: ['label', 'kd'], teacherBond: { chi: [2], student: 'n4', method: 'pseudo' } }, /used by teacherBond\.method pseudo;/],
  ])('is refused at data.transfer.window when %s use it', (_n, over, re) => {
    expectConfigIssue({ ...ph, ...over }, 'data.transfer.window', re);
  });
  it('is accepted when nothing uses the transfer set', () => {
    expect(() => resolveConfig(ph)).not.toThrow();
  });
});

describe('phase data with a transfer window', () => {
  it('the teacher labels the near-boundary states; phase maps cover every grid point with probabilities', async () => {
    const cfg = resolveConfig({
      name: 'transfer-phases', seeds: [1],
      data: { type: 'phases', model: 'tfim', n: 8, grid: { J: [1], h: [0.5, 0.6, 0.7, 0.9, 1.0, 1.1, 1.3, 1.4, 1.5] }, split: { val: 0, test: 0.34 }, transfer: { window: 0.15 } },
      training: { epochs: 1, batchSize: 2, lr: 0.1 },
      teacher: { model: { qubits: 8, encoding: { type: 'mps' }, ansatz: { type: 'qcnn', layers: 0 }, readout: { type: 'qubits' }, maxBond: 8 } },
      students: [{ name: 'n4', sites: 4, model: { qubits: 4, encoding: { type: 'mps' }, ansatz: { type: 'qcnn', layers: 0 }, readout: { type: 'qubits' } } }],
      methods: ['label', 'kd-transfer'],
    });
    const { results } = await runExperiment(cfg, { workers: 1, resume: false, progress: 'none', quick: true, outDir: join(dir, 'phases') });
    for (const r of results.runs.filter((x) => x.phaseMap)) {
      const pm = r.phaseMap!;
      expect(pm.params.length).toBe(9);
      expect(pm.probability!.length).toBe(9);
      pm.probability!.forEach((p, i) => { expect(p).toBeGreaterThanOrEqual(0); expect(p).toBeLessThanOrEqual(1); expect(pm.predicted[i]).toBe(p > 0.5 ? 1 : 0); });
      // the transfer points (|h − 1| ≤ 0.15) come last
      expect(pm.params.slice(-3).map((q) => q['h'])).toEqual([0.9, 1.0, 1.1]);
    }
    expect(results.runs.find((r) => r.method === 'kd-transfer')!.teacher).not.toBeNull();
  }, 180_000);
});

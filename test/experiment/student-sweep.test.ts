/**
 * The `studentSweep` block: its expansion into grid students (names, models, input maps,
 * readouts, training overrides), the plan's task ids, the one-line errors of the block's own
 * fields (the semantic ones are rows of validate-class.test.ts), and the dry-run estimate.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deepMerge, resolveConfig } from '../../src/experiment/config.js';
import { estimateConfig } from '../../src/experiment/estimate.js';
import { planStudy } from '../../src/experiment/plan.js';
import { studentsOf, sweepStudentNames, sweepStudents } from '../../src/experiment/student-sweep.js';
import { main } from '../../src/cli/cli.js';
import { captureOutput } from '../cli/run-cli.js';
import { expectConfigIssue } from '../helpers/config-issue.js';

const BLOBS = {
  name: 'blobs', seeds: [1, 2],
  data: { type: 'blobs', classes: 2, features: 4, nTrain: 8, nVal: 4, nTest: 4, separation: 3 },
  training: { epochs: 1, batchSize: 4, lr: 0.1 },
  teacher: { model: { qubits: 4, ansatz: { type: 'ry', layers: 1 } } },
  studentSweep: { qubits: [2, 4], layers: [1, 3], input: { kind: 'pca' }, model: { ansatz: { type: 'ry' } } },
};

const dir = mkdtempSync(join(tmpdir(), 'qdistill-sweep-'));
const cap = captureOutput();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('studentSweep expansion', () => {
  it('builds one student per (qubits, layers), qubits first, from the template', () => {
    const c = resolveConfig(deepMerge(BLOBS, { studentSweep: { training: { validateEvery: 2 }, model: { ansatz: { entangler: 'cx' }, initScale: 0.3 } } }));
    const g = sweepStudents(c);
    expect(g.map((s) => s.name)).toEqual(['q2-l1', 'q2-l3', 'q4-l1', 'q4-l3']);
    expect(sweepStudentNames(c)).toEqual(g.map((s) => s.name));
    for (const s of g) {
      const [q, l] = /^q(\d+)-l(\d+)$/.exec(s.name)!.slice(1).map(Number);
      expect(s.model.qubits).toBe(q);
      expect(s.model.ansatz).toEqual({ type: 'ry', layers: l, entangler: 'cx' });
      expect(s.model.initScale).toBe(0.3);
      expect(s.model.cutoff).toBe(1e-10); // the MPS default, as listed students get
      expect(s.input).toEqual({ kind: 'pca', components: q });
      // no readout in the template: a linear head on every qubit
      expect(s.model.readout).toEqual({ type: 'linear', qubits: Array.from({ length: q! }, (_, k) => k) });
      expect(s.training).toEqual({ validateEvery: 2 });
    }
    // avgPool pools to √qubits; a template readout is kept as given; no input: none
    const pool = sweepStudents(resolveConfig(deepMerge(BLOBS, { studentSweep: { qubits: [1, 4], input: { kind: 'avgPool' } } })));
    expect(pool.map((s) => s.input)).toEqual([{ kind: 'avgPool', to: 1 }, { kind: 'avgPool', to: 1 }, { kind: 'avgPool', to: 2 }, { kind: 'avgPool', to: 2 }]);
    const raw = sweepStudents(resolveConfig({ ...BLOBS, studentSweep: { qubits: [4], layers: [1], model: { ansatz: { type: 'ry' }, readout: { type: 'qubits', qubits: [0, 3] } } } }));
    expect(raw[0]!.input).toBeUndefined();
    expect(raw[0]!.model.readout).toEqual({ type: 'qubits', qubits: [0, 3] });
    // listed students come first
    const both = resolveConfig({ ...BLOBS, students: [{ name: 's', model: { qubits: 2, ansatz: { type: 'ry', layers: 1 } }, input: { kind: 'subset', indices: [0, 1] } }] });
    expect(studentsOf(both).map((s) => s.name)).toEqual(['s', 'q2-l1', 'q2-l3', 'q4-l1', 'q4-l3']);
  });

  it('plans readable, stable task ids for every grid student, method and seed', () => {
    const c = resolveConfig(BLOBS);
    const ids = planStudy(c, false).tasks.filter((t) => t.kind === 'student').map((t) => t.id);
    expect(ids).toEqual([1, 2].flatMap((s) => ['q2-l1', 'q2-l3', 'q4-l1', 'q4-l3'].flatMap((n) => [`seed-${s}/student/${n}/label`, `seed-${s}/student/${n}/kd`])));
    expect(planStudy(resolveConfig(BLOBS), false)).toEqual(planStudy(c, false));
    const kd = planStudy(c, false).tasks.find((t) => t.id === 'seed-1/student/q4-l3/kd')!;
    expect(kd.deps).toEqual(['seed-1/soft-labels/no-cap']);
  });

  it('the dry-run estimate has a row per grid student and method', () => {
    const rows = estimateConfig(resolveConfig({ ...BLOBS, studentSweep: { ...BLOBS.studentSweep, layers: [1] } }), { calibration: { gateSeconds: 1e-6, gflops: 1, ms: 0, load: 1 } }).perSeed.map((r) => r.run);
    expect(rows).toEqual(expect.arrayContaining(['q2-l1/label', 'q2-l1/kd', 'q4-l1/label', 'q4-l1/kd']));
  });
});

describe('studentSweep errors name the field', () => {
  it.each([
    ['layers in the template', { studentSweep: { model: { ansatz: { layers: 2 } } } }, 'studentSweep.model.ansatz', /unknown key 'layers'/],
    ['qubits in the template', { studentSweep: { model: { qubits: 4 } } }, 'studentSweep.model', /unknown key 'qubits'/],
    ['an empty qubit list', { studentSweep: { qubits: [] } }, 'studentSweep.qubits', /must have at least 1 item/],
    ['a fractional layer count', { studentSweep: { layers: [1.5] } }, 'studentSweep.layers.0', /must be an integer ≥ 0/],
    ['an unknown input kind', { studentSweep: { input: { kind: 'subset' } } }, 'studentSweep.input.kind', /must be one of 'pca', 'avgPool'/],
    ['PCA with a fixed component count', { studentSweep: { input: { kind: 'pca', components: 3 } } }, 'studentSweep.input', /unknown key 'components'/],
    ['a target fraction of 0', { studentSweep: { targetFraction: 0 } }, 'studentSweep.targetFraction', /must be > 0/],
    ['a target fraction above 1', { studentSweep: { targetFraction: 1.2 } }, 'studentSweep.targetFraction', /must be ≤ 1/],
    ['an unknown key', { studentSweep: { qubit: [2] } }, 'studentSweep', /unknown key 'qubit'; allowed: qubits, layers, input, model, training, targetFraction/],
  ])('%s', (_name, over, path, message) => {
    expectConfigIssue(deepMerge(structuredClone(BLOBS), over), path, message);
  });

  it('needs a teacher and feature data', () => {
    const { teacher: _t, ...noTeacher } = BLOBS;
    expectConfigIssue(noTeacher, 'teacher', /the student sweep needs a teacher/);
    const phases = { ...BLOBS, data: { type: 'phases', model: 'tfim', n: 6, grid: { h: [0.5, 1.5] } }, teacher: { model: { qubits: 6, encoding: { type: 'mps' }, ansatz: { type: 'ry', layers: 1 } } } };
    expectConfigIssue(phases, 'studentSweep', /needs feature data/);
  });

  // in process (the executable's exit code for a sweep error is a row of validate-class.test.ts)
  it('qdistill validate prints one line and exits 2', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify(deepMerge(structuredClone(BLOBS), { studentSweep: { qubits: [2, 2] } })));
    expect(await main(['validate', file])).toBe(2);
    expect(cap.stderr.trim().split('\n')).toHaveLength(1);
    expect(cap.stderr).toContain('studentSweep.qubits.1 = 2: duplicate of studentSweep.qubits.0');
    cap.stderr = '';
    const ok = join(dir, 'ok.json');
    writeFileSync(ok, readFileSync('experiments/e2-student-size.json', 'utf8'));
    expect(await main(['validate', ok]), cap.stderr).toBe(0);
    expect(cap.stdout).toContain('9 student(s), 9 of them on the student-size grid');
  });
});

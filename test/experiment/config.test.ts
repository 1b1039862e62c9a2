import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ConfigError, configJsonSchema, deepMerge, resolveConfig } from '../../src/experiment/config.js';
import { blobTransferConfig } from '../helpers/blob-config.js';

const e1 = JSON.parse(readFileSync('experiments/e1-qubits.json', 'utf8'));

describe('experiment configs', () => {
  it.each(['demo', 'e1-qubits', 'e2-depth', 'e3-self-distillation', 'e4-teacher-bond', 'qnn-32', 'e5-many-body', 'e5-many-body-128', 'e7-hardware', 'e2-student-size'])('%s is valid, full and quick', (name) => {
    const raw = JSON.parse(readFileSync(`experiments/${name}.json`, 'utf8'));
    expect(resolveConfig(raw).name).toBe(name);
    expect(resolveConfig(raw, { quick: true }).seeds.length).toBeGreaterThanOrEqual(1);
  });

  it('fills defaults', () => {
    const c = resolveConfig(e1);
    expect(c.kd).toEqual({ T: 2, alpha: 0.5, scaleT2: true, fidelityWeighted: false });
    expect(c.teacher!.model.backend).toBe('mps');
    expect(c.teacher!.model.cutoff).toBe(1e-10);
  });

  it('reports every problem at once, each with its path, value and what is allowed', () => {
    const bad = deepMerge(e1, {
      teacher: { model: { ansatz: { layers: -1, type: 'mera' }, qubitz: 3 } },
      training: { epochs: 0 },
      kd: { alpha: 2 },
      data: { size: 7 },
    });
    let err: ConfigError | null = null;
    try { resolveConfig(bad, { file: 'bad.json' }); } catch (e) { err = e as ConfigError; }
    expect(err).toBeInstanceOf(ConfigError);
    const paths = err!.issues.map((i) => i.path);
    for (const p of ['teacher.model.ansatz.layers', 'teacher.model.ansatz.type', 'teacher.model', 'training.epochs', 'kd.alpha', 'data.size']) expect(paths).toContain(p);
    expect(err!.message).toMatch(/^bad\.json: \d+ problem\(s\)/);
    expect(err!.message).toMatch(/training\.epochs = 0: must be an integer ≥ 1/);
    expect(err!.message).toMatch(/teacher\.model = \["qubitz"\]: .*qubitz/);
    expect(err!.message).toMatch(/kd\.alpha = 2: /);
  });

  it('checks cross-references', () => {
    expect(() => resolveConfig({ ...e1, teacherBond: { chi: [2], student: 'nobody' } })).toThrow(/teacherBond\.student = "nobody": must name a student; allowed: s16-pool, s8-pca, s4-pca/);
    expect(() => resolveConfig({ ...e1, students: [e1.students[0], e1.students[0]] })).toThrow(/student names must be unique/);
  });

  it('ships a JSON Schema generated from the zod schema', () => {
    const s = configJsonSchema() as { properties: Record<string, unknown>; additionalProperties?: unknown };
    expect(Object.keys(s.properties)).toEqual(expect.arrayContaining(['name', 'seeds', 'data', 'training', 'teacher', 'students', 'kd']));
    expect(s.additionalProperties).toBe(false);
  });
});

describe('runConfigHash (what --resume matches finished runs on)', () => {
  it('ignores the seed list, so adding seeds reruns only the new ones', async () => {
    const { runConfigHash } = await import('../../src/experiment/runner.js');
    const a = resolveConfig({ ...e1, seeds: [1] });
    const b = resolveConfig({ ...e1, seeds: [1, 2, 3, 4, 5] });
    expect(runConfigHash(a)).toBe(runConfigHash(b));
    expect(runConfigHash(a)).toMatch(/^[0-9a-f]{16}$/);
  });
  it('changes with anything else in the config', async () => {
    const { runConfigHash } = await import('../../src/experiment/runner.js');
    const a = resolveConfig(e1);
    expect(runConfigHash(resolveConfig(deepMerge(e1, { training: { steps: 401 } })))).not.toBe(runConfigHash(a));
    expect(runConfigHash(resolveConfig(deepMerge(e1, { kd: { T: 3 } })))).not.toBe(runConfigHash(a));
  });
});
describe('runConfigHash and teacher.trainingSet', () => {
  const blobs = blobTransferConfig('ts', ['label', 'kd-transfer']);
  it("hashes 'labelled' (the default) as the field left out, and 'labelled+transfer' as another study", async () => {
    const { runConfigHash } = await import('../../src/experiment/runner.js');
    const h = (trainingSet?: string) => runConfigHash(resolveConfig({ ...blobs, teacher: { ...blobs.teacher, ...(trainingSet ? { trainingSet } : {}) } }));
    expect(h('labelled')).toBe(h());
    expect(h('labelled+transfer')).not.toBe(h());
    // the config keeps what was written
    expect(resolveConfig({ ...blobs, teacher: { ...blobs.teacher, trainingSet: 'labelled' } }).teacher!.trainingSet).toBe('labelled');
  });
  // every implicit default (IMPLICIT_DEFAULTS), in every block that holds it: written out it
  // hashes as left out; another value is another study
  const model = (extra: object) => ({ qubits: 2, ansatz: { type: 'ry', layers: 1 }, ...extra });
  const withBond = { ...blobs, methods: ['label', 'pseudo'], teacherBond: { chi: [2], student: 's2' } };
  const self = { ...blobs, selfDistillation: { model: model({}), input: { kind: 'pca', components: 2 }, methods: ['plain'], targetAccuracy: 0.5 } };
  const sweep = { ...blobs, studentSweep: { qubits: [2], layers: [1], input: { kind: 'pca' }, model: { ansatz: { type: 'ry' } } } };
  const cases: [string, (v: unknown) => object, unknown, unknown][] = [
    ['teacher.trainingSet', (v) => ({ ...blobs, teacher: { ...blobs.teacher, trainingSet: v } }), 'labelled', 'labelled+transfer'],
    ['teacherBond.method', (v) => ({ ...withBond, teacherBond: { ...withBond.teacherBond, method: v } }), 'kd', 'kd-transfer'],
    ['teacher.model.gradient', (v) => ({ ...blobs, teacher: { model: { ...blobs.teacher.model, shots: 100, gradient: v } } }), 'auto', 'parameter-shift'],
    ['students.0.model.gradient', (v) => ({ ...blobs, students: [{ ...blobs.students[0], model: model({ shots: 100, gradient: v }) }] }), 'auto', 'parameter-shift'],
    ['students.0.model.samplingSeed', (v) => ({ ...blobs, students: [{ ...blobs.students[0], model: model({ shots: 100, samplingSeed: v }) }] }), 0, 1],
    ['selfDistillation.model.samplingSeed', (v) => ({ ...self, selfDistillation: { ...self.selfDistillation, model: model({ shots: 100, samplingSeed: v }) } }), 0, 7],
    ['studentSweep.model.gradient', (v) => ({ ...sweep, studentSweep: { ...sweep.studentSweep, model: { ansatz: { type: 'ry' }, shots: 100, gradient: v } } }), 'auto', 'parameter-shift'],
  ];
  it.each(cases)('%s: its default written out hashes as left out; another value does not', async (_path, make, dflt, other) => {
    const { runConfigHash } = await import('../../src/experiment/runner.js');
    const h = (v: unknown) => runConfigHash(resolveConfig(make(v)));
    expect(h(dflt)).toBe(h(undefined));
    expect(h(other)).not.toBe(h(undefined));
  });
  it('samplingSeed: the number 0 is the default; a name is another study', async () => {
    const { runConfigHash } = await import('../../src/experiment/runner.js');
    const h = (v: unknown) => runConfigHash(resolveConfig({ ...blobs, students: [{ ...blobs.students[0], model: model({ shots: 100, ...(v === undefined ? {} : { samplingSeed: v }) }) }] }));
    expect(h(0)).toBe(h(undefined));
    expect(h('s')).not.toBe(h(undefined));
  });
  it.each(readdirSync('docs/full-runs', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name))('the results in docs/full-runs/%s keep the hash they were merged under', async (name) => {
    const { runConfigHash } = await import('../../src/experiment/runner.js');
    const res = JSON.parse(gunzipSync(readFileSync(`docs/full-runs/${name}/results.json.gz`)).toString()) as { config: unknown; configHash: string };
    expect(runConfigHash(resolveConfig(res.config))).toBe(res.configHash);
  });
});

describe('runConfigHash and prose', () => {
  it('ignores the description', async () => {
    const { runConfigHash } = await import('../../src/experiment/runner.js');
    expect(runConfigHash(resolveConfig({ ...e1, description: 'other words' }))).toBe(runConfigHash(resolveConfig(e1)));
  });
});

describe('cost-model estimate of ground-state inputs', () => {
  it('starts from the DMRG bond of the input states, not from a product state', async () => {
    const { estimateConfig } = await import('../../src/experiment/estimate.js');
    const raw = JSON.parse(readFileSync('experiments/e5-many-body.json', 'utf8'));
    // one estimate, of the teacher and the smallest student only: every model is timed (tens of
    // seconds on a loaded machine), and the larger students add nothing to what is checked here
    const rows = estimateConfig(resolveConfig({ ...raw, students: raw.students.filter((s: { name: string }) => s.name === 'n8') })).perSeed;
    const teacher = rows.find((r) => r.run === 'teacher')!;
    expect(teacher.chi).toBe(32); // the teacher's maxBond; the inputs already have χ ≤ 32
    const n8 = rows.find((r) => r.run === 'n8/label')!;
    expect(n8.chi).toBe(16); // 2^(8/2): no 8-site state has a larger bond
  });
});

/**
 * One spelling of "no bond cap": the field left out, at every boundary (configs, model specs,
 * truncation options, soft-label cache keys, CLI flags). A KD study whose teacher has no
 * maxBond, or runs on the state-vector backend, trains end to end; the other spellings (0,
 * null, Infinity in user-facing inputs) are refused with a message saying how to spell it.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveTruncation } from '../../mps/truncation.js';
import { softLabelKey } from '../../src/distill/soft-labels.js';
import { ConfigError, resolveConfig } from '../../src/experiment/config.js';
import { estimateConfig } from '../../src/experiment/estimate.js';
import { runExperiment, type RunRecord } from '../../src/experiment/runner.js';
import { QnnModel } from '../../src/qnn/model.js';
import { runCli } from '../cli/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'qdistill-no-cap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A --quick-sized KD study: 4-qubit teacher, 2-qubit student on 2 of the 4 blob features. */
const study = (teacherModel: Record<string, unknown>) => ({
  name: 'no-cap', seeds: [1],
  data: { type: 'blobs', classes: 2, features: 4, nTrain: 12, nVal: 4, nTest: 8, separation: 3 },
  training: { epochs: 2, batchSize: 4, lr: 0.1 },
  teacher: { model: { qubits: 4, ansatz: { type: 'ry', layers: 1 }, ...teacherModel } },
  students: [{ name: 's2', model: { qubits: 2, ansatz: { type: 'ry', layers: 1 } }, input: { kind: 'subset', indices: [0, 1] } }],
  methods: ['kd'],
});

async function runStudy(label: string, teacherModel: Record<string, unknown>): Promise<{ runs: RunRecord[]; out: string }> {
  const out = join(dir, label);
  const { results } = await runExperiment(resolveConfig(study(teacherModel)), { workers: 1, resume: false, progress: 'none', quick: true, outDir: out });
  return { runs: results.runs, out };
}

const writeStudy = (name: string, c: unknown): string => { const f = join(dir, name); writeFileSync(f, JSON.stringify(c)); return f; };

const cacheKeys = (out: string): Record<string, unknown>[] =>
  readdirSync(join(out, 'cache')).filter((f) => f.startsWith('soft-labels-')).map((f) => (JSON.parse(readFileSync(join(out, 'cache', f), 'utf8')) as { payload?: { key: Record<string, unknown> }; key?: Record<string, unknown> }))
    .map((doc) => (doc.payload?.key ?? doc.key)!);

describe('a KD study without a bond cap', () => {
  it('runs with an uncapped MPS teacher and with a state-vector teacher, and both teachers agree', async () => {
    const mps = await runStudy('mps', {});
    const sv = await runStudy('statevector', { backend: 'statevector' });
    for (const { runs, out } of [mps, sv]) {
      const teacher = runs.find((r) => r.role === 'teacher')!;
      const kd = runs.find((r) => r.method === 'kd')!;
      expect(teacher.chiT).toBeNull();
      expect(teacher.model.maxBond).toBeNull();
      expect(kd.chiT).toBeNull();
      expect(kd.teacher).not.toBeNull();
      expect(kd.history).toHaveLength(2);
      // the soft-label cache key spells "no cap" by leaving maxBond out
      const keys = cacheKeys(out);
      expect(keys).toHaveLength(1);
      expect(keys[0]).not.toHaveProperty('maxBond');
    }
    // the state-vector teacher never truncates: its key has no cutoff either; the MPS one does
    expect(cacheKeys(sv.out)[0]).not.toHaveProperty('cutoff');
    expect(cacheKeys(mps.out)[0]).toMatchObject({ cutoff: 1e-10 });
    // An uncapped MPS at cutoff 1e-10 and the exact state vector simulate the same circuits:
    // the two studies agree to rounding (measured: teacher test loss Δ = 0, student 1.1e-16).
    const final = (runs: RunRecord[], role: string) => runs.find((r) => r.role === role)!.final.test_loss!;
    expect(Math.abs(final(mps.runs, 'teacher') - final(sv.runs, 'teacher'))).toBeLessThan(1e-12);
    expect(Math.abs(final(mps.runs, 'student') - final(sv.runs, 'student'))).toBeLessThan(1e-12);
    const svTeacher = sv.runs.find((r) => r.method === 'kd')!.teacher!;
    expect(svTeacher.train_fidelity_min).toBe(1);
    expect(svTeacher.bond_reached).toBeNull(); // a state vector has no bond to report
    // 4 qubits: no bond of an exact MPS exceeds 2^2
    const mpsTeacher = mps.runs.find((r) => r.method === 'kd')!.teacher!;
    expect(mpsTeacher.bond_reached).toBeGreaterThanOrEqual(1);
    expect(mpsTeacher.bond_reached).toBeLessThanOrEqual(4);
  }, 120_000);

  it('run --dry-run costs a state-vector teacher as exact (no bond), with three 2^n vectors of memory', () => {
    const est = estimateConfig(resolveConfig(study({ backend: 'statevector' })));
    const t = est.perSeed.find((r) => r.run === 'teacher')!;
    expect(t.chi).toBe(0);
    expect(t.peakMemoryMiB).toBe((3 * 16 * 2 ** 4) / 2 ** 20);
    const r = runCli(['run', writeStudy('sv-dry.json', study({ backend: 'statevector' })), '--dry-run']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/teacher +n=4 +2q gates=3 +exact SV/);
  });

  it('a teacher-bond sweep of an uncapped MPS teacher keys each χ_T, and none is the uncapped key', () => {
    const base = { teacherHash: 'a'.repeat(64), datasetHash: 'b'.repeat(64), cutoff: 1e-10 };
    const keys = new Set([softLabelKey(base), softLabelKey({ ...base, maxBond: 1 }), softLabelKey({ ...base, maxBond: 2 }), softLabelKey({ ...base, maxBond: undefined })]);
    expect(keys.size).toBe(3); // maxBond: undefined is the same key as leaving it out
  });
});

describe('the other spellings of "no cap" are refused, saying how to spell it', () => {
  const spec = { qubits: 3, features: 3, classes: 2, encoding: { type: 'angle' as const, rotation: 'ry' as const, scale: 1 }, ansatz: { type: 'ry' as const, layers: 1 }, readout: { type: 'qubits' as const }, backend: 'mps' as const };
  it.each<[string, () => unknown, RegExp]>([
    ['model spec maxBond 0', () => new QnnModel({ ...spec, truncation: { maxBond: 0 } }), /model\.truncation\.maxBond = 0: must be an integer ≥ 1 \(leave maxBond out for no bond cap\)/],
    ['model spec maxBond null', () => new QnnModel({ ...spec, truncation: { maxBond: null as never } }), /model\.truncation\.maxBond = null: .*leave maxBond out/],
    ['model spec maxBond Infinity', () => new QnnModel({ ...spec, truncation: { maxBond: Infinity } }), /model\.truncation\.maxBond = Infinity: .*leave maxBond out/],
    ['model spec truncation on the state vector', () => new QnnModel({ ...spec, backend: 'statevector', truncation: { cutoff: 0.1 } }), /model\.truncation = .*absent with backend 'statevector'/],
    ['resolveTruncation maxBond 0', () => resolveTruncation({ maxBond: 0 }), /maxBond must be an integer ≥ 1, got 0 \(leave maxBond out for no bond cap\)/],
    ['resolveTruncation maxBond null', () => resolveTruncation({ maxBond: null as never }), /maxBond must be a number, got null \(leave maxBond out for the default: no bond cap\)/],
    ['soft-label key maxBond 0', () => softLabelKey({ teacherHash: 'a', datasetHash: 'b', maxBond: 0 }), /omit maxBond for a teacher without a bond cap/],
    ['soft-label key maxBond Infinity', () => softLabelKey({ teacherHash: 'a', datasetHash: 'b', maxBond: Infinity }), /omit maxBond/],
    ['config maxBond 0', () => resolveConfig(study({ maxBond: 0 })), /teacher\.model\.maxBond = 0: must be an integer ≥ 1; leave maxBond out for no bond cap/],
    ['config maxBond null', () => resolveConfig(study({ maxBond: null })), /teacher\.model\.maxBond = null: must be an integer ≥ 1; leave maxBond out for no bond cap/],
    ['config maxBond Infinity (JSON 1e400)', () => resolveConfig(study({ maxBond: Infinity })), /teacher\.model\.maxBond = Infinity: must be an integer ≥ 1; leave maxBond out for no bond cap/],
    ['config maxBond 2.5', () => resolveConfig(study({ maxBond: 2.5 })), /teacher\.model\.maxBond = 2\.5: must be an integer ≥ 1; leave maxBond out/],
    ['config maxBond on the state vector', () => resolveConfig(study({ backend: 'statevector', maxBond: 4 })), /teacher\.model\.maxBond = 4: does not apply to backend 'statevector'/],
    ['config cutoff on the state vector', () => resolveConfig(study({ backend: 'statevector', cutoff: 0.5 })), /teacher\.model\.cutoff = 0\.5: does not apply to backend 'statevector'/],
  ])('%s', (_name, call, msg) => {
    expect(call).toThrow(msg);
  });

  it('resolved options still carry no cap as Infinity, and accept it back', () => {
    expect(resolveTruncation({}).maxBond).toBe(Infinity);
    expect(resolveTruncation(resolveTruncation({ cutoff: 0.01 }))).toEqual({ maxBond: Infinity, cutoff: 0.01, minBond: 1 });
  });

  it('config errors are ConfigErrors (exit 2 in the CLI)', () => {
    expect(() => resolveConfig(study({ backend: 'statevector', cutoff: 0.5 }))).toThrow(ConfigError);
  });
});

describe('CLI: truncation flags with --backend statevector are a usage error, never ignored', () => {
  const qasm = join(dir, 'bell.qasm');
  writeFileSync(qasm, 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[3];\nh q[0];\ncx q[0], q[2];\n');
  const circuit = join(dir, 'c.json');
  writeFileSync(circuit, JSON.stringify({ format: 'qdistill-circuit', version: 1, n: 2, params: [0.3], gates: [{ gate: 'rx', qubits: [1], angles: [{ param: 0 }] }] }));
  it.each<[string[], RegExp]>([
    [['simulate', qasm, '--backend', 'statevector', '--max-bond', '1', '--cutoff', '0.5'], /^qdistill: --max-bond 1 and --cutoff 0\.5: truncation options apply to --backend mps only/],
    [['simulate', qasm, '--backend', 'statevector', '--max-bond', '4'], /^qdistill: --max-bond 4: truncation options apply to --backend mps only/],
    [['simulate', qasm, '--backend', 'statevector', '--cutoff', '0'], /^qdistill: --cutoff 0: truncation options apply/],
    [['grad', circuit, '--observable', 'Z1', '--backend', 'statevector', '--max-bond', '2'], /^qdistill: --max-bond 2: truncation options apply/],
    // "no cap" on the CLI is no --max-bond flag; 0 and Infinity are refused saying so
    [['simulate', qasm, '--max-bond', '0'], /^qdistill: --max-bond must be an integer ≥ 1, got '0' \(omit --max-bond for no bond cap\)/],
    [['grad', circuit, '--observable', 'Z1', '--max-bond', 'Infinity'], /^qdistill: --max-bond must be an integer ≥ 1, got 'Infinity' \(omit --max-bond for no bond cap\)/],
  ])('%j', (args, msg) => {
    const r = runCli(args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(msg);
  });

  it('the state-vector summary states it is exact instead of printing a bond dimension', () => {
    const r = runCli(['simulate', qasm, '--backend', 'statevector']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/exact state vector: no truncation/);
    expect(r.stdout).not.toMatch(/max bond|bond reached/);
  });
});

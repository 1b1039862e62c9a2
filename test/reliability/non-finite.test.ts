/**
 * Non-finite and degenerate numbers are refused where they enter, as a class: every public
 * entry point that takes numbers (library and CLI) × {NaN, Infinity, −Infinity, the literal
 * 1e400 (which parses to Infinity)} and, for the entry points that build or read a state,
 * the zero-norm (and overflowing-norm) vector. Each row states the error the caller sees;
 * a row whose input is silently accepted fails.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  adjointGradientMps, adjointGradientStateVector, DensityMatrix, brickworkCircuit, featureStats, gateMatrix, hardwareEfficient, lightCone, makeDownsampler, qcnn, scaleToUnit, stratifiedSplit, angleEncoding, CircuitBuilder, expectPauliSum, fidelityWeight, fitInputMap, gaussianBlobs,
  hintonKdLoss, loadMnist, localExpectations, modelFromJson, Mps, mpsFromJson, mpsToJson, parsePauliSum, pauliSumMpo, psKdAlpha, QnnModel, resolveConfig,
  resolveKdOptions, resolveTruncation, runCircuitInPlace, sampleBitstrings, softLabelKey, StateVectorBackend, toQasm, train, type ModelSpec,
} from '../../src/index.js';
import { Adam } from '../../src/train/optimizers.js';
import { makeSchedule } from '../../src/train/schedules.js';
import { gridPoints } from '../../src/data/phases.js';
import { runCli } from '../cli/run-cli.js';

/** The four non-finite inputs; '1e400' is the decimal literal, parsed as text parsers do. */
const BAD: [string, number][] = [['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity], ['1e400', Number('1e400')]];

const SPEC: ModelSpec = { qubits: 3, features: 3, classes: 2, encoding: { type: 'angle', rotation: 'ry', scale: Math.PI }, ansatz: { type: 'ry', layers: 1 }, readout: { type: 'qubits' }, backend: 'mps' };
const model = new QnnModel(SPEC);
const goodParams = () => new Float64Array(model.nParams).fill(0.1);
const bell = () => Mps.fromStateVector(Float64Array.of(Math.SQRT1_2, 0, 0, Math.SQRT1_2), null);
const rxCircuit = { n: 2, ops: [{ name: 'rx', qubits: [0], params: [0.3] }] };

/** Library rows: entry point, the call with one number replaced by v, the error it must raise. */
const LIBRARY: [string, (v: number) => unknown, RegExp][] = [
  ['Mps.fromStateVector (re)', (v) => Mps.fromStateVector([v, 1, 0, 0] as unknown as Float64Array, null), /state vector re\[0\] must be a finite number/],
  ['Mps.fromStateVector (im)', (v) => Mps.fromStateVector(Float64Array.of(1, 0, 0, 0), Float64Array.of(0, v, 0, 0)), /state vector im\[1\] must be a finite number/],
  ['Mps.productState', (v) => Mps.productState([[1, 0], [v, 1]]), /site 1 re\[0\] must be a finite number/],
  ['new Mps (raw site tensors)', (v) => new Mps([{ dl: 1, d: 2, dr: 1, re: Float64Array.of(1, v), im: null }], 0), /site 0: re\[1\] must be a finite number/],
  ['mpsFromJson', (v) => { const j = mpsToJson(bell()); j.sites[0]!.re = Buffer.from(Float64Array.of(v, 0, 0, 1).buffer).toString('base64'); return mpsFromJson(j); }, /site 0: re\[0\] must be a finite number/],
  ['Mps.scaleInPlace', (v) => bell().scaleInPlace(v), /scale factor must be a finite number/],
  ['Mps.zeros (n)', (v) => Mps.zeros(v), /n must be an integer ≥ 1/],
  ['sampleBitstrings (shots)', (v) => sampleBitstrings(bell(), v, 1), /shots must be an integer ≥ 0/],
  ['DensityMatrix.fromStateVector (re)', (v) => DensityMatrix.fromStateVector([0, v, 0, 1], null), /state vector re\[1\] must be a finite number/],
  ['DensityMatrix.fromStateVector (im)', (v) => DensityMatrix.fromStateVector([1, 0, 0, 0], [0, 0, v, 0]), /state vector im\[2\] must be a finite number/],
  ['StateVectorBackend.fromAmplitudes', (v) => StateVectorBackend.fromAmplitudes([v, 0, 0, 1], null), /amplitudes re\[0\] must be a finite number/],
  ['expectPauliSum (coefficient)', (v) => expectPauliSum(bell(), [{ coeff: v, factors: [{ q: 0, p: 'Z' }] }]), /coefficient must be a finite number/],
  ['StateVectorBackend.expectPauliSum (coefficient)', (v) => StateVectorBackend.zeros(2).expectPauliSum([{ coeff: v, factors: [{ q: 0, p: 'Z' }] }]), /coefficient must be a finite number/],
  ['pauliSumMpo (coefficient)', (v) => pauliSumMpo(2, [{ coeff: v, factors: [{ q: 1, p: 'X' }] }]), /term 0 has a non-finite coefficient/],
  ['adjointGradientMps (observable)', (v) => adjointGradientMps(Mps.zeros(2), rxCircuit, [{ coeff: v, factors: [{ q: 0, p: 'Z' }] }]), /non-finite coefficient/],
  ['adjointGradientStateVector (observable)', (v) => adjointGradientStateVector(rxCircuit, [{ coeff: v, factors: [{ q: 0, p: 'Z' }] }]), /coefficient must be a finite number/],
  ['parsePauliSum (n)', (v) => parsePauliSum('Z0', v), /n must be an integer ≥ 1/],
  ['runCircuitInPlace (gate angle)', (v) => runCircuitInPlace(Mps.zeros(2), { n: 2, ops: [{ name: 'rx', qubits: [0], params: [v] }] }), /parameter 0 must be finite/],
  ['toQasm (gate angle)', (v) => toQasm({ n: 2, ops: [{ name: 'rx', qubits: [1], params: [v] }] }), /gate 0 \(rx\): parameter 0 must be finite/],
  ['gateMatrix (angle)', (v) => gateMatrix({ name: 'u3', qubits: [0], params: [0.1, v, 0.2] }), /parameter 1 must be finite/],
  ['scaleToUnit (range)', (v) => scaleToUnit([1, 2], 0, v), /needs finite lo and hi/],
  ['featureStats (features)', (v) => featureStats([Float64Array.of(1, v)]), /sample 0 feature 1 must be a finite number/],
  ['StateVectorBackend.run (gate angle)', (v) => StateVectorBackend.zeros(2).run({ n: 2, ops: [{ name: 'ry', qubits: [1], params: [v] }] }), /parameter 0 must be finite/],
  ['CircuitBuilder.add (fixed angle)', (v) => new CircuitBuilder(2).add('rz', [0], [{ value: v }]), /angles\[0\]\.value must be finite/],
  ['CircuitBuilder.add (angle scale)', (v) => { const b = new CircuitBuilder(2); return b.add('rz', [0], [b.newAngle(v)]); }, /angles\[0\]\.scale must be finite/],
  ['CircuitBuilder (n)', (v) => new CircuitBuilder(v), /n must be an integer ≥ 1/],
  ['hardwareEfficient (layers)', (v) => hardwareEfficient(new CircuitBuilder(3), { layers: v, entangler: 'cz' }), /layers must be an integer ≥ 0/],
  ['qcnn (readoutQubits)', (v) => qcnn(new CircuitBuilder(4), { readoutQubits: v }), /readoutQubits must be an integer/],
  ['lightCone (readout qubit)', (v) => lightCone(new CircuitBuilder(3).build(), [v]), /readout qubit .* out of range/],
  ['brickworkCircuit (layers)', (v) => brickworkCircuit(4, v, 1), /layers must be an integer ≥ 0/],
  ['Mps.moveCenterInPlace', (v) => bell().moveCenterInPlace(v), /center target must be an integer/],
  ['stratifiedSplit (sizes)', (v) => stratifiedSplit([0, 1, 0, 1], [1, v], 1), /sizes\[1\] must be an integer ≥ 0/],
  ['makeDownsampler (to)', (v) => makeDownsampler(4, v), /to must be an integer ≥ 1/],
  ['angleEncoding (scale)', (v) => angleEncoding(new CircuitBuilder(2, 2), { scale: v }), /scale must be a finite number/],
  ['resolveTruncation (cutoff)', (v) => resolveTruncation({ cutoff: v }), /cutoff must be a number in \[0, 1\)/],
  ['QnnModel (initScale)', (v) => new QnnModel({ ...SPEC, initScale: v }), /model\.initScale = .*: must be a number ≥ 0/],
  ['QnnModel (encoding scale)', (v) => new QnnModel({ ...SPEC, encoding: { type: 'angle', rotation: 'ry', scale: v } }), /model\.encoding\.scale = .*: must be a finite number/],
  ['QnnModel (truncation.cutoff)', (v) => new QnnModel({ ...SPEC, truncation: { cutoff: v } }), /model\.truncation\.cutoff = .*: must be a number in \[0, 1\)/],
  ['QnnModel (truncation.maxBond)', (v) => new QnnModel({ ...SPEC, truncation: { maxBond: v } }), /model\.truncation\.maxBond = .*leave maxBond out for no bond cap/],
  ['QnnModel.forward (params)', (v) => { const p = goodParams(); p[2] = v; return model.forward(p, [0.1, 0.2, 0.3]); }, /params\[2\] must be a finite number/],
  ['QnnModel.forward (features)', (v) => model.forward(goodParams(), [0.1, v, 0.3]), /input feature 1 is/],
  ['modelFromJson (params)', (v) => { const p = Array.from(goodParams()); p[0] = v; return modelFromJson({ format: 'qdistill-model', version: 1, qdistill: '0', spec: SPEC, params: p }); }, /params\[0\] must be a finite number/],
  ['gaussianBlobs (nTrain)', (v) => gaussianBlobs({ nTrain: v }), /nTrain must be an integer ≥ 1/],
  ['loadMnist (perClass.val)', (v) => loadMnist({ size: 4, seed: 1, perClass: { train: 2, val: v, test: 1 } }), /perClass\.val must be an integer ≥ 0/],
  ['gaussianBlobs (separation)', (v) => gaussianBlobs({ separation: v }), /separation must be a finite number > 0/],
  ['fitInputMap (training features)', (v) => fitInputMap({ kind: 'pca', components: 1 }, [Float64Array.of(0, v), Float64Array.of(1, 1)]), /train\[0\]\[1\] must be a finite number/],
  ['gridPoints (phase grid)', (v) => gridPoints('tfim', { h: [0.5, v] }), /grid\.h must be a non-empty list of finite numbers/],
  ['hintonKdLoss (logits)', (v) => hintonKdLoss([0, v], 0, { logits: [0, 1] }), /must be finite/],
  ['resolveKdOptions (T)', (v) => resolveKdOptions({ T: v }), /temperature T must be a finite number > 0/],
  ['fidelityWeight', (v) => fidelityWeight(v), /fidelity must be finite/],
  ['psKdAlpha (alphaT)', (v) => psKdAlpha(0, 10, v), /alphaT must be in \[0, 1\]/],
  ['makeSchedule (lr)', (v) => makeSchedule({ type: 'constant', lr: v }), /lr must be a finite number > 0/],
  ['Adam (eps)', (v) => new Adam(3, { eps: v }), /eps must be a finite number > 0/],
  ['softLabelKey (cutoff)', (v) => softLabelKey({ teacherHash: 'a', datasetHash: 'b', cutoff: v }), /cutoff must be a finite number ≥ 0/],
  ['softLabelKey (maxBond)', (v) => softLabelKey({ teacherHash: 'a', datasetHash: 'b', maxBond: v }), /maxBond must be an integer ≥ 1, got .*omit maxBond/],
  ['resolveConfig (training.lr)', (v) => resolveConfig({ name: 'x', seeds: [1], data: { type: 'blobs', classes: 2, features: 2, nTrain: 4, nVal: 2, nTest: 2, separation: 3 }, training: { epochs: 1, batchSize: 2, lr: v } }), /training\.lr/],
  ['resolveConfig (data.separation)', (v) => resolveConfig({ name: 'x', seeds: [1], data: { type: 'blobs', classes: 2, features: 2, nTrain: 4, nVal: 2, nTest: 2, separation: v }, training: { epochs: 1, batchSize: 2, lr: 0.1 } }), /data\.separation/],
];

describe('library entry points refuse NaN, ±Infinity and 1e400', () => {
  for (const [name, call, msg] of LIBRARY) {
    it.each(BAD)(`${name} ← %s`, (_label, v) => {
      expect(() => call(v)).toThrow(msg);
    });
  }

  it.each(BAD)('train (initial parameters) ← %s', async (_label, v) => {
    const objective = { nParams: 2, nTrain: 2, lossAndGrad: async () => ({ loss: 0, grad: new Float64Array(2) }), evaluate: async () => ({ loss: 0, accuracy: 1 }) };
    await expect(train(objective as never, Float64Array.of(0, v), { epochs: 1, batchSize: 1, seed: 1, optimizer: { type: 'sgd' }, schedule: { type: 'constant', lr: 0.1 } })).rejects.toThrow(/params0\[1\] is .*initial parameters must be finite/);
  });

  it('parsePauliSum: a coefficient written as 1e400 names its column; NaN and Infinity are not numbers in the grammar', () => {
    expect(() => parsePauliSum('Z1 + 1e400*Z0')).toThrow(/column 6: coefficient 1e400 is not a finite number/);
    expect(() => parsePauliSum('-1e400')).toThrow(/column 2: coefficient 1e400/);
    for (const label of ['NaN', 'Infinity']) expect(() => parsePauliSum(`${label}*Z0`)).toThrow(/Pauli sum, column 1: expected/);
    // the largest finite double still parses, exactly
    expect(parsePauliSum('1.7976931348623157e308*Z0')[0]!.coeff).toBe(Number.MAX_VALUE);
  });
});

/** Zero-norm and overflowing vectors, where a state is built, sampled, normalised or measured. */
const DEGENERATE: [string, () => unknown, RegExp][] = [
  ['Mps.fromStateVector, all zeros', () => Mps.fromStateVector(new Float64Array(4), null), /state vector has norm 0/],
  ['Mps.fromStateVector, zero re and im', () => Mps.fromStateVector(new Float64Array(8), new Float64Array(8)), /has norm 0/],
  ['Mps.fromStateVector, ‖ψ‖² overflows', () => Mps.fromStateVector(Float64Array.of(1e200, 1e200, 0, 0), null), /squared norm of Infinity/],
  ['Mps.productState, a zero local vector', () => Mps.productState([[1, 0], [0, 0]]), /local vector of site 1 has norm 0/],
  ['DensityMatrix.fromStateVector, all zeros', () => DensityMatrix.fromStateVector([0, 0, 0, 0], [0, 0, 0, 0]), /state vector has norm 0/],
  ['DensityMatrix.fromStateVector, ‖ψ‖² overflows', () => DensityMatrix.fromStateVector([1e200, 0, 1e200, 0], null), /squared norm of Infinity/],
  ['DensityMatrix.fromStateVector, amplitudes whose squares underflow', () => DensityMatrix.fromStateVector([0, 0, 1e-300, 0], null), /squared norm that underflows to 0/],
  ['StateVectorBackend.fromAmplitudes, all zeros', () => StateVectorBackend.fromAmplitudes([0, 0, 0, 0], [0, 0, 0, 0]), /amplitude vector has norm 0/],
  ['Mps.fromStateVector, amplitudes whose squares underflow', () => Mps.fromStateVector([1e-300, 0, 0, 1e-301], null), /squared norm that underflows to 0 \(largest \|amplitude\| 1.000e-300\); rescale it/],
  ['StateVectorBackend.fromAmplitudes, amplitudes whose squares underflow', () => StateVectorBackend.fromAmplitudes([0, 1e-200, 0, 0], null), /amplitude vector has a squared norm that underflows to 0/],
  ['mpsFromJson of a zero state', () => { const j = mpsToJson(bell()); for (const s of j.sites) s.re = Buffer.from(new Float64Array(s.dl * s.d * s.dr).buffer).toString('base64'); return mpsFromJson(j); }, /MPS JSON: the state has norm 0/],
  ['sampleBitstrings on a state scaled to 0', () => sampleBitstrings(bell().scaleInPlace(0), 4, 1), /cannot sample from a state of norm 0/],
  ['Mps.normalizeInPlace of a zero state', () => bell().scaleInPlace(0).normalizeInPlace(), /cannot normalise a state of norm 0/],
  ['expectPauliSum on a zero state', () => expectPauliSum(bell().scaleInPlace(0), [{ coeff: 1, factors: [{ q: 1, p: 'Z' }] }]), /expectation of a state of norm 0/],
  ['localExpectations on a zero state', () => localExpectations(bell().scaleInPlace(0), 'Z'), /zero state/],
];

describe('zero-norm and overflowing states are refused', () => {
  it.each(DEGENERATE)('%s', (_name, call, msg) => {
    expect(call).toThrow(msg);
  });

  it('the issue\'s input: fromStateVector([NaN, 1, 0, 0]) is refused instead of sampling "10"', () => {
    expect(() => Mps.fromStateVector([NaN, 1, 0, 0] as unknown as Float64Array, null)).toThrow(/state vector re\[0\] must be a finite number, got NaN/);
  });

  it('valid states still build and sample as before (plain arrays accepted; not normalised)', () => {
    const psi = Mps.fromStateVector([0, 3, 0, 4] as unknown as Float64Array, null);
    expect(psi.normSquared()).toBeCloseTo(25, 12);
    const shots = sampleBitstrings(psi, 2000, 7);
    const p01 = shots.filter((s) => s === '01').length / shots.length;
    // P(01) = 9/25 = 0.36; 2000 shots give a standard error of 0.011
    expect(Math.abs(p01 - 0.36)).toBeLessThan(0.05);
    expect(new Set(shots)).toEqual(new Set(['01', '11']));
  });
});

const dir = mkdtempSync(join(tmpdir(), 'qdistill-nonfinite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const QASM = join(dir, 'c.qasm');
writeFileSync(QASM, 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nh q[0];\ncx q[0], q[1];\n');
const CIRCUIT = join(dir, 'c.json');
writeFileSync(CIRCUIT, JSON.stringify({ format: 'qdistill-circuit', version: 1, n: 2, params: [0.3], inputs: 1, gates: [{ gate: 'ry', qubits: [0], angles: [{ input: 0, scale: 1 }] }, { gate: 'rx', qubits: [1], angles: [{ param: 0 }] }] }));
const CONFIG = join(dir, 'lr.json');
writeFileSync(CONFIG, '{"name":"x","seeds":[1],"data":{"type":"blobs","classes":2,"features":2,"nTrain":4,"nVal":2,"nTest":2,"separation":3},"training":{"epochs":1,"batchSize":2,"lr":1e400}}');

/** CLI rows: the arguments with the number as text, the exit code and the stderr line. */
const CLI: [string, (t: string) => string[], RegExp][] = [
  ['simulate --cutoff', (t) => ['simulate', QASM, '--cutoff', t], /--cutoff must be a number ≥ 0, got/],
  ['simulate --max-bond', (t) => ['simulate', QASM, '--max-bond', t], /--max-bond must be an integer ≥ 1, got/],
  ['simulate --shots', (t) => ['simulate', QASM, '--shots', t, '--seed', '1'], /--shots must be an integer ≥ 0, got/],
  ['grad --observable', (t) => ['grad', CIRCUIT, '--inputs', '0.2', '--observable', `${t}*Z0`], /--observable: Pauli sum, column [12]: /],
  ['grad --inputs', (t) => ['grad', CIRCUIT, '--inputs', t, '--observable', 'Z0'], /--inputs entry 0 must be a finite number/],
  ['grad --cutoff', (t) => ['grad', CIRCUIT, '--inputs', '0.2', '--observable', 'Z0', '--cutoff', t], /--cutoff must be a number ≥ 0/],
  ['groundstate --h', (t) => ['groundstate', '--model', 'tfim', '--n', '4', '--h', t], /--h must be a finite number/],
  ['run --workers', (t) => ['run', CONFIG, '--workers', t], /--workers must be an integer ≥ 1/],
];

describe('CLI flags refuse NaN, ±Infinity and 1e400 with exit 2 and one line', () => {
  for (const [name, args, msg] of CLI) {
    it.each(BAD.map(([label]) => label))(`${name} %s`, (label) => {
      const r = runCli(args(label));
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    });
  }

  it('a config whose number is the literal 1e400 is a config error naming the path', () => {
    const r = runCli(['validate', CONFIG]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/training\.lr = Infinity: must be a finite number/);
  });

  // every numeric config field: the JSON literal ±1e400 is named as a non-finite number, not
  // as zod's "expected number, received number"
  const BLOBS_TEXT = '{"name":"x","seeds":[1],"data":{"type":"blobs","classes":2,"features":2,"nTrain":4,"nVal":2,"nTest":2,"separation":3},"training":{"epochs":1,"batchSize":2,"lr":0.1},"teacher":{"model":{"qubits":2,"ansatz":{"type":"ry"}}},"students":[]}';
  const PHASES_TEXT = '{"name":"p","seeds":[1],"data":{"type":"phases","model":"tfim","n":6,"grid":{"h":[0.5,1.5,0.6,1.2]}},"training":{"epochs":1,"batchSize":2,"lr":0.1},"teacher":{"model":{"qubits":6,"encoding":{"type":"mps"},"ansatz":{"type":"ry"}}},"students":[]}';
  it.each<[string, string, string, string]>([
    ['training.epochs', BLOBS_TEXT, '"epochs":1', '"epochs":1e400'],
    ['training.lrMin', BLOBS_TEXT, '"lr":0.1', '"lr":0.1,"lrMin":-1e400'],
    ['data.separation', BLOBS_TEXT, '"separation":3', '"separation":1e400'],
    ['teacher.model.cutoff', BLOBS_TEXT, '"type":"ry"}', '"type":"ry"},"cutoff":1e400'],
    ['teacher.model.initScale', BLOBS_TEXT, '"type":"ry"}', '"type":"ry"},"initScale":1e400'],
    ['data.grid.J.0', PHASES_TEXT, '"h":[0.5,1.5,0.6,1.2]', '"h":[0.5,1.5,0.6,1.2],"J":[1e400]'],
    ['data.grid.h.1', PHASES_TEXT, '"h":[0.5,1.5,', '"h":[0.5,-1e400,'],
    ['data.dmrg.cutoff', PHASES_TEXT, '"model":"tfim"', '"model":"tfim","dmrg":{"cutoff":1e400}'],
  ])('config %s = ±1e400 → "must be a finite number"', (path, text, from, to) => {
    const raw = JSON.parse(text.replace(from, to));
    let err: Error | null = null;
    try { resolveConfig(raw); } catch (e) { err = e as Error; }
    expect(err?.message).toMatch(new RegExp(`${path.replace(/\./g, '\\.')} = -?Infinity: must be a finite number`));
  });

  const FILES: [string, string, string, string[], RegExp][] = [
    ['circuit JSON params', 'p.json', '{"format":"qdistill-circuit","version":1,"n":2,"params":[1e400],"gates":[{"gate":"rx","qubits":[0],"angles":[{"param":0}]}]}', ['grad', '--observable', 'Z0'], /params\[0\] must be a finite number, got Infinity/],
    ['circuit JSON fixed angle', 'v.json', '{"format":"qdistill-circuit","version":1,"n":2,"params":[0],"gates":[{"gate":"rx","qubits":[0],"angles":[{"value":-1e400}]}]}', ['grad', '--observable', 'Z0'], /gates\[0\]\.angles\[0\]\.value must be a finite number, got -Infinity/],
    ['OpenQASM gate parameter', 'a.qasm', 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nrx(1e400) q[0];\n', ['simulate'], /line 4.*(Infinity|finite)/],
  ];
  it.each(FILES)('a file whose number is the literal 1e400: %s → exit 2', (_name, file, text, [command, ...rest], msg) => {
    const path = join(dir, file);
    writeFileSync(path, text);
    const r = runCli([command!, path, ...rest]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(msg);
  });

  it('grad --observable "1e400*Z0" (the issue\'s input) exits 2 naming the coefficient, not printing NaN', () => {
    const r = runCli(['grad', CIRCUIT, '--inputs', '0.2', '--observable', '1e400*Z0']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^qdistill: --observable: Pauli sum, column 1: coefficient 1e400 is not a finite number/);
  });

  it.each(['mps', 'statevector'])('grad: finite coefficients whose sum overflows are refused (--backend %s)', (backend) => {
    const r = runCli(['grad', CIRCUIT, '--inputs', '0.2', '--observable', '1e308*Z0 + 1e308*Z1', '--backend', backend]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/sum of \|coefficients\| overflows a double/);
  });

  it('grad: a gradient that overflows (angle scale 1e308 × coefficient 10) is an error with exit 1, not output', () => {
    const file = join(dir, 'scaled.json');
    writeFileSync(file, JSON.stringify({ format: 'qdistill-circuit', version: 1, n: 1, params: [1e-308 * 0.3], gates: [{ gate: 'rx', qubits: [0], angles: [{ param: 0, scale: 1e308 }] }] }));
    const ok = runCli(['grad', file, '--observable', 'Z0', '--json']);
    expect(ok.status).toBe(0);
    // <Z> = cos(0.3) and d<Z>/dθ = −1e308·sin(0.3): finite, printed
    const out = JSON.parse(ok.stdout) as { value: number; gradient: number[] };
    expect(out.value).toBeCloseTo(Math.cos(0.3), 12);
    expect(out.gradient[0]! / -1e308).toBeCloseTo(Math.sin(0.3), 10);
    const r = runCli(['grad', file, '--observable', '10*Z0']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/d<M>\/d params\[0\] came out -Infinity/);
  });
});

/**
 * qdistill's public API: QNN models, training, data, circuits and the state-vector reference,
 * plus everything from the MPS engine (`qdistill/mps`).
 */
export * from '../mps/index.js';
export { parsePauliSum, formatPauliSum } from '../mps/pauli-parse.js';
export { StateVectorBackend, simulateStateVector } from './backends/statevector.js';
export { DensityMatrix } from './backends/density-matrix.js';
export { brickworkCircuit } from './circuit/brickwork.js';
export * from './circuit/ir.js';
export { parseCircuitJson, circuitToJson, exportQasm } from './circuit/json.js';
export { parseQasm, toQasm, QasmError } from './circuit/qasm.js';
export * from './circuit/ansatz.js';
export * from './circuit/encoding.js';
export { adjointGradientStateVector } from './grad/statevector.js';
export { parameterShiftGradient, SHIFT_RULE_GATES } from './grad/param-shift.js';
export { QnnModel } from './qnn/model.js';
export type { ModelInput, ForwardResult, BackwardResult } from './qnn/model.js';
export * from './qnn/spec.js';
export * from './qnn/loss.js';
export { modelToJson, modelFromJson } from './qnn/io.js';
export { makeQnnObjective } from './distill/objective.js';
export { estimateReadouts, parameterShiftJacobian, isStochastic, DEFAULT_MODEL_TRAJECTORIES } from './qnn/hardware.js';
export type { HardwareOptions, GradientMethod, ReadoutEstimate } from './qnn/hardware.js';
export * from './data/dataset.js';
export * from './data/synthetic.js';
export { train } from './train/loop.js';
export type { TrainOptions, TrainResult, EpochRecord, Objective } from './train/loop.js';
export { QDISTILL_VERSION } from './version.js';
export * from './data/preprocess.js';
export { loadMnist } from './data/mnist.js';
export * from './data/input-map.js';
export * from './distill/losses.js';
export * from './distill/soft-labels.js';
export * from './distill/self-distill.js';
export { hashJson, hashFloat64 } from './infra/hash.js';
export * from './report/index.js';
export * from './stats/index.js';
export { resolveConfig, configJsonSchema, ConfigError, ExperimentSchema } from './experiment/config.js';
export type { ExperimentConfig } from './experiment/config.js';
export { runExperiment } from './experiment/runner.js';
export type { RunRecord, ExperimentResults } from './experiment/runner.js';
export { writeReport, resultsTable } from './experiment/report.js';
export type { QnnObjective, ObjectiveLoss, Predictions } from './distill/objective.js';

/**
 * The teacher step (`seed-S/teacher`): trains the study's teacher on the seed's data, with its
 * own bond cap, and records the run. Later steps read its final parameters back from its
 * checkpoint ({@link teacherParams}).
 */
import type { Dataset } from '../../data/dataset.js';
import { withLabelledTransfer } from '../../data/regime.js';
import { QnnModel } from '../../qnn/model.js';
import { modelSpec, trainModel } from '../build.js';
import { runCost } from '../cost.js';
import { hardwareRecord } from '../hardware.js';
import type { PlanTask } from '../plan.js';
import type { RunRecord } from '../runner.js';
import { checkpointDir, dataOf, finalOf, finishedParams, modelInfo, phaseMapOf, trainingOf, type StepContext } from './common.js';

/** A run record before the executor stamps it with the git commit and the numerics. */
export type RunRecordCore = Omit<RunRecord, 'gitCommit' | 'numerics'>;

/** The teacher's run key (and task id) for seed `seed`. */
export function teacherKey(seed: string | number): string {
  return `seed-${seed}/teacher`;
}

function teacherOf(ctx: StepContext): NonNullable<StepContext['cfg']['teacher']> {
  const t = ctx.cfg.teacher;
  if (!t) throw new Error(`config '${ctx.cfg.name}' has no teacher`);
  return t;
}

/**
 * The teacher's training data: the seed's data, with the transfer set added to the training
 * split (true labels) under `teacher.trainingSet: 'labelled+transfer'`.
 */
export function teacherTrainingData(ctx: StepContext, data: Dataset): Dataset {
  return teacherOf(ctx).trainingSet === 'labelled+transfer' ? withLabelledTransfer(data) : data;
}

/** Runs the teacher step of `task` (kind `teacher`). */
export async function teacherStep(ctx: StepContext, task: PlanTask): Promise<RunRecordCore> {
  const { seed } = task;
  const tc = teacherOf(ctx);
  const data = await dataOf(ctx, seed);
  const trainData = teacherTrainingData(ctx, data);
  const t = trainingOf(ctx, tc.training);
  const teacher = await trainModel(modelSpec(tc.model, data.features, data.classes), trainData, t, `${seed}/teacher`, checkpointDir(ctx, task.id), ctx);
  return {
    key: task.id, seed, role: 'teacher', name: 'teacher', method: 'label', chiT: tc.model.maxBond ?? null, model: modelInfo(tc.model, teacher.model), inputMap: null,
    history: teacher.result.history, final: finalOf(teacher.result.history), teacher: null, epochsToTarget: null,
    phaseMap: await phaseMapOf(teacher, data, ctx.workers), seconds: teacher.seconds, secondsPieces: teacher.secondsPieces,
    // a teacher under shots or noise records them, its gradient method and its repeated test accuracy, as students do
    ...(teacher.model.stochastic ? { hardware: await hardwareRecord(teacher, tc.model, data, null, ctx.cfg.hardwareSweep?.evalRepeats ?? 5, ctx.workers) } : {}),
    ...(t.steps !== undefined ? { steps: teacher.result.steps } : {}),
    cost: runCost(teacher.model, teacher.params, trainData, t, teacher.result.steps),
  };
}

/** The finished teacher of `seed`: its model (at its own bond cap) and final parameters, from its checkpoint. */
export async function teacherParams(ctx: StepContext, seed: string | number, data: Dataset): Promise<{ model: QnnModel; params: Float64Array }> {
  const tc = teacherOf(ctx);
  const model = new QnnModel(modelSpec(tc.model, data.features, data.classes));
  return { model, params: await finishedParams(ctx, teacherKey(seed), model, teacherTrainingData(ctx, data), trainingOf(ctx, tc.training), `${seed}/teacher`) };
}

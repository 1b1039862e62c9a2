/**
 * The self-distillation steps (`seed-S/self/<method>`): one model trained plainly, plainly
 * with snapshot KD's cyclic learning rate (`cyclic`, the control that separates the schedule
 * from the snapshots' teaching), with
 * snapshot KD (Yang et al. 2019: cyclic learning rate, the last snapshot of each cycle teaches
 * the next), with PS-KD (Kim et al. 2021: target (1−α_t)·y + α_t·p_{t−1}), or as born-again
 * generations (Furlanello et al. 2018: generation g learns from generation g − 1, one step per
 * generation). Who teaches whom comes from the schedules of `distill/self-distill.ts`.
 */
import type { Dataset } from '../../data/dataset.js';
import { psKdTarget } from '../../distill/losses.js';
import { makeQnnObjective } from '../../distill/objective.js';
import { psKdSchedule, snapshotTeacherEpoch } from '../../distill/self-distill.js';
import { softmax } from '../../qnn/loss.js';
import { QnnModel } from '../../qnn/model.js';
import type { EpochRecord } from '../../train/loop.js';
import { mapInputs, modelSpec, samplingSeedOf, trainModel, type ModelRun } from '../build.js';
import { hardwareRecord } from '../hardware.js';
import { kdSinglePoint } from '../kd-grid.js';
import type { PlanTask, TaskStep } from '../plan.js';
import { checkpointDir, dataOf, finalOf, finishedParams, modelInfo, trainingOf, type StepContext } from './common.js';
import type { RunRecordCore } from './teacher.js';

/** The first epoch (1-based) whose validation accuracy reached `target`, or null. */
export function epochsTo(h: EpochRecord[], target: number): number | null {
  const r = h.find((e) => (e.val_accuracy ?? -1) >= target);
  return r ? r.epoch : null;
}

/** The run key (and task id) of born-again generation `g` of seed `seed`. */
export function bornAgainKey(seed: string | number, g: number): string {
  return `seed-${seed}/self/born-again-g${g}`;
}

/** Runs the self-distillation step of `task` (kind `self`). */
export async function selfDistillStep(ctx: StepContext, task: PlanTask): Promise<RunRecordCore> {
  const st = task.step;
  if (st.kind !== 'self') throw new Error(`selfDistillStep got a ${task.kind} task (${task.id})`);
  const { cfg } = ctx;
  const { seed } = task;
  const sd = cfg.selfDistillation!;
  const data = await dataOf(ctx, seed);
  const mapped = mapInputs(data, sd.input);
  const spec = modelSpec(sd.model, mapped.data.features, data.classes);
  // self-distillation takes a single T and α (a KD grid is refused with it)
  const kdOpts = { ...kdSinglePoint(cfg.kd), scaleT2: cfg.kd.scaleT2 };
  const base = trainingOf(ctx);
  const key = task.id;
  const dir = checkpointDir(ctx, key);
  let run: ModelRun;
  if (st.method === 'plain') {
    run = await trainModel(spec, mapped.data, base, `${seed}/self`, dir, ctx);
  } else if (st.method === 'cyclic') {
    // the control of snapshot KD: its cyclic learning rate, no teacher
    run = await trainModel(spec, mapped.data, { ...base, schedule: 'cyclic' as const, cycleEpochs: sd.cycleEpochs }, `${seed}/self`, dir, ctx);
  } else if (st.method === 'snapshot') {
    const t = { ...base, schedule: 'cyclic' as const, cycleEpochs: sd.cycleEpochs };
    run = await trainModel(spec, mapped.data, t, `${seed}/self`, dir, ctx, (obj) => {
      // the parameters at the end of the previous cycle (at the start of this epoch when it
      // opens a cycle) teach the whole cycle; after a resume in mid-cycle the teacher is
      // rebuilt from the parameters at the resumed epoch (a documented approximation)
      let hasTeacher = false;
      obj.onEpochStart = async (epoch, params, o) => {
        const teacherEpoch = snapshotTeacherEpoch(epoch, sd.cycleEpochs);
        if (teacherEpoch === null) return;
        if (teacherEpoch !== epoch - 1 && hasTeacher) return;
        const p = await o.predict(params, 'train');
        o.setLoss({ kind: 'kd', options: kdOpts, teacherLogits: p.logits });
        hasTeacher = true;
      };
    });
  } else if (st.method === 'pskd') {
    run = await trainModel(spec, mapped.data, base, `${seed}/self`, dir, ctx, (obj) => {
      // the model at the end of epoch t − 1 (the parameters at the start of epoch t) teaches epoch t
      obj.onEpochStart = async (epoch, params, o) => {
        const { teacherEpoch, alpha } = psKdSchedule(epoch, base.epochs!, sd.alphaT);
        if (teacherEpoch === null) { o.setLoss({ kind: 'ce' }); return; }
        const p = await o.predict(params, 'train');
        o.setLoss({ kind: 'soft', targets: p.logits.map((z, i) => psKdTarget(mapped.data.train.y[i]!, softmax(z), alpha)) });
      };
    });
  } else {
    const { generation: g, teacherGeneration: tg } = st as Extract<TaskStep, { method: 'born-again' }>;
    run = await trainModel(spec, mapped.data, base, `${seed}/self/gen${g}`, dir, ctx, async (obj) => {
      if (tg === null) return;
      const teacher = await bornAgainTeacher(ctx, seed, tg, spec, mapped.data);
      const tObj = await makeQnnObjective(teacher.model, mapped.data, { workers: ctx.workers, ...(teacher.samplingSeed !== undefined ? { seed: teacher.samplingSeed } : {}) });
      try {
        const p = await tObj.predict(teacher.params, 'train');
        obj.setLoss({ kind: 'kd', options: kdOpts, teacherLogits: p.logits });
      } finally { await tObj.close(); }
    });
  }
  const method = st.method === 'born-again' ? `born-again-g${(st as Extract<TaskStep, { method: 'born-again' }>).generation}` : st.method;
  return {
    key, seed, role: 'self', name: 'self', method, chiT: null, model: modelInfo(sd.model, run.model), inputMap: mapped.map?.toJSON() ?? null,
    history: run.result.history, final: finalOf(run.result.history), teacher: null, epochsToTarget: epochsTo(run.result.history, sd.targetAccuracy), phaseMap: null,
    seconds: run.seconds, secondsPieces: run.secondsPieces,
    ...(run.model.stochastic ? { hardware: await hardwareRecord(run, sd.model, mapped.data, null, cfg.hardwareSweep?.evalRepeats ?? 5, ctx.workers) } : {}),
  };
}

/** The finished born-again generation `g` (its model, final parameters and sampling seed), from its checkpoint. */
async function bornAgainTeacher(ctx: StepContext, seed: string | number, g: number, spec: ConstructorParameters<typeof QnnModel>[0], data: Dataset): Promise<{ model: QnnModel; params: Float64Array; samplingSeed?: string }> {
  const model = new QnnModel(spec);
  const params = await finishedParams(ctx, bornAgainKey(seed, g), model, data, trainingOf(ctx), `${seed}/self/gen${g}`);
  return { model, params, ...(model.stochastic ? { samplingSeed: samplingSeedOf(spec, `${seed}/self/gen${g}`) } : {}) };
}

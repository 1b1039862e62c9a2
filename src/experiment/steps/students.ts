/**
 * The student steps: a student trained on labels or by KD from the teacher's soft labels
 * (`seed-S/student/<name>/<method>`), the teacher-bond sweep's KD student at one χ_T
 * (`seed-S/bond/chi-<χ>/<name>`), and the hardware sweep's student at one shots or noise point
 * (`seed-S/<point>/<name>/<method>`). KD runs read the soft labels their soft-label step
 * stored; under shots or noise the run also records its accuracy over shot seeds.
 */
import type { SoftLabelKeyParts } from '../../distill/soft-labels.js';
import { mapInputs, modelSpec, trainModel } from '../build.js';
import { runCost } from '../cost.js';
import { hardwarePoints, hardwareRecord, modelAtPoint } from '../hardware.js';
import type { PlanTask } from '../plan.js';
import type { RunRecord } from '../runner.js';
import { checkpointDir, dataOf, finalOf, modelInfo, phaseMapOf, trainingOf, type StepContext } from './common.js';
import { transferArm, type TransferArm } from './transfer.js';
import { TEACHER_METHODS, TRANSFER_METHODS } from '../config.js';
import { kdSinglePoint } from '../kd-grid.js';
import { studentsOf } from '../student-sweep.js';
import { readSoftLabels, teacherSummary } from './soft-labels.js';
import type { RunRecordCore } from './teacher.js';

/** The soft labels a KD run trains on: the soft-label task's id and the cache key from its done marker. */
export interface KdInput { taskId: string; keyParts: SoftLabelKeyParts }

/**
 * Runs the student step of `task` (kind `student`, `bond` or `hardware`); `kd` is required for
 * KD runs (every bond run).
 */
export async function studentStep(ctx: StepContext, task: PlanTask, kd?: KdInput): Promise<RunRecordCore> {
  const st = task.step;
  if (st.kind !== 'student' && st.kind !== 'bond' && st.kind !== 'hardware') throw new Error(`studentStep got a ${task.kind} task (${task.id})`);
  const { cfg } = ctx;
  const { seed } = task;
  const tcfg = cfg.teacher!.model;
  const s = studentsOf(cfg).find((x) => x.name === st.student)!;
  const method = st.kind === 'bond' ? cfg.teacherBond?.method ?? 'kd' : st.method;
  const role = st.kind;
  const hwPoint = st.kind === 'hardware' ? hardwarePoints(cfg.hardwareSweep!).find((p) => p.key === st.point)! : undefined;
  // the bond sweep caps the teacher at its χ; other KD runs use the teacher's own cap
  const chi = st.kind === 'bond' ? st.maxBond : undefined;
  // T and α: the grid point of this run, else the config's single values
  const point = st.kind === 'student' && st.kd ? st.kd : kdSinglePoint(cfg.kd);
  const kdOptions = { T: point.T, alpha: point.alpha, scaleT2: cfg.kd.scaleT2 };
  if (TEACHER_METHODS.includes(method) && !kd) throw new Error(`${method} run ${task.id} needs its soft labels`);
  const sm = hwPoint ? modelAtPoint(s.model, hwPoint, cfg.hardwareSweep!) : s.model;
  const data = await dataOf(ctx, seed);
  const base = s.sites !== undefined ? await dataOf(ctx, seed, s.sites) : data;
  const mapped = mapInputs(base, s.input);
  const spec = modelSpec(sm, mapped.data.features, data.classes);
  let tinfo: RunRecord['teacher'] = null;
  // the transfer methods train on the labelled set plus the teacher-labelled transfer set
  let arm: TransferArm | null = null;
  if (TRANSFER_METHODS.includes(method)) {
    const sl = await readSoftLabels(ctx, kd!.taskId, kd!.keyParts, data);
    tinfo = teacherSummary(ctx, sl);
    arm = transferArm(method, mapped.data, sl, kdOptions, cfg.kd.fidelityWeighted === true);
  }
  const trainData = arm?.data ?? mapped.data;
  const t = trainingOf(ctx, s.training);
  const run = await trainModel(spec, trainData, t, `${seed}/${s.name}`, checkpointDir(ctx, task.id), ctx, async (obj) => {
    if (arm?.loss) obj.setLoss(arm.loss);
    if (method !== 'kd') return;
    const sl = await readSoftLabels(ctx, kd!.taskId, kd!.keyParts, data);
    tinfo = teacherSummary(ctx, sl);
    obj.setLoss({ kind: 'kd', options: kdOptions, teacherLogits: sl.train.logits, ...(cfg.kd.fidelityWeighted ? { weights: sl.train.fidelity } : {}) });
  });
  const hw = hwPoint || run.model.stochastic ? { hardware: await hardwareRecord(run, sm, mapped.data, hwPoint ?? null, cfg.hardwareSweep?.evalRepeats ?? 5, ctx.workers) } : {};
  return {
    key: task.id, seed, role, name: s.name, method, chiT: method === 'kd' || role === 'bond' ? chi ?? tcfg.maxBond ?? null : null, model: modelInfo(s.model, run.model), inputMap: mapped.map?.toJSON() ?? null,
    history: run.result.history, final: finalOf(run.result.history), teacher: tinfo, epochsToTarget: null,
    phaseMap: await phaseMapOf(run, mapped.data, ctx.workers), seconds: run.seconds, secondsPieces: run.secondsPieces, ...hw,
    ...(t.steps !== undefined ? { steps: run.result.steps } : {}), ...(st.kind === 'student' && st.kd ? { kd: st.kd } : {}),
    cost: runCost(run.model, run.params, trainData, t, run.result.steps),
  };
}

/**
 * The student-size sweep of a study (`studentSweep`): a grid of qubit counts × layer counts
 * expanded into ordinary students named `q<qubits>-l<layers>` (qubits first, then layers, in
 * config order), each built from the sweep's model template and input-map kind. Grid students
 * run as every other student (tasks `seed-S/student/q6-l2/<method>`, one per method of
 * `methods`), so plans, estimates, resumption and merging need nothing of their own.
 */
import type { ConfigIssue, ExperimentConfig, InputMapConfig, StudentConfig } from './config.js';

/** The `studentSweep` block of a resolved config. */
export type StudentSweep = NonNullable<ExperimentConfig['studentSweep']>;

/** The name of the grid student with `qubits` qubits and `layers` layers: `q<qubits>-l<layers>`. */
function sweepStudentName(qubits: number, layers: number): string {
  return `q${qubits}-l${layers}`;
}

/**
 * The input map of a grid student on `qubits` qubits: PCA with `qubits` components, average
 * pooling to √qubits per side, or none (raw features).
 * @throws Error for `avgPool` when `qubits` is not a square (config validation reports it first).
 */
function sweepInputMap(sw: StudentSweep, qubits: number): InputMapConfig | undefined {
  if (!sw.input) return undefined;
  if (sw.input.kind === 'pca') return { kind: 'pca', components: qubits };
  const side = Math.round(Math.sqrt(qubits));
  if (side * side !== qubits) throw new Error(`studentSweep: avgPool needs a square qubit count, got ${qubits}`);
  return { kind: 'avgPool', to: side };
}

/**
 * The grid students of a config, in grid order (every layer count of the first qubit count,
 * then the next); none without a sweep. Each has the template's model with its own `qubits`
 * and `ansatz.layers`, the template's readout or else a linear head on all its qubits, the
 * input map of {@link sweepInputMap} and the sweep's training overrides.
 */
export function sweepStudents(cfg: Pick<ExperimentConfig, 'studentSweep'>): StudentConfig[] {
  const sw = cfg.studentSweep;
  if (!sw) return [];
  const { ansatz, readout, ...rest } = sw.model;
  return sw.qubits.flatMap((qubits) => sw.layers.map((layers): StudentConfig => {
    const input = sweepInputMap(sw, qubits);
    return {
      name: sweepStudentName(qubits, layers),
      model: { ...rest, qubits, ansatz: { ...ansatz, layers }, readout: readout ?? { type: 'linear', qubits: Array.from({ length: qubits }, (_, k) => k) } },
      ...(input ? { input } : {}),
      ...(sw.training ? { training: sw.training } : {}),
    };
  }));
}

/** Every student of a config: the listed ones, then the grid students of its sweep. */
export function studentsOf(cfg: Pick<ExperimentConfig, 'students' | 'studentSweep'>): StudentConfig[] {
  return [...cfg.students, ...sweepStudents(cfg)];
}

/** The names of the sweep's grid students (empty without a sweep). */
export function sweepStudentNames(cfg: Pick<ExperimentConfig, 'studentSweep'>): string[] {
  const sw = cfg.studentSweep;
  return sw ? sw.qubits.flatMap((q) => sw.layers.map((l) => sweepStudentName(q, l))) : [];
}

/**
 * The structural problems of a sweep, before its grid students are built: a qubit or layer
 * count listed twice, a square qubit count missing under `avgPool`, a grid name taken by a
 * listed student, phase data (whose students read ground states of their own site count, not
 * an input map), and a sweep without a teacher. Each names its field.
 */
export function studentSweepIssues(c: ExperimentConfig): ConfigIssue[] {
  const sw = c.studentSweep;
  if (!sw) return [];
  const out: ConfigIssue[] = [];
  for (const key of ['qubits', 'layers'] as const) {
    sw[key].forEach((v, i) => { if (sw[key].indexOf(v) !== i) out.push({ path: `studentSweep.${key}.${i}`, value: v, message: `duplicate of studentSweep.${key}.${sw[key].indexOf(v)}` }); });
  }
  if (sw.input?.kind === 'avgPool') {
    sw.qubits.forEach((q, i) => { const s = Math.round(Math.sqrt(q)); if (s * s !== q) out.push({ path: `studentSweep.qubits.${i}`, value: q, message: "must be a square number (4, 9, 16, …) with input kind 'avgPool' (each student pools to √qubits per side); use input kind 'pca' for other counts" }); });
  }
  const listed = new Map(c.students.map((s, i) => [s.name, i]));
  for (const name of sweepStudentNames(c)) {
    if (listed.has(name)) out.push({ path: `students.${listed.get(name)!}.name`, value: name, message: `is also the name of a studentSweep grid student; rename it (grid students are named q<qubits>-l<layers>)` });
  }
  if (c.data.type === 'phases') out.push({ path: 'studentSweep', value: 'phases', message: "needs feature data (data.type 'mnist' or 'blobs'): phase-data students read ground states of their own site count, not an input map" });
  if (!c.teacher) out.push({ path: 'teacher', value: undefined, message: 'the student sweep needs a teacher (its target is a fraction of the teacher\'s accuracy)' });
  return out;
}

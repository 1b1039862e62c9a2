/**
 * The training loop's progress display: one line per epoch when the stream is not a terminal
 * (or with 'lines'), a cli-progress bar per run on a terminal (forced with a fake stream whose
 * isTTY is true) showing the run's name, epoch/step, loss, accuracy, bond reached and an ETA;
 * nothing with 'none'; and the bar is closed when training throws.
 */
import { describe, expect, it } from 'vitest';
import { train, type Objective, type TrainOptions } from '../../src/train/loop.js';
import { epochLine, formatEta, makeProgress, type ProgressStream } from '../../src/train/progress.js';
import { makeBlobsObjective } from '../../src/train/toy-objective.js';

const P0 = new Float64Array([0.3, -0.2, 0.1]);
const BASE: TrainOptions = { epochs: 3, batchSize: 16, seed: 42, optimizer: { type: 'adam' }, schedule: { type: 'constant', lr: 0.05 } };

/** A stream that records what is written; a terminal when `tty`. */
function sink(tty: boolean): ProgressStream & { text: () => string } {
  const parts: string[] = [];
  return { isTTY: tty, columns: 200, write: (s: string) => { parts.push(s); return true; }, text: () => parts.join('') };
}

/** The toy objective with a bond in its evaluation extras, as the QNN objective logs it. */
function withBond(bond: number): Objective {
  const o = makeBlobsObjective();
  return { ...o, evaluate: async (p, split) => ({ ...(await o.evaluate(p, split)), extra: { bond_reached: bond } }) };
}

describe('training progress', () => {
  it.each<[string, Partial<TrainOptions>, boolean]>([
    ["'auto' on a stream that is not a terminal", { progress: 'auto' }, false],
    ["'lines' on a terminal", { progress: 'lines' }, true],
  ])('%s: exactly one line per epoch, with the run, epoch, loss, accuracy, bond and eta', async (_name, o, tty) => {
    const s = sink(tty);
    await train(withBond(8), P0, { ...BASE, ...o, progressStream: s, progressLabel: 'seed-1/teacher' });
    const lines = s.text().split('\n');
    expect(lines.pop()).toBe(''); // ends with a newline
    expect(lines).toHaveLength(BASE.epochs!);
    lines.forEach((l, i) => expect(l).toMatch(new RegExp(`^seed-1/teacher  epoch ${i + 1}/3  loss \\d\\.\\d{4}  acc \\d\\.\\d{4}  val_loss \\d\\.\\d{4}  val_acc \\d\\.\\d{4}  bond 8  lr 5\\.00e-2  \\d+\\.\\d\\ds  eta \\d+s$`)));
    expect(s.text()).not.toMatch(/\r|\x1b/); // no terminal control sequences in a log
    expect(lines[2]).toMatch(/eta 0s$/);
  });

  it("'auto' on a terminal draws a bar per run: name, epoch/step, loss, accuracy, bond reached, ETA", async () => {
    const s = sink(true);
    await train(withBond(8), P0, { ...BASE, progress: 'auto', progressStream: s, progressLabel: 'seed-1/student/s4/kd' });
    const t = s.text();
    // the final drawing: the last step of the last epoch, 100 %, bond from the evaluation
    expect(t).toMatch(/seed-1\/student\/s4\/kd \S+ 100% \| epoch 3\/3 step 13\/13 \| loss \d\.\d{4} acc \d\.\d{3} \| bond 8 \| ETA \d+s/);
    expect(t).not.toMatch(/val_loss/); // no epoch lines under the bar
    expect(t.endsWith('\n')).toBe(true); // the bar is left as a finished line
  });

  it("'none' writes nothing", async () => {
    const s = sink(true);
    await train(makeBlobsObjective(), P0, { ...BASE, progress: 'none', progressStream: s });
    expect(s.text()).toBe('');
  });

  it('the bar is closed (its redraw timer stopped) when training throws', async () => {
    const s = sink(true);
    const o = makeBlobsObjective();
    let steps = 0;
    const failing: Objective = { ...o, lossAndGrad: async (p, idx, ctx) => { if (++steps === 5) throw new Error('boom'); return o.lossAndGrad(p, idx, ctx); } };
    await expect(train(failing, P0, { ...BASE, progress: 'bar', progressStream: s })).rejects.toThrow('boom');
    expect(s.text()).toMatch(/epoch 1\/3 step 4\/13/);
    expect(s.text().endsWith('\n')).toBe(true);
  });

  it("a line names the training split's loss and accuracy 'loss'/'acc' in epochs that evaluate it and 'batch_loss'/'batch_acc' (minibatch means) in the others", async () => {
    // 13 steps per epoch; evalEvery 26: epoch 1 (steps 1–13) skips the training split, epoch 2 crosses 26, epoch 3 is the last
    const s = sink(false);
    await train(makeBlobsObjective(), P0, { ...BASE, evalEvery: 26, progress: 'lines', progressStream: s });
    const lines = s.text().trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^epoch 1\/3  batch_loss [\d.]+  batch_acc [\d.]+  val_loss /);
    for (const l of lines.slice(1)) expect(l).toMatch(/^epoch [23]\/3  loss [\d.]+  acc [\d.]+  val_loss /);
    expect(lines.slice(1).join('\n')).not.toContain('batch_');
  });

  it('the ETA of a line is the mean epoch time times the epochs left', () => {
    const p = makeProgress('lines', sink(false));
    expect(p).toBeDefined();
    const rec = { epoch: 2, train_loss: 0.5, train_accuracy: 0.75, val_loss: null, val_accuracy: null, batch_loss: 0.6, batch_accuracy: 0.7, lr: 0.1, seconds: 30, extra: {} };
    expect(epochLine(rec, 10, 'r', 240)).toBe('r  epoch 2/10  loss 0.5000  acc 0.7500  val_loss -  val_acc -  lr 1.00e-1  30.00s  eta 4m00s');
    // an epoch that did not evaluate the training split (evalEvery, or evalSplits without it) names its minibatch means
    expect(epochLine({ ...rec, train_loss: null, train_accuracy: null }, 10, 'r', 240)).toBe('r  epoch 2/10  batch_loss 0.6000  batch_acc 0.7000  val_loss -  val_acc -  lr 1.00e-1  30.00s  eta 4m00s');
    expect([formatEta(59.4), formatEta(61), formatEta(7322), formatEta(NaN)]).toEqual(['59s', '1m01s', '2h02m', '-']);
  });
});

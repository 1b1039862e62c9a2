/**
 * Progress display for the training loop, written to stderr (or a given stream): on a terminal
 * a `cli-progress` bar per run (the run's name, epoch and step, the last minibatch loss, the
 * running accuracy of the epoch, the bond reached at the last evaluation and an ETA); otherwise
 * one plain line per epoch ({@link epochLine}): the training split's `loss` and `acc` when the
 * epoch evaluated it, else the means over the epoch's minibatches as `batch_loss` and
 * `batch_acc` (epochs skipped by `evalEvery`, or `evalSplits` without 'train'). The loop creates
 * none at all when progress is 'none'.
 */
import { SingleBar } from 'cli-progress';

/** How the loop reports progress: 'auto' = bar on a TTY, lines otherwise. */
export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

/** What the loop knows after a minibatch step. */
export interface BatchProgress {
  /** Epoch (1-based) and the total number of epochs. */
  epoch: number;
  epochs: number;
  /** Minibatch (1-based) within the epoch and the number of minibatches per epoch. */
  batch: number;
  nBatches: number;
  /** Loss of this minibatch (before the step). */
  loss: number;
  /** Fraction classified correctly over the epoch's minibatches so far (before each step). */
  accuracy: number;
}

/** What the loop knows after an epoch (a subset of its EpochRecord). */
export interface EpochProgress {
  epoch: number;
  train_loss: number | null;
  train_accuracy: number | null;
  val_loss: number | null;
  val_accuracy: number | null;
  batch_loss: number;
  batch_accuracy: number;
  lr: number;
  /** Wall-clock seconds of the epoch. */
  seconds: number;
  /** Extra metrics; `<split>_bond_reached` gives the bond reached. */
  extra: Record<string, number>;
}

/** Receives progress events from the loop. */
export interface ProgressSink {
  batch(b: BatchProgress): void;
  epoch(rec: EpochProgress, epochs: number): void;
  /** Ends the display (also after an error: the bar's redraw timer must stop). */
  done(): void;
}

/** A stream with `write` (process.stderr by default), an optional `isTTY` flag and width. */
export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** The largest bond of the last evaluation (`<split>_bond_reached` extras), or null when none was logged. */
export function bondReached(rec: Pick<EpochProgress, 'extra'>): number | null {
  const b = Object.entries(rec.extra).filter(([k]) => k.endsWith('_bond_reached')).map(([, v]) => v);
  return b.length ? Math.max(...b) : null;
}

function fmt(v: number | null): string {
  return v === null ? '-' : v.toFixed(4);
}

/** Seconds as `45s`, `12m05s` or `2h03m`. */
export function formatEta(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '-';
  const t = Math.round(s);
  if (t < 60) return `${t}s`;
  if (t < 3600) return `${Math.floor(t / 60)}m${String(t % 60).padStart(2, '0')}s`;
  return `${Math.floor(t / 3600)}h${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * The line printed per epoch in 'lines' mode: `[label] epoch e/E  loss … acc … val_loss …
 * val_acc … bond … lr …  s  eta …` (bond only when the objective logs it; eta = the mean epoch
 * time so far times the epochs left). `loss` and `acc` are the training split's, evaluated after
 * the epoch; an epoch that did not evaluate it (`evalSplits` without 'train', or between the
 * `evalEvery` points) shows the running means over its minibatches as `batch_loss` and
 * `batch_acc` instead, so the two are never mixed up under one name.
 */
export function epochLine(r: EpochProgress, epochs: number, label?: string, eta?: number): string {
  const bond = bondReached(r);
  const train = r.train_loss !== null
    ? `loss ${fmt(r.train_loss)}  acc ${fmt(r.train_accuracy)}`
    : `batch_loss ${fmt(r.batch_loss)}  batch_acc ${fmt(r.batch_accuracy)}`;
  return `${label ? `${label}  ` : ''}epoch ${r.epoch}/${epochs}  ${train}  val_loss ${fmt(r.val_loss)}  val_acc ${fmt(r.val_accuracy)}${bond !== null ? `  bond ${bond}` : ''}  lr ${r.lr.toExponential(2)}  ${r.seconds.toFixed(2)}s${eta !== undefined ? `  eta ${formatEta(eta)}` : ''}`;
}

/** Format of the bar (cli-progress placeholders; `{eta_formatted}` is its own ETA). */
export const BAR_FORMAT = '{run}{bar} {percentage}% | epoch {epoch}/{epochs} step {step}/{steps} | loss {loss} acc {acc} | bond {bond} | ETA {eta_formatted}';

/**
 * The progress sink for `mode`, or undefined for 'none'. 'auto' draws the bar when the stream
 * is a terminal (`isTTY`) and prints lines otherwise; 'bar' draws it in any case (on a stream
 * that is not a terminal cli-progress then writes a snapshot line every 2 s). `label` names
 * the run in the bar and at the start of each line.
 */
export function makeProgress(mode: ProgressMode, stream: ProgressStream = process.stderr, label?: string): ProgressSink | undefined {
  if (mode === 'none') return undefined;
  const useBar = mode === 'bar' || (mode === 'auto' && stream.isTTY === true);
  if (!useBar) {
    let epochsSeen = 0, secondsSeen = 0;
    return {
      batch() { /* lines mode prints per epoch */ },
      epoch(rec, epochs) {
        epochsSeen++; secondsSeen += rec.seconds;
        stream.write(`${epochLine(rec, epochs, label, (secondsSeen / epochsSeen) * (epochs - rec.epoch))}\n`);
      },
      done() { /* nothing to close */ },
    };
  }
  let bar: SingleBar | null = null;
  let bond = '-';
  return {
    batch(b) {
      const total = b.epochs * b.nBatches;
      const value = (b.epoch - 1) * b.nBatches + b.batch;
      const payload = { run: label ? `${label} ` : '', epoch: b.epoch, epochs: b.epochs, step: b.batch, steps: b.nBatches, loss: b.loss.toFixed(4), acc: b.accuracy.toFixed(3), bond };
      if (!bar) {
        bar = new SingleBar({
          stream: stream as NodeJS.WritableStream, format: BAR_FORMAT, barsize: 20, hideCursor: false, clearOnComplete: false,
          noTTYOutput: stream.isTTY !== true, notTTYSchedule: 2000, etaBuffer: Math.max(10, b.nBatches), fps: 10,
        });
        bar.start(total, value - 1, payload);
      }
      bar.update(value, payload);
    },
    epoch(rec) {
      const r = bondReached(rec);
      if (r !== null) bond = String(r);
      bar?.update({ bond });
    },
    done() {
      bar?.stop();
      bar = null;
    },
  };
}

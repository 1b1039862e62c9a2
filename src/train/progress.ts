/**
 * Progress display for the training loop, written to stderr (or a given stream): a
 * one-line bar redrawn per batch on a TTY, or one plain line per epoch. The loop creates
 * none at all when progress is 'none'.
 */

/** How the loop reports progress: 'auto' = bar on a TTY, lines otherwise. */
export type ProgressMode = 'auto' | 'bar' | 'lines' | 'none';

/** Receives progress events from the loop. */
export interface ProgressSink {
  batch(epoch: number, epochs: number, batch: number, nBatches: number, loss: number): void;
  epoch(line: string): void;
  done(): void;
}

/** A stream with `write` (process.stderr by default) and an optional `isTTY` flag. */
export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
}

const BAR_WIDTH = 24;

/** The progress sink for `mode`, or undefined for 'none'. */
export function makeProgress(mode: ProgressMode, stream: ProgressStream = process.stderr): ProgressSink | undefined {
  if (mode === 'none') return undefined;
  const bar = mode === 'bar' || (mode === 'auto' && stream.isTTY === true);
  let drawn = false;
  return {
    batch(epoch, epochs, batch, nBatches, loss) {
      if (!bar) return;
      const filled = Math.round((BAR_WIDTH * batch) / nBatches);
      stream.write(`\r\x1b[Kepoch ${epoch}/${epochs} [${'='.repeat(filled)}${' '.repeat(BAR_WIDTH - filled)}] ${batch}/${nBatches} loss ${loss.toFixed(4)}`);
      drawn = true;
    },
    epoch(line) {
      stream.write(`${bar && drawn ? '\r\x1b[K' : ''}${line}\n`);
      drawn = false;
    },
    done() {
      if (bar && drawn) stream.write('\n');
      drawn = false;
    },
  };
}

/**
 * Writing figures to disk, atomically (temp file `<name>.tmp-<pid>` → fsync → rename), so a
 * reader never sees half an SVG even if the writer is killed.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../infra/atomic.js';

/** Extension added to figure names that do not already end in it. */
export const FIGURE_EXTENSION = '.svg';

/**
 * Writes `svg` to `dir/name` (adding `.svg` unless `name` ends with it), creating `dir` if
 * needed; returns the path written. `name` must be a plain file name (no `/`, `\`, `..`).
 * @example await writeFigure('results/fig', 'loss-vs-epoch', svg) // "results/fig/loss-vs-epoch.svg"
 */
export async function writeFigure(dir: string, name: string, svg: string): Promise<string> {
  if (typeof dir !== 'string' || dir === '') throw new Error(`writeFigure: dir must be a non-empty string, got ${JSON.stringify(dir)}`);
  if (typeof name !== 'string' || name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
    throw new Error(`writeFigure: name must be a plain file name without path separators, got ${JSON.stringify(name)}`);
  }
  if (typeof svg !== 'string' || !/^\s*<(\?xml|svg)/.test(svg)) {
    throw new Error(`writeFigure: svg must be an SVG document (starting with <svg or <?xml), got ${typeof svg === 'string' ? JSON.stringify(svg.slice(0, 20)) : typeof svg}`);
  }
  const file = name.endsWith(FIGURE_EXTENSION) ? name : `${name}${FIGURE_EXTENSION}`;
  await mkdir(dir, { recursive: true });
  const path = join(dir, file);
  await writeFileAtomic(path, svg);
  return path;
}

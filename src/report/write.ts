/**
 * Writing figures to disk, atomically (temp file `<name>.tmp-<pid>` → fsync → rename), so a
 * reader never sees half a file even if the writer is killed: the SVG, and beside it a PNG at
 * print resolution (`png.ts`).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../infra/atomic.js';
import { PRINT_DPI } from './figure-types.js';
import { svgToPng } from './png.js';

/** Extension added to figure names that do not already end in it. */
export const FIGURE_EXTENSION = '.svg';

/** Options of {@link writeFigure}. */
export interface WriteFigureOptions {
  /** Also write `<name>.png` beside the SVG; default true. */
  png?: boolean;
  /** Resolution of the PNG in dots per inch; default {@link PRINT_DPI}. */
  dpi?: number;
}

/** The PNG written beside an SVG figure: the same path with `.png` for `.svg`. */
export function pngPathOf(svgPath: string): string {
  return svgPath.endsWith(FIGURE_EXTENSION) ? `${svgPath.slice(0, -FIGURE_EXTENSION.length)}.png` : `${svgPath}.png`;
}

/**
 * Writes `svg` to `dir/name` (adding `.svg` unless `name` ends with it) and, unless
 * `options.png` is false, the same figure as PNG at `options.dpi` (default 300) beside it
 * ({@link pngPathOf}); creates `dir` if needed and returns the SVG's path. `name` must be a
 * plain file name (no `/`, `\`, `..`).
 * @example await writeFigure('results/fig', 'loss-vs-epoch', svg) // "results/fig/loss-vs-epoch.svg" (and loss-vs-epoch.png)
 */
export async function writeFigure(dir: string, name: string, svg: string, options: WriteFigureOptions = {}): Promise<string> {
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
  if (options.png ?? true) await writeFileAtomic(pngPathOf(path), await svgToPng(svg, options.dpi ?? PRINT_DPI));
  return path;
}

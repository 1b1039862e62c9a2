/**
 * Tables for experiment reports: Markdown tables and the "mean ± std (n=…)" cells that go in
 * them. Pure string functions; printing and writing belong to the caller.
 */

/** Column alignment in a Markdown table. */
export type ColumnAlign = 'left' | 'center' | 'right';

/** Options of {@link markdownTable}. */
export interface MarkdownTableOptions {
  /** One alignment per column; default none (renderer's default, usually left). */
  align?: ColumnAlign[];
}

/** A table cell: strings verbatim, numbers through `String()`. */
export type TableCell = string | number;

/** Minimum width of a column's dash run, so the separator stays valid Markdown. */
const MIN_DASHES = 3;

function escapeCell(c: TableCell): string {
  return String(c).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function pad(text: string, width: number, align: ColumnAlign | undefined): string {
  const gap = width - [...text].length;
  if (align === 'right') return ' '.repeat(gap) + text;
  if (align === 'center') {
    const left = Math.floor(gap / 2);
    return ' '.repeat(left) + text + ' '.repeat(gap - left);
  }
  return text + ' '.repeat(gap);
}

function separator(width: number, align: ColumnAlign | undefined): string {
  if (align === 'left') return `:${'-'.repeat(width - 1)}`;
  if (align === 'right') return `${'-'.repeat(width - 1)}:`;
  if (align === 'center') return `:${'-'.repeat(width - 2)}:`;
  return '-'.repeat(width);
}

/**
 * A GitHub-flavoured Markdown table with columns padded to equal width; `|` in a cell is
 * escaped and newlines become spaces. Ends without a trailing newline.
 * Throws if a row's length differs from `headers.length`, naming the row.
 * @example
 * markdownTable(['χ', 'acc'], [[2, '0.91'], [16, '0.97']], { align: ['right', 'left'] })
 * // | χ  | acc  |
 * // | -: | :--- |
 * // |  2 | 0.91 |
 * // | 16 | 0.97 |
 */
export function markdownTable(headers: string[], rows: TableCell[][], options: MarkdownTableOptions = {}): string {
  if (!Array.isArray(headers) || headers.length === 0) throw new Error(`markdownTable: headers must be a non-empty array, got ${JSON.stringify(headers)}`);
  const align = options.align;
  if (align !== undefined) {
    if (align.length !== headers.length) throw new Error(`markdownTable: align.length must equal headers.length (${headers.length}), got ${align.length}`);
    align.forEach((a, i) => {
      if (a !== 'left' && a !== 'center' && a !== 'right') throw new Error(`markdownTable: align[${i}] must be 'left', 'center' or 'right', got ${JSON.stringify(a)}`);
    });
  }
  rows.forEach((r, i) => {
    if (!Array.isArray(r) || r.length !== headers.length) {
      throw new Error(`markdownTable: rows[${i}] must have headers.length (${headers.length}) cells, got ${Array.isArray(r) ? r.length : JSON.stringify(r)}`);
    }
  });
  const cells = [headers, ...rows].map((r) => r.map(escapeCell));
  const widths = headers.map((_, j) => Math.max(MIN_DASHES, ...cells.map((r) => [...r[j]!].length)));
  const line = (r: string[]) => `| ${r.map((c, j) => pad(c, widths[j]!, align?.[j])).join(' | ')} |`;
  const sep = `| ${widths.map((w, j) => separator(w, align?.[j])).join(' | ')} |`;
  return [line(cells[0]!), sep, ...cells.slice(1).map(line)].join('\n');
}

/** Mean, standard deviation and count of a sample; see {@link meanStd}. */
export interface MeanStd {
  mean: number;
  /** Sample standard deviation (Bessel-corrected, divides by n − 1); 0 when n = 1. */
  std: number;
  n: number;
}

/**
 * Mean and sample standard deviation (n − 1 in the denominator, the usual "± std over seeds"),
 * computed in two passes. Throws on an empty array or a non-finite value, naming its index.
 * @example meanStd([1, 2, 3, 4]) // { mean: 2.5, std: Math.sqrt(5 / 3), n: 4 }
 */
export function meanStd(values: readonly number[]): MeanStd {
  if (!Array.isArray(values) || values.length === 0) throw new Error(`meanStd: values must be a non-empty array, got ${JSON.stringify(values)}`);
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`meanStd: values[${i}] must be a finite number, got ${String(v)}`);
  });
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  if (n === 1) return { mean, std: 0, n };
  let ss = 0;
  for (const v of values) ss += (v - mean) * (v - mean);
  return { mean, std: Math.sqrt(ss / (n - 1)), n };
}

/**
 * "mean ± std (n=N)" with `digits` decimals on both numbers (see {@link meanStd}).
 * @example formatMeanStd([0.9, 0.92, 0.91, 0.93, 0.9], 3) // "0.912 ± 0.013 (n=5)"
 */
export function formatMeanStd(values: readonly number[], digits: number): string {
  checkDigits('formatMeanStd', digits);
  const { mean, std, n } = meanStd(values);
  return `${formatFixed(mean, digits)} ± ${formatFixed(std, digits)} (n=${n})`;
}

function checkDigits(what: string, digits: number): void {
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) throw new Error(`${what}: digits must be an integer in [0, 20], got ${digits}`);
}

/**
 * `x.toFixed(digits)` without a negative zero: a value that rounds to zero at `digits` decimals
 * (−0.0001 at 3) prints as `0.000`, never `-0.000`. Other values keep their sign.
 * @example formatFixed(-0.0004, 3) // "0.000"
 * @example formatFixed(-0.0006, 3) // "-0.001"
 */
export function formatFixed(x: number, digits: number): string {
  checkDigits('formatFixed', digits);
  const s = x.toFixed(digits);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/**
 * A difference with its sign always written, `+` or `−` (U+2212, the tables' minus), at `digits`
 * decimals. A value that rounds to zero at that precision (−0.0004 at 3, −0, 0) prints `+0.000`:
 * the sign is the rounded value's, so no table shows `−0.000`.
 * @example formatSigned(0.0791, 3) // "+0.079"
 * @example formatSigned(-0.0004, 3) // "+0.000"
 * @example formatSigned(-0.02, 3) // "−0.020"
 */
export function formatSigned(x: number, digits = 3): string {
  checkDigits('formatSigned', digits);
  const s = Math.abs(x).toFixed(digits);
  return `${x < 0 && Number(s) !== 0 ? '−' : '+'}${s}`;
}

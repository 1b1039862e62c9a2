/**
 * One self-contained HTML page for a report: tables, figures and key–value blocks, with the
 * figures inlined as `data:` SVG images and the style inline, so the page opens from disk, by
 * mail or in an archive with nothing else beside it. A Content-Security-Policy that allows only
 * `data:` images and the inline style makes the browser refuse any external resource.
 */
import type { TableCell } from './table.js';

/** A table of the page: heading, column headers and rows (cells shown as text). */
export interface HtmlTable {
  heading: string;
  headers: string[];
  rows: TableCell[][];
}

/** A figure of the page: its SVG document and a caption (also the image's alt text). */
export interface HtmlFigure {
  /** Used as the element id (`fig-<name>`) and in the caption's file reference. */
  name: string;
  svg: string;
  caption: string;
}

/** Inputs of {@link htmlReport}. */
export interface HtmlReportOptions {
  /** Page title and top heading. */
  title: string;
  /** Paragraphs under the title. */
  intro?: string[];
  /** Key–value rows shown first, e.g. provenance (seed, commit, versions, dates, machine). */
  facts?: { heading: string; rows: [string, string][] }[];
  tables: HtmlTable[];
  figures: HtmlFigure[];
  /** Blocks of preformatted text shown last, e.g. the resolved config as JSON. */
  preformatted?: { heading: string; text: string }[];
}

/** The policy of the page: nothing may load except `data:` images and the inline style. */
export const REPORT_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

const STYLE = `body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}
h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1.2em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}figcaption{font-size:.9em;color:#444}
pre{background:#f7f7f7;padding:.8em;overflow:auto;font-size:.85em}`;

/** `s` with `& < > " '` escaped for HTML text and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Width and height of an SVG document from its root element's attributes, or null if absent. */
export function svgSize(svg: string): { width: number; height: number } | null {
  const root = svg.match(/<svg\b[^>]*>/)?.[0] ?? '';
  const w = Number(root.match(/\swidth="([\d.]+)"/)?.[1]);
  const h = Number(root.match(/\sheight="([\d.]+)"/)?.[1]);
  return Number.isFinite(w) && Number.isFinite(h) && w > 0 && h > 0 ? { width: w, height: h } : null;
}

const isNumeric = (c: TableCell) => typeof c === 'number' || /^[-−+]?\d/.test(String(c));

function table(t: HtmlTable, id: string): string {
  const head = `<tr>${t.headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = t.rows.map((r) => `<tr>${r.map((c) => `<td${isNumeric(c) ? ' class="num"' : ''}>${escapeHtml(String(c))}</td>`).join('')}</tr>`).join('\n');
  return `<h2>${escapeHtml(t.heading)}</h2>\n<table id="${id}">\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function figure(f: HtmlFigure): string {
  const size = svgSize(f.svg);
  const dims = size ? ` width="${Math.round(size.width)}" height="${Math.round(size.height)}"` : '';
  const src = `data:image/svg+xml;base64,${Buffer.from(f.svg, 'utf8').toString('base64')}`;
  return `<figure id="fig-${escapeHtml(f.name)}">\n<img src="${src}" alt="${escapeHtml(f.caption)}"${dims}>\n<figcaption>${escapeHtml(f.caption)} (<code>${escapeHtml(f.name)}.svg</code>, <code>${escapeHtml(f.name)}.png</code>)</figcaption>\n</figure>`;
}

/**
 * The whole page as one HTML string: title, intro, fact tables, data tables (ids `table-0`, …),
 * figures (ids `fig-<name>`, images inlined as base64 `data:` SVG with their pixel size) and
 * preformatted blocks, all text escaped. No script, no external link, no external style.
 */
export function htmlReport(o: HtmlReportOptions): string {
  const parts: string[] = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(o.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(o.title)}</h1>`,
    ...(o.intro ?? []).map((p) => `<p>${escapeHtml(p)}</p>`),
  ];
  for (const f of o.facts ?? []) {
    parts.push(`<h2>${escapeHtml(f.heading)}</h2>`, '<table class="facts">', ...f.rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`), '</table>');
  }
  o.tables.forEach((t, i) => parts.push(table(t, `table-${i}`)));
  if (o.figures.length) parts.push('<h2>Figures</h2>', ...o.figures.map(figure));
  for (const p of o.preformatted ?? []) parts.push(`<h2>${escapeHtml(p.heading)}</h2>`, `<pre>${escapeHtml(p.text)}</pre>`);
  parts.push('</body>', '</html>', '');
  return parts.join('\n');
}

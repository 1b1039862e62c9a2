/**
 * Reading back what a vega SVG shows, for figure tests: tick labels per axis, the legend's
 * title and entries, title lines, and mark groups, from the SVG text (vega writes one `<g>`
 * per axis with an `aria-label` naming it, and one `<g class="mark-… role-…">` per mark).
 */

/** The text lines of every `<text>` in `fragment`: its content, or one line per `<tspan>`. */
const textsIn = (fragment: string) =>
  [...fragment.matchAll(/<text\b[^>]*?(?:\/>|>([\s\S]*?)<\/text>)/g)].flatMap((m) => {
    const body = m[1] ?? '';
    const spans = [...body.matchAll(/<tspan\b[^>]*>([^<]*)<\/tspan>/g)].map((t) => decode(t[1]!));
    return spans.length ? spans : [decode(body)];
  });

/** XML entities of vega's output back to characters. */
export function decode(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

/** The first `<g class="…cls…">` element after `from`, with its balanced content. */
function groupAfter(svg: string, cls: string, from = 0): string | undefined {
  const start = svg.indexOf(`class="${cls}`, from);
  if (start < 0) return undefined;
  const open = svg.lastIndexOf('<g', start);
  let depth = 0;
  const re = /<g\b[^>]*?(\/?)>|<\/g>/g;
  re.lastIndex = open;
  for (let m = re.exec(svg); m; m = re.exec(svg)) {
    if (m[0] === '</g>') depth--;
    else if (m[1] !== '/') depth++;
    if (depth === 0) return svg.slice(open, re.lastIndex);
  }
  return undefined;
}

/** Tick labels of the axis whose aria-label starts with `X-axis` or `Y-axis`, in drawing order (ticks without a label give ""). */
export function tickLabels(svg: string, axis: 'X' | 'Y'): string[] {
  const at = svg.indexOf(`aria-label="${axis}-axis`);
  if (at < 0) throw new Error(`no ${axis} axis in the SVG`);
  const labels = groupAfter(svg, 'mark-text role-axis-label', at);
  return labels ? textsIn(labels) : [];
}

/** An axis: tick label → pixel position of its tick along the axis (x for X, y for Y; in the axis group's coordinates). */
export function tickPositions(svg: string, axis: 'X' | 'Y'): Map<string, number> {
  const at = svg.indexOf(`aria-label="${axis}-axis`);
  const ticks = [...(groupAfter(svg, 'mark-rule role-axis-tick', at) ?? '').matchAll(/<line transform="translate\(([-\d.]+),([-\d.]+)\)"/g)].map((m) => Number(m[axis === 'X' ? 1 : 2]));
  const labels = tickLabels(svg, axis);
  if (ticks.length !== labels.length) throw new Error(`${axis} axis: ${ticks.length} ticks but ${labels.length} labels`);
  return new Map(labels.map((l, i) => [l, ticks[i]!]));
}

/** The Y axis: tick label → y pixel of its tick. */
export const yTickPositions = (svg: string) => tickPositions(svg, 'Y');
/** The X axis: tick label → x pixel of its tick. */
export const xTickPositions = (svg: string) => tickPositions(svg, 'X');


/** The legend titles and the legend entry labels. */
export function legend(svg: string): { titles: string[]; labels: string[] } {
  const titles: string[] = [];
  const labels: string[] = [];
  for (let at = svg.indexOf('role-legend-title'); at >= 0; at = svg.indexOf('role-legend-title', at + 1)) titles.push(...textsIn(groupAfter(svg, 'mark-text role-legend-title', at - 40) ?? ''));
  for (let at = svg.indexOf('role-legend-label'); at >= 0; at = svg.indexOf('role-legend-label', at + 1)) labels.push(...textsIn(groupAfter(svg, 'mark-text role-legend-label', at - 40) ?? ''));
  return { titles: [...new Set(titles)], labels };
}

/** The title and subtitle lines. */
export function titleLines(svg: string): { title: string[]; subtitle: string[] } {
  return { title: textsIn(groupAfter(svg, 'mark-text role-title-text') ?? ''), subtitle: textsIn(groupAfter(svg, 'mark-text role-title-subtitle') ?? '') };
}

/** Every mark group of `type` (e.g. "rule", "rect", "text") with role "mark", as SVG fragments. */
export function markGroups(svg: string, type: string): string[] {
  const out: string[] = [];
  for (let at = svg.indexOf(`class="mark-${type} role-mark`); at >= 0; at = svg.indexOf(`class="mark-${type} role-mark`, at + 1)) out.push(groupAfter(svg, `mark-${type} role-mark`, at)!);
  return out;
}

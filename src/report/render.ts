/**
 * Vega-Lite → SVG in Node, with no browser and no `canvas` package: vega's headless View with
 * `renderer: 'none'` and `toSVG()` (text widths fall back to an estimate from the font size).
 * vega and vega-lite are imported lazily, once per process (the import costs ~0.2 s), so
 * importing qdistill does not pay for them.
 */
import type { TopLevelSpec } from 'vega-lite';

/** Result of {@link renderVegaLite}: the SVG and whatever vega-lite or vega warned about. */
export interface RenderResult {
  /** A standalone SVG document, starting with `<svg`. */
  svg: string;
  /** Warning and error messages from compiling and running the spec, in order; empty when clean. */
  warnings: string[];
}

type Modules = { vega: typeof import('vega'); vl: typeof import('vega-lite') };
let modules: Promise<Modules> | undefined;

/** The vega and vega-lite modules, imported on first use and shared afterwards. */
export function loadVega(): Promise<Modules> {
  modules ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vl]) => ({ vega, vl }));
  return modules;
}

/** Vega log level: errors and warnings (vega's `Warn`). */
const LOG_WARN = 2;

/** A vega logger that stores messages instead of printing them (a library does not print). */
function collectingLogger(out: string[]) {
  let level = LOG_WARN;
  const text = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error(...args: unknown[]) {
      out.push(`ERROR ${text(args)}`);
      return logger;
    },
    warn(...args: unknown[]) {
      if (level >= LOG_WARN) out.push(`WARN ${text(args)}`);
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return logger;
}

/**
 * Compiles a Vega-Lite spec and renders it to SVG headlessly.
 * @example (await renderVegaLite(lineChartSpec(opts))).svg.startsWith('<svg') // true
 */
export async function renderVegaLite(spec: TopLevelSpec): Promise<RenderResult> {
  const { vega, vl } = await loadVega();
  const warnings: string[] = [];
  const logger = collectingLogger(warnings);
  const compiled = vl.compile(spec, { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger, logLevel: LOG_WARN });
  try {
    const svg = await view.toSVG();
    return { svg, warnings };
  } finally {
    view.finalize();
  }
}

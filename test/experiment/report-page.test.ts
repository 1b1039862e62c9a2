/**
 * `report.html`: one self-contained page with the config, the tables, every figure and the
 * provenance, checked as text and then rendered in headless Chromium (every figure decoded and
 * laid out at its size, every table laid out, no request leaving the page), with a screenshot
 * kept in the test's temp folder. Under CI (`QDISTILL_CI=1`) a missing browser fails the test;
 * elsewhere it is skipped with the reason printed.
 */
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportFigures, reportTables, writeReport } from '../../src/experiment/report.js';
import { REPORT_CSP } from '../../src/report/html.js';
import { pngInfo } from '../../src/report/png.js';
import { syntheticResults } from '../helpers/synthetic-results.js';

/** The Chromium binary: $QDISTILL_CHROMIUM if set (and present), else the first of the usual system paths that exists. */
function findChromium(): string | undefined {
  const set = process.env['QDISTILL_CHROMIUM'];
  const candidates = set ? [set] : ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
  return candidates.find((p) => existsSync(p));
}

const res = syntheticResults({ seeds: 3 });
const dir = mkdtempSync(join(tmpdir(), 'qdistill-report-'));
const written = writeReport(res, dir);

describe('report.html', () => {
  it('is written with the figures, each as SVG and PNG', async () => {
    const paths = await written;
    const names = (await reportFigures(res)).map((f) => f.name);
    expect(paths).toContain(join(dir, 'report.html'));
    for (const n of names) {
      expect(paths).toContain(join(dir, `${n}.svg`));
      expect(pngInfo(readFileSync(join(dir, `${n}.png`))).dpi).toBeCloseTo(300, 1);
    }
  });

  it('is self-contained: no script, no external link or image, a policy that forbids loading any', async () => {
    await written;
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
    expect(html).not.toMatch(/<script|<link|<iframe|<object|@import|url\(/i);
    const srcs = [...html.matchAll(/\ssrc="([^"]*)"/g)].map((m) => m[1]!);
    expect(srcs.length).toBe((await reportFigures(res)).length);
    expect(srcs.every((s) => s.startsWith('data:image/svg+xml;base64,'))).toBe(true);
    expect(html).not.toMatch(/href="(?!#)/);
  });

  it('has the tables, the figures, the config and the provenance', async () => {
    await written;
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    for (const t of reportTables(res)) expect(html).toContain(`<h2>${t.heading.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</h2>`);
    for (const f of await reportFigures(res)) expect(html).toContain(`id="fig-${f.name}"`);
    expect(html).toContain('<h2>Config (resolved)</h2>');
    expect(html).toContain('&quot;targetAccuracy&quot;: 0.6');
    for (const [k, v] of [['seeds', '1, 2, 3'], ['git commit', res.gitCommit], ['qdistill', '0.1.0'], ['Node.js', 'v20.0.0'], ['started', '2026-01-02T03:04:05.000Z'], ['finished', '2026-01-02T03:04:17.500Z'], ['config hash', 'abcdef0123456789']]) {
      expect(html).toContain(`<tr><th>${k}</th><td>${v}</td></tr>`);
    }
    expect(html).toMatch(/<tr><th>libraries<\/th><td>ml-matrix \d+\.\d+\.\d+, .*vega-lite \d+\.\d+\.\d+, @resvg\/resvg-js \d+\.\d+\.\d+<\/td><\/tr>/);
    expect(html).toMatch(/<tr><th>machine \(writing this report\)<\/th><td>linux .* × \d+ logical cores, [\d.]+ GiB memory<\/td><\/tr>/);
    expect(html).toMatch(/<tr><th>report written<\/th><td>\d{4}-\d\d-\d\dT/);
  });

  it('renders in headless Chromium: every figure decoded at its size, every table laid out, nothing fetched', async (ctx) => {
    await written;
    const chromium = findChromium();
    if (!chromium) {
      const reason = `no Chromium found at ${process.env['QDISTILL_CHROMIUM'] ?? '/usr/bin/chromium or the usual paths'} (install Debian's \`chromium\`, or set QDISTILL_CHROMIUM to a Chrome/Chromium binary)`;
      if (process.env['QDISTILL_CI']) throw new Error(`report.html browser check: ${reason}; CI must run it`);
      console.warn(`skipped: ${reason}`);
      ctx.skip();
      return;
    }
    const { default: puppeteer } = await import('puppeteer-core');
    const browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    try {
      const page = await browser.newPage();
      await page.setViewport({ width: 1200, height: 900 });
      const requests: string[] = [];
      const problems: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warn') problems.push(m.text()); });
      page.on('pageerror', (e) => problems.push(String(e)));
      const url = `file://${join(dir, 'report.html')}`;
      await page.goto(url, { waitUntil: 'load' });
      // runs in the page (as source text: the test program has no DOM types)
      const seen = (await page.evaluate(`(async () => {
        const imgs = [...document.images];
        await Promise.all(imgs.map((i) => i.decode()));
        return {
          images: imgs.map((i) => ({ id: i.closest('figure')?.id ?? '', complete: i.complete, natural: [i.naturalWidth, i.naturalHeight], box: [i.clientWidth, i.clientHeight] })),
          tables: [...document.querySelectorAll('table[id^="table-"]')].map((t) => ({ id: t.id, rows: t.rows.length, box: [t.getBoundingClientRect().width, t.getBoundingClientRect().height] })),
          title: document.title,
        };
      })()`)) as {
        images: { id: string; complete: boolean; natural: number[]; box: number[] }[];
        tables: { id: string; rows: number; box: number[] }[];
        title: string;
      };
      const figures = await reportFigures(res);
      expect(seen.title).toBe('small-study');
      expect(seen.images.map((i) => i.id)).toEqual(figures.map((f) => `fig-${f.name}`));
      for (const img of seen.images) {
        expect(img.complete, img.id).toBe(true);
        expect(img.natural[0], img.id).toBeGreaterThan(100);
        expect(img.natural[1], img.id).toBeGreaterThan(100);
        // laid out at the SVG's own size (the page is wide enough not to scale it down)
        expect(img.box[0], img.id).toBeCloseTo(img.natural[0]!, 0);
        expect(img.box[1], img.id).toBeCloseTo(img.natural[1]!, 0);
      }
      const tables = reportTables(res);
      expect(seen.tables.map((t) => t.rows)).toEqual(tables.map((t) => t.rows.length + 1));
      for (const t of seen.tables) expect(Math.min(...t.box), t.id).toBeGreaterThan(10);
      expect(requests.filter((u) => u !== url && !u.startsWith('data:'))).toEqual([]);
      expect(problems).toEqual([]);
      const shot = join(dir, 'report-screenshot.png');
      await page.screenshot({ path: shot as `${string}.png`, fullPage: true });
      const info = pngInfo(readFileSync(shot));
      expect(info.width).toBe(1200);
      expect(info.height).toBeGreaterThan(2000);
      expect(statSync(shot).size).toBeGreaterThan(50_000);
      console.log(`report.html rendered in Chromium; screenshot ${shot} (${info.width}×${info.height})`);
    } finally {
      await browser.close();
    }
  });
});

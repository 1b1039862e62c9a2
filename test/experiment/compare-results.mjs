#!/usr/bin/env node
/**
 * Compares two results.json files with their timing and provenance-of-invocation fields removed
 * (wallSeconds, cpuSeconds, startedAt, invocations, seconds, secondsPieces, gitCommit, at any depth):
 * `node test/experiment/compare-results.mjs A/results.json B/results.json` prints `identical`
 * (exit 0) or the first differences with their JSON paths (exit 1).
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The fields that record when, how long and from which commit a run ran, not what it computed. */
export const TIMING_FIELDS = Object.freeze(['wallSeconds', 'cpuSeconds', 'startedAt', 'invocations', 'seconds', 'secondsPieces', 'gitCommit']);

/** A deep copy of `v` without the timing fields. */
export function stripTiming(v) {
  if (Array.isArray(v)) return v.map(stripTiming);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => !TIMING_FIELDS.includes(k)).map(([k, x]) => [k, stripTiming(x)]));
}

/** The JSON paths where `a` and `b` differ (values compared exactly; key order ignored), at most `limit`. */
export function diffPaths(a, b, limit = 20, path = '$', out = []) {
  if (out.length >= limit) return out;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${path}: length ${a.length} vs ${b.length}`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) diffPaths(a[i], b[i], limit, `${path}[${i}]`, out);
  } else if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!(k in a) || !(k in b)) out.push(`${path}.${k}: only in ${k in a ? 'the first' : 'the second'}`);
      else diffPaths(a[k], b[k], limit, `${path}.${k}`, out);
    }
  } else if (!Object.is(a, b)) out.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [fa, fb] = process.argv.slice(2);
  if (!fa || !fb) { process.stderr.write('usage: compare-results.mjs A/results.json B/results.json\n'); process.exit(2); }
  const d = diffPaths(stripTiming(JSON.parse(readFileSync(fa, 'utf8'))), stripTiming(JSON.parse(readFileSync(fb, 'utf8'))));
  process.stdout.write(d.length === 0 ? 'identical\n' : `${d.join('\n')}\n`);
  process.exit(d.length === 0 ? 0 : 1);
}

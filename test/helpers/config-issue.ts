/**
 * A config refusal as the tests of config checks expect it: `resolveConfig(raw, opts)` throws a
 * ConfigError with an issue at `path` whose message matches `re`; returns the error.
 */
import { expect } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/experiment/config.js';

export function expectConfigIssue(raw: unknown, path: string, re: RegExp, opts?: Parameters<typeof resolveConfig>[1]): ConfigError {
  let err: unknown = null;
  try { resolveConfig(raw, opts); } catch (e) { err = e; }
  expect(err).toBeInstanceOf(ConfigError);
  const issues = (err as ConfigError).issues;
  const hit = issues.find((i) => i.path === path);
  expect(hit, JSON.stringify(issues)).toBeDefined();
  expect(hit!.message).toMatch(re);
  return err as ConfigError;
}

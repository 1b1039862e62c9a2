export const TIMING_FIELDS: readonly string[];
export function stripTiming<T>(v: T): T;
export function diffPaths(a: unknown, b: unknown, limit?: number): string[];
